"""Recurring claims: the same claim seen again in a later document joins the group of the
earlier one, rises in the queue, and its check reuses the earlier check instead of asking the
providers again (while that check is fresh).

Like the rest of `claims/`, functions take a Session, flush when they need ids and never commit.
Matching is an indexed lookup of fingerprints (claims/matching.py) followed by a check of the
few candidates found, so ingest stays cheap however many claims are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from claims.db import utcnow
from claims.matching import ClaimPrint, similarity
from claims.models import (
    Claim,
    ClaimFingerprint,
    ClaimGroup,
    ClaimOccurrence,
    ClaimStatus,
    Document,
    Evidence,
    Rating,
    Suggestion,
)
from claims.models.core import queue_score

# At most this many candidate rows are read per document; a repeat shares several fingerprints
# with its original, so a cap keeps a very common fingerprint from slowing ingest down.
MAX_CANDIDATES = 500
# Fingerprints looked up per statement.
_LOOKUP_SLICE = 5000
# PostgreSQL advisory lock held while a document's claims are grouped (any fixed number that no
# other part of the application uses; the bytes spell "claimgrp").
GROUPING_LOCK = 0x636C61696D677270
# Other claims of a group listed on a claim's page and in the API; the rest are counted.
SIGHTINGS_SHOWN = 20


@dataclass(frozen=True, slots=True)
class _Candidate:
    claim_id: int
    group_id: int
    claim_print: ClaimPrint


def assign_groups(session: Session, document: Document) -> None:
    """Put each claim of a newly stored document in a group: the group of the best matching
    earlier claim of another document, else the group of its exact key (one per key, even
    when two documents with a new claim are ingested at the same moment), which it founds."""
    claims = list(document.claims)
    if not claims:
        return
    _one_grouping_at_a_time(session)
    prints = {c.id: ClaimPrint.of(c.text, c.quantities or []) for c in claims}
    fingerprints = {
        claim_id: list(dict.fromkeys(p.fingerprints())) for claim_id, p in prints.items()
    }
    wanted = sorted({value for values in fingerprints.values() for value in values})
    # In slices: a long document has tens of thousands of fingerprints, more than a statement
    # may carry parameters (65,535 on PostgreSQL). The oldest MAX_CANDIDATES of the union are
    # the oldest MAX_CANDIDATES of the slices' oldest.
    found: set[int] = set()
    for first in range(0, len(wanted), _LOOKUP_SLICE):
        found.update(
            session.scalars(
                select(ClaimFingerprint.claim_id)
                .join(Claim, Claim.id == ClaimFingerprint.claim_id)
                .where(
                    ClaimFingerprint.value.in_(wanted[first : first + _LOOKUP_SLICE]),
                    Claim.document_id != document.id,
                )
                .distinct()
                .order_by(ClaimFingerprint.claim_id)
                .limit(MAX_CANDIDATES)
            )
        )
    candidate_ids = sorted(found)[:MAX_CANDIDATES]
    rows = session.execute(
        select(Claim.id, Claim.text, Claim.quantities, ClaimOccurrence.group_id)
        .join(ClaimOccurrence, ClaimOccurrence.claim_id == Claim.id)
        .where(Claim.id.in_(candidate_ids))
    ).all()
    candidates: dict[int, _Candidate] = {}
    for claim_id, text, quantities, group_id in rows:
        candidates[claim_id] = _Candidate(claim_id, group_id, ClaimPrint.of(text, quantities or []))
    now = utcnow()
    touched: set[int] = set()
    # Claims matching no earlier claim, by exact key: the first of each key founds a group.
    unmatched: dict[str, list[Claim]] = {}
    occurrences: list[ClaimOccurrence] = []
    for claim in claims:
        claim_print = prints[claim.id]
        best: tuple[float, int, _Candidate] | None = None
        for candidate in candidates.values():
            score = similarity(candidate.claim_print, claim_print)
            # The closest match wins; among equals the oldest claim.
            if score is not None and (best is None or (score, -candidate.claim_id) > best[:2]):
                best = (score, -candidate.claim_id, candidate)
        if best is None:
            unmatched.setdefault(claim_print.key, []).append(claim)
            continue
        score, _, matched = best
        occurrence = ClaimOccurrence(
            claim_id=claim.id,
            group_id=matched.group_id,
            match="exact" if score == 1.0 else "near",
            matched_claim_id=matched.claim_id,
            similarity=score,
        )
        touched.add(matched.group_id)
        occurrences.append(_placed(occurrence, document, claim_print.key))
    founded = _found_groups(session, {key: c[0].id for key, c in unmatched.items()}, now)
    for key, members in unmatched.items():
        group_id, first_claim_id = founded[key]
        for claim in members:
            if claim.id == first_claim_id:
                occurrence = ClaimOccurrence(claim_id=claim.id, group_id=group_id, match="first")
            else:
                # Said again in this document, or grouped meanwhile by a concurrent ingest.
                occurrence = ClaimOccurrence(
                    claim_id=claim.id,
                    group_id=group_id,
                    match="exact",
                    matched_claim_id=first_claim_id,
                    similarity=1.0,
                )
                touched.add(group_id)
            occurrences.append(_placed(occurrence, document, key))
    # Added together, so that they are inserted together.
    session.add_all(occurrences)
    session.flush()
    session.execute(
        insert(ClaimFingerprint),
        [
            {"value": value, "claim_id": claim_id}
            for claim_id, values in fingerprints.items()
            for value in values
        ],
    )
    if touched:
        _recount(session, sorted(touched), seen_at=now)


def _one_grouping_at_a_time(session: Session) -> None:
    # A near repeat is found through the fingerprints of committed claims, so two documents
    # grouped at the same moment would each miss the other's new claim and found two groups
    # for one claim. On PostgreSQL this transaction-level lock (released at commit or rollback)
    # lets one grouping run at a time; the second then sees the first's claims. The lock is
    # taken late in an ingest, after segmenting and storing the claims, and held only to the
    # commit, which follows soon after. SQLite already has one writer at a time.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql_text("SELECT pg_advisory_xact_lock(:key)"), {"key": GROUPING_LOCK})


def _placed(occurrence: ClaimOccurrence, document: Document, key: str) -> ClaimOccurrence:
    occurrence.document_id = document.id
    occurrence.text_key = key
    return occurrence


def _found_groups(
    session: Session, founders: dict[str, int], now: datetime
) -> dict[str, tuple[int, int | None]]:
    # A group per new exact key, founded by the given claim, unless another ingest has grouped
    # that key in the meantime: then that group is returned with its founder. Inserted in key
    # order with ON CONFLICT DO NOTHING: PostgreSQL makes an insert of a key another transaction
    # is inserting wait for that transaction's end, so two ingests of a new claim at the same
    # moment found one group, and waiting in one order cannot deadlock. SQLite has one writer.
    if not founders:
        return {}
    dialect = session.get_bind().dialect.name
    if dialect not in _INSERTS:
        raise NotImplementedError(f"claim groups are not supported on {dialect}")
    keys = sorted(founders)
    table = ClaimGroup.__table__
    inserted = session.execute(
        _INSERTS[dialect](table)
        .on_conflict_do_nothing(index_elements=[table.c.text_key])
        .returning(table.c.text_key, table.c.id),
        [
            {
                "text_key": key,
                "first_claim_id": founders[key],
                "occurrences": 1,
                "documents": 1,
                "first_seen_at": now,
                "last_seen_at": now,
            }
            for key in keys
        ],
    ).all()
    groups: dict[str, tuple[int, int | None]] = {
        key: (group_id, founders[key]) for key, group_id in inserted
    }
    taken = [key for key in keys if key not in groups]
    for first in range(0, len(taken), _LOOKUP_SLICE):
        for key, group_id, first_claim_id in session.execute(
            select(ClaimGroup.text_key, ClaimGroup.id, ClaimGroup.first_claim_id).where(
                ClaimGroup.text_key.in_(taken[first : first + _LOOKUP_SLICE])
            )
        ):
            groups[key] = (group_id, first_claim_id)
    missing = [key for key in taken if key not in groups]
    if missing:
        # Only if a group were deleted between the insert and this read; nothing does that.
        raise RuntimeError(f"{len(missing)} claim group(s) vanished while being joined")
    return groups


_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _recount(session: Session, group_ids: list[int], *, seen_at: datetime) -> None:
    # Counted from the members rather than incremented, after locking the groups (in id order,
    # so two ingests cannot deadlock): a concurrent ingest adding to the same group waits for
    # this one's commit, then counts its members too (PostgreSQL; SQLite has one writer).
    # FOR NO KEY UPDATE: enough against another recount, and it does not wait for the key-share
    # locks that inserting members takes, which would deadlock two ingests that both inserted.
    groups = session.scalars(
        select(ClaimGroup)
        .where(ClaimGroup.id.in_(group_ids))
        .order_by(ClaimGroup.id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).all()
    counts = {
        group_id: (occurrences, documents)
        for group_id, occurrences, documents in session.execute(
            select(
                ClaimOccurrence.group_id,
                func.count(),
                func.count(func.distinct(ClaimOccurrence.document_id)),
            )
            .where(ClaimOccurrence.group_id.in_(group_ids))
            .group_by(ClaimOccurrence.group_id)
        )
    }
    by_documents: dict[int, list[int]] = {}
    for group in groups:
        group.occurrences, group.documents = counts[group.id]
        group.last_seen_at = seen_at
        by_documents.setdefault(group.documents, []).append(group.id)
    # One update per number of documents (a few), not one per group.
    for documents, ids in by_documents.items():
        members = select(ClaimOccurrence.claim_id).where(ClaimOccurrence.group_id.in_(ids))
        session.execute(
            update(Claim)
            .where(Claim.id.in_(members))
            .values(
                recurrence=documents,
                queue_score=Claim.checkworthiness + queue_score(0.0, documents),
            ),
            execution_options={"synchronize_session": "fetch"},
        )


def group_of(session: Session, claim_id: int) -> int | None:
    """Return the id of the claim's group, None for a claim stored outside ingest."""
    return session.scalar(
        select(ClaimOccurrence.group_id).where(ClaimOccurrence.claim_id == claim_id)
    )


@dataclass(frozen=True, slots=True)
class Sighting:
    """Another claim of the same group: where and when the claim was seen."""

    claim_id: int
    document_id: int
    document_title: str | None
    seen_at: datetime
    status: ClaimStatus
    match: str


@dataclass(frozen=True, slots=True)
class Sightings:
    """The latest other claims of a claim's group, newest first, and the size of the group."""

    latest: list[Sighting]
    # The whole group, the claim itself included.
    claims: int
    documents: int

    @property
    def more(self) -> int:
        """The other claims of the group left out of `latest`."""
        return max(0, self.claims - 1 - len(self.latest))


def sightings(session: Session, claim_id: int, *, limit: int = SIGHTINGS_SHOWN) -> Sightings:
    """Return the `limit` latest other claims of the claim's group and the group's counts, in
    two bounded queries however large the group."""
    group_id = group_of(session, claim_id)
    if group_id is None:
        return Sightings([], 0, 0)
    claims, documents = session.execute(
        select(func.count(), func.count(func.distinct(ClaimOccurrence.document_id))).where(
            ClaimOccurrence.group_id == group_id
        )
    ).one()
    rows = session.execute(
        select(
            Claim.id,
            Claim.document_id,
            Document.title,
            Claim.created_at,
            Claim.status,
            ClaimOccurrence.match,
        )
        .join(ClaimOccurrence, ClaimOccurrence.claim_id == Claim.id)
        .join(Document, Document.id == Claim.document_id)
        .where(ClaimOccurrence.group_id == group_id, Claim.id != claim_id)
        .order_by(Claim.id.desc())
        .limit(limit)
    ).all()
    latest = [Sighting(r[0], r[1], r[2], r[3], ClaimStatus(r[4]), r[5]) for r in rows]
    return Sightings(latest, claims, documents)


@dataclass(frozen=True, slots=True)
class EarlierVerdict:
    """A published verdict on another claim of the same group."""

    claim_id: int
    rating: Rating
    published_at: datetime | None


def published_verdict(session: Session, claim_id: int) -> EarlierVerdict | None:
    """Return the latest published verdict on another claim of the claim's group, if any."""
    group_id = group_of(session, claim_id)
    if group_id is None:
        return None
    row = session.execute(
        select(Claim.id, Claim.verdict, Claim.published_at)
        .join(ClaimOccurrence, ClaimOccurrence.claim_id == Claim.id)
        .where(
            ClaimOccurrence.group_id == group_id,
            Claim.id != claim_id,
            Claim.status == ClaimStatus.PUBLISHED,
            Claim.verdict.is_not(None),
        )
        .order_by(Claim.published_at.desc(), Claim.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return EarlierVerdict(row[0], Rating(row[1]), row[2])


def reusable_check(
    session: Session, claim: Claim, *, method: str, method_version: str, max_age: timedelta
) -> Suggestion | None:
    """Return the freshest suggestion of another claim of the group made by this method and
    version no longer than `max_age` ago, or None (then the providers are asked)."""
    group_id = group_of(session, claim.id)
    if group_id is None or max_age <= timedelta(0):
        return None
    return session.scalar(
        select(Suggestion)
        .join(ClaimOccurrence, ClaimOccurrence.claim_id == Suggestion.claim_id)
        .where(
            ClaimOccurrence.group_id == group_id,
            Suggestion.claim_id != claim.id,
            Suggestion.method == method,
            Suggestion.method_version == method_version,
            Suggestion.checked_at >= utcnow() - max_age,
        )
        .order_by(Suggestion.checked_at.desc(), Suggestion.id.desc())
        .limit(1)
    )


def copy_check(session: Session, claim: Claim, source: Suggestion) -> Suggestion:
    """Copy the evidence and suggestion of `source` onto `claim`, marked as reused from the
    claim that was checked (each piece of evidence: from the claim it was found or attached
    on), with the time of that check; replaces the claim's own."""
    from claims.evidence.assess import ATTACHED_PROVIDERS

    original = source.reused_from_claim_id or source.claim_id
    # Evidence a person attached to this claim stays, as after a fresh check.
    session.execute(
        delete(Evidence).where(
            Evidence.claim_id == claim.id, Evidence.provider.not_in(ATTACHED_PROVIDERS)
        )
    )
    attached = session.execute(
        select(Evidence.provider, Evidence.source_key, Evidence.passage_id).where(
            Evidence.claim_id == claim.id
        )
    ).all()
    kept = {(provider, key) for provider, key, _ in attached}
    # A passage is evidence of a claim once: one attached here is not copied again.
    passages = {passage_id for _, _, passage_id in attached if passage_id is not None}
    session.expire(claim, ["evidence", "suggestions"])
    for row in session.scalars(select(Evidence).where(Evidence.claim_id == source.claim_id)):
        if (row.provider, row.source_key) in kept or row.passage_id in passages:
            continue
        # Marked with the claim the row was made on (found by its check, or attached there by
        # a person), so that "attached by X" reads as on that claim, never as on this one.
        session.add(
            Evidence(
                claim_id=claim.id,
                **{name: getattr(row, name) for name in _EVIDENCE_FIELDS},
                reused_from_claim_id=row.reused_from_claim_id or row.claim_id,
            )
        )
    suggestion = session.scalar(
        select(Suggestion).where(
            Suggestion.claim_id == claim.id, Suggestion.method == source.method
        )
    )
    if suggestion is None:
        suggestion = Suggestion(claim_id=claim.id, method=source.method)
        session.add(suggestion)
    suggestion.method_version = source.method_version
    suggestion.verdict = source.verdict
    suggestion.confidence = source.confidence
    suggestion.rationale = source.rationale
    suggestion.providers = dict(source.providers or {})
    suggestion.created_at = utcnow()
    suggestion.checked_at = source.checked_at or source.created_at
    suggestion.reused_from_claim_id = original
    session.flush()
    return suggestion


_EVIDENCE_FIELDS = (
    "provider",
    "source_key",
    "passage_id",
    "source_title",
    "source_url",
    "archive_id",
    "stance",
    "score",
    "snippet",
    "number_match",
    "details",
    "created_at",
)


def recurrence_summary(session: Session, claim_id: int) -> dict[str, Any]:
    """The latest other claims of the claim's group, how many more there are, and a verdict
    already published on one of them, as the API shows them."""
    seen = sightings(session, claim_id)
    earlier = published_verdict(session, claim_id)
    return {
        "seen_in": [
            {
                "claim_id": s.claim_id,
                "document_id": s.document_id,
                "document_title": s.document_title,
            }
            for s in seen.latest
        ],
        "seen_in_more": seen.more,
        "already_fact_checked": (
            {
                "claim_id": earlier.claim_id,
                "rating": earlier.rating.value,
                "published_at": earlier.published_at.isoformat() if earlier.published_at else None,
            }
            if earlier
            else None
        ),
    }
