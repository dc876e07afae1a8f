"""User accounts: creation and password checks (scrypt, from the standard library)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.errors import ConflictError, InvalidInputError
from claims.models import Role, User

# scrypt with n=2**15, r=8, p=1 follows current OWASP guidance and costs about 32 MiB per hash.
_N, _R, _P = 2**15, 8, 1
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
MIN_PASSWORD_LENGTH = 8
# The languages the interface is translated into.
INTERFACE_LANGUAGES = ("en", "fr")


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of `password` in a self-describing string."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=_N, r=_R, p=_P, maxmem=64 * 1024 * 1024, dklen=32
    )
    encode = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(stored: str, password: str) -> bool:
    """Return whether `password` matches the hash `stored`, in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        maxmem=64 * 1024 * 1024,
        dklen=32,
    )
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def create_user(
    session: Session,
    username: str,
    password: str,
    role: Role | str,
    *,
    language: str | None = None,
) -> User:
    """Add a user, with their interface language if given; InvalidInputError for a bad name,
    role, password or language, ConflictError if the name is taken."""
    if not _USERNAME.match(username):
        raise InvalidInputError(
            "a username is 1-80 letters, digits, dots, dashes or underscores, starting with a "
            "letter or digit"
        )
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInputError(
            f"unknown role {role!r}; choose one of {', '.join(r.value for r in Role)}"
        ) from None
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ConflictError(f"user {username!r} already exists")
    user = User(username=username, password_hash=hash_password(password), role=role)
    set_language(user, language)
    session.add(user)
    session.flush()
    return user


def set_language(user: User, language: str | None) -> None:
    """Keep the interface language `user` chose (None: follow the browser); InvalidInputError
    for a language the interface is not translated into."""
    if language is not None and language not in INTERFACE_LANGUAGES:
        raise InvalidInputError(
            f"unknown interface language {language!r}; choose one of "
            f"{', '.join(INTERFACE_LANGUAGES)}"
        )
    user.language = language


def authenticate(session: Session, username: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        # Hash anyway so a missing user takes as long to refuse as a wrong password.
        hash_password(password)
        return None
    return user if verify_password(user.password_hash, password) else None


def count_users(session: Session) -> int:
    """Return how many accounts exist."""
    return session.scalar(select(func.count(User.id))) or 0
