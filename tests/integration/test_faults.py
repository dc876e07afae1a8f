"""Faults a production deployment meets: a worker killed in the middle of its work."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from claims.db import get_engine, session_scope
from claims.library import load_source_directory
from claims.models import Claim, ClaimStatus, Evidence
from claims.workflow import count_by_status, ingest_document
from tests.conftest import ROOT, SEED_ARTICLE, TEST_SECRET, base_env, wait_until


@pytest.mark.redis
def test_no_claim_is_lost_when_a_worker_is_killed_mid_run(
    data_dir: Path, redis_url: str, start_worker
) -> None:
    env = base_env(
        data_dir,
        CLAIMTRACK_BROKER_URL=redis_url,
        CLAIMTRACK_SECRET_KEY=TEST_SECRET,
        CLAIMTRACK_STALE_CHECK_SECONDS="3",
    )
    database_url = f"sqlite:///{data_dir / 'claimtrack.db'}"
    engine = get_engine(database_url)
    from claims.db import upgrade_database

    upgrade_database(engine)
    article = SEED_ARTICLE.read_text(encoding="utf-8")
    with session_scope(engine) as session:
        load_source_directory(session, ROOT / "seeds" / "sources")
        for copy in range(25):
            ingest_document(session, f"{article}\n\nÉdition {copy + 1}.", f"copy-{copy}.txt")
    with session_scope(engine) as session:
        total = session.scalar(select(func.count(Claim.id)))

    def done() -> int:
        with session_scope(engine) as session:
            return count_by_status(session)["needs_review"]

    first = start_worker(env, "--concurrency=1")
    wait_until(lambda: done() >= 10, 60, "the first worker checked nothing")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert done() < total, "the worker finished before it could be killed; raise the load"

    second = start_worker(env, "--concurrency=2")

    def statuses() -> dict[str, int]:
        with session_scope(engine) as session:
            return {k: v for k, v in count_by_status(session).items() if v}

    try:
        wait_until(lambda: done() == total, 60, "claims were lost with the killed worker")
    except BaseException:
        second.terminate()
        print(statuses(), second.communicate(timeout=20)[0][-3000:])
        raise
    with session_scope(engine) as session:
        statuses = count_by_status(session)
        assert statuses["needs_review"] == total
        assert statuses[ClaimStatus.CHECKING.value] == 0
        # A check run twice (by the dead worker and its replacement) leaves one row per source.
        duplicates = session.execute(
            select(Evidence.claim_id, Evidence.passage_id)
            .group_by(Evidence.claim_id, Evidence.passage_id)
            .having(func.count() > 1)
        ).all()
        assert duplicates == []
