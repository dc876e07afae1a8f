"""The tables of the evidence providers: earlier fact-checks, the provider cache, archived web
pages and the requests to attach a web page to a claim."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from claims.db import Base, utcnow
from claims.models.core import _enum


class FactCheck(Base):
    """An earlier fact-check, imported from a ClaimReview feed; one row per review URL."""

    __tablename__ = "fact_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    claim_reviewed: Mapped[str] = mapped_column(Text)
    rating: Mapped[str | None] = mapped_column(String(200))  # the textual rating, as published
    # The numeric rating mapped onto 0 (worst) .. 1 (best), when the feed gives one.
    rating_value: Mapped[float | None]
    publisher: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[str | None] = mapped_column(String(32))
    claimant: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(12))
    review_body: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(2000))  # the file or feed URL it came from
    # Extra search terms derived from the text (numbers as digits, folded words), indexed with it.
    keywords: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class CachedResponse(Base):
    """A remote provider's parsed answer to one query, kept until `expires_at`."""

    __tablename__ = "provider_cache"
    __table_args__ = (UniqueConstraint("provider", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(64))  # SHA-256 of the query
    query: Mapped[str] = mapped_column(Text)
    results: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class ArchivedPage(Base):
    """A copy of a fetched web page, so its evidence survives the page changing or vanishing."""

    __tablename__ = "archived_pages"
    __table_args__ = (UniqueConstraint("url", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))  # as requested
    final_url: Mapped[str] = mapped_column(String(2000))  # after redirects
    status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))  # of the body as received
    fetched_at: Mapped[datetime]
    title: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)  # the extracted main text
    body: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class RequestStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class EvidenceRequest(Base):
    """A reviewer's or client's request to fetch a web page as evidence for a claim."""

    __tablename__ = "evidence_requests"
    __table_args__ = (
        UniqueConstraint("claim_id", "url"),
        Index("ix_evidence_requests_claim_id", "claim_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    requested_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[RequestStatus] = mapped_column(
        _enum(RequestStatus), default=RequestStatus.PENDING
    )
    error: Mapped[str | None] = mapped_column(Text)
    archive_id: Mapped[int | None] = mapped_column(
        ForeignKey("archived_pages.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    archive: Mapped[ArchivedPage | None] = relationship()
