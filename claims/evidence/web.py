"""Web pages as evidence: a reviewer or an API client attaches a URL to a claim, a worker fetches
it safely, extracts its main text, keeps an archived copy (SHA-256, fetch time, final URL) and
attaches what the page says about the claim."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.db import utcnow
from claims.errors import InvalidInputError, NotFoundError
from claims.evidence.assess import assess_long_text, stored_assessments
from claims.evidence.base import ClaimQuery, Found
from claims.fetch import FetchedPage
from claims.models import (
    ArchivedPage,
    Claim,
    Evidence,
    EvidenceRequest,
    OutboxMessage,
    RequestStatus,
    User,
)
from claims.workflow import ACTIVE_STATUSES, get_claim

FETCH_EVIDENCE_TASK = "claimtrack.fetch_evidence"
PROVIDER = "web"
MAX_URL = 2000


def request_web_evidence(
    session: Session, claim_id: int, url: str, *, user: User | None = None, actor: str = "system"
) -> EvidenceRequest:
    """Ask a worker to fetch `url` as evidence for the claim (after this transaction commits).

    Asking again for the same page fetches it again, so a changed page gets a new archived copy.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidInputError(f"give an http or https address, not {url[:200]!r}")
    if len(url) > MAX_URL:
        raise InvalidInputError(f"the address is longer than {MAX_URL} characters")
    claim = get_claim(session, claim_id)
    request = session.scalar(
        select(EvidenceRequest).where(
            EvidenceRequest.claim_id == claim.id, EvidenceRequest.url == url
        )
    )
    if request is None:
        request = EvidenceRequest(claim_id=claim.id, url=url)
        session.add(request)
    request.requested_by = (user.username if user is not None else actor)[:80]
    request.status = RequestStatus.PENDING
    request.error = None
    request.finished_at = None
    session.flush()
    session.add(OutboxMessage(task=FETCH_EVIDENCE_TASK, args=[request.id]))
    return request


def list_web_requests(session: Session, claim_id: int) -> list[EvidenceRequest]:
    """The web pages asked for as evidence of a claim, newest first."""
    return list(
        session.scalars(
            select(EvidenceRequest)
            .where(EvidenceRequest.claim_id == claim_id)
            .order_by(EvidenceRequest.id.desc())
        )
    )


def pending_url(session: Session, request_id: int) -> str | None:
    """The address to fetch for a pending request; None when it is done or gone."""
    request = session.get(EvidenceRequest, request_id)
    if request is None or request.status != RequestStatus.PENDING:
        return None
    return request.url


def attach_web_evidence(
    session: Session, request_id: int, page: FetchedPage, *, max_bytes: int
) -> Evidence:
    """Archive a fetched page and attach what it says about the request's claim.

    InvalidInputError when the page holds no usable text. Running it twice leaves one archived
    copy per content and one evidence row per claim and address.
    """
    from claims.documents import document_from_page

    request = session.get(EvidenceRequest, request_id)
    if request is None:
        raise NotFoundError(f"no evidence request with id {request_id}")
    claim = get_claim(session, request.claim_id)
    extracted = document_from_page(page, max_bytes=max_bytes)
    archive = session.scalar(
        select(ArchivedPage).where(
            ArchivedPage.url == request.url, ArchivedPage.sha256 == page.sha256
        )
    )
    if archive is None:
        archive = ArchivedPage(
            url=request.url,
            final_url=page.final_url[:2000],
            status=page.status,
            content_type=page.content_type[:200],
            sha256=page.sha256,
            fetched_at=page.fetched_at,
            title=(extracted.title or "")[:500] or None,
            text=extracted.text,
            body=page.body,
        )
        session.add(archive)
        session.flush()
    query = ClaimQuery.from_claim(claim)
    found = Found(
        provider=PROVIDER,
        key=request.url,
        title=extracted.title or urlsplit(page.final_url).netloc,
        text=extracted.text,
        url=page.final_url,
    )
    assessment = assess_long_text(query, extracted.text, None)
    evidence = session.scalar(
        select(Evidence).where(
            Evidence.claim_id == claim.id,
            Evidence.provider == PROVIDER,
            Evidence.source_key == found.source_key,
        )
    )
    if evidence is None:
        evidence = Evidence(claim_id=claim.id, provider=PROVIDER, source_key=found.source_key)
        session.add(evidence)
    evidence.source_title = found.title[:500]
    evidence.source_url = found.url
    evidence.archive_id = archive.id
    evidence.stance = assessment.stance
    evidence.score = assessment.score
    evidence.snippet = assessment.sentence
    evidence.number_match = assessment.number_match
    evidence.details = {
        "kind": "web",
        "requested_by": request.requested_by,
        "fetched_at": page.fetched_at.isoformat(),
        "sha256": page.sha256,
        "reasons": list(assessment.reasons),
    }
    request.status = RequestStatus.DONE
    request.error = None
    request.archive_id = archive.id
    request.finished_at = utcnow()
    session.flush()
    refresh_suggestion(session, claim, PROVIDER)
    return evidence


def fail_web_evidence(session: Session, request_id: int, error: str) -> None:
    """Record why a page could not be attached, for the reviewer who asked."""
    request = session.get(EvidenceRequest, request_id)
    if request is None:
        return
    request.status = RequestStatus.FAILED
    request.error = error[:2000]
    request.finished_at = utcnow()


def refresh_suggestion(session: Session, claim: Claim, provider: str) -> None:
    """Suggest the claim's verdict again after a person attached evidence from `provider`."""
    # A claim still being checked gets its suggestion from the check, which keeps this row.
    if claim.status in ACTIVE_STATUSES or claim.suggestion is None:
        return
    from claims import checking, verdicts

    session.refresh(claim, ["evidence"])
    previous = dict(claim.suggestion.providers or {})
    attached = sum(1 for e in claim.evidence if e.provider == provider)
    previous[provider] = {"status": "ok", "version": "1", "found": attached, "kept": attached}
    suggestion = verdicts.suggest_verdict(stored_assessments(claim), speaker=claim.speaker)
    checking.record_suggestion(session, claim, suggestion, providers=previous)
