"""A real worker process reuses the check of a claim seen again instead of asking the remote
provider a second time; a reviewer's requeue asks it afresh."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from claims.db import get_engine, session_scope
from claims.models import Claim, ClaimStatus, Suggestion
from claims.workflow import requeue_claim
from tests.conftest import SEED_ARTICLE, CliRunner, base_env, wait_until
from tests.integration.evidence.conftest import Remote


def _statuses(database_url: str, document_id: int) -> set[ClaimStatus]:
    with session_scope(get_engine(database_url)) as session:
        return set(
            session.scalars(select(Claim.status).where(Claim.document_id == document_id)).all()
        )


def _document_ids(database_url: str) -> list[int]:
    with session_scope(get_engine(database_url)) as session:
        return sorted(set(session.scalars(select(Claim.document_id)).all()))


def test_the_same_article_ingested_again_is_not_checked_from_zero(
    cli: CliRunner, data_dir: Path, remote: Remote, start_worker, tmp_path: Path
) -> None:
    env = base_env(
        data_dir,
        CLAIMTRACK_PROVIDERS="mediawiki",
        CLAIMTRACK_MEDIAWIKI_URL=remote.wiki_url,
        CLAIMTRACK_PROVIDER_TIMEOUT="2",
        CLAIMTRACK_PROVIDER_DEADLINE="5",
        CLAIMTRACK_PROVIDER_RATE="0",
        # No answer cache: a second request would reach the server and be counted.
        CLAIMTRACK_PROVIDER_CACHE_TTL="0",
    )
    database_url = f"sqlite:///{data_dir / 'claimtrack.db'}"
    assert cli("ingest", str(SEED_ARTICLE), env=env).returncode == 0
    start_worker(env, "--concurrency=2")
    (first,) = _document_ids(database_url)
    wait_until(
        lambda: _statuses(database_url, first) == {ClaimStatus.NEEDS_REVIEW},
        90,
        "the worker did not check the first article",
    )
    asked = remote.counts.get("/w/api.php", 0)
    assert asked >= 5  # one search per claim at least

    republished = tmp_path / "republished.txt"
    seed = SEED_ARTICLE.read_text(encoding="utf-8")
    republished.write_text(
        "Exode russe vers le Kazakhstan\n\n" + seed.replace("’", "'").replace("98 000", "98,000"),
        encoding="utf-8",
    )
    assert cli("ingest", str(republished), env=env).returncode == 0
    second = _document_ids(database_url)[-1]
    wait_until(
        lambda: _statuses(database_url, second) == {ClaimStatus.NEEDS_REVIEW},
        90,
        "the worker did not check the republished article",
    )
    assert remote.counts.get("/w/api.php", 0) == asked  # no second provider call
    with session_scope(get_engine(database_url)) as session:
        claims = session.scalars(select(Claim).where(Claim.document_id == second)).all()
        originals = {
            c.start: c.id
            for c in session.scalars(select(Claim).where(Claim.document_id == first)).all()
        }
        suggestions = {s.claim_id: s for s in session.scalars(select(Suggestion)).all()}
        for claim in claims:
            reused = suggestions[claim.id].reused_from_claim_id
            assert reused in originals.values(), claim.text
            assert claim.recurrence == 2
        lead = next(c for c in claims if "98,000" in c.text)
        assert "98" in suggestions[lead.id].rationale

    # "Check again" on the repeat asks the provider afresh.
    with session_scope(get_engine(database_url)) as session:
        requeue_claim(session, session.get(Claim, lead.id), actor="test")
    wait_until(
        lambda: (
            remote.counts.get("/w/api.php", 0) > asked
            and _statuses(database_url, second) == {ClaimStatus.NEEDS_REVIEW}
        ),
        90,
        "a requeued claim was not checked afresh",
    )
    with session_scope(get_engine(database_url)) as session:
        fresh = session.scalar(select(Suggestion).where(Suggestion.claim_id == lead.id))
        assert fresh is not None and fresh.reused_from_claim_id is None
