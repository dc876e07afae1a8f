"""Run the product's stance step (``claims.verdicts.assess_passage``) over labelled pairs.

Used by ``claimtrack eval stance``: either with the shipped model, or cross-validated, where
each fold's pairs are assessed by a model trained on the other folds only.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from claims.evaluation import StancePair
from claims.stance.model import StanceModel, load_model, train_model

if TYPE_CHECKING:
    from claims.verdicts import Assessment

DEFAULT_LANGUAGE = "fr"
CONFIDENCE_BINS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def assess_pairs(
    pairs: Sequence[tuple[str, str]],
    model: StanceModel | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> list[str]:
    """Return the stance ("supports", "refutes", "neutral") of each (claim, evidence) pair."""
    return [str(a.stance) for a in assess_pair_details(pairs, model, language)]


def assess_pair_details(
    pairs: Sequence[tuple[str, str]],
    model: StanceModel | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> list[Assessment]:
    """Return the full assessment of each (claim, evidence) pair, as a check would make it."""
    from claims.stance.train import pair_design
    from claims.text import extract_quantities
    from claims.verdicts import assess_passage

    model = model or load_model()
    # One batched embedding pass up front; assess_passage then finds every text in the cache.
    pair_design(pairs)
    assessments = []
    for claim, evidence in pairs:
        claimed = [q.to_dict() for q in extract_quantities(claim, language)]
        stated = [q.to_dict() for q in extract_quantities(evidence, language)]
        assessments.append(assess_passage(claim, claimed, evidence, stated, model=model))
    return assessments


def cross_validated_stances(
    pairs: Sequence[StancePair], folds: int, seed: int, l2: float | None = None
) -> list[str]:
    """Return each pair's stance from a model trained without the pair's fact-check group."""
    return [str(a.stance) for a in cross_validated_assessments(pairs, folds, seed, l2)]


def cross_validated_assessments(
    pairs: Sequence[StancePair], folds: int, seed: int, l2: float | None = None
) -> list[Assessment]:
    """Return each pair's assessment by a model trained without the pair's fact-check group."""
    from claims.stance.train import group_folds, pair_design

    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    texts = [(p.claim, p.evidence) for p in pairs]
    design = pair_design(texts)
    labels = np.asarray([p.is_contradiction for p in pairs], dtype=np.float64)
    fold_ids = group_folds([p.group for p in pairs], folds, seed)
    l2 = l2 if l2 is not None else float(load_model().metadata.get("chosen_l2", 1000.0))
    assessments: list[Assessment | None] = [None] * len(pairs)
    for fold in range(folds):
        held = np.flatnonzero(fold_ids == fold)
        if not held.size:
            continue
        model = train_model(design[fold_ids != fold], labels[fold_ids != fold], l2)
        found = assess_pair_details([texts[i] for i in held], model)
        for index, assessment in zip(held, found, strict=True):
            assessments[index] = assessment
    return [a for a in assessments if a is not None]


def format_calibration(pairs: Sequence[StancePair], assessments: Sequence[Assessment]) -> str:
    """Return the reliability table of the suggested verdict's confidence, one pair per claim.

    A claim with its one evidence passage is suggested "supported" or "contradicted" (or not
    enough evidence, left out of the table); it is right when that agrees with the gold label.
    """
    from claims.models import SuggestedVerdict
    from claims.verdicts import suggest_verdict

    rows = []
    for pair, assessment in zip(pairs, assessments, strict=True):
        suggestion = suggest_verdict([("evidence", assessment)])
        if suggestion.verdict in (SuggestedVerdict.SUPPORTED, SuggestedVerdict.CONTRADICTED):
            said_contradicted = suggestion.verdict == SuggestedVerdict.CONTRADICTED
            rows.append((suggestion.confidence, said_contradicted == pair.is_contradiction))
    lines = [
        f"suggested verdict confidence ({len(rows)} of {len(pairs)} claims got a verdict)",
        f"{'confidence':<12}{'n':>6}{'mean':>8}{'right':>8}",
    ]
    ece = 0.0
    for low, high in itertools.pairwise(CONFIDENCE_BINS):
        inside = [(c, r) for c, r in rows if low <= c < high]
        if not inside:
            continue
        mean = sum(c for c, _ in inside) / len(inside)
        right = sum(r for _, r in inside) / len(inside)
        ece += len(inside) / len(rows) * abs(mean - right)
        lines.append(f"{low:.1f}-{min(high, 1.0):.1f}    {len(inside):>6}{mean:>8.3f}{right:>8.3f}")
    lines.append(f"expected calibration error (ECE) {ece:.3f}")
    return "\n".join(lines)
