"""The review desk's tables: comments, the audit of people's edits, evidence marks, and the record
of whether a reviewer accepted or overrode the worker's suggestion."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claims.db import Base, utcnow
from claims.models.core import Rating, SuggestedVerdict, User, _enum


class EventKind(StrEnum):
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    PRIORITY = "priority"
    VERDICT = "verdict"
    PUBLISHED = "published"
    RETURNED = "returned"
    EVIDENCE_MARKED = "evidence_marked"
    EVIDENCE_ADDED = "evidence_added"
    DISMISSED = "dismissed"


class EvidenceMarkKind(StrEnum):
    DECISIVE = "decisive"
    IRRELEVANT = "irrelevant"


class ClaimEvent(Base):
    """One edit a person made to a claim (status changes have their own table)."""

    __tablename__ = "claim_events"
    __table_args__ = (Index("ix_claim_events_claim_at", "claim_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(80))
    # What changed, e.g. {"from": "reviewer1", "to": "editor1"}; shown in the claim's history.
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(Base):
    """A note between reviewers on a claim."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_claim_at", "claim_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship()


class EvidenceMark(Base):
    """A reviewer's judgement of one piece of evidence: decisive or irrelevant (one per piece)."""

    __tablename__ = "evidence_marks"
    __table_args__ = (UniqueConstraint("evidence_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"))
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    mark: Mapped[EvidenceMarkKind] = mapped_column(_enum(EvidenceMarkKind))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SuggestionOutcome(Base):
    """Whether a recorded verdict agreed with the worker's suggestion, so the product can measure
    its own suggestions; one row per verdict recorded."""

    __tablename__ = "suggestion_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    suggestion_id: Mapped[int | None] = mapped_column(
        ForeignKey("suggestions.id", ondelete="SET NULL")
    )
    method: Mapped[str | None] = mapped_column(String(40))
    suggested: Mapped[SuggestedVerdict | None] = mapped_column(_enum(SuggestedVerdict))
    rating: Mapped[Rating] = mapped_column(_enum(Rating))
    # None when there was no suggestion, or when it had no opinion (not enough evidence).
    accepted: Mapped[bool | None] = mapped_column(Boolean)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
