"""Recurring claims: the group of claims that say the same thing across documents, each claim's
place in it, and the fingerprints that find a repeat through an index (claims/recurrence.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claims.db import Base, utcnow
from claims.models.core import Claim


class ClaimGroup(Base):
    """The claims that say the same thing; the first occurrence founds the group."""

    __tablename__ = "claim_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Cleared if that claim's document is ever deleted; the group lives on with the others.
    first_claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="SET NULL"), unique=True
    )
    # The exact key (claims/matching.py) of the founding claim. Unique, so that two ingests of a
    # new claim at the same moment found one group: the second insert finds the first's key.
    text_key: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    documents: Mapped[int] = mapped_column(Integer, default=1)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    first_claim: Mapped[Claim | None] = relationship(foreign_keys=[first_claim_id])


class ClaimOccurrence(Base):
    """A claim's membership of its group (one per claim), and how it was matched."""

    __tablename__ = "claim_occurrences"
    __table_args__ = (Index("ix_claim_occurrences_group_document", "group_id", "document_id"),)

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("claim_groups.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    # "first" for the claim that founded the group, "exact" or "near" for a repeat.
    match: Mapped[str] = mapped_column(String(12), default="first")
    # The earlier claim it was matched to, and how closely (1.0 for the same normalised text).
    matched_claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="SET NULL")
    )
    similarity: Mapped[float | None] = mapped_column(Float)
    text_key: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[ClaimGroup] = relationship()
    claim: Mapped[Claim] = relationship(foreign_keys=[claim_id])


class ClaimFingerprint(Base):
    """One indexed fingerprint of a claim (claims/matching.py); claims sharing one are
    candidates for a match."""

    __tablename__ = "claim_fingerprints"

    value: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True, index=True
    )
