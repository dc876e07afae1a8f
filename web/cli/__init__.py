"""The `claimtrack` command: segment, ingest, serve, worker, export, users, database, evaluation.

Heavy imports (Celery, Flask, the segmenter's models) are made inside the commands that use them,
so that `claimtrack segment` starts quickly.
"""

from __future__ import annotations

import click

from web.cli import accounts, documents, evaluate, evidence, integrations, service, sources
from web.cli.shared import (
    EXIT_CODES,
    EXIT_CONFIG,
    EXIT_DATAERR,
    EXIT_NOINPUT,
    EXIT_TEMPFAIL,
    EXIT_UNAVAILABLE,
    fail,
    load_settings,
    open_database,
    read_input,
    reported_errors,
)

__all__ = [
    "EXIT_CODES",
    "EXIT_CONFIG",
    "EXIT_DATAERR",
    "EXIT_NOINPUT",
    "EXIT_TEMPFAIL",
    "EXIT_UNAVAILABLE",
    "fail",
    "load_settings",
    "main",
    "open_database",
    "read_input",
    "reported_errors",
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimtrack")
def main() -> None:
    """claimtrack: find the check-worthy claims in news text, check them, review verdicts."""


for command in (
    documents.segment,
    documents.ingest,
    documents.export,
    service.serve,
    service.run_worker,
    service.db,
    accounts.user,
    sources.sources,
    evidence.factchecks,
    evidence.evidence,
    evaluate.evaluate,
    integrations.token,
    integrations.webhook,
):
    main.add_command(command)
