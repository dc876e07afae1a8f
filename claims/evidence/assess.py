"""From what providers found to evidence rows: each source assessed against the claim, the best
kept, stored one row per claim, provider and source."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claims import verdicts
from claims.evidence.base import ClaimQuery, Found
from claims.library import split_passages
from claims.models import Claim, Evidence, Stance

MIN_SCORE = 0.15
PER_PROVIDER = {"library": 5}
DEFAULT_PER_PROVIDER = 3
MAX_EVIDENCE = 10
# Evidence a person attached (a web page, a library passage); a re-check keeps it.
ATTACHED_PROVIDERS = frozenset({"web", "library-attached"})
# How much of the claim's key terms a fact-check's reviewed claim must share to count as the
# same claim, so that its rating says something about this one.
SAME_CLAIM_OVERLAP = 0.4
RATING_SUPPORTS = 0.7
RATING_REFUTES = 0.35


def assess(query: ClaimQuery, found: Found) -> verdicts.Assessment:
    """What `found` says about the claim."""
    if found.details.get("kind") == "fact-check":
        return _assess_fact_check(query, found)
    return _assess_text(query, found.text, found.language)


def _assess_text(query: ClaimQuery, text: str, language: str | None) -> verdicts.Assessment:
    from claims.text import detect_language, extract_quantities

    # Figures are read in the source's own language: "98,000" is a thousand times "98,0".
    stated = [q.to_dict() for q in extract_quantities(text, language or detect_language(text))]
    return verdicts.assess_passage(
        query.text, list(query.quantities), text, stated, speaker=query.speaker
    )


def assess_long_text(query: ClaimQuery, text: str, language: str | None) -> verdicts.Assessment:
    """Assess a whole page by its paragraph that bears most on the claim."""
    best: verdicts.Assessment | None = None
    for paragraph in split_passages(text)[:200] or [text]:
        assessment = _assess_text(query, paragraph, language)
        if best is None or assessment.score > best.score:
            best = assessment
    assert best is not None
    return best


def _assess_fact_check(query: ClaimQuery, found: Found) -> verdicts.Assessment:
    reviewed = found.details.get("claim_reviewed") or found.text
    base = _assess_text(query, reviewed, found.language)
    terms = set(query.key_terms())
    shared = terms & set(verdicts.key_terms(reviewed))
    overlap = len(shared) / (len(terms) or 1)
    value = found.details.get("rating_value")
    rating = found.details.get("rating") or "no rating"
    publisher = found.details.get("publisher") or "an earlier fact-check"
    numbers = base.number_match
    same_figures = numbers is None or numbers["match"]
    if value is None or overlap < SAME_CLAIM_OVERLAP or not same_figures:
        return base
    reason = f"{publisher} rated the same claim {rating!r}"
    if found.details.get("date"):
        reason += f" on {found.details['date']}"
    score = round(min(1.0, 0.4 + 0.5 * overlap), 3)
    if value >= RATING_SUPPORTS:
        stance = Stance.SUPPORTS
    elif value <= RATING_REFUTES:
        stance = Stance.REFUTES
    else:
        stance, score = Stance.NEUTRAL, round(0.5 * overlap, 3)
    reasons = (f"{round(100 * overlap)} % of the claim's key terms", reason)
    return verdicts.Assessment(stance, score, reviewed, numbers, reasons)


def select_evidence(
    assessed: Sequence[tuple[Found, verdicts.Assessment]],
) -> list[tuple[Found, verdicts.Assessment]]:
    """Keep the sources that bear on the claim: the best few per provider, best first."""
    by_provider: dict[str, list[tuple[Found, verdicts.Assessment]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for found, assessment in sorted(assessed, key=lambda fa: -fa[1].score):
        if assessment.score <= MIN_SCORE or (found.provider, found.source_key) in seen:
            continue
        seen.add((found.provider, found.source_key))
        by_provider[found.provider].append((found, assessment))
    kept = [
        pair
        for provider, pairs in by_provider.items()
        for pair in pairs[: PER_PROVIDER.get(provider, DEFAULT_PER_PROVIDER)]
    ]
    kept.sort(key=lambda fa: -fa[1].score)
    return kept[:MAX_EVIDENCE]


def replace_evidence(
    session: Session, claim: Claim, kept: Sequence[tuple[Found, verdicts.Assessment]]
) -> None:
    """Replace the claim's provider evidence with `kept`; evidence a person attached stays, and a
    passage a person attached is not added a second time."""
    session.execute(
        delete(Evidence).where(
            Evidence.claim_id == claim.id, Evidence.provider.not_in(ATTACHED_PROVIDERS)
        )
    )
    session.expire(claim, ["evidence"])
    attached = set(
        session.scalars(
            select(Evidence.passage_id).where(
                Evidence.claim_id == claim.id, Evidence.passage_id.is_not(None)
            )
        )
    )
    for found, assessment in kept:
        if found.passage_id is None:
            session.add(evidence_row(claim.id, found, assessment))
        elif found.passage_id not in attached:
            try:
                # A person attaching the same passage meanwhile wins: a passage is kept once.
                with session.begin_nested():
                    session.add(evidence_row(claim.id, found, assessment))
            except IntegrityError:
                continue
    session.flush()


def evidence_row(claim_id: int, found: Found, assessment: verdicts.Assessment) -> Evidence:
    """A new evidence row for what `found` says about the claim."""
    return Evidence(
        claim_id=claim_id,
        provider=found.provider,
        source_key=found.source_key,
        passage_id=found.passage_id,
        source_title=found.title[:500],
        source_url=found.url,
        stance=assessment.stance,
        score=assessment.score,
        snippet=assessment.sentence,
        number_match=assessment.number_match,
        details=_details(found, assessment),
    )


def _details(found: Found, assessment: verdicts.Assessment) -> dict[str, Any]:
    details = {k: v for k, v in found.details.items() if v is not None}
    if found.published:
        details.setdefault("published", found.published)
    details["reasons"] = list(assessment.reasons)
    # Kept so a later suggestion (after a re-check or a web page) can tell quote from truth.
    for name in ("relevance", "contradiction", "attribution"):
        value = getattr(assessment, name)
        if value is not None:
            details[name] = value
    return details


def stored_assessments(claim: Claim) -> list[tuple[str, verdicts.Assessment]]:
    """The claim's evidence rows as (title, assessment) pairs, for a suggestion."""
    return [
        (
            e.title,
            verdicts.Assessment(
                e.stance,
                e.score,
                e.snippet,
                e.number_match,
                tuple((e.details or {}).get("reasons") or ()),
                relevance=(e.details or {}).get("relevance"),
                contradiction=(e.details or {}).get("contradiction"),
                attribution=(e.details or {}).get("attribution"),
            ),
        )
        for e in sorted(claim.evidence, key=lambda e: -e.score)
    ]
