"""The `claimtrack` command: segment, ingest, serve, worker, export, users, database, evaluation.

Heavy imports (Celery, Flask, the segmenter's models) are made inside the commands that use them,
so that `claimtrack segment` starts quickly.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from claims.config import ConfigError, Settings
from claims.errors import (
    ClaimtrackError,
    ConflictError,
    FetchError,
    InvalidInputError,
    NotFoundError,
)

# Exit codes from sysexits.h, so scripts can tell bad input from a missing file or a dead host.
EXIT_DATAERR = 65
EXIT_NOINPUT = 66
EXIT_UNAVAILABLE = 69
EXIT_TEMPFAIL = 75
EXIT_CONFIG = 78
EXIT_CODES: dict[type[ClaimtrackError], int] = {
    InvalidInputError: EXIT_DATAERR,
    NotFoundError: EXIT_NOINPUT,
    FetchError: EXIT_UNAVAILABLE,
    ConflictError: 1,
}


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error and exit with `code`."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn domain and configuration errors into a one-line message and a fitting exit code."""
    try:
        yield
    except ClaimtrackError as exc:
        fail(str(exc), next((c for t, c in EXIT_CODES.items() if isinstance(exc, t)), 1))
    except ConfigError as exc:
        fail(str(exc), EXIT_CONFIG)


def load_settings() -> Settings:
    with reported_errors():
        return Settings.from_env().prepared()


def open_database(settings: Settings, *, migrate: bool | None = None) -> Any:
    """Return the engine, upgrading the schema on the embedded default (or when asked)."""
    from claims.db import current_revision, get_engine, upgrade_database

    engine = get_engine(settings.database_url)
    if migrate if migrate is not None else not settings.production:
        upgrade_database(engine)
    elif current_revision(engine) is None:
        fail("the database has no schema yet; run `claimtrack db upgrade` first", EXIT_CONFIG)
    return engine


def read_input(source: str, settings: Settings) -> Any:
    """Read a document from a file path, an http(s) URL or '-' (stdin)."""
    from claims.documents import DocumentInput, decode_text, document_from_page

    limit = settings.max_document_bytes
    if source == "-":
        data = sys.stdin.buffer.read(limit + 1)
        return DocumentInput(decode_text(data, "standard input", max_bytes=limit), "stdin")
    if source.startswith(("http://", "https://")):
        from claims.fetch import fetch_url

        page = fetch_url(
            source,
            timeout=settings.http_timeout,
            deadline=settings.http_deadline,
            max_bytes=settings.http_max_bytes,
            allow_private=settings.allow_private_urls,
        )
        return document_from_page(page, max_bytes=limit)
    path = Path(source)
    if not path.exists():
        raise NotFoundError(f"no such file: {source}")
    if not path.is_file():
        raise InvalidInputError(f"{source} is not a file")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    return DocumentInput(decode_text(data, source, max_bytes=limit), path.name)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimtrack")
def main() -> None:
    """claimtrack: find the check-worthy claims in news text, check them, review verdicts."""


@main.command()
@click.argument("source")
@click.option("--lang", "language", metavar="CODE", help="Language code; detected if omitted.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json"]),
    default="jsonl",
    show_default=True,
    help="JSON Lines (one claim per line) or one JSON object for the document.",
)
def segment(source: str, language: str | None, fmt: str) -> None:
    """Print the check-worthy claims of one document (FILE, URL or - for stdin)."""
    from claims.text import segment_document

    with reported_errors():
        document = read_input(source, Settings.from_env())
        result = segment_document(document.text, language=language)
    out = click.get_text_stream("stdout")
    if fmt == "json":
        payload = result.to_dict()
        if document.title and not payload.get("title"):
            payload["title"] = document.title
        out.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    for claim in result.claims:
        out.write(json.dumps(claim.to_dict(), ensure_ascii=False) + "\n")


@main.command()
@click.argument("source")
@click.option("--lang", "language", metavar="CODE", help="Language code; detected if omitted.")
@click.option("--title", help="Document title; taken from the text if omitted.")
@click.option("--wait", is_flag=True, help="Wait until every claim is checked, with progress.")
@click.option("--timeout", default=600.0, show_default=True, help="Seconds --wait waits at most.")
def ingest(
    source: str, language: str | None, title: str | None, wait: bool, timeout: float
) -> None:
    """Store a document (FILE, URL or -), its claims, and queue one check per claim."""
    from claims.db import session_scope

    settings = load_settings()
    with reported_errors():
        document = read_input(source, settings)
        engine = open_database(settings)
        from claims.workflow import ingest_document

        with session_scope(engine) as session:
            result = ingest_document(
                session,
                document.text,
                document.origin,
                language=language,
                title=title or document.title,
                actor="cli",
            )
            document_id, claim_count = result.document.id, len(result.document.claims)
    if result.created:
        click.echo(f"document {document_id}: {claim_count} claims queued for checking")
    else:
        click.echo(f"document {document_id} was already ingested ({claim_count} claims)")
    app = _celery(settings)
    from worker.outbox import relay_outbox

    relay_outbox(engine, app)
    if not wait:
        if settings.embedded_queue and result.created:
            click.echo("checks run when `claimtrack serve` or `claimtrack worker` runs (or --wait)")
        return
    if settings.embedded_queue:
        from worker.embedded import EmbeddedWorker

        with EmbeddedWorker(app):
            counts = _wait_for_checks(engine, document_id, timeout)
    else:
        counts = _wait_for_checks(engine, document_id, timeout)
    click.echo(" ".join(f"{status}={n}" for status, n in counts.items() if n))
    if counts.get("queued") or counts.get("checking"):
        fail(f"checks still running after {timeout:g} s", EXIT_TEMPFAIL)


def _wait_for_checks(engine: Any, document_id: int, timeout: float) -> dict[str, int]:
    from claims.db import session_scope
    from claims.workflow import count_by_status

    def counts() -> dict[str, int]:
        with session_scope(engine) as session:
            return count_by_status(session, document_id)

    current = counts()
    total = sum(current.values())
    deadline = time.monotonic() + timeout
    with click.progressbar(length=total, label="checking claims", file=sys.stderr) as bar:
        done = 0
        while True:
            pending = current["queued"] + current["checking"]
            bar.update(total - pending - done)
            done = total - pending
            if not pending or time.monotonic() > deadline:
                return current
            time.sleep(0.3)
            current = counts()


def _celery(settings: Settings) -> Any:
    from worker.app import create_celery

    return create_celery(settings)


@main.command()
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
    from web.app import create_app

    flask_app = create_app(settings)
    celery_app = _celery(settings)
    from worker.outbox import relay_outbox

    flask_app.extensions["claimtrack_after_commit"] = lambda: relay_outbox(engine, celery_app)
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
                session, path.read_text(encoding="utf-8"), path.name, actor="system"
            )
            new_documents += result.created
    click.echo(
        f"seeds: {added} sources added ({present} already there), "
        f"{new_documents} new seed documents"
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


@main.command("worker")
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


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option("--document", "document_id", type=int, help="Only this document's claims.")
@click.option("--status", help="Only claims with this status.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
def export(fmt: str, document_id: int | None, status: str | None, output: Path | None) -> None:
    """Write the verdict report (CSV or JSON) to a file or stdout."""
    from claims.db import session_scope
    from claims.reports import export_report
    from claims.workflow import get_document

    settings = load_settings()
    with reported_errors():
        engine = open_database(settings)
        with session_scope(engine) as session:
            if document_id is not None:
                get_document(session, document_id)
            if output is None:
                count = export_report(
                    session,
                    click.get_text_stream("stdout"),
                    fmt=fmt,
                    document_id=document_id,
                    status=status,
                )
            else:
                count = _export_to_file(session, output, fmt, document_id, status)
    click.echo(f"exported {count} claims", err=True)


def _export_to_file(
    session: Any, output: Path, fmt: str, document_id: int | None, status: str | None
) -> int:
    from claims.reports import export_report

    # Write beside the target and rename, so a failed export never leaves half a file.
    partial = output.with_name(output.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle, _spinner() as tick:
        count = export_report(
            session, handle, fmt=fmt, document_id=document_id, status=status, progress=tick
        )
    partial.replace(output)
    return count


@contextmanager
def _spinner() -> Iterator[Any]:
    with click.progressbar(length=0, label="exporting", file=sys.stderr) as bar:
        yield lambda: bar.update(1)


@main.group()
def user() -> None:
    """Manage user accounts."""


@user.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["viewer", "reviewer", "editor", "admin"]),
    default="reviewer",
    show_default=True,
)
def user_add(name: str, role: str) -> None:
    """Create an account; the password is read from stdin or prompted for."""
    from claims.accounts import create_user
    from claims.db import session_scope

    settings = load_settings()
    password = _read_password()
    with reported_errors():
        engine = open_database(settings)
        with session_scope(engine) as session:
            create_user(session, name, password, role)
    click.echo(f"user {name} created with role {role}")


def _read_password() -> str:
    stdin: IO[str] = click.get_text_stream("stdin")
    if stdin.isatty():
        return str(click.prompt("password", hide_input=True, confirmation_prompt=True))
    line = stdin.readline().rstrip("\n")
    if not line:
        fail("no password on standard input", EXIT_DATAERR)
    return line


@main.group()
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


@main.group()
def sources() -> None:
    """Manage the local source library."""


@sources.command("load")
@click.argument(
    "directory", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False
)
def sources_load(directory: Path | None) -> None:
    """Add the reference documents of DIRECTORY (default: seeds/sources) to the library."""
    from claims.db import session_scope
    from claims.library import load_source_directory

    settings = load_settings()
    with reported_errors():
        engine = open_database(settings)
        with session_scope(engine) as session:
            added, present = load_source_directory(
                session, directory or settings.seeds_dir / "sources"
            )
    click.echo(f"{added} sources added, {present} already in the library")


@main.group("eval")
def evaluate() -> None:
    """Measure a step of the pipeline on a labelled JSON Lines file."""


@evaluate.command("checkworthiness")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--mode",
    type=click.Choice(["fast", "accurate"]),
    default="accurate",
    show_default=True,
    help="The scorer to measure.",
)
@click.option("--by-language", is_flag=True, help="Also report each language on its own.")
def eval_checkworthiness(path: Path, mode: str, by_language: bool) -> None:
    """Precision, recall and F1 of the check-worthy class, with the confusion matrix."""
    from claims.evaluation import evaluate_checkworthiness, format_report, load_labelled
    from claims.text.checkworthiness_model import load_model

    if not path.is_file():
        fail(f"no such file: {path}", EXIT_NOINPUT)
    try:
        examples = load_labelled(path)
    except (ValueError, UnicodeDecodeError) as exc:
        fail(f"{path}: {exc}", EXIT_DATAERR)
    if not examples:
        fail(f"{path} has no examples", EXIT_DATAERR)
    model = load_model(mode)
    report = evaluate_checkworthiness(
        examples, model.score, threshold=model.threshold, by_language=by_language
    )
    click.echo(f"{path.name} ({mode} mode, threshold {model.threshold:g})")
    click.echo(format_report(report))


if __name__ == "__main__":
    main()
