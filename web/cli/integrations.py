"""The `token` and `webhook` commands: how other systems reach claimtrack and hear from it."""

from __future__ import annotations

import click

from claims.errors import NotFoundError
from web.cli.shared import load_settings, open_database, reported_errors


@click.group()
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


@click.group()
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
