"""The tables. Each feature keeps its models in a module of this package; all are imported here
so that `Base.metadata` knows every table (Alembic and the tests rely on it)."""

from claims.models.core import (
    Claim,
    ClaimStatus,
    Document,
    Evidence,
    OutboxMessage,
    Passage,
    Rating,
    Role,
    Source,
    Stance,
    StatusChange,
    SuggestedVerdict,
    Suggestion,
    User,
)

__all__ = [
    "Claim",
    "ClaimStatus",
    "Document",
    "Evidence",
    "OutboxMessage",
    "Passage",
    "Rating",
    "Role",
    "Source",
    "Stance",
    "StatusChange",
    "SuggestedVerdict",
    "Suggestion",
    "User",
]
