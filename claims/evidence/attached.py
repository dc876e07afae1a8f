"""Library passages a person attaches to a claim by hand: search the source library from the claim,
then attach one passage as evidence, assessed as a check would assess it.

An attached passage is kept by later checks (like an attached web page) and is stored once per
claim and passage: attaching it again changes nothing, and a passage a check had already found
becomes attached rather than duplicated.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from claims.desk import record_event, require_work_on
from claims.errors import InvalidInputError, NotFoundError
from claims.evidence.assess import assess, evidence_row
from claims.evidence.base import ClaimQuery, Found
from claims.evidence.library import LibraryProvider
from claims.library import search_passages, search_terms
from claims.models import Claim, EventKind, Evidence, Passage, User
from claims.workflow import get_claim

PROVIDER = "library-attached"
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 30
MAX_RESULTS = 20


@dataclass(frozen=True, slots=True)
class LibraryMatch:
    """A passage of the library shown to a person looking for evidence."""

    passage: Passage
    rank: float
    attached: bool  # already evidence of the claim

    @property
    def title(self) -> str:
        return self.passage.source.title


def _passage_found(passage: Passage, provider: str = PROVIDER) -> Found:
    source = passage.source
    return Found(
        provider=provider,
        key=f"passage:{passage.id}",
        title=source.title,
        text=passage.text,
        url=source.url,
        language=source.language,
        published=source.published,
        passage_id=passage.id,
    )


def _evidence_by_passage(session: Session, claim_id: int) -> dict[int, Evidence]:
    rows = session.scalars(
        select(Evidence).where(Evidence.claim_id == claim_id, Evidence.passage_id.is_not(None))
    )
    return {e.passage_id: e for e in rows if e.passage_id is not None}


def search_library_for_claim(
    session: Session, claim: Claim, query: str | None, *, limit: int = MAX_RESULTS
) -> list[LibraryMatch]:
    """Passages of the library for `query`, best first; without a query, those a check would
    rank highest for the claim. Each says whether it is already evidence of the claim."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInputError(f"a search has at most {MAX_QUERY_CHARS} characters")
    if query:
        terms = search_terms(query.split())
        if not terms:
            raise InvalidInputError("search with at least one word or number")
        ranks = {
            p.id: rank for p, rank in search_passages(session, terms[:MAX_QUERY_TERMS], limit=limit)
        }
    else:
        # What a check would find: ranked by the claim's figures and names across languages.
        found = LibraryProvider(limit=limit).search(session, ClaimQuery.from_claim(claim))
        ranks = {f.passage_id: f.rank for f in found if f.passage_id is not None}
    loaded = {
        p.id: p
        for p in session.scalars(
            select(Passage).where(Passage.id.in_(ranks)).options(selectinload(Passage.source))
        )
    }
    passages = [(loaded[i], rank) for i, rank in ranks.items() if i in loaded][:limit]
    attached = _evidence_by_passage(session, claim.id)
    return [LibraryMatch(p, round(rank, 3), p.id in attached) for p, rank in passages]


def _store_attached(
    session: Session, claim: Claim, passage: Passage, by: User
) -> tuple[Evidence, bool]:
    # The schema keeps one row per claim and passage: a concurrent attach, or a check finding
    # the same passage, may store its row first; then that row is returned, with False.
    found = _passage_found(passage)
    row = evidence_row(claim.id, found, assess(ClaimQuery.from_claim(claim), found))
    row.details = {**(row.details or {}), "attached_by": by.username}
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = _evidence_by_passage(session, claim.id).get(passage.id)
        if existing is None:
            raise
        return existing, False
    return row, True


def attach_passage(
    session: Session, claim_id: int, passage_id: int, *, by: User
) -> tuple[Evidence, bool]:
    """Attach a library passage to the claim as evidence, with its stance and number comparison,
    and record it in the claim's history. Return (evidence, added): added is False when the
    passage was already attached. PermissionDeniedError unless `by` may work on the claim."""
    from claims.evidence.web import refresh_suggestion

    claim = get_claim(session, claim_id)
    require_work_on(by, claim)
    passage = session.get(Passage, passage_id, options=[selectinload(Passage.source)])
    if passage is None:
        raise NotFoundError(f"no library passage with id {passage_id}")
    evidence = _evidence_by_passage(session, claim.id).get(passage.id)
    created = False
    if evidence is None:
        evidence, created = _store_attached(session, claim, passage, by)
    if not created:
        if evidence.provider == PROVIDER and evidence.reused_from_claim_id is None:
            return evidence, False
        # A check found it already, or it was copied from another claim where someone attached
        # it: it becomes the person's, on this claim, so later checks keep it.
        evidence.provider = PROVIDER
        evidence.reused_from_claim_id = None
        evidence.details = {**(evidence.details or {}), "attached_by": by.username}
    session.flush()
    record_event(
        session,
        claim,
        EventKind.EVIDENCE_ADDED,
        by,
        evidence=evidence.id,
        source=passage.source.title,
        passage=passage.id,
    )
    refresh_suggestion(session, claim, PROVIDER)
    return evidence, True
