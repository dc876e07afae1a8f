"""Reading the claims of a report from the database in small batches, and their report rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from claims.errors import InvalidInputError
from claims.models import Claim, ClaimStatus, Evidence, Passage

BATCH = 500


def parse_status(status: str | ClaimStatus | None) -> ClaimStatus | None:
    """Return the status named `status`, or raise InvalidInputError listing the choices."""
    if status is None or status == "":
        return None
    try:
        return ClaimStatus(status)
    except ValueError:
        raise InvalidInputError(
            f"unknown status {status!r}; use one of {', '.join(s.value for s in ClaimStatus)}"
        ) from None


def iter_claims(
    session: Session,
    *,
    document_id: int | None = None,
    status: str | ClaimStatus | None = None,
    reviewed_only: bool = False,
    batch: int = BATCH,
) -> Iterator[Claim]:
    """Yield claims with what a report shows loaded, in document and text order.

    Each batch is a fresh keyset query and the session is emptied after it, so memory stays flat
    however many claims there are; use each claim before asking for the next batch.
    """
    query = (
        select(Claim)
        .options(
            selectinload(Claim.document),
            selectinload(Claim.suggestions),
            selectinload(Claim.verdict_by),
            selectinload(Claim.evidence)
            .selectinload(Evidence.passage)
            .selectinload(Passage.source),
        )
        .order_by(Claim.document_id, Claim.start, Claim.id)
    )
    if document_id is not None:
        query = query.where(Claim.document_id == document_id)
    wanted = parse_status(status)
    if wanted is not None:
        query = query.where(Claim.status == wanted)
    if reviewed_only:
        query = query.where(Claim.verdict.is_not(None))
    last: tuple[int, int, int] | None = None
    while True:
        page = query
        if last is not None:
            doc, start, cid = last
            page = page.where(
                (Claim.document_id > doc)
                | ((Claim.document_id == doc) & (Claim.start > start))
                | ((Claim.document_id == doc) & (Claim.start == start) & (Claim.id > cid))
            )
        claims = session.scalars(page.limit(batch)).all()
        if not claims:
            return
        yield from claims
        tail = claims[-1]
        last = (tail.document_id, tail.start, tail.id)
        session.expunge_all()


def iter_report_rows(
    session: Session, *, document_id: int | None = None, status: str | None = None
) -> Iterator[dict[str, Any]]:
    """Yield one report row per claim, in document and text order."""
    for claim in iter_claims(session, document_id=document_id, status=status):
        yield claim_row(claim)


def claim_row(claim: Claim) -> dict[str, Any]:
    """Return the report row of one claim."""
    suggestion = claim.suggestion
    return {
        "claim_id": claim.id,
        "document_id": claim.document_id,
        "document_title": claim.document.title,
        "document_origin": claim.document.origin,
        "claim": claim.text,
        "start": claim.start,
        "end": claim.end,
        "speaker": claim.speaker,
        "time": claim.time,
        "status": claim.status.value,
        "checkworthiness": round(claim.checkworthiness, 3),
        # In how many documents the same claim was seen (claims/recurrence.py).
        "recurrence": claim.recurrence,
        "quantities": claim.quantities,
        "suggested_verdict": suggestion.verdict.value if suggestion else None,
        "confidence": suggestion.confidence if suggestion else None,
        "suggestion_rationale": suggestion.rationale if suggestion else None,
        "suggestion_reused_from": suggestion.reused_from_claim_id if suggestion else None,
        "verdict": claim.verdict.value if claim.verdict else None,
        "verdict_rationale": claim.verdict_rationale,
        "reviewer": claim.verdict_by.username if claim.verdict_by else None,
        "verdict_at": claim.verdict_at.isoformat() if claim.verdict_at else None,
        "evidence": [
            {
                **evidence_source(e),
                "snippet": e.snippet,
                "stance": e.stance.value,
                "score": e.score,
                "number_match": e.number_match,
            }
            for e in claim.evidence
        ],
    }


def evidence_source(evidence: Evidence) -> dict[str, str | None]:
    """Return the title, URL and library path of the source a piece of evidence comes from."""
    passage = evidence.passage
    source = passage.source if passage is not None else None
    # Evidence found outside the library (a fact-check, a web page) names its source itself.
    title = getattr(evidence, "source_title", None) or (source.title if source else None)
    return {
        "source": title or getattr(evidence, "provider", None) or "source",
        "url": getattr(evidence, "source_url", None) or (source.url if source else None),
        "path": source.path if source else None,
    }
