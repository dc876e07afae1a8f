"""Commands that run the service: the web server, a worker, and the schema upgrade."""

from __future__ import annotations

from typing import Any

import click

from claims.config import Settings
from web.cli.shared import _celery, load_settings, open_database, reported_errors


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--seeds/--no-seeds", default=None, help="Load seeds/ (default: on when embedded).")
@click.option("--threads", default=8, show_default=True, help="Web server threads.")
def serve(host: str, port: int, seeds: bool | None, threads: int) -> None:
    """Run the web UI; on the embedded default also a worker and the seeds."""
    settings = load_settings()
    with reported_errors():
        engine = open_database(settings)
        if seeds if seeds is not None else not settings.production:
            _load_seeds(settings, engine)
        login_hint = _ensure_first_admin(settings, engine)
    from web.app import create_app, relay_checks_after_commit

    flask_app = create_app(settings)
    celery_app = _celery(settings)
    relay_checks_after_commit(flask_app, celery_app)
    embedded = None
    if settings.embedded_queue:
        from worker.embedded import EmbeddedWorker

        embedded = EmbeddedWorker(celery_app).start()
    import waitress

    click.echo(f"claimtrack is running at http://{host}:{port}/")
    click.echo(login_hint)
    click.echo(f"data directory: {settings.data_dir}")
    try:
        waitress.serve(flask_app, host=host, port=port, threads=threads, _quiet=True)
    finally:
        if embedded is not None:
            embedded.stop()


def _load_seeds(settings: Settings, engine: Any) -> None:
    from claims.db import session_scope
    from claims.library import load_source_directory
    from claims.workflow import ingest_document

    sources = settings.seeds_dir / "sources"
    articles = settings.seeds_dir / "articles"
    with session_scope(engine) as session:
        added = present = 0
        if sources.is_dir():
            added, present = load_source_directory(session, sources)
        new_documents = 0
        for path in sorted(articles.glob("*.txt")) if articles.is_dir() else []:
            result = ingest_document(
                session,
                path.read_text(encoding="utf-8"),
                path.name,
                actor="system",
                mode=settings.segment_mode,
            )
            new_documents += result.created
        from claims.evidence.factchecks import load_feed_file

        factchecks = settings.seeds_dir / "factchecks"
        imported = 0
        for path in sorted(factchecks.glob("*.json")) if factchecks.is_dir() else []:
            imported += load_feed_file(session, path).added
    click.echo(
        f"seeds: {added} sources added ({present} already there), "
        f"{new_documents} new seed documents, {imported} new fact-checks"
    )


def _ensure_first_admin(settings: Settings, engine: Any) -> str:
    """Create an admin with a random password on first start; return how to log in."""
    import os
    import secrets

    from claims.accounts import count_users, create_user
    from claims.db import session_scope

    password_file = settings.data_dir / "initial-admin-password"
    with session_scope(engine) as session:
        if count_users(session) == 0:
            password = secrets.token_urlsafe(12)
            create_user(session, "admin", password, "admin")
            fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(password + "\n")
            return f"log in as 'admin' with password {password} (kept in {password_file})"
    if password_file.exists():
        return f"log in as 'admin' with the password in {password_file}"
    return "log in with an account made by `claimtrack user add NAME --role ROLE`"


@click.command("worker")
@click.option("--concurrency", "-c", default=2, show_default=True, help="Worker processes.")
@click.option("--queues", "-Q", default="checks,fetch", show_default=True)
@click.option("--loglevel", default="INFO", show_default=True)
@click.option("--pool", default="prefork", show_default=True)
def run_worker(concurrency: int, queues: str, loglevel: str, pool: str) -> None:
    """Run a Celery worker (with the outbox relay) for the configured broker."""
    settings = load_settings()
    with reported_errors():
        engine = open_database(settings)
    app = _celery(settings)
    from worker.outbox import OutboxRelay

    relay = OutboxRelay(engine, app, stale_after=settings.stale_check_seconds)
    relay.start()
    try:
        app.worker_main(
            [
                "worker",
                f"--loglevel={loglevel}",
                f"--concurrency={concurrency}",
                f"--queues={queues}",
                f"--pool={pool}",
                "--without-gossip",
                "--without-mingle",
            ]
        )
    finally:
        relay.stop()


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the schema migrations."""
    from claims.db import current_revision

    settings = load_settings()
    with reported_errors():
        engine = open_database(settings, migrate=True)
    click.echo(f"database at revision {current_revision(engine)}")
