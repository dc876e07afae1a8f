"""Read queries of the review desk: pages of claims, one claim or document with what it shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, selectinload

from claims.errors import NotFoundError
from claims.models import Claim, ClaimStatus, Document, Evidence, Passage

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class ClaimPage:
    claims: list[Claim]
    page: int
    pages: int
    total: int


def list_claims(
    session: Session,
    *,
    status: ClaimStatus | None = None,
    document_id: int | None = None,
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> ClaimPage:
    """Return one page of claims, most check-worthy first, then by id."""
    conditions = []
    if status is not None:
        conditions.append(Claim.status == status)
    if document_id is not None:
        conditions.append(Claim.document_id == document_id)
    total = session.scalar(select(func.count(Claim.id)).where(*conditions)) or 0
    rows = session.scalars(
        select(Claim)
        .where(*conditions)
        .options(selectinload(Claim.document).defer(Document.text), selectinload(Claim.suggestions))
        .order_by(Claim.checkworthiness.desc(), Claim.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    pages = max(1, -(-total // per_page))
    return ClaimPage(claims=list(rows), page=page, pages=pages, total=total)


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
