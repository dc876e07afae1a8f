"""The `factchecks` and `evidence` commands: import earlier fact-checks, attach web pages."""

from __future__ import annotations

from pathlib import Path

import click

from web.cli.shared import _celery, load_settings, open_database, reported_errors


@click.group()
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
                from claims.fetch import fetch_page

                page = fetch_page(source, settings)
                result = import_fact_checks(session, parse_feed(page.body, page.final_url))
            else:
                result = load_feed_file(session, Path(source))
    click.echo(str(result))


@click.group()
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
