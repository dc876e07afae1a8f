"""Commands on documents: segment one, ingest one and wait for its checks, export the report."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from claims.config import SEGMENT_MODES, Settings
from web.cli.shared import (
    EXIT_TEMPFAIL,
    _celery,
    fail,
    load_settings,
    open_database,
    read_input,
    reported_errors,
)


@click.command()
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
    type=click.Choice(SEGMENT_MODES),
    default="fast",
    show_default=True,
    help="Scorer blended with the rules: fast n-grams, accurate embeddings (slower), "
    "social (e5 tuned on claims in tweets), or none.",
)
def segment(source: str, language: str | None, fmt: str, mode: str) -> None:
    """Print the check-worthy claims of one document (FILE, URL or - for stdin)."""
    from claims.text import segment_document

    with reported_errors():
        document = read_input(source, Settings.from_env())
        result = segment_document(document.text, language=language, mode=mode)
    out = click.open_file("-", "w")
    if fmt == "json":
        payload = result.to_dict()
        if document.title and not payload.get("title"):
            payload["title"] = document.title
        out.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    for claim in result.claims:
        out.write(json.dumps(claim.to_dict(), ensure_ascii=False) + "\n")


@click.command()
@click.argument("source")
@click.option("--lang", "language", metavar="CODE", help="Language code; detected if omitted.")
@click.option("--title", help="Document title; taken from the text if omitted.")
@click.option("--wait", is_flag=True, help="Wait until every claim is checked, with progress.")
@click.option("--timeout", default=600.0, show_default=True, help="Seconds --wait waits at most.")
@click.option(
    "--mode",
    type=click.Choice(SEGMENT_MODES),
    help="Scorer blended with the rules, as in `segment`; default: CLAIMTRACK_SEGMENT_MODE.",
)
def ingest(
    source: str,
    *,
    language: str | None,
    title: str | None,
    wait: bool,
    timeout: float,
    mode: str | None,
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
                mode=mode or settings.segment_mode,
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


@click.command()
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
                count = export_report(
                    session,
                    click.open_file("-", "wb" if binary else "w"),
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
