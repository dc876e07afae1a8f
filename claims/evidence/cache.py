"""The provider cache: a remote provider's parsed answer to a query, kept in the database for a
while so that re-checks and claims asking the same thing cost no request."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claims.db import utcnow
from claims.evidence.base import Found
from claims.models import CachedResponse


def cache_key(query: str) -> str:
    """The stored key of a query text."""
    return hashlib.sha256(query.encode()).hexdigest()


def read_cached(session: Session, provider: str, query: str) -> list[Found] | None:
    """The cached answer of `provider` to `query`, or None when absent or expired."""
    row = session.scalar(
        select(CachedResponse).where(
            CachedResponse.provider == provider, CachedResponse.key == cache_key(query)
        )
    )
    if row is None or row.expires_at <= utcnow():
        return None
    return [Found.from_dict(item) for item in row.results]


def store_cached(
    session: Session, provider: str, query: str, results: list[Found], *, ttl: float
) -> None:
    """Keep `results` as the answer of `provider` to `query` for `ttl` seconds."""
    if ttl <= 0:
        return
    key = cache_key(query)
    payload = [f.to_dict() for f in results]
    expires = utcnow() + timedelta(seconds=ttl)
    row = session.scalar(
        select(CachedResponse).where(CachedResponse.provider == provider, CachedResponse.key == key)
    )
    if row is not None:
        row.results, row.expires_at, row.created_at = payload, expires, utcnow()
        return
    try:
        # A savepoint, so a concurrent check storing the same answer first costs nothing.
        with session.begin_nested():
            session.add(
                CachedResponse(
                    provider=provider,
                    key=key,
                    query=query[:4000],
                    results=payload,
                    expires_at=expires,
                )
            )
    except IntegrityError:
        pass


def purge_expired(session: Session) -> int:
    """Delete expired cache rows; return how many."""
    result = session.execute(delete(CachedResponse).where(CachedResponse.expires_at <= utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)
