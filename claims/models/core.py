"""The tables: documents, their claims, the source library, evidence, suggestions and users."""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from claims.db import Base, utcnow

if TYPE_CHECKING:
    from claims.models.evidence import ArchivedPage


def _enum(cls: type[StrEnum]) -> Enum:
    # Stored by value as a plain string column, so adding a member needs no ALTER TYPE.
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda members: [m.value for m in members],
    )


class ClaimStatus(StrEnum):
    QUEUED = "queued"
    CHECKING = "checking"
    NEEDS_REVIEW = "needs_review"
    IN_REVIEW = "in_review"
    VERIFIED = "verified"
    DISMISSED = "dismissed"
    FAILED = "failed"
    PUBLISHED = "published"


class Role(StrEnum):
    VIEWER = "viewer"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """Return whether this role has at least the rights of `needed`."""
        return self.rank >= needed.rank


class SuggestedVerdict(StrEnum):
    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    MIXED = "mixed"
    NOT_ENOUGH_EVIDENCE = "not_enough_evidence"


class Stance(StrEnum):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    NEUTRAL = "neutral"


class Rating(StrEnum):
    TRUE = "true"
    MOSTLY_TRUE = "mostly-true"
    MIXED = "mixed"
    MOSTLY_FALSE = "mostly-false"
    FALSE = "false"
    UNVERIFIABLE = "unverifiable"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The interface language the user chose ("en", "fr"); None follows the browser.
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(String(500))
    origin: Mapped[str] = mapped_column(String(2000))  # a URL, a file name or "stdin"
    language: Mapped[str] = mapped_column(String(12))
    date: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    claims: Mapped[list[Claim]] = relationship(
        back_populates="document", order_by="Claim.start", cascade="all, delete-orphan"
    )


# Each doubling of the documents a claim was seen in adds this much to its check-worthiness in
# the queue's rank, up to RECURRENCE_CAP documents: a claim seen in 2 documents ranks as if 0.1
# more check-worthy, in 8 or more as if 0.3 more. The manual priority still comes first.
RECURRENCE_WEIGHT = 0.1
RECURRENCE_CAP = 8


def queue_score(checkworthiness: float, recurrence: int) -> float:
    """The queue's rank after the manual priority: check-worthiness raised with recurrence."""
    seen = max(1, min(recurrence, RECURRENCE_CAP))
    return round(checkworthiness + RECURRENCE_WEIGHT * math.log2(seen), 6)


def _initial_score(context: Any) -> float:
    # Rows inserted without the ORM (bulk inserts) rank by their check-worthiness alone.
    parameters = context.get_current_parameters()
    return queue_score(
        float(parameters.get("checkworthiness") or 0.0), int(parameters.get("recurrence") or 1)
    )


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("document_id", "start", "end"),
        Index("ix_claims_status_document", "status", "document_id"),
        # The review queue's order (keyset pagination), overall and within a status.
        Index("ix_claims_queue_rank", "priority", "queue_score", "id"),
        Index("ix_claims_status_queue_rank", "status", "priority", "queue_score", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(12))
    checkworthiness: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    quantities: Mapped[list[Any]] = mapped_column(default=list)
    entities: Mapped[list[Any]] = mapped_column(default=list)
    speaker: Mapped[str | None] = mapped_column(String(300))
    speaker_text: Mapped[str | None] = mapped_column(String(300))
    hedged: Mapped[bool] = mapped_column(Boolean, default=False)
    claim_type: Mapped[str] = mapped_column(String(24), default="other")
    # The time the claim refers to, as the segmenter found it: {"text", "start", "end", "value"}
    # with value an ISO 8601 date, month, year or week (None when it could not be resolved).
    time: Mapped[dict[str, Any] | None] = mapped_column()
    status: Mapped[ClaimStatus] = mapped_column(_enum(ClaimStatus), default=ClaimStatus.QUEUED)
    # Bumped on every change a person makes, so concurrent edits can be detected.
    version: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str | None] = mapped_column(Text)
    verdict: Mapped[Rating | None] = mapped_column(_enum(Rating))
    verdict_rationale: Mapped[str | None] = mapped_column(Text)
    verdict_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verdict_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The review desk (claims/desk.py): who works on the claim, how urgent a person made it, the
    # short "claimReviewed" wording and the evidence cited by the verdict, and who published it.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    claim_reviewed: Mapped[str | None] = mapped_column(String(500))
    verdict_sources: Mapped[list[Any] | None] = mapped_column()
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None]
    # In how many documents the claim's group was seen (claims/recurrence.py), and the queue's
    # rank after the manual priority: check-worthiness raised with recurrence.
    recurrence: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    queue_score: Mapped[float] = mapped_column(Float, default=_initial_score, server_default="0")

    document: Mapped[Document] = relationship(back_populates="claims")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="claim", order_by="Evidence.score.desc()", cascade="all, delete-orphan"
    )
    suggestions: Mapped[list[Suggestion]] = relationship(
        back_populates="claim", cascade="all, delete-orphan"
    )
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="claim", order_by="StatusChange.id", cascade="all, delete-orphan"
    )
    verdict_by: Mapped[User | None] = relationship(foreign_keys=[verdict_by_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @validates("checkworthiness", "recurrence")
    def _keep_rank(self, key: str, value: Any) -> Any:
        # The queue orders by queue_score (indexed); it follows the values it is made of.
        worth = value if key == "checkworthiness" else self.checkworthiness
        seen = value if key == "recurrence" else self.recurrence
        if worth is not None:
            self.queue_score = queue_score(float(worth), int(seen or 1))
        return value

    @property
    def suggestion(self) -> Suggestion | None:
        """The worker's latest suggestion, if any."""
        return max(self.suggestions, key=lambda s: s.created_at, default=None)


class StatusChange(Base):
    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[ClaimStatus | None] = mapped_column(_enum(ClaimStatus))
    to_status: Mapped[ClaimStatus] = mapped_column(_enum(ClaimStatus))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(80))  # the username, or "worker", "cli", "system"
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="history")


class Source(Base):
    """A reference document of the local source library."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    path: Mapped[str | None] = mapped_column(String(1000))
    language: Mapped[str] = mapped_column(String(12))
    published: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    passages: Mapped[list[Passage]] = relationship(
        back_populates="source", order_by="Passage.ordinal", cascade="all, delete-orphan"
    )


class Passage(Base):
    """A searchable paragraph of a source; full-text indexed by the database."""

    __tablename__ = "passages"
    __table_args__ = (UniqueConstraint("source_id", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # Extra search terms derived from the text (normalised numbers), indexed with it.
    keywords: Mapped[str] = mapped_column(Text, default="")

    source: Mapped[Source] = relationship(back_populates="passages")


def _passage_key(context: Any) -> str | None:
    # Library evidence made with just a passage id gets the key the library provider uses.
    passage_id = context.get_current_parameters().get("passage_id")
    return f"passage:{passage_id}" if passage_id is not None else None


class Evidence(Base):
    """What one source (a library passage, a fact-check, a wiki page, a web page) says about a
    claim; one row per claim, provider and source, and one per claim and library passage
    (whether a check found it or a person attached it)."""

    __tablename__ = "evidence"
    __table_args__ = (
        UniqueConstraint("claim_id", "provider", "source_key"),
        Index(
            "uq_evidence_claim_id_passage_id",
            "claim_id",
            "passage_id",
            unique=True,
            sqlite_where=sql_text("passage_id IS NOT NULL"),
            postgresql_where=sql_text("passage_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(String(40), default="library")
    # Identifies the source within its provider: "passage:12", a URL, or a hash of a long URL.
    source_key: Mapped[str] = mapped_column(String(200), default=_passage_key)
    passage_id: Mapped[int | None] = mapped_column(ForeignKey("passages.id", ondelete="CASCADE"))
    source_title: Mapped[str | None] = mapped_column(String(500))
    source_url: Mapped[str | None] = mapped_column(String(2000))
    archive_id: Mapped[int | None] = mapped_column(
        ForeignKey("archived_pages.id", ondelete="SET NULL")
    )
    stance: Mapped[Stance] = mapped_column(_enum(Stance))
    score: Mapped[float] = mapped_column(Float)
    snippet: Mapped[str] = mapped_column(Text)
    number_match: Mapped[dict[str, Any] | None] = mapped_column()
    # Provider details shown beside the snippet: a fact-check's rating, publisher and date, the
    # reasons of the assessment.
    details: Mapped[dict[str, Any] | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Copied from the check of an earlier claim saying the same thing (created_at kept from it).
    # A plain number, not a foreign key: it records where the copy came from.
    reused_from_claim_id: Mapped[int | None] = mapped_column(Integer)

    claim: Mapped[Claim] = relationship(back_populates="evidence")
    passage: Mapped[Passage | None] = relationship()
    archive: Mapped[ArchivedPage | None] = relationship()

    @property
    def title(self) -> str:
        """The source's title, whichever provider found it."""
        if self.source_title:
            return self.source_title
        return self.passage.source.title if self.passage is not None else self.provider

    @property
    def url(self) -> str | None:
        """The source's address, if it has one."""
        if self.source_url:
            return self.source_url
        return self.passage.source.url if self.passage is not None else None


class Suggestion(Base):
    """The worker's suggested verdict for a claim, one per claim and method."""

    __tablename__ = "suggestions"
    __table_args__ = (UniqueConstraint("claim_id", "method"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(String(40))
    method_version: Mapped[str] = mapped_column(String(20))
    verdict: Mapped[SuggestedVerdict] = mapped_column(_enum(SuggestedVerdict))
    confidence: Mapped[float] = mapped_column(Float)
    rationale: Mapped[str] = mapped_column(Text)
    providers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the providers were asked: now for a fresh check, the original check's time for one
    # reused from an earlier claim saying the same thing (reused_from_claim_id, a record).
    checked_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    reused_from_claim_id: Mapped[int | None] = mapped_column(Integer)

    claim: Mapped[Claim] = relationship(back_populates="suggestions")


class OutboxMessage(Base):
    """A task to send, written in the transaction that made it necessary."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(200))
    args: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
