"""`claimtrack eval stance FILE`: the stance step measured on labelled pairs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SHARED

STANCE_FILE = SHARED / "data" / "stance_fr_dev.jsonl"


def shared_pairs() -> Path:
    if not STANCE_FILE.is_file():
        pytest.skip(f"labelled data not found at {STANCE_FILE} (../shared/data next to the repo)")
    return STANCE_FILE


def test_eval_stance_reports_accuracy_macro_f1_and_the_confusion_matrix(
    cli, tmp_path: Path
) -> None:
    # A slice keeps the default run fast; the whole file runs in the slow test below.
    lines = shared_pairs().read_text(encoding="utf-8").splitlines()[:16]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("eval", "stance", str(sample))
    assert result.returncode == 0, result.stderr
    assert "16 pairs" in result.stdout
    assert re.search(r"accuracy\s+0\.\d{3}", result.stdout)
    assert re.search(r"macro-F1\s+0\.\d{3}", result.stdout)
    rows = re.findall(r"^(contradiction|compatible)\s+(\d+)\s+(\d+)\s+(\d+)$", result.stdout, re.M)
    assert [row[0] for row in rows] == ["contradiction", "compatible"]
    assert sum(int(n) for row in rows for n in row[1:]) == 16
    assert "expected calibration error" in result.stdout


def test_a_malformed_file_exits_65_with_the_line_named(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "text": "a", "evidence": "b", "label": "compatible"}\n{oops\n')
    result = cli("eval", "stance", str(bad))
    assert result.returncode == 65
    assert result.stderr.strip().startswith("error:") and "line 2" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_file_exits_66(cli, tmp_path: Path) -> None:
    result = cli("eval", "stance", str(tmp_path / "absent.jsonl"))
    assert result.returncode == 66


@pytest.mark.slow
def test_the_whole_dev_file_cross_validated_reaches_the_recorded_level(cli) -> None:
    result = cli("eval", "stance", str(shared_pairs()), "--folds", "5", timeout=1200)
    assert result.returncode == 0, result.stderr
    macro_f1 = float(re.search(r"macro-F1\s+(0\.\d{3})", result.stdout).group(1))
    assert macro_f1 >= 0.6, result.stdout
