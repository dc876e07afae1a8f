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
@click.option(
    "--mode",
    type=click.Choice(["fast", "accurate", "rules"]),
    default="fast",
    show_default=True,
    help="Scorer blended with the rules: fast n-grams, accurate embeddings (slower), or none.",
)
def segment(source: str, language: str | None, fmt: str, mode: str) -> None:
    """Print the check-worthy claims of one document (FILE, URL or - for stdin)."""
    from claims.text import segment_document

    with reported_errors():
        document = read_input(source, Settings.from_env())
        result = segment_document(document.text, language=language, mode=mode)
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
                session, path.read_text(encoding="utf-8"), path.name, actor="system"
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
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "jsonl", "claimreview", "html", "pdf"]),
    default="csv",
    show_default=True,
    help="claimreview: schema.org ClaimReview JSON-LD of the verdicts; html/pdf: readable report.",
)
@click.option("--document", "document_id", type=int, help="Only this document's claims.")
@click.option("--status", help="Only claims with this status.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
def export(fmt: str, document_id: int | None, status: str | None, output: Path | None) -> None:
    """Write the verdict report to a file or stdout."""
    from claims.db import session_scope
    from claims.reports import BINARY_FORMATS, Publisher, export_report
    from claims.reports.rows import parse_status
    from claims.workflow import get_document

    settings = load_settings()
    publisher = Publisher(settings.org_name, settings.org_url, settings.public_url)
    with reported_errors():
        parse_status(status)
        engine = open_database(settings)
        with session_scope(engine) as session:
            if document_id is not None:
                get_document(session, document_id)
            if output is None:
                binary = fmt in BINARY_FORMATS
                stream = click.get_binary_stream if binary else click.get_text_stream
                count = export_report(
                    session,
                    stream("stdout"),
                    fmt=fmt,
                    document_id=document_id,
                    status=status,
                    publisher=publisher,
                )
            else:
                count = _export_to_file(
                    session,
                    output,
                    fmt,
                    document_id=document_id,
                    status=status,
                    publisher=publisher,
                )
    what = "verdicts" if fmt == "claimreview" else "claims"
    click.echo(f"exported {count} {what}", err=True)


def _export_to_file(
    session: Any,
    output: Path,
    fmt: str,
    *,
    document_id: int | None,
    status: str | None,
    publisher: Any,
) -> int:
    from claims.reports import BINARY_FORMATS, export_report

    # Write beside the target and rename, so a failed export never leaves half a file.
    partial = output.with_name(output.name + ".partial")
    try:
        with (
            (
                partial.open("wb")
                if fmt in BINARY_FORMATS
                else partial.open("w", encoding="utf-8", newline="")
            ) as handle,
            _spinner() as tick,
        ):
            count = export_report(
                session,
                handle,
                fmt=fmt,
                document_id=document_id,
                status=status,
                progress=tick,
                publisher=publisher,
            )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
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
@click.option(
    "--language",
    type=click.Choice(["en", "fr"]),
    help="The interface language; without it, the browser's preference decides.",
)
def user_add(name: str, role: str, language: str | None) -> None:
    """Create an account; the password is read from stdin or prompted for."""
    from claims.accounts import create_user
    from claims.db import session_scope

    settings = load_settings()
    password = _read_password()
    with reported_errors():
        engine = open_database(settings)
        with session_scope(engine) as session:
            create_user(session, name, password, role, language=language)
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


@sources.command("add")
@click.argument("source")
@click.option("--title", help="Title; taken from the page or the first line if omitted.")
@click.option("--lang", "language", metavar="CODE", help="Language code; detected if omitted.")
@click.option("--url", help="Address to cite for a file or stdin.")
def sources_add(source: str, title: str | None, language: str | None, url: str | None) -> None:
    """Add one reference document (FILE, URL or - for stdin) to the library."""
    from claims.db import session_scope
    from claims.library import add_source, parse_source_file, source_draft

    settings = load_settings()
    with reported_errors():
        if source.startswith(("http://", "https://")) or source == "-":
            document = read_input(source, settings)
            draft = source_draft(
                document.text,
                title=title or document.title,
                language=language,
                url=url or (document.origin if source != "-" else None),
            )
        else:
            path = Path(source)
            if not path.is_file():
                raise NotFoundError(f"no such file: {source}")
            read_input(source, settings)  # the same checks as ingest: size, text, encoding
            parsed = parse_source_file(path)
            draft = source_draft(
                parsed.text,
                title=title or parsed.title,
                language=language or parsed.language,
                url=url or parsed.url,
                path=parsed.path,
            )
        engine = open_database(settings)
        with session_scope(engine) as session:
            added, created = add_source(session, draft)
            source_id, passages = added.id, len(added.passages)
    if created:
        click.echo(f"source {source_id} added: {draft.title} ({passages} passages)")
    else:
        click.echo(f"source {source_id} is already in the library")


@main.group()
def factchecks() -> None:
    """Earlier fact-checks (ClaimReview)."""


@factchecks.command("import")
@click.argument("source")
def factchecks_import(source: str) -> None:
    """Import a ClaimReview JSON-LD feed (FILE or URL); a review URL seen before is updated."""
    from claims.db import session_scope
    from claims.evidence.factchecks import import_fact_checks, load_feed_file, parse_feed

    settings = load_settings()
    with reported_errors():
        engine = open_database(settings)
        with session_scope(engine) as session:
            if source.startswith(("http://", "https://")):
                from claims.fetch import fetch_url

                page = fetch_url(
                    source,
                    timeout=settings.http_timeout,
                    deadline=settings.http_deadline,
                    max_bytes=settings.http_max_bytes,
                    allow_private=settings.allow_private_urls,
                )
                result = import_fact_checks(session, parse_feed(page.body, page.final_url))
            else:
                result = load_feed_file(session, Path(source))
    click.echo(str(result))


@main.group()
def evidence() -> None:
    """Evidence attached to claims."""


@evidence.command("add")
@click.argument("claim_id", type=int)
@click.argument("url")
def evidence_add(claim_id: int, url: str) -> None:
    """Fetch the web page at URL as evidence for a claim (by a worker, archived)."""
    from claims.db import session_scope
    from claims.evidence.web import request_web_evidence

    settings = load_settings()
    with reported_errors():
        engine = open_database(settings)
        with session_scope(engine) as session:
            request = request_web_evidence(session, claim_id, url, actor="cli")
            request_id = request.id
    from worker.outbox import relay_outbox

    relay_outbox(engine, _celery(settings))
    click.echo(f"evidence request {request_id}: {url} queued for claim {claim_id}")
    if settings.embedded_queue:
        click.echo("the page is fetched when `claimtrack serve` or `claimtrack worker` runs")


@main.group("eval")
def evaluate() -> None:
    """Measure a step of the pipeline on a labelled JSON Lines file."""


@evaluate.command("checkworthiness")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--mode",
    type=click.Choice(["fast", "accurate", "rules"]),
    default="fast",
    show_default=True,
    help="The scorer to measure (rules: segment's rules alone, with --scorer segment).",
)
@click.option(
    "--scorer",
    type=click.Choice(["segment", "model"]),
    default="segment",
    show_default=True,
    help="What `segment` keeps (model blended with rules), or the statistical model alone.",
)
@click.option("--by-language", is_flag=True, help="Also report each language on its own.")
def eval_checkworthiness(path: Path, mode: str, scorer: str, by_language: bool) -> None:
    """Precision, recall and F1 of the check-worthy class, with the confusion matrix."""
    from claims.evaluation import evaluate_checkworthiness, format_report, load_labelled
    from claims.text.checkworthiness_model import load_model
    from claims.text.measure import DECISION_THRESHOLD, score_examples

    if scorer == "model" and mode == "rules":
        raise click.UsageError("--mode rules measures segment's rules: use --scorer segment")
    if not path.is_file():
        fail(f"no such file: {path}", EXIT_NOINPUT)
    try:
        examples = load_labelled(path)
    except (ValueError, UnicodeDecodeError) as exc:
        fail(f"{path}: {exc}", EXIT_DATAERR)
    if not examples:
        fail(f"{path} has no examples", EXIT_DATAERR)
    if scorer == "segment":
        languages = [None if e.language == "und" else e.language for e in examples]
        report = evaluate_checkworthiness(
            examples,
            lambda _: score_examples([e.text for e in examples], languages, mode),
            threshold=DECISION_THRESHOLD,
            by_language=by_language,
        )
        click.echo(f"{path.name} (segment, {mode} mode, threshold {DECISION_THRESHOLD:g})")
    else:
        model = load_model(mode)
        report = evaluate_checkworthiness(
            examples, model.score, threshold=model.threshold, by_language=by_language
        )
        click.echo(f"{path.name} ({mode} model alone, threshold {model.threshold:g})")
    click.echo(format_report(report))


@evaluate.command("claim-recall")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--mode",
    type=click.Choice(["fast", "accurate", "rules"]),
    default="fast",
    show_default=True,
    help="The segment mode to measure.",
)
def eval_claim_recall(path: Path, mode: str) -> None:
    """Share of posts where `segment` keeps a claim close to the labelled one (ROUGE-L >= 0.4)."""
    from claims.text.measure import format_recall, load_posts, measure_claim_recall

    if not path.is_file():
        fail(f"no such file: {path}", EXIT_NOINPUT)
    try:
        posts = load_posts(path)
    except (ValueError, UnicodeDecodeError) as exc:
        fail(f"{path}: {exc}", EXIT_DATAERR)
    if not posts:
        fail(f"{path} has no posts", EXIT_DATAERR)
    click.echo(f"{path.name} (segment, {mode} mode)")
    click.echo(format_recall(measure_claim_recall(posts, mode)))


@evaluate.command("duplicates")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Word overlap for a near repeat (default: the rule's).",
)
def eval_duplicates(path: Path, threshold: float | None) -> None:
    """Precision and recall of the recurring-claim rule on labelled same/different pairs."""
    from claims.matching import NEAR_JACCARD, evaluate_pairs, load_pairs

    if not path.is_file():
        fail(f"no such file: {path}", EXIT_NOINPUT)
    try:
        pairs = load_pairs(str(path))
    except (ValueError, UnicodeDecodeError) as exc:
        fail(f"{path}: {exc}", EXIT_DATAERR)
    if not pairs:
        fail(f"{path} has no pairs", EXIT_DATAERR)
    scores = evaluate_pairs(pairs, threshold=NEAR_JACCARD if threshold is None else threshold)
    click.echo(
        f"{path.name} ({scores.pairs} pairs, near-repeat overlap {threshold or NEAR_JACCARD:g})"
    )
    click.echo(
        f"precision {scores.precision:.3f}  recall {scores.recall:.3f}  "
        f"(true {scores.true_positives}, false {scores.false_positives}, "
        f"missed {scores.false_negatives})"
    )
    for note in scores.wrong:
        click.echo(f"  matched but different: {note}")
    for note in scores.missed:
        click.echo(f"  missed: {note}")


@evaluate.command("stance")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--folds",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Cross-validate: assess each fold with a model trained on the others (0: shipped model).",
)
@click.option("--seed", type=int, default=20240601, show_default=True, help="Seed of the folds.")
def eval_stance(path: Path, folds: int, seed: int) -> None:
    """Accuracy, macro-F1 and confusion matrix of the stance step on claim/evidence pairs."""
    from claims.evaluation import evaluate_stance, format_stance_report, load_stance_pairs
    from claims.stance.measure import (
        assess_pair_details,
        cross_validated_assessments,
        format_calibration,
    )
    from claims.stance.model import load_model

    if folds == 1:
        raise click.UsageError("--folds needs at least 2 folds (or 0 for the shipped model)")
    if not path.is_file():
        fail(f"no such file: {path}", EXIT_NOINPUT)
    try:
        pairs = load_stance_pairs(path)
    except (ValueError, UnicodeDecodeError) as exc:
        fail(f"{path}: {exc}", EXIT_DATAERR)
    model = load_model()
    if folds:
        assessments = cross_validated_assessments(pairs, folds, seed)
        title = f"{path.name} ({folds}-fold cross-validation by fact-check, seed {seed})"
    else:
        assessments = assess_pair_details([(p.claim, p.evidence) for p in pairs], model)
        title = f"{path.name} (shipped stance model {model.version})"
        if _sha256(path) == model.metadata.get("training_data", {}).get("sha256"):
            click.echo("note: this file trained the shipped model, so these figures are")
            click.echo("      in-sample; --folds 5 gives the held-out figures")
    report = evaluate_stance(pairs, lambda _: [str(a.stance) for a in assessments])
    click.echo(format_stance_report(report, title))
    click.echo()
    click.echo(format_calibration(pairs, assessments))


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@main.group()
def token() -> None:
    """Manage API tokens (admin)."""


@token.command("create")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["viewer", "reviewer", "editor", "admin"]),
    default="viewer",
    show_default=True,
)
@click.option("--user", "username", help="Act as this existing user (default: a new account).")
def token_create(name: str, role: str, username: str | None) -> None:
    """Create an API token and print it once (only its hash is kept)."""
    from sqlalchemy import select

    from claims.api_tokens import create_token
    from claims.db import session_scope
    from claims.models import User

    settings = load_settings()
    with reported_errors():
        engine = open_database(settings)
        with session_scope(engine) as session:
            user = None
            if username is not None:
                user = session.scalar(select(User).where(User.username == username))
                if user is None:
                    raise NotFoundError(f"no user named {username!r}")
            issued = create_token(session, name, role, created_by="cli", user=user)
            secret = issued.token
    click.echo(f"token {name} created with role {role}; it is shown only now:", err=True)
    click.echo(secret)


@main.group()
def webhook() -> None:
    """Manage webhooks for published verdicts (admin)."""


@webhook.command("add")
@click.argument("url")
def webhook_add(url: str) -> None:
    """Register URL to receive each published verdict; print its signing secret once."""
    from claims.db import session_scope
    from claims.webhooks import add_webhook

    settings = load_settings()
    with reported_errors():
        engine = open_database(settings)
        with session_scope(engine) as session:
            registered = add_webhook(session, url, created_by="cli")
            webhook_id, secret = registered.row.id, registered.secret
    click.echo(f"webhook {webhook_id} for {url}; its signing secret, shown only now:", err=True)
    click.echo(secret)


if __name__ == "__main__":
    main()
