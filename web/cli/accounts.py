"""The `user` commands: create accounts for the review UI."""

from __future__ import annotations

from typing import IO

import click

from web.cli.shared import EXIT_DATAERR, fail, load_settings, open_database, reported_errors


@click.group()
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
    stdin: IO[str] = click.open_file("-")
    if stdin.isatty():
        return str(click.prompt("password", hide_input=True, confirmation_prompt=True))
    line = stdin.readline().rstrip("\n")
    if not line:
        fail("no password on standard input", EXIT_DATAERR)
    return line
