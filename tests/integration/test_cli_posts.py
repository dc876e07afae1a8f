"""`claimtrack segment` on a social post pasted several times: each claim printed once."""

from __future__ import annotations

import json

from tests.conftest import CliRunner


def test_segment_prints_the_claim_of_a_pasted_post_once(cli: CliRunner) -> None:
    copy = (
        "Des milliers de mineurs maliens sont arrivés en Guinée en 2021 "
        "après la découverte d'un diamant 💎"
    )
    text = f"{copy} {copy} {copy} None"
    result = cli("segment", "-", "--lang", "fr", "--mode", "rules", input=text)
    assert result.returncode == 0, result.stderr
    claims = [json.loads(line) for line in result.stdout.splitlines()]
    assert [claim["text"] for claim in claims] == [copy]
    assert (claims[0]["start"], claims[0]["end"]) == (0, len(copy))
