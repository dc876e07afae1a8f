"""How ingestion segments documents is a setting with a clear error when it is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.config import ConfigError, Settings


def test_the_segment_mode_defaults_to_fast_and_reads_the_environment(tmp_path: Path) -> None:
    base = {"CLAIMTRACK_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).segment_mode == "fast"
    env = {**base, "CLAIMTRACK_SEGMENT_MODE": "social"}
    assert Settings.from_env(env).segment_mode == "social"


@pytest.mark.parametrize("raw", ["bogus", "precise", "fast,social"])
def test_an_unknown_segment_mode_is_a_configuration_error(tmp_path: Path, raw: str) -> None:
    env = {"CLAIMTRACK_DATA_DIR": str(tmp_path), "CLAIMTRACK_SEGMENT_MODE": raw}
    with pytest.raises(ConfigError, match=r"SEGMENT_MODE .*fast, accurate, social, rules"):
        Settings.from_env(env)


def test_the_settings_list_the_same_modes_as_the_segmenter() -> None:
    from claims.config import SEGMENT_MODES
    from claims.text.segment import MODES

    assert SEGMENT_MODES == MODES
