"""Checking a claim: find evidence in the source library, assess it, suggest a verdict.

A check is idempotent: run twice, it leaves the same evidence rows and one suggestion per method.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from claims import verdicts
from claims.library import search_passages
from claims.models import Claim, ClaimStatus, Evidence, Suggestion
from claims.workflow import change_status, get_claim

MAX_CANDIDATES = 12
MAX_EVIDENCE = 5
WORKER = "worker"


def start_check(session: Session, claim_id: int) -> bool:
    """Mark a queued claim as being checked; False when there is nothing to do (already checked)."""
    claim = get_claim(session, claim_id)
    if claim.status == ClaimStatus.QUEUED:
        change_status(session, claim, ClaimStatus.CHECKING, actor=WORKER)
        return True
    # A claim left "checking" by a worker that died is picked up again.
    return claim.status == ClaimStatus.CHECKING


def check_claim(session: Session, claim_id: int) -> Claim:
    """Attach library evidence and a suggested verdict to a claim being checked, then move it to
    needs_review."""
    from claims.text import extract_quantities

    claim = get_claim(session, claim_id)
    if claim.status != ClaimStatus.CHECKING:
        return claim
    terms = verdicts.key_terms(claim.text)
    terms += [str(int(q["value"])) for q in claim.quantities if float(q["value"]).is_integer()]
    terms += [word for entity in claim.entities for word in entity.split()]
    candidates = search_passages(session, terms, limit=MAX_CANDIDATES)
    assessed = []
    for passage, _rank in candidates:
        stated = [q.to_dict() for q in extract_quantities(passage.text, passage.source.language)]
        assessment = verdicts.assess_passage(claim.text, claim.quantities, passage.text, stated)
        assessed.append((passage, assessment))
    assessed.sort(key=lambda pa: -pa[1].score)
    kept = [(p, a) for p, a in assessed if a.score > 0.15][:MAX_EVIDENCE]

    session.execute(delete(Evidence).where(Evidence.claim_id == claim.id))
    for passage, assessment in kept:
        session.add(
            Evidence(
                claim_id=claim.id,
                passage_id=passage.id,
                stance=assessment.stance,
                score=assessment.score,
                snippet=assessment.sentence,
                number_match=assessment.number_match,
            )
        )
    suggestion = verdicts.suggest_verdict([(p.source.title, a) for p, a in kept])
    record_suggestion(
        session,
        claim,
        suggestion,
        providers={"library": {"status": "ok", "candidates": len(candidates), "kept": len(kept)}},
    )
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
    row.rationale = suggestion.rationale
    row.providers = providers
    return row


def fail_check(session: Session, claim_id: int, error: str) -> None:
    """Record a permanent failure on the claim, visible to reviewers."""
    claim = get_claim(session, claim_id)
    claim.error = error[:2000]
    if claim.status in {ClaimStatus.QUEUED, ClaimStatus.CHECKING}:
        change_status(session, claim, ClaimStatus.FAILED, actor=WORKER, note=error[:500])
