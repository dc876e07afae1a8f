"""Read queries of the review desk: pages of claims, one claim or document with what it shows."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Integer, exists, func, select, text, tuple_
from sqlalchemy.orm import Session, defer, selectinload

from claims.errors import InvalidInputError, NotFoundError
from claims.library import search_terms
from claims.models import (
    Claim,
    ClaimStatus,
    Document,
    Evidence,
    Passage,
    SuggestedVerdict,
    Suggestion,
)
from claims.workflow import ACTIVE_STATUSES

PAGE_SIZE = 50
MAX_SEARCH_TERMS = 12


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """What the queue is narrowed to; every field is optional."""

    status: ClaimStatus | None = None
    document_id: int | None = None
    speaker: str | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    suggested: SuggestedVerdict | None = None
    language: str | None = None
    since: date | None = None  # created on or after this day (UTC)
    until: date | None = None  # created on or before this day (UTC)
    search: str | None = None  # full-text search in the claim's text and speaker

    def without_status(self) -> QueueFilters:
        return replace(self, status=None)


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position in the queue's order (priority, rank, id, all descending); the rank is the
    claim's check-worthiness raised with its recurrence (Claim.queue_score)."""

    priority: int
    score: float
    claim_id: int

    def encode(self) -> str:
        return f"{self.priority}_{self.score!r}_{self.claim_id}"

    @classmethod
    def decode(cls, raw: str) -> Cursor:
        """Parse a cursor made by `encode`; InvalidInputError when it is not one."""
        try:
            priority, score, claim_id = raw.split("_")
            cursor = cls(int(priority), float(score), int(claim_id))
        except ValueError:
            raise InvalidInputError(f"{raw!r} is not a position in the queue") from None
        if not math.isfinite(cursor.score):
            raise InvalidInputError(f"{raw!r} is not a position in the queue")
        return cursor


@dataclass(frozen=True, slots=True)
class ClaimPage:
    claims: list[Claim]
    next_cursor: Cursor | None
    total: int  # claims matching the filters, on every page


def _queue_conditions(session: Session, filters: QueueFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.status is not None:
        conditions.append(Claim.status == filters.status)
    if filters.document_id is not None:
        conditions.append(Claim.document_id == filters.document_id)
    if filters.speaker:
        conditions.append(func.lower(Claim.speaker).contains(filters.speaker.lower()))
    if filters.unassigned:
        conditions.append(Claim.assignee_id.is_(None))
    elif filters.assignee_id is not None:
        conditions.append(Claim.assignee_id == filters.assignee_id)
    if filters.suggested is not None:
        conditions.append(
            exists().where(Suggestion.claim_id == Claim.id, Suggestion.verdict == filters.suggested)
        )
    if filters.language:
        conditions.append(Claim.language == filters.language)
    if filters.since is not None:
        start = datetime.combine(filters.since, time.min, tzinfo=UTC)
        conditions.append(Claim.created_at >= start)
    if filters.until is not None:
        end = datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=UTC)
        conditions.append(Claim.created_at < end)
    if filters.search:
        conditions.append(_search_condition(session, filters.search))
    return conditions


def _search_condition(session: Session, query: str) -> ColumnElement[bool]:
    terms = search_terms(query.split())[:MAX_SEARCH_TERMS]
    if not terms:
        raise InvalidInputError("the search has no words to look for")
    dialect = session.get_bind().dialect.name
    # Every word must appear; each also matches as a prefix, so "unemploy" finds "unemployment".
    if dialect == "sqlite":
        match = " ".join(f'"{t}"*' for t in terms)
        matching = text("SELECT rowid FROM claims_fts WHERE claims_fts MATCH :match").bindparams(
            match=match
        )
        return Claim.id.in_(matching.columns(rowid=Integer))
    if dialect == "postgresql":
        tsquery = " & ".join(f"{t}:*" for t in terms)
        return text("claims.search_vector @@ to_tsquery('simple', :tsquery)").bindparams(
            tsquery=tsquery
        )
    raise NotImplementedError(f"full-text search is not available on {dialect}")


# Manual priority first, then check-worthiness raised with recurrence (claims/recurrence.py),
# then the newest; all three are in one index per status, so any page is one index range.
QUEUE_ORDER = (Claim.priority.desc(), Claim.queue_score.desc(), Claim.id.desc())


def list_claims(
    session: Session,
    filters: QueueFilters | None = None,
    *,
    after: Cursor | None = None,
    per_page: int = PAGE_SIZE,
) -> ClaimPage:
    """Return one page of the queue: highest priority first, then most check-worthy (raised for a
    claim seen in several documents), then newest; `after` is the cursor of the previous page
    (keyset pagination, as fast deep as on page 1)."""
    filters = filters or QueueFilters()
    conditions = _queue_conditions(session, filters)
    total = session.scalar(select(func.count(Claim.id)).where(*conditions)) or 0
    query = select(Claim).where(*conditions)
    if after is not None:
        key = tuple_(Claim.priority, Claim.queue_score, Claim.id)
        query = query.where(key < tuple_(after.priority, after.score, after.claim_id))
    rows = list(
        session.scalars(
            query.options(
                selectinload(Claim.document).load_only(Document.id, Document.title),
                selectinload(Claim.suggestions),
                selectinload(Claim.assignee),
            )
            .order_by(*QUEUE_ORDER)
            .limit(per_page + 1)
        )
    )
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        last = rows[-1]
        next_cursor = Cursor(last.priority, last.queue_score, last.id)
    return ClaimPage(claims=rows, next_cursor=next_cursor, total=total)


def count_claims_by_status(session: Session, filters: QueueFilters | None = None) -> dict[str, int]:
    """Return the number of claims per status (every status listed) under `filters`, whatever
    status they name."""
    conditions = _queue_conditions(session, (filters or QueueFilters()).without_status())
    query = select(Claim.status, func.count(Claim.id)).where(*conditions).group_by(Claim.status)
    counts = {status.value: 0 for status in ClaimStatus}
    for status, count in session.execute(query):
        counts[ClaimStatus(status).value] = count
    return counts


def languages_in_use(session: Session) -> list[str]:
    """Return the language codes of the stored documents and those the segmenter knows, for the
    queue's filter (documents, not claims: a scan of every claim is too slow for a menu)."""
    return sorted({"en", "fr", *session.scalars(select(Document.language).distinct())})


def statuses_of(session: Session, claim_ids: Iterable[int]) -> dict[int, ClaimStatus]:
    """Return the current status of each existing claim among `claim_ids`."""
    ids = list(claim_ids)
    if not ids:
        return {}
    rows = session.execute(select(Claim.id, Claim.status).where(Claim.id.in_(ids)))
    return {claim_id: ClaimStatus(status) for claim_id, status in rows}


@dataclass(frozen=True, slots=True)
class DocumentRow:
    document: Document
    counts: dict[str, int]
    total: int

    @property
    def pending(self) -> int:
        """How many of the document's claims wait for their check or are being checked."""
        return sum(self.counts[status.value] for status in ACTIVE_STATUSES)


def list_documents(session: Session) -> list[DocumentRow]:
    """Return every document, newest first, with its number of claims per status."""
    documents = session.scalars(
        select(Document).options(defer(Document.text)).order_by(Document.id.desc())
    ).all()
    counts: dict[int, dict[str, int]] = {
        d.id: {status.value: 0 for status in ClaimStatus} for d in documents
    }
    grouped = session.execute(
        select(Claim.document_id, Claim.status, func.count(Claim.id)).group_by(
            Claim.document_id, Claim.status
        )
    )
    for document_id, status, count in grouped:
        if document_id in counts:
            counts[document_id][ClaimStatus(status).value] = count
    return [DocumentRow(d, counts[d.id], sum(counts[d.id].values())) for d in documents]


def get_claim_for_review(session: Session, claim_id: int) -> Claim:
    """Return the claim with everything its review page shows loaded, or raise NotFoundError."""
    claim = session.get(
        Claim,
        claim_id,
        options=[
            selectinload(Claim.document),
            selectinload(Claim.history),
            selectinload(Claim.suggestions),
            selectinload(Claim.verdict_by),
            selectinload(Claim.assignee),
            selectinload(Claim.published_by),
            selectinload(Claim.evidence)
            .selectinload(Evidence.passage)
            .selectinload(Passage.source),
        ],
    )
    if claim is None:
        raise NotFoundError(f"no claim with id {claim_id}")
    return claim


def get_document_for_review(session: Session, document_id: int) -> Document:
    """Return the document with its claims loaded, or raise NotFoundError."""
    document = session.get(Document, document_id, options=[selectinload(Document.claims)])
    if document is None:
        raise NotFoundError(f"no document with id {document_id}")
    return document


def document_exists(session: Session, document_id: int) -> bool:
    """Return whether a document with this id exists."""
    return session.scalar(select(Document.id).where(Document.id == document_id)) is not None
