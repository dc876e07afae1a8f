"""What the commands share: exit codes, error reporting, settings, the database, input, Celery."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

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
        from claims.fetch import fetch_page

        page = fetch_page(source, settings)
        return document_from_page(page, max_bytes=limit)
    path = Path(source)
    if not path.exists():
        raise NotFoundError(f"no such file: {source}")
    if not path.is_file():
        raise InvalidInputError(f"{source} is not a file")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    return DocumentInput(decode_text(data, source, max_bytes=limit), path.name)


def _celery(settings: Settings) -> Any:
    from worker.app import create_celery

    return create_celery(settings)
