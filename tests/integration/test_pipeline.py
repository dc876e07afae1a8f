"""The whole path on real parts: ingest the seed article, a real Celery worker checks its claims,
evidence is attached, and the report exports it. Once on SQLite with the embedded queue, once on
PostgreSQL with Redis."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from claims.db import get_engine, session_scope
from claims.models import Claim, ClaimStatus, Evidence, StatusChange, Suggestion
from tests.conftest import SEED_ARTICLE, TEST_SECRET, CliRunner, base_env, wait_until


def _statuses(database_url: str) -> dict[str, int]:
    from claims.workflow import count_by_status

    with session_scope(get_engine(database_url)) as session:
        return {k: v for k, v in count_by_status(session).items() if v}


def _assert_seed_checked(database_url: str) -> None:
    with session_scope(get_engine(database_url)) as session:
        claims = session.scalars(select(Claim)).all()
        assert len(claims) >= 5
        assert {c.status for c in claims} == {ClaimStatus.NEEDS_REVIEW}
        with_evidence = [c for c in claims if c.evidence]
        # Every claim of the seed article has a covering passage in seeds/sources.
        assert len(with_evidence) >= len(claims) - 1
        figure = next(c for c in claims if "98 000" in c.text)
        assert any(e.number_match and e.number_match["match"] for e in figure.evidence)
        assert figure.suggestion is not None
        assert figure.suggestion.verdict.value == "supported"
        assert "98" in figure.suggestion.rationale
        for claim in claims:  # what sources say of a quote is told once, after the truth
            rationale = claim.suggestion.rationale if claim.suggestion else ""
            assert rationale.count("Attribution ") <= 1, rationale
        # queued -> checking -> needs_review, each recorded with who and when.
        history = [(h.from_status, h.to_status, h.actor) for h in figure.history]
        assert history == [
            (None, ClaimStatus.QUEUED, "cli"),
            (ClaimStatus.QUEUED, ClaimStatus.CHECKING, "worker"),
            (ClaimStatus.CHECKING, ClaimStatus.NEEDS_REVIEW, "worker"),
        ]


def _prepare(cli: CliRunner, env: dict[str, str]) -> None:
    loaded = cli("sources", "load", env=env)
    assert loaded.returncode == 0, loaded.stderr
    assert "12 sources added" in loaded.stdout


def test_seed_article_end_to_end_on_sqlite_and_embedded_queue(
    cli: CliRunner, sqlite_env: dict[str, str], data_dir: Path
) -> None:
    _prepare(cli, sqlite_env)
    result = cli("ingest", str(SEED_ARTICLE), "--wait", "--timeout", "120")
    assert result.returncode == 0, result.stderr
    assert "needs_review=" in result.stdout
    database_url = f"sqlite:///{data_dir / 'claimtrack.db'}"
    _assert_seed_checked(database_url)

    exported = cli("export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    rows = json.loads(exported.stdout)
    assert len(rows) == sum(_statuses(database_url).values())
    assert all(r["status"] == "needs_review" for r in rows)
    assert any(r["evidence"] and r["evidence"][0]["url"] for r in rows)

    out = data_dir / "report.csv"
    exported = cli("export", "--format", "csv", "--status", "needs_review", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(table) == len(rows)
    assert {r["suggested_verdict"] for r in table} <= {
        "supported",
        "contradicted",
        "mixed",
        "not_enough_evidence",
    }


def test_a_worker_process_on_the_embedded_queue_checks_what_ingest_queued(
    cli: CliRunner, sqlite_env: dict[str, str], data_dir: Path, start_worker
) -> None:
    """`claimtrack worker` consumes the SQLite-backed queue that `ingest` wrote to."""
    _prepare(cli, sqlite_env)
    result = cli("ingest", str(SEED_ARTICLE))
    assert result.returncode == 0, result.stderr
    database_url = f"sqlite:///{data_dir / 'claimtrack.db'}"
    queued = _statuses(database_url)
    assert set(queued) == {"queued"}
    start_worker(sqlite_env, "--concurrency=2")
    wait_until(
        lambda: _statuses(database_url) == {"needs_review": queued["queued"]},
        90,
        f"the worker did not check the queued claims: {_statuses(database_url)}",
    )


@pytest.mark.postgres
@pytest.mark.redis
def test_seed_article_end_to_end_on_postgres_and_redis_with_a_worker_process(
    cli: CliRunner, postgres_url: str, redis_url: str, data_dir: Path, start_worker
) -> None:
    env = base_env(
        data_dir,
        CLAIMTRACK_DATABASE_URL=postgres_url,
        CLAIMTRACK_BROKER_URL=redis_url,
        CLAIMTRACK_SECRET_KEY=TEST_SECRET,
    )
    upgraded = cli("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    _prepare(cli, env)
    start_worker(env, "--concurrency=2")
    result = cli("ingest", str(SEED_ARTICLE), "--wait", "--timeout", "120", env=env)
    assert result.returncode == 0, result.stderr
    _assert_seed_checked(postgres_url)


@pytest.mark.redis
def test_a_check_survives_a_broker_that_is_down_at_ingest_time(
    cli: CliRunner, data_dir: Path, start_worker, tmp_path: Path
) -> None:
    """The outbox keeps the checks while Redis is down; they run once it is back."""
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    broker = f"redis://127.0.0.1:{port}/0"
    env = base_env(data_dir, CLAIMTRACK_BROKER_URL=broker, CLAIMTRACK_SECRET_KEY=TEST_SECRET)
    database_url = f"sqlite:///{data_dir / 'claimtrack.db'}"
    assert cli("db", "upgrade", env=env).returncode == 0
    _prepare(cli, env)

    result = cli("ingest", str(SEED_ARTICLE), env=env)
    assert result.returncode == 0, result.stderr
    with session_scope(get_engine(database_url)) as session:
        claims = session.scalar(select(func.count(Claim.id)))
        from claims.models import OutboxMessage

        pending = session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
        )
    assert claims and pending == claims

    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        import redis

        def broker_up() -> bool:
            try:
                return bool(redis.Redis(port=port, socket_timeout=1).ping())
            except redis.RedisError:
                return False

        wait_until(broker_up, 20, "the second Redis server did not start")
        worker = start_worker(env, "--concurrency=1")
        try:
            wait_until(
                lambda: _statuses(database_url) == {"needs_review": claims},
                90,
                "checks did not run once the broker came back",
            )
        except BaseException:
            worker.terminate()
            print(_statuses(database_url), worker.communicate(timeout=20)[0][-3000:])
            raise
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_check_run_twice_leaves_the_same_rows(engine, settings) -> None:
    """Idempotence on both databases: a redelivered task changes nothing."""
    from claims import checking
    from claims.library import load_source_directory
    from claims.workflow import ingest_document

    with session_scope(engine) as session:
        load_source_directory(session, settings.seeds_dir / "sources")
        document = ingest_document(
            session, SEED_ARTICLE.read_text(encoding="utf-8"), SEED_ARTICLE.name
        ).document
        claim_id = document.claims[0].id

    def snapshot() -> tuple:
        with session_scope(engine) as session:
            evidence = session.execute(
                select(Evidence.passage_id, Evidence.stance, Evidence.score)
                .where(Evidence.claim_id == claim_id)
                .order_by(Evidence.passage_id)
            ).all()
            suggestions = session.scalar(
                select(func.count(Suggestion.id)).where(Suggestion.claim_id == claim_id)
            )
            changes = session.scalar(
                select(func.count(StatusChange.id)).where(StatusChange.claim_id == claim_id)
            )
            return tuple(evidence), suggestions, changes

    for _ in range(2):
        with session_scope(engine) as session:
            if checking.start_check(session, claim_id):
                pass
        with session_scope(engine) as session:
            checking.check_claim(session, claim_id)
    first = snapshot()
    # A redelivery after the claim was finished: nothing to do, nothing changes.
    with session_scope(engine) as session:
        assert checking.start_check(session, claim_id) is False
    with session_scope(engine) as session:
        checking.check_claim(session, claim_id)
    assert snapshot() == first
    assert first[0] and first[1] == 1

    # A check interrupted after "checking" was committed runs again to the same result.
    with session_scope(engine) as session:
        claim = session.get(Claim, claim_id)
        claim.status = ClaimStatus.CHECKING
    with session_scope(engine) as session:
        assert checking.start_check(session, claim_id) is True
        checking.check_claim(session, claim_id)
    evidence, suggestions, _ = snapshot()
    assert evidence == first[0] and suggestions == 1
