"""Measuring the segmenter as a product: `eval checkworthiness` and `eval claim-recall`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from claims.evaluation import load_labelled
from claims.text.measure import (
    PostWithClaim,
    load_posts,
    measure_claim_recall,
    rouge_l,
    score_examples,
    tokenize,
)
from web.cli import main

FRENCH_SET = Path(__file__).resolve().parents[3] / "data" / "checkworthy_fr.jsonl"
LABELLED = [
    {"id": "1", "text": "Unemployment fell to 3.5 percent in 2019.", "label": "check-worthy"},
    {"id": "2", "text": "Thank you, it is a pleasure to be here.", "label": "not-check-worthy"},
    {"id": "3", "text": "The state spent $2 billion on prisons in 2019.", "label": "check-worthy"},
]


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_rouge_l() -> None:
    assert (
        rouge_l(tokenize("98 000 Russes sont entrés"), tokenize("98 000 Russes sont entrés")) == 1
    )
    assert rouge_l(["a", "b"], ["c"]) == 0.0
    assert rouge_l([], ["a"]) == 0.0
    # LCS "a c" of 3 and 2 tokens: P 2/3, R 1, F1 0.8.
    assert rouge_l(["a", "b", "c"], ["a", "c"]) == pytest.approx(0.8)


def test_score_examples_is_the_best_claim_of_each_text() -> None:
    texts = [row["text"] for row in LABELLED]
    scores = score_examples(texts, ["en"] * 3, mode="fast")
    assert scores[0] >= 0.5 and scores[2] >= 0.5
    assert scores[1] < 0.5


def test_claim_recall_counts_posts_whose_claim_segment_keeps() -> None:
    posts = [
        PostWithClaim(
            "1",
            "Incroyable !!! Environ 98 000 Russes sont entrés au Kazakhstan en une semaine, "
            "selon les autorités kazakhes. Partagez avant que ce soit supprimé",
            "98 000 Russes sont entrés au Kazakhstan en une semaine",
            "fr",
        ),
        PostWithClaim(
            "2", "Bonne journée à tous, merci !", "Le Kazakhstan a fermé sa frontière", "fr"
        ),
    ]
    report = measure_claim_recall(posts, mode="rules")
    assert (report.posts, report.found, report.reachable) == (2, 1, 1)
    assert report.recall == 0.5


def test_eval_checkworthiness_measures_segment_by_default(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "set.jsonl", [{**row, "language": "en"} for row in LABELLED])
    result = CliRunner().invoke(main, ["eval", "checkworthiness", str(path), "--by-language"])
    assert result.exit_code == 0, result.output
    assert "segment, fast mode, threshold 0.5" in result.output
    all_row = next(line for line in result.output.splitlines() if line.startswith("all"))
    assert all_row.split()[1:3] == ["3", "2"]
    assert any(line.startswith("en ") for line in result.output.splitlines())


def test_eval_checkworthiness_can_measure_the_model_alone(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "set.jsonl", LABELLED)
    result = CliRunner().invoke(
        main, ["eval", "checkworthiness", str(path), "--scorer", "model", "--mode", "fast"]
    )
    assert result.exit_code == 0, result.output
    assert "fast model alone, threshold 0.33" in result.output


def test_eval_rules_mode_needs_the_segment_scorer(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "set.jsonl", LABELLED)
    result = CliRunner().invoke(
        main, ["eval", "checkworthiness", str(path), "--scorer", "model", "--mode", "rules"]
    )
    assert result.exit_code == 2
    assert "--mode rules" in result.output


def test_eval_claim_recall_prints_recall_and_ceiling(tmp_path: Path) -> None:
    rows = [
        {
            "id": "p1",
            "text": "Environ 98 000 Russes sont entrés au Kazakhstan, ont déclaré des officiels.",
            "label": "98 000 Russes sont entrés au Kazakhstan",
            "language": "fr",
        }
    ]
    path = write_jsonl(tmp_path / "posts.jsonl", rows)
    result = CliRunner().invoke(main, ["eval", "claim-recall", str(path), "--mode", "rules"])
    assert result.exit_code == 0, result.output
    assert "recall  1.000" in result.output
    assert "ceiling 1.000" in result.output
    assert "per post 1.00" in result.output


def test_claim_recall_reads_a_post_pasted_three_times_once() -> None:
    # Copies ending in an emoji have no full stop between them: read as one "sentence", the
    # three copies were too long to be close to the claim, and each copy became a claim.
    copy = "La statue du Général de Gaulle déboulonnée à Evreux hier soir 😡😡"
    post = PostWithClaim(
        "1",
        f"{copy} {copy} {copy} None",
        "Une statue de De Gaulle déboulonnée à Evreux",
        "fr",
    )
    report = measure_claim_recall([post], mode="rules", min_checkworthiness=0.0)
    assert (report.found, report.reachable) == (1, 1)
    assert report.claims_per_post <= 2


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json\n", "line 1: malformed JSON"), ('{"id": "1", "text": "x"}\n', "line 1: expected")],
)
def test_eval_claim_recall_rejects_bad_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "claim-recall", str(path)])
    assert result.exit_code == 65
    assert message in result.output


def test_eval_claim_recall_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "claim-recall", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 66


def test_load_posts_keeps_ids_and_languages(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [{"id": "a", "text": "t", "label": "c"}])
    assert load_posts(path) == [PostWithClaim("a", "t", "c", None)]


def test_french_labelled_set_is_well_formed() -> None:
    examples = load_labelled(FRENCH_SET)
    assert len(examples) >= 200
    assert {example.language for example in examples} == {"fr"}
    negatives = [example for example in examples if not example.is_positive]
    assert len(negatives) >= 30
    records = [json.loads(line) for line in FRENCH_SET.read_text(encoding="utf-8").splitlines()]
    assert len({record["id"] for record in records}) == len(records)
    for record in records:
        assert record["reason"].strip() and "\n" not in record["reason"]
        assert record["origin"].startswith(("seed article", "DACCORD evidence passage"))
