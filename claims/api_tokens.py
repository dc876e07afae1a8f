"""API tokens: created by an admin, shown once, kept as a SHA-256 digest, each with a role.

A token carries 256 random bits, so one round of SHA-256 is enough to keep a stolen table from
being usable; a slow password hash would only slow every API call down.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.db import utcnow
from claims.errors import ConflictError, InvalidInputError, NotFoundError
from claims.models import ApiToken, Role, User

TOKEN_PREFIX = "ct_"  # noqa: S105 - a marker, not a secret
UNUSABLE_PASSWORD = "!"  # noqa: S105 - matches no password: the account cannot sign in
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


@dataclass(frozen=True, slots=True)
class IssuedToken:
    row: ApiToken
    token: str  # the only time the clear token exists


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session,
    name: str,
    role: Role | str,
    *,
    created_by: str,
    user: User | None = None,
) -> IssuedToken:
    """Add a token with this name and role, acting as `user` or as a new service account named
    after it; return it with the clear token (shown once)."""
    name = name.strip()
    if not _NAME.match(name):
        raise InvalidInputError(
            "a token name is 1-80 letters, digits, dots, dashes or underscores, starting with a "
            "letter or digit"
        )
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInputError(
            f"unknown role {role!r}; choose one of {', '.join(r.value for r in Role)}"
        ) from None
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise ConflictError(f"a token named {name!r} already exists")
    if user is None:
        if session.scalar(select(User.id).where(User.username == name)) is not None:
            raise ConflictError(
                f"a user named {name!r} exists; name the token differently or issue it for "
                "that user"
            )
        # A service account: it cannot sign in (no password hash matches "!").
        user = User(username=name, password_hash=UNUSABLE_PASSWORD, role=role, active=True)
        session.add(user)
    elif not user.role.allows(role):
        raise InvalidInputError(
            f"user {user.username!r} is a {user.role.value}; a token cannot have more rights"
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        name=name,
        token_hash=_digest(token),
        prefix=token[:10],
        role=role,
        user=user,
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return IssuedToken(row, token)


def authenticate_token(session: Session, token: str) -> ApiToken | None:
    """Return the live token row matching the clear `token`, or None; records its last use."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    # The lookup is by digest, so comparing a guess leaks nothing about the stored tokens.
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    return row


def list_tokens(session: Session) -> list[ApiToken]:
    """Return every token, newest first."""
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))


def revoke_token(session: Session, token_id: int) -> ApiToken:
    """Revoke a token; revoking twice is harmless. NotFoundError for an unknown id."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFoundError(f"no token with id {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row
