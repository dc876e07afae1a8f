"""The freshness window of reused checks is a setting with a clear error when it is wrong."""

from __future__ import annotations

import pytest

from claims.config import ConfigError, Settings


def test_the_recheck_window_defaults_to_a_week_and_reads_the_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = {"CLAIMTRACK_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).recheck_after_days == 7.0
    env = {**base, "CLAIMTRACK_RECHECK_AFTER_DAYS": "0"}
    assert Settings.from_env(env).recheck_after_days == 0.0


@pytest.mark.parametrize("raw", ["-1", "soon", "inf", "nan"])
def test_a_wrong_recheck_window_is_a_configuration_error(tmp_path, raw: str) -> None:  # type: ignore[no-untyped-def]
    env = {"CLAIMTRACK_DATA_DIR": str(tmp_path), "CLAIMTRACK_RECHECK_AFTER_DAYS": raw}
    with pytest.raises(ConfigError, match="RECHECK_AFTER_DAYS"):
        Settings.from_env(env)
