"""Evaluating the stance step on labelled claim/evidence pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.evaluation import (
    StancePair,
    evaluate_stance,
    format_stance_report,
    load_stance_pairs,
)


def pair(label: str, index: int = 0) -> StancePair:
    return StancePair(str(index), f"claim {index}", f"evidence {index}", label)


def test_refutes_counts_as_contradiction_and_the_other_stances_as_compatible() -> None:
    pairs = [pair("contradiction", 0), pair("contradiction", 1), pair("compatible", 2)]
    pairs += [pair("compatible", 3)]
    predicted = ["refutes", "supports", "neutral", "refutes"]
    report = evaluate_stance(pairs, lambda texts: predicted[: len(texts)])
    assert report.count == 4
    assert report.confusion["contradiction"] == {"refutes": 1, "supports": 1, "neutral": 0}
    assert report.confusion["compatible"] == {"refutes": 1, "supports": 0, "neutral": 1}
    assert report.accuracy == 0.5
    assert report.f1("contradiction") == pytest.approx(0.5)
    assert report.macro_f1 == pytest.approx(0.5)
    text = format_stance_report(report)
    assert "accuracy  0.500" in text and "macro-F1  0.500" in text
    assert "contradiction" in text.splitlines()[-3]


def test_a_stance_function_that_drops_pairs_is_an_error() -> None:
    with pytest.raises(ValueError, match="1 stances for 2 pairs"):
        evaluate_stance([pair("compatible"), pair("compatible", 1)], lambda _: ["supports"])


def write(tmp_path: Path, *records: object) -> Path:
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    return path


def test_pairs_load_with_their_fact_check_as_group(tmp_path: Path) -> None:
    record = {"id": "a", "text": "c", "evidence": "e", "label": "compatible", "topic": "covid"}
    path = write(tmp_path, record | {"factcheck_url": "https://example.org/1"}, "", record)
    first, second = load_stance_pairs(path)
    assert first.group == "https://example.org/1" and first.topic == "covid"
    assert second.group == "a" and not second.is_contradiction


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 1: malformed JSON"),
        ("[1, 2]", "line 1: expected a JSON object"),
        ('{"id": "a", "text": "c", "label": "compatible"}', "missing field(s) evidence"),
        ('{"id": "a", "text": "c", "evidence": "e", "label": "true"}', "unknown label 'true'"),
        ('{"id": "a", "text": "", "evidence": "e", "label": "compatible"}', "field text"),
    ],
)
def test_a_bad_line_is_named(tmp_path: Path, line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_stance_pairs(write(tmp_path, line))


def test_an_empty_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no pairs"):
        load_stance_pairs(write(tmp_path, ""))


def test_the_seed_stance_pairs_quote_the_seed_article_and_library_as_they_are() -> None:
    """tests/data/seed_stance_pairs.jsonl stays true to seeds/: every claim is a sentence of the
    seed article and every evidence a passage of the source library, labelled compatible."""
    from claims.library import parse_source_file, split_passages

    root = Path(__file__).parents[3]
    pairs = load_stance_pairs(root / "tests" / "data" / "seed_stance_pairs.jsonl")
    article = next((root / "seeds" / "articles").glob("*.txt")).read_text(encoding="utf-8")
    passages = {
        passage
        for path in (root / "seeds" / "sources").glob("*.md")
        if path.name != "README.md"
        for passage in split_passages(parse_source_file(path).text)
    }
    assert len(pairs) == 96 and {p.label for p in pairs} == {"compatible"}
    assert all(p.claim in article and p.evidence in passages for p in pairs)
    rows = (root / "tests" / "data" / "seed_stance_pairs.jsonl").read_text(encoding="utf-8")
    relations = [json.loads(line)["relation"] for line in rows.splitlines()]
    assert set(relations) == {"supports", "neutral"} and relations.count("supports") == 30
