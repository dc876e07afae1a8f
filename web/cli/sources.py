"""The `sources` commands: fill the local library of reference documents."""

from __future__ import annotations

from pathlib import Path

import click

from claims.errors import NotFoundError
from web.cli.shared import load_settings, open_database, read_input, reported_errors


@click.group()
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
