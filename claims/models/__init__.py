"""The tables. Each feature keeps its models in a module of this package; all are imported here
so that `Base.metadata` knows every table (Alembic and the tests rely on it)."""

from claims.models.api import (
    ApiToken,
    DeliveryState,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
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
from claims.models.desk import (
    ClaimEvent,
    Comment,
    EventKind,
    EvidenceMark,
    EvidenceMarkKind,
    SuggestionOutcome,
)
from claims.models.evidence import (
    ArchivedPage,
    CachedResponse,
    EvidenceRequest,
    FactCheck,
    RequestStatus,
)
from claims.models.groups import ClaimFingerprint, ClaimGroup, ClaimOccurrence

__all__ = [
    "ApiToken",
    "ArchivedPage",
    "CachedResponse",
    "Claim",
    "ClaimEvent",
    "ClaimFingerprint",
    "ClaimGroup",
    "ClaimOccurrence",
    "ClaimStatus",
    "Comment",
    "DeliveryState",
    "Document",
    "EventKind",
    "Evidence",
    "EvidenceMark",
    "EvidenceMarkKind",
    "EvidenceRequest",
    "FactCheck",
    "OutboxMessage",
    "Passage",
    "Rating",
    "RequestStatus",
    "Role",
    "Source",
    "Stance",
    "StatusChange",
    "SuggestedVerdict",
    "Suggestion",
    "SuggestionOutcome",
    "User",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
]
