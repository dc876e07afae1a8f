"""Checking a claim: ask the evidence providers, assess what they found, suggest a verdict.

A check is idempotent: run twice, it leaves the same evidence rows and one suggestion per method.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims import recurrence, verdicts
from claims.db import utcnow
from claims.evidence.assess import assess, replace_evidence, select_evidence, stored_assessments
from claims.evidence.base import ClaimQuery
from claims.evidence.runner import EvidenceConfig, gather_evidence
from claims.models import Claim, ClaimStatus, Suggestion
from claims.workflow import change_status, get_claim

WORKER = "worker"
# How long a check stays fresh enough to be reused by a repeat of the claim (Settings has the
# configured value, CLAIMTRACK_RECHECK_AFTER_DAYS).
RECHECK_AFTER = timedelta(days=7)


def start_check(session: Session, claim_id: int) -> bool:
    """Mark a queued claim as being checked; False when there is nothing to do (already checked)."""
    claim = get_claim(session, claim_id)
    if claim.status == ClaimStatus.QUEUED:
        change_status(session, claim, ClaimStatus.CHECKING, actor=WORKER)
        return True
    # A claim left "checking" by a worker that died is picked up again.
    return claim.status == ClaimStatus.CHECKING


def check_claim(
    session: Session,
    claim_id: int,
    config: EvidenceConfig | None = None,
    *,
    fresh: bool = False,
    recheck_after: timedelta = RECHECK_AFTER,
) -> Claim:
    """Ask the evidence providers (by default the local ones), attach what bears on the claim and
    a suggested verdict, then move it to needs_review. A failing provider is recorded on the
    suggestion, never fatal.

    When another claim of the same group was checked less than `recheck_after` ago, its evidence
    and suggestion are copied instead (marked as reused), unless `fresh` asks for a new check."""
    claim = get_claim(session, claim_id)
    if claim.status != ClaimStatus.CHECKING:
        return claim
    if not fresh:
        earlier = recurrence.reusable_check(
            session,
            claim,
            method=verdicts.METHOD,
            method_version=verdicts.METHOD_VERSION,
            max_age=recheck_after,
        )
        if earlier is not None:
            recurrence.copy_check(session, claim, earlier)
            change_status(
                session,
                claim,
                ClaimStatus.NEEDS_REVIEW,
                actor=WORKER,
                note=f"check reused from claim {earlier.reused_from_claim_id or earlier.claim_id}",
            )
            claim.error = None
            return claim
    query = ClaimQuery.from_claim(claim)
    gathered = gather_evidence(session, query, config or EvidenceConfig.local_only())
    kept = select_evidence([(found, assess(query, found)) for found in gathered.found])
    for name, info in gathered.report.items():
        if info["status"] == "ok":
            info["kept"] = sum(1 for found, _ in kept if found.provider == name)
    replace_evidence(session, claim, kept)
    suggestion = verdicts.suggest_verdict(stored_assessments(claim), speaker=claim.speaker)
    record_suggestion(session, claim, suggestion, providers=gathered.report)
    change_status(session, claim, ClaimStatus.NEEDS_REVIEW, actor=WORKER)
    claim.error = None
    return claim


def record_suggestion(
    session: Session, claim: Claim, suggestion: verdicts.Suggestion, *, providers: dict
) -> Suggestion:
    """Store the suggestion of this method for the claim, replacing an earlier one."""
    row = session.scalar(
        select(Suggestion).where(
            Suggestion.claim_id == claim.id, Suggestion.method == verdicts.METHOD
        )
    )
    if row is None:
        row = Suggestion(claim_id=claim.id, method=verdicts.METHOD)
        session.add(row)
    row.method_version = verdicts.METHOD_VERSION
    row.verdict = suggestion.verdict
    row.confidence = suggestion.confidence
    # The rationale already ends with what sources say of the quote (suggest_verdict adds it).
    row.rationale = suggestion.rationale
    row.providers = providers
    row.created_at = row.checked_at = utcnow()
    row.reused_from_claim_id = None
    return row


def fail_check(session: Session, claim_id: int, error: str) -> None:
    """Record a permanent failure on the claim, visible to reviewers."""
    claim = get_claim(session, claim_id)
    claim.error = error[:2000]
    if claim.status in {ClaimStatus.QUEUED, ClaimStatus.CHECKING}:
        change_status(session, claim, ClaimStatus.FAILED, actor=WORKER, note=error[:500])
