"""Loading labelled check-worthiness files and scoring a scorer against them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from claims.evaluation import (
    EvaluationReport,
    LabelledExample,
    evaluate_checkworthiness,
    format_report,
    load_labelled,
)

SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def write_lines(path: Path, records: Sequence[object]) -> Path:
    path.write_text(
        "".join(json.dumps(r) + "\n" if not isinstance(r, str) else r + "\n" for r in records),
        encoding="utf-8",
    )
    return path


def examples_of(*rows: tuple[str, bool, str]) -> list[LabelledExample]:
    return [
        LabelledExample(
            id=str(i), text=text, label="claim" if positive else "not-claim", language=language
        )
        for i, (text, positive, language) in enumerate(rows)
    ]


def score_by_lookup(table: dict[str, float]):  # type: ignore[no-untyped-def]
    def score(texts: Sequence[str]) -> list[float]:
        return [table[text] for text in texts]

    return score


def test_load_labelled_reads_both_label_vocabularies(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "set.jsonl",
        [
            {"id": "a", "text": "Jobs fell 2%.", "label": "check-worthy", "language": "en"},
            {"id": "b", "text": "Thank you.", "label": "not-check-worthy", "language": "en"},
            "",
            {"id": 3, "text": "Le chômage a baissé.", "label": "claim", "language": "fr"},
            {"id": "d", "text": "Bonsoir.", "label": "not-claim"},
        ],
    )

    examples = load_labelled(path)

    assert [e.id for e in examples] == ["a", "b", "3", "d"]
    assert [e.is_positive for e in examples] == [True, False, True, False]
    assert [e.language for e in examples] == ["en", "en", "fr", "und"]


def test_load_labelled_names_the_line_of_malformed_json(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "bad.jsonl",
        [{"id": "a", "text": "x", "label": "claim"}, '{"id": "b", "text": '],
    )

    with pytest.raises(ValueError, match=r"line 2: malformed JSON"):
        load_labelled(path)


def test_load_labelled_names_the_line_and_value_of_an_unknown_label(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "bad.jsonl",
        [
            {"id": "a", "text": "x", "label": "claim"},
            {"id": "b", "text": "y", "label": "not-claim"},
            {"id": "c", "text": "z", "label": "maybe"},
        ],
    )

    with pytest.raises(ValueError, match=r"line 3: unknown label 'maybe'"):
        load_labelled(path)


def test_load_labelled_names_a_missing_field(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "bad.jsonl", [{"id": "a", "label": "claim"}])

    with pytest.raises(ValueError, match=r"line 1: missing field\(s\) text"):
        load_labelled(path)


def test_evaluate_counts_the_confusion_matrix_and_derives_scores() -> None:
    examples = examples_of(
        ("tp", True, "en"),
        ("tp2", True, "fr"),
        ("fn", True, "en"),
        ("fp", False, "fr"),
        ("tn", False, "en"),
        ("tn2", False, "en"),
    )
    scores = {"tp": 0.9, "tp2": 0.5, "fn": 0.2, "fp": 0.7, "tn": 0.1, "tn2": 0.49}

    report = evaluate_checkworthiness(examples, score_by_lookup(scores), threshold=0.5)

    assert (report.tp, report.fp, report.fn, report.tn) == (2, 1, 1, 2)
    assert report.count == 6
    assert report.precision == pytest.approx(2 / 3)
    assert report.recall == pytest.approx(2 / 3)
    assert report.f1 == pytest.approx(2 / 3)
    assert report.accuracy == pytest.approx(4 / 6)
    assert report.by_language == {}


def test_evaluate_splits_by_language_when_asked() -> None:
    examples = examples_of(("a", True, "en"), ("b", False, "en"), ("c", True, "fr"))
    scores = {"a": 0.8, "b": 0.9, "c": 0.1}

    report = evaluate_checkworthiness(
        examples, score_by_lookup(scores), threshold=0.5, by_language=True
    )

    assert sorted(report.by_language) == ["en", "fr"]
    english, french = report.by_language["en"], report.by_language["fr"]
    assert (english.tp, english.fp, english.fn, english.tn) == (1, 1, 0, 0)
    assert (french.tp, french.fp, french.fn, french.tn) == (0, 0, 1, 0)
    assert french.f1 == 0.0


def test_evaluate_rejects_a_scorer_that_drops_sentences() -> None:
    examples = examples_of(("a", True, "en"), ("b", False, "en"))

    with pytest.raises(ValueError, match="1 scores for 2 examples"):
        evaluate_checkworthiness(examples, lambda texts: [0.5])


def test_scores_are_zero_not_an_error_when_nothing_is_predicted_positive() -> None:
    report = EvaluationReport(tp=0, fp=0, fn=3, tn=4, threshold=0.5)

    assert (report.precision, report.recall, report.f1) == (0.0, 0.0, 0.0)
    assert report.accuracy == pytest.approx(4 / 7)


def test_format_report_shows_overall_and_language_rows() -> None:
    examples = examples_of(("a", True, "en"), ("b", False, "fr"))
    report = evaluate_checkworthiness(
        examples, score_by_lookup({"a": 0.9, "b": 0.1}), threshold=0.4, by_language=True
    )

    lines = format_report(report).splitlines()

    assert "threshold 0.400" in lines[0]
    assert lines[1].split()[:6] == ["subset", "n", "pos", "P", "R", "F1"]
    assert lines[3].split()[:6] == ["all", "2", "1", "1.000", "1.000", "1.000"]
    assert [line.split()[0] for line in lines[4:]] == ["en", "fr"]


@pytest.mark.parametrize("name", ["checkworthy_en_dev.jsonl", "claim_en_tweets_dev.jsonl"])
def test_shared_dev_files_load(name: str) -> None:
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"labelled data not found at {path} (../shared/data next to the repo)")

    examples = load_labelled(path)

    assert len(examples) > 100
    assert any(e.is_positive for e in examples)
    assert not all(e.is_positive for e in examples)
