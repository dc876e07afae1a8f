"""Web pages attached to a claim: fetched safely by a worker, archived with their SHA-256, fetch
time and final URL, and shown as evidence."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from claims.config import Settings
from claims.db import get_engine, session_scope
from claims.errors import FetchError, InvalidInputError
from claims.evidence import web
from claims.fetch import fetch_page
from claims.models import (
    ArchivedPage,
    Claim,
    ClaimStatus,
    Evidence,
    EvidenceRequest,
    OutboxMessage,
    RequestStatus,
)
from tests.conftest import CliRunner, base_env, wait_until
from tests.integration.evidence.conftest import ARTICLE, Remote, add_claim


def _settings(data_dir: Path, *, allow_private: bool = True) -> Settings:
    extra = {"CLAIMTRACK_ALLOW_PRIVATE_URLS": "1"} if allow_private else {}
    return Settings.from_env(base_env(data_dir, CLAIMTRACK_HTTP_DEADLINE="3", **extra))


def _attach(engine: Engine, claim_id: int, url: str, settings: Settings) -> int:
    with session_scope(engine) as session:
        request_id = web.request_web_evidence(session, claim_id, url, actor="test").id
    page = fetch_page(url, settings)
    with session_scope(engine) as session:
        web.attach_web_evidence(session, request_id, page, max_bytes=settings.http_max_bytes)
    return request_id


def test_a_page_is_archived_and_attached_after_its_redirect(
    sqlite_engine: Engine, data_dir: Path, remote: Remote
) -> None:
    claim_id = add_claim(sqlite_engine, status=ClaimStatus.NEEDS_REVIEW)
    url = f"{remote.base}/moved"
    request_id = _attach(sqlite_engine, claim_id, url, _settings(data_dir))
    # Running the task again (a redelivery) changes nothing.
    with session_scope(sqlite_engine) as session:
        session.get(EvidenceRequest, request_id).status = RequestStatus.PENDING
    _attach(sqlite_engine, claim_id, url, _settings(data_dir))

    with session_scope(sqlite_engine) as session:
        (archive,) = session.scalars(select(ArchivedPage)).all()
        (evidence,) = session.scalars(select(Evidence).where(Evidence.claim_id == claim_id)).all()
        request = session.get(EvidenceRequest, request_id)
        messages = session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.task == web.FETCH_EVIDENCE_TASK
            )
        )
        assert archive.final_url == f"{remote.base}/page.html"
        assert archive.sha256 == hashlib.sha256(ARTICLE.encode()).hexdigest()
        assert archive.fetched_at.tzinfo is not None
        assert "98,000 Russians" in archive.text and "Home | News" not in archive.text
        assert evidence.provider == "web" and evidence.archive_id == archive.id
        assert evidence.source_title == "Border figures"
        assert evidence.number_match["match"]
        assert "98,000" in evidence.snippet
        assert request.status == RequestStatus.DONE
        assert messages == 2


def test_a_recheck_keeps_the_attached_page(
    sqlite_engine: Engine, data_dir: Path, remote: Remote
) -> None:
    from claims import checking

    claim_id = add_claim(sqlite_engine, status=ClaimStatus.CHECKING)
    with session_scope(sqlite_engine) as session:
        checking.check_claim(session, claim_id)
    _attach(sqlite_engine, claim_id, f"{remote.base}/page.html", _settings(data_dir))
    with session_scope(sqlite_engine) as session:
        claim = session.get(Claim, claim_id)
        assert claim.suggestion.providers["web"]["found"] == 1
        assert claim.suggestion.verdict.value == "supported"
        claim.status = ClaimStatus.CHECKING
    with session_scope(sqlite_engine) as session:
        checking.check_claim(session, claim_id)
    with session_scope(sqlite_engine) as session:
        providers = session.scalars(
            select(Evidence.provider).where(Evidence.claim_id == claim_id)
        ).all()
    assert providers == ["web"]


def test_private_addresses_are_refused_unless_the_operator_allows_them(
    remote: Remote, data_dir: Path
) -> None:
    with pytest.raises(FetchError, match="private, loopback or reserved"):
        fetch_page(f"{remote.base}/page.html", _settings(data_dir, allow_private=False))


@pytest.mark.parametrize("url", ["ftp://example.org/x", "not a url", "https://"])
def test_only_web_addresses_can_be_attached(sqlite_engine: Engine, url: str) -> None:
    claim_id = add_claim(sqlite_engine, status=ClaimStatus.NEEDS_REVIEW)
    with session_scope(sqlite_engine) as session, pytest.raises(InvalidInputError):
        web.request_web_evidence(session, claim_id, url)


def test_a_worker_process_fetches_archives_and_attaches_the_page(
    cli: CliRunner, data_dir: Path, remote: Remote, start_worker
) -> None:
    env = base_env(data_dir, CLAIMTRACK_ALLOW_PRIVATE_URLS="1", CLAIMTRACK_HTTP_DEADLINE="3")
    assert cli("db", "upgrade", env=env).returncode == 0
    engine = get_engine(f"sqlite:///{data_dir / 'claimtrack.db'}")
    claim_id = add_claim(engine, status=ClaimStatus.NEEDS_REVIEW)
    good = cli("evidence", "add", str(claim_id), f"{remote.base}/moved", env=env)
    assert good.returncode == 0, good.stderr
    assert f"queued for claim {claim_id}" in good.stdout
    gone = cli("evidence", "add", str(claim_id), f"{remote.base}/missing", env=env)
    assert gone.returncode == 0, gone.stderr
    assert cli("evidence", "add", "999999", f"{remote.base}/moved", env=env).returncode == 66
    start_worker(env, "--concurrency=1")

    def requests() -> dict[str, tuple[RequestStatus, str | None]]:
        with session_scope(engine) as session:
            return {r.url: (r.status, r.error) for r in session.scalars(select(EvidenceRequest))}

    wait_until(
        lambda: all(s != RequestStatus.PENDING for s, _ in requests().values()),
        60,
        f"the worker did not fetch the pages: {requests()}",
    )
    done = requests()
    assert done[f"{remote.base}/moved"] == (RequestStatus.DONE, None)
    status, error = done[f"{remote.base}/missing"]
    assert status == RequestStatus.FAILED and "HTTP 404" in (error or "")
    with session_scope(engine) as session:
        (evidence,) = session.scalars(select(Evidence).where(Evidence.claim_id == claim_id))
        assert evidence.archive is not None
        assert evidence.archive.final_url == f"{remote.base}/page.html"
