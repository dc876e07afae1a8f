"""Verdict fields: what a passage says about a claim, and the verdict the evidence suggests.

The first method is transparent and rule-based: overlap of key terms, comparison of the
quantities both texts state, and contradiction cues. Each result says why, in words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from claims.library import fold
from claims.models import Stance, SuggestedVerdict

METHOD = "library-rules"
METHOD_VERSION = "1"

_WORD = re.compile(r"\w+", re.UNICODE)
# Function words of French and English that carry no topic; written for this project.
STOPWORDS = frozenset(
    """
    les des une que qui dans pour par sur avec sont ont été etre être est ses leur leurs aux
    cette ces son sans mais plus moins tous toutes tout autre autres dont ainsi alors comme
    entre vers chez depuis selon lors avait avaient aussi elle elles ils nous vous faire fait
    the and that with from this have has had were was are for their they them into over than
    which while about after before there these those been being also said says would will
    """.split()
)
_CONTRADICTION_CUES = tuple(
    fold(cue)
    for cue in (
        "faux",
        "fausse",
        "démenti",
        "dément",
        "démentent",
        "aucune preuve",
        "n'a jamais",
        "contrairement",
        "inexact",
        "false",
        "denied",
        "denies",
        "no evidence",
        "never",
        "contrary to",
        "incorrect",
        "untrue",
        "debunked",
    )
)
# Relative gap between two figures below which they count as the same figure.
EXACT_TOLERANCE = 0.01
APPROXIMATE_TOLERANCE = 0.10


@dataclass(frozen=True, slots=True)
class Assessment:
    stance: Stance
    score: float
    sentence: str
    number_match: dict[str, Any] | None
    reasons: tuple[str, ...] = field(default=())


def key_terms(text: str) -> list[str]:
    """Return the folded content words of `text` that are worth searching for."""
    terms: list[str] = []
    for word in _WORD.findall(text):
        token = fold(word)
        wanted = token.isdigit() or (len(token) >= 4 and token not in STOPWORDS)
        if wanted and token not in terms:
            terms.append(token)
    return terms


def _is_year(quantity: dict[str, Any]) -> bool:
    value = quantity["value"]
    return float(value).is_integer() and 1800 <= value <= 2100 and not quantity.get("unit")


def compare_quantities(
    claimed: Sequence[dict[str, Any]], stated: Sequence[dict[str, Any]]
) -> dict[str, Any] | None:
    """Compare the claim's figures with a passage's; None when either states none.

    The result names the claimed and stated text, whether they match within the claim's own
    approximation, and the gap in percent.
    """
    claimed = [q for q in claimed if not _is_year(q)]
    stated = [q for q in stated if not _is_year(q)]
    if not claimed or not stated:
        return None
    best: dict[str, Any] | None = None
    for c in claimed:
        tolerance = APPROXIMATE_TOLERANCE if c.get("approximate") else EXACT_TOLERANCE
        for s in stated:
            if s.get("approximate"):
                tolerance = max(tolerance, APPROXIMATE_TOLERANCE)
            base = abs(c["value"]) or 1.0
            gap = abs(s["value"] - c["value"]) / base
            candidate = {
                "claimed": c["text"],
                "claimed_value": c["value"],
                "stated": s["text"],
                "stated_value": s["value"],
                "match": gap <= tolerance,
                "difference_percent": round(100 * (s["value"] - c["value"]) / base, 1),
            }
            if best is None or abs(candidate["difference_percent"]) < abs(
                best["difference_percent"]
            ):
                best = candidate
    return best


def _best_sentence(passage: str, terms: Sequence[str]) -> tuple[str, float]:
    sentences = [s.strip() for s in re.split(r"(?<=[.!?»”])\s+", passage) if s.strip()]
    wanted = set(terms)
    best, best_overlap = passage, 0.0
    for sentence in sentences:
        words = {fold(w) for w in _WORD.findall(sentence)}
        overlap = len(wanted & words) / (len(wanted) or 1)
        if overlap > best_overlap:
            best, best_overlap = sentence, overlap
    return best, best_overlap


def assess_passage(
    claim_text: str,
    claim_quantities: Sequence[dict[str, Any]],
    passage: str,
    passage_quantities: Sequence[dict[str, Any]],
) -> Assessment:
    """Decide whether `passage` supports, refutes or says nothing decisive about the claim."""
    terms = key_terms(claim_text)
    words = {fold(w) for w in _WORD.findall(passage)}
    overlap = len(set(terms) & words) / (len(terms) or 1)
    sentence, _ = _best_sentence(passage, terms)
    numbers = compare_quantities(claim_quantities, passage_quantities)
    folded_sentence = fold(sentence)
    contradiction = any(cue in folded_sentence for cue in _CONTRADICTION_CUES)
    reasons = [f"{round(100 * overlap)} % of the claim's key terms"]
    if numbers is not None and numbers["match"] and overlap >= 0.2:
        stance, score = Stance.SUPPORTS, 0.5 + 0.5 * min(1.0, overlap * 1.5)
        reasons.append(f"states {numbers['stated']!r}, matching {numbers['claimed']!r}")
    elif numbers is not None and not numbers["match"] and overlap >= 0.3:
        stance, score = Stance.REFUTES, 0.4 + 0.4 * min(1.0, overlap * 1.5)
        reasons.append(
            f"states {numbers['stated']!r} where the claim says {numbers['claimed']!r} "
            f"({numbers['difference_percent']:+g} %)"
        )
    elif contradiction and overlap >= 0.35:
        stance, score = Stance.REFUTES, 0.3 + 0.5 * overlap
        reasons.append("contradiction wording next to the claim's terms")
    elif overlap >= 0.5 and not claim_quantities:
        stance, score = Stance.SUPPORTS, 0.3 + 0.5 * overlap
        reasons.append("restates most of the claim")
    else:
        stance, score = Stance.NEUTRAL, 0.5 * overlap
    return Assessment(stance, round(min(score, 1.0), 3), sentence, numbers, tuple(reasons))


@dataclass(frozen=True, slots=True)
class Suggestion:
    verdict: SuggestedVerdict
    confidence: float
    rationale: str


def suggest_verdict(assessed: Sequence[tuple[str, Assessment]]) -> Suggestion:
    """Combine (source title, assessment) pairs into a suggested verdict with a rationale."""
    supports = [(t, a) for t, a in assessed if a.stance == Stance.SUPPORTS]
    refutes = [(t, a) for t, a in assessed if a.stance == Stance.REFUTES]
    weight_for = sum(a.score for _, a in supports)
    weight_against = sum(a.score for _, a in refutes)
    if not supports and not refutes:
        looked = len(assessed)
        return Suggestion(
            SuggestedVerdict.NOT_ENOUGH_EVIDENCE,
            0.5 if looked else 0.7,
            f"No source among {looked} passages found states or contradicts this claim."
            if looked
            else "No passage of the source library matches this claim.",
        )
    if supports and refutes:
        title_for, best_for = max(supports, key=lambda ta: ta[1].score)
        title_against, best_against = max(refutes, key=lambda ta: ta[1].score)
        confidence = 0.4 + 0.3 * abs(weight_for - weight_against) / (weight_for + weight_against)
        return Suggestion(
            SuggestedVerdict.MIXED,
            round(confidence, 2),
            f"Sources disagree: {title_for} supports it ({_why(best_for)}), "
            f"{title_against} does not ({_why(best_against)}).",
        )
    side = supports or refutes
    title, best = max(side, key=lambda ta: ta[1].score)
    confidence = min(0.95, 0.45 + 0.35 * best.score + 0.05 * (len(side) - 1))
    verdict = SuggestedVerdict.SUPPORTED if supports else SuggestedVerdict.CONTRADICTED
    verb = "supports" if supports else "contradicts"
    others = f" and {len(side) - 1} more" if len(side) > 1 else ""
    return Suggestion(verdict, round(confidence, 2), f"{title}{others} {verb} it: {_why(best)}.")


def _why(assessment: Assessment) -> str:
    return "; ".join(assessment.reasons[1:]) or assessment.reasons[0]
