"""A claim's life: ingestion, status changes with their history, the reviewer's verdict.

Functions here take a Session, flush when they need ids and never commit: the caller (a view,
a task, a CLI command) commits once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from claims.db import utcnow
from claims.errors import ConflictError, InvalidInputError, NotFoundError
from claims.models import (
    Claim,
    ClaimStatus,
    Document,
    OutboxMessage,
    Rating,
    StatusChange,
    User,
)
from claims.recurrence import assign_groups

CHECK_TASK = "claimtrack.check_claim"

S = ClaimStatus
# Which status may follow which. Workers move queued -> checking -> needs_review|failed;
# people triage and review; a failed or stale check can be queued again.
TRANSITIONS: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    S.QUEUED: frozenset({S.CHECKING, S.DISMISSED, S.FAILED}),
    S.CHECKING: frozenset({S.NEEDS_REVIEW, S.FAILED, S.QUEUED}),
    S.NEEDS_REVIEW: frozenset({S.IN_REVIEW, S.VERIFIED, S.DISMISSED, S.QUEUED}),
    S.IN_REVIEW: frozenset({S.NEEDS_REVIEW, S.VERIFIED, S.DISMISSED, S.QUEUED}),
    S.VERIFIED: frozenset({S.IN_REVIEW, S.PUBLISHED, S.DISMISSED}),
    S.DISMISSED: frozenset({S.NEEDS_REVIEW, S.QUEUED}),
    S.FAILED: frozenset({S.QUEUED, S.DISMISSED, S.IN_REVIEW}),
    S.PUBLISHED: frozenset({S.IN_REVIEW}),
}
ACTIVE_STATUSES = frozenset({S.QUEUED, S.CHECKING})


@dataclass(frozen=True, slots=True)
class IngestResult:
    document: Document
    created: bool


def ingest_document(
    session: Session,
    text: str,
    origin: str,
    *,
    language: str | None = None,
    title: str | None = None,
    actor: str = "system",
    user: User | None = None,
    mode: str | None = None,
) -> IngestResult:
    """Store a document with its claims, segmented in `mode` (segment's default if None), and one
    queued check per claim; the same text twice is stored once."""
    from claims.text import segment_document
    from claims.text.segment import DEFAULT_MODE

    mode = check_segment_mode(DEFAULT_MODE if mode is None else mode)
    if not text.strip():
        raise InvalidInputError(f"{origin} has no text")
    digest = hashlib.sha256(text.encode()).hexdigest()
    existing = session.scalar(select(Document).where(Document.sha256 == digest))
    if existing is not None:
        return IngestResult(existing, created=False)
    segmented = segment_document(text, language=language, mode=mode)
    document = _insert_document(
        session,
        title=title or segmented.title,
        origin=origin[:2000],
        language=segmented.language,
        date=segmented.date,
        text=text,
        sha256=digest,
    )
    if document is None:
        # Another ingest stored the same text after the lookup above and has committed: its
        # document, claims and queued checks are the ones kept.
        existing = session.scalar(select(Document).where(Document.sha256 == digest))
        if existing is None:  # only if it were deleted meanwhile; nothing deletes documents
            raise RuntimeError(f"document {digest} vanished while being stored")
        return IngestResult(existing, created=False)
    for span in segmented.claims:
        claim = Claim(
            text=span.text,
            start=span.start,
            end=span.end,
            sentence=span.sentence,
            language=span.language,
            checkworthiness=span.checkworthiness,
            reasons=list(span.reasons),
            quantities=[q.to_dict() for q in span.quantities],
            entities=list(span.entities),
            speaker=span.speaker,
            speaker_text=span.speaker_text,
            hedged=span.hedged,
            claim_type=span.claim_type,
            time=span.time.to_dict() if span.time is not None else None,
            status=S.QUEUED,
        )
        document.claims.append(claim)
    session.flush()
    # The same claim seen in an earlier document joins that claim's group (claims/recurrence.py).
    assign_groups(session, document)
    for claim in document.claims:
        _record_change(
            session, claim, current=None, to=S.QUEUED, actor=actor, user=user, note="ingested"
        )
        enqueue_check(session, claim)
    return IngestResult(document, created=True)


def check_segment_mode(mode: str) -> str:
    """Return `mode` if documents can be segmented in it, else raise InvalidInputError."""
    from claims.text.segment import MODES

    if mode not in MODES:
        raise InvalidInputError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    return mode


def _insert_document(session: Session, **values: object) -> Document | None:
    # INSERT ... ON CONFLICT DO NOTHING rather than a plain insert: when two ingests of one new
    # text both found nothing, the second waits at its insert for the first to commit (behind
    # PostgreSQL's unique index, or SQLite's single writer), then inserts nothing and returns
    # None, where a plain insert would fail on the unique digest.
    dialect = session.get_bind().dialect.name
    if dialect not in _INSERTS:
        raise NotImplementedError(f"documents are not supported on {dialect}")
    document = session.scalars(
        _INSERTS[dialect](Document)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[Document.sha256])
        .returning(Document)
    ).one_or_none()
    if document is not None:
        set_committed_value(document, "claims", [])  # a new document: no claims to load
    return document


_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def enqueue_check(session: Session, claim: Claim, *, fresh: bool = False) -> OutboxMessage:
    """Write the outbox message asking a worker to check `claim` once this transaction commits;
    `fresh` asks the providers again even when an earlier claim's check could be reused."""
    message = OutboxMessage(task=CHECK_TASK, args=[claim.id, True] if fresh else [claim.id])
    session.add(message)
    return message


def get_claim(session: Session, claim_id: int) -> Claim:
    """Return the claim with this id or raise NotFoundError."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"no claim with id {claim_id}")
    return claim


def get_document(session: Session, document_id: int) -> Document:
    """Return the document with this id or raise NotFoundError."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFoundError(f"no document with id {document_id}")
    return document


def change_status(
    session: Session,
    claim: Claim,
    to: ClaimStatus,
    *,
    actor: str,
    user: User | None = None,
    note: str | None = None,
) -> StatusChange | None:
    """Move `claim` to status `to` and record who, when, from and to; None if already there."""
    current = claim.status
    if current == to:
        return None
    if to not in TRANSITIONS[current]:
        raise ConflictError(f"claim {claim.id} cannot go from {current} to {to}")
    claim.status = to
    return _record_change(session, claim, current=current, to=to, actor=actor, user=user, note=note)


def _record_change(
    session: Session,
    claim: Claim,
    *,
    current: ClaimStatus | None,
    to: ClaimStatus,
    actor: str,
    user: User | None,
    note: str | None,
) -> StatusChange:
    change = StatusChange(
        claim_id=claim.id,
        from_status=current,
        to_status=to,
        actor=user.username if user is not None else actor,
        user_id=user.id if user is not None else None,
        note=note,
    )
    session.add(change)
    return change


def record_verdict(
    session: Session,
    claim_id: int,
    *,
    rating: Rating | str,
    rationale: str,
    user: User,
    expected_version: int | None = None,
) -> Claim:
    """Set the reviewer's verdict on a claim and mark it verified; ConflictError on a stale
    version."""
    claim = get_claim(session, claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise ConflictError(
            f"claim {claim_id} was changed by someone else (version {claim.version}, "
            f"you edited version {expected_version})"
        )
    try:
        rating = Rating(rating)
    except ValueError:
        raise InvalidInputError(
            f"unknown rating {rating!r}; use one of {', '.join(r.value for r in Rating)}"
        ) from None
    rationale = rationale.strip()
    if not rationale:
        raise InvalidInputError("a verdict needs a rationale")
    if claim.status in ACTIVE_STATUSES:
        raise ConflictError(f"claim {claim_id} is still {claim.status}; wait for its check")
    claim.verdict = rating
    claim.verdict_rationale = rationale
    claim.verdict_by_id = user.id
    claim.verdict_at = utcnow()
    claim.version += 1
    if claim.status == S.PUBLISHED:
        change_status(
            session,
            claim,
            S.IN_REVIEW,
            actor=user.username,
            user=user,
            note="verdict changed after publication",
        )
    change_status(
        session, claim, S.VERIFIED, actor=user.username, user=user, note=f"verdict: {rating}"
    )
    return claim


def requeue_claim(session: Session, claim: Claim, *, actor: str, user: User | None = None) -> None:
    """Queue a fresh check of `claim` (the providers are asked again, nothing is reused)."""
    change_status(session, claim, S.QUEUED, actor=actor, user=user, note="check requeued")
    claim.error = None
    enqueue_check(session, claim, fresh=True)


def requeue_stale_claims(session: Session, *, older_than: timedelta) -> int:
    """Queue again the checks of claims stuck queued or checking for longer than `older_than`.

    This is the safety net for a broker that lost a message or a worker killed mid-check.
    """
    cutoff = utcnow() - older_than
    stale = session.scalars(
        select(Claim).where(Claim.status.in_(ACTIVE_STATUSES), Claim.updated_at < cutoff)
    ).all()
    for claim in stale:
        if claim.status == S.CHECKING:
            change_status(session, claim, S.QUEUED, actor="system", note="check timed out")
        enqueue_check(session, claim)
        claim.updated_at = utcnow()
    return len(stale)


def count_by_status(session: Session, document_id: int | None = None) -> dict[str, int]:
    """Return the number of claims per status (every status listed), for one document or all."""
    query = select(Claim.status, func.count(Claim.id)).group_by(Claim.status)
    if document_id is not None:
        query = query.where(Claim.document_id == document_id)
    counts: Counter[str] = Counter({status.value: 0 for status in ClaimStatus})
    for status, count in session.execute(query):
        counts[ClaimStatus(status).value] = count
    return dict(counts)
