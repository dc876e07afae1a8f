"""`claimtrack eval quantities FILE`: pairing of figures measured on labelled pairs."""

from __future__ import annotations

import re
from pathlib import Path

PAIRS = Path(__file__).parents[1] / "data" / "quantity_pairs.jsonl"


def test_eval_quantities_prints_precision_and_recall_before_and_after(cli) -> None:
    result = cli("eval", "quantities", str(PAIRS))
    assert result.returncode == 0, result.stderr
    assert re.search(r"\(\d+ pairs, \d+ about the same thing\)", result.stdout)
    rows = re.findall(
        r"^(unit noun only|noun and context).*precision (0\.\d{3})", result.stdout, re.M
    )
    assert [row[0] for row in rows] == ["unit noun only", "noun and context"]


def test_a_bad_label_exits_65_with_the_line_named(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    row = '{"id": "1", "claim": "12 morts", "evidence": "12 morts", "label": "%s"}\n'
    bad.write_text(row % "same" + row % "maybe", encoding="utf-8")
    result = cli("eval", "quantities", str(bad))
    assert result.returncode == 65
    assert "line 2" in result.stderr and "maybe" in result.stderr


def test_a_missing_or_empty_file_ends_with_a_clear_message(cli, tmp_path: Path) -> None:
    assert cli("eval", "quantities", str(tmp_path / "absent.jsonl")).returncode == 66
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    result = cli("eval", "quantities", str(empty))
    assert result.returncode == 65 and "no pairs" in result.stderr
