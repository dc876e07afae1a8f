"""Each remote provider against a real HTTP server on loopback that speaks its protocol and fails
in the ways remote services do: every check ends within the deadline, the failure is recorded on
the suggestion, and the claim still reaches needs_review."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from claims import checking
from claims.db import session_scope
from claims.evidence import evidence_config
from claims.evidence.factchecks import import_fact_checks, parse_feed
from claims.library import load_source_directory
from claims.models import Claim, ClaimStatus, Evidence
from tests.conftest import ROOT
from tests.integration.evidence.conftest import (
    SEED_FEED,
    Remote,
    add_claim,
    provider_settings,
)

DEADLINE = 2.0
# Time a check may take beyond the providers' deadline: the library, assessing, writing.
MARGIN = 1.5


def check(engine: Engine, claim_id: int, settings) -> tuple[Claim, float]:  # type: ignore[no-untyped-def]
    config = evidence_config(settings)
    started = time.monotonic()
    with session_scope(engine) as session:
        checking.check_claim(session, claim_id, config)
    elapsed = time.monotonic() - started
    with session_scope(engine) as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        _ = claim.suggestions, claim.evidence
        return claim, elapsed


def test_every_provider_answers_and_the_claim_gets_their_evidence(
    sqlite_engine: Engine, data_dir: Path, remote: Remote
) -> None:
    settings = provider_settings(data_dir, remote)
    with session_scope(sqlite_engine) as session:
        load_source_directory(session, ROOT / "seeds" / "sources")
        import_fact_checks(session, parse_feed(SEED_FEED.read_bytes(), SEED_FEED.name))
    claim_id = add_claim(sqlite_engine)

    claim, _ = check(sqlite_engine, claim_id, settings)

    assert claim.status == ClaimStatus.NEEDS_REVIEW
    report = claim.suggestion.providers
    assert {name: info["status"] for name, info in report.items()} == {
        "library": "ok",
        "factchecks": "ok",
        "mediawiki": "ok",
        "factcheck_api": "ok",
    }
    assert all(info["version"] for info in report.values())
    by_provider = {e.provider: e for e in sorted(claim.evidence, key=lambda e: e.score)}
    # The French claim finds the English library passage by its figure and names.
    assert by_provider["library"].number_match["match"]
    wiki = by_provider["mediawiki"]
    assert wiki.url == f"{remote.base}/wiki/Emigration"
    assert "98,000" in wiki.snippet
    api = by_provider["factcheck_api"]
    assert api.details["rating"] == "True" and api.details["publisher"] == "Sample Checkers"
    assert api.url == "https://example.org/checks/98000"
    imported = by_provider["factchecks"]
    assert imported.details["rating"] == "True"
    assert imported.details["date"] == "2022-09-28"
    assert wiki.number_match["match"]
    assert claim.suggestion.verdict.value == "supported"
    # The API key travels in the query string, never into what is stored.
    assert "test-key" not in str(report)


def test_answers_are_cached_so_a_recheck_asks_no_remote(
    sqlite_engine: Engine, data_dir: Path, remote: Remote
) -> None:
    settings = provider_settings(data_dir, remote)
    claim_id = add_claim(sqlite_engine)
    first, _ = check(sqlite_engine, claim_id, settings)
    asked = len(remote.hits)
    assert asked == 2  # one request per remote provider
    with session_scope(sqlite_engine) as session:
        session.get(Claim, claim_id).status = ClaimStatus.CHECKING
    second, _ = check(sqlite_engine, claim_id, settings)
    assert len(remote.hits) == asked
    assert second.suggestion.providers["mediawiki"]["cached"] is True
    assert {(e.provider, e.source_key, e.score) for e in second.evidence} == {
        (e.provider, e.source_key, e.score) for e in first.evidence
    }


@pytest.mark.parametrize(
    ("mode", "error", "transient"),
    [
        ("slow", r"deadline|did not answer", True),
        ("drip", r"2 s deadline", True),
        ("429", r"HTTP 429; waiting 60\.0 s more would pass the 2 s deadline", True),
        ("503", r"HTTP 503", True),
        ("malformed", r"malformed JSON", False),
        ("wrong-type", r"answered text/html, not application/json", False),
        ("big", r"more than the limit of 100000 bytes", False),
        ("bomb", r"more than the limit of 100000 bytes", False),
        ("loop", r"too many redirects", False),
        ("private", r"private, loopback or reserved", False),
    ],
)
def test_a_failing_remote_is_recorded_and_the_claim_still_reaches_review(
    sqlite_engine: Engine, data_dir: Path, remote: Remote, mode: str, error: str, transient: bool
) -> None:
    settings = provider_settings(data_dir, remote, CLAIMTRACK_PROVIDERS="library,mediawiki")
    with session_scope(sqlite_engine) as session:
        load_source_directory(session, ROOT / "seeds" / "sources")
    claim_id = add_claim(sqlite_engine)
    remote.mode = mode

    claim, elapsed = check(sqlite_engine, claim_id, settings)

    assert elapsed < DEADLINE + MARGIN
    assert claim.status == ClaimStatus.NEEDS_REVIEW
    report = claim.suggestion.providers
    assert report["library"]["status"] == "ok"
    failed = report["mediawiki"]
    assert failed["status"] == "failed"
    assert failed["transient"] is transient
    import re

    assert re.search(error, failed["error"]), failed["error"]
    # The library's evidence is still there.
    assert any(e.provider == "library" for e in claim.evidence)


@pytest.mark.parametrize("mode", ["429-once", "503-once"])
def test_a_transient_error_is_retried_within_the_deadline(
    sqlite_engine: Engine, data_dir: Path, remote: Remote, mode: str
) -> None:
    settings = provider_settings(data_dir, remote, CLAIMTRACK_PROVIDERS="factcheck_api")
    claim_id = add_claim(sqlite_engine)
    remote.mode = mode
    claim, elapsed = check(sqlite_engine, claim_id, settings)
    info = claim.suggestion.providers["factcheck_api"]
    assert info["status"] == "ok"
    assert info["requests"] == 2
    assert elapsed < DEADLINE + MARGIN
    assert [e.provider for e in claim.evidence] == ["factcheck_api"]


def test_a_wrong_api_key_is_a_permanent_failure(
    sqlite_engine: Engine, data_dir: Path, remote: Remote
) -> None:
    settings = provider_settings(
        data_dir,
        remote,
        CLAIMTRACK_PROVIDERS="factcheck_api",
        CLAIMTRACK_FACTCHECK_API_KEY="wrong",
    )
    claim, _ = check(sqlite_engine, add_claim(sqlite_engine), settings)
    info = claim.suggestion.providers["factcheck_api"]
    assert info["status"] == "failed" and info["transient"] is False
    assert "HTTP 403" in info["error"]
    assert "wrong" not in info["error"]
    assert claim.status == ClaimStatus.NEEDS_REVIEW


def test_requests_to_one_host_keep_to_its_rate_limit(
    sqlite_engine: Engine, data_dir: Path, remote: Remote
) -> None:
    # Both remote providers live on the same test host: at 2 requests a second, the second
    # request waits for its slot.
    settings = provider_settings(data_dir, remote, CLAIMTRACK_PROVIDER_RATE="2")
    claim, _ = check(sqlite_engine, add_claim(sqlite_engine), settings)
    assert claim.suggestion.providers["mediawiki"]["status"] == "ok"
    assert claim.suggestion.providers["factcheck_api"]["status"] == "ok"
    (first, _), (second, _) = remote.hits
    assert second - first >= 0.45


def test_remote_providers_run_concurrently(
    sqlite_engine: Engine, data_dir: Path, remote: Remote
) -> None:
    """Two providers that both time out cost one deadline, not two."""
    settings = provider_settings(data_dir, remote)
    remote.mode = "slow"
    claim, elapsed = check(sqlite_engine, add_claim(sqlite_engine), settings)
    report = claim.suggestion.providers
    assert report["mediawiki"]["status"] == report["factcheck_api"]["status"] == "failed"
    assert elapsed < 2 * DEADLINE


def test_an_unresolvable_wiki_is_recorded_without_slowing_later_checks(
    sqlite_engine: Engine, data_dir: Path, remote: Remote
) -> None:
    settings = provider_settings(
        data_dir,
        remote,
        CLAIMTRACK_PROVIDERS="mediawiki",
        CLAIMTRACK_MEDIAWIKI_URL="http://wiki.invalid/w/api.php",
    )
    for _ in range(2):
        claim, _ = check(sqlite_engine, add_claim(sqlite_engine, f"{time.time()} x"), settings)
        info = claim.suggestion.providers["mediawiki"]
        assert info["status"] == "failed" and info["transient"] is True
        assert "wiki.invalid" in info["error"]
        assert claim.status == ClaimStatus.NEEDS_REVIEW


def test_a_check_with_every_provider_is_idempotent_on_both_databases(
    engine: Engine, settings, data_dir: Path, remote: Remote
) -> None:  # type: ignore[no-untyped-def]
    config_settings = provider_settings(
        data_dir,
        remote,
        CLAIMTRACK_DATABASE_URL=settings.database_url,
        CLAIMTRACK_SECRET_KEY="test-secret-not-for-production",
    )
    with session_scope(engine) as session:
        load_source_directory(session, ROOT / "seeds" / "sources")
        import_fact_checks(session, parse_feed(SEED_FEED.read_bytes(), SEED_FEED.name))
    claim_id = add_claim(engine)

    def rows() -> list[tuple[str, str, float]]:
        with session_scope(engine) as session:
            return sorted(
                session.execute(
                    select(Evidence.provider, Evidence.source_key, Evidence.score).where(
                        Evidence.claim_id == claim_id
                    )
                ).all()
            )

    check(engine, claim_id, config_settings)
    first = rows()
    assert {p for p, _, _ in first} == {"library", "factchecks", "mediawiki", "factcheck_api"}
    with session_scope(engine) as session:
        session.get(Claim, claim_id).status = ClaimStatus.CHECKING
    check(engine, claim_id, config_settings)
    assert rows() == first
