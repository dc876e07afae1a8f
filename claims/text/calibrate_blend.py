"""Choose how segment_document blends the statistical scorer with the transparent rules.

    python -m claims.text.calibrate_blend --data /work/shared/data --out claims/text/data/ \
        [--embedding-cache DIR]

Only the ``*_train.jsonl`` files are read. Every training row gets an out-of-fold model
probability (5 folds, the same folds, hyper-parameters and seed as the training recipe) and its
rule score; the model weight of the blend and the decision threshold are then chosen on those
held-out scores by the mean F1 over the training files. The result is written to
``blend.json`` next to the model artefact; the dev files are never read.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from claims.text.blend import BLEND_FILENAME, BlendParameters, blend_raw
from claims.text.checkworthiness_model import Mode, read_model
from claims.text.scoring import assess
from claims.text.train_checkworthiness import (
    N_FOLDS,
    SEED,
    Trainer,
    assign_folds,
    embed_with_cache,
    load_domains,
    measure_f1,
)

WEIGHT_GRID = np.round(np.arange(0.0, 1.001, 0.05), 2)
THRESHOLD_GRID = np.round(np.arange(0.2, 0.801, 0.01), 2)


def score_rules(texts: Sequence[str]) -> np.ndarray:
    """Return the rule score of each training text, read as one English sentence."""
    return np.array([assess(text, "en").score for text in texts], dtype=np.float64)


def choose_blend(
    golds: Sequence[np.ndarray],
    probabilities: Sequence[np.ndarray],
    rules: Sequence[np.ndarray],
    model_threshold: float,
) -> tuple[float, float, list[tuple[float, float, float]]]:
    """Return (model weight, threshold, per-domain P/R/F1) maximising the mean held-out F1."""
    best: tuple[float, float, float] | None = None
    for weight in WEIGHT_GRID:
        raw = [
            blend_raw(rule, probability, model_threshold, float(weight))
            for rule, probability in zip(rules, probabilities, strict=True)
        ]
        for threshold in THRESHOLD_GRID:
            mean_f1 = float(
                np.mean(
                    [
                        measure_f1(gold, scores, float(threshold))[2]
                        for gold, scores in zip(golds, raw, strict=True)
                    ]
                )
            )
            if best is None or mean_f1 > best[0] + 1e-9:
                best = (mean_f1, float(weight), float(threshold))
    assert best is not None
    _, weight, threshold = best
    figures = [
        measure_f1(gold, blend_raw(rule, probability, model_threshold, weight), threshold)
        for gold, probability, rule in zip(golds, probabilities, rules, strict=True)
    ]
    return weight, threshold, figures


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with the *_train files")
    parser.add_argument("--out", type=Path, required=True, help="folder holding the artefact")
    parser.add_argument("--embedding-cache", type=Path, default=None, help="e5 embedding cache")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Compute held-out scores, choose the blend per mode, write blend.json."""
    options = parse_arguments(argv)
    domains = load_domains(options.data)
    rng = np.random.default_rng(SEED)
    folds = np.concatenate([assign_folds(domain.gold, N_FOLDS, rng) for domain in domains])
    started = time.perf_counter()
    rules = [score_rules(domain.texts) for domain in domains]
    print(f"rule scores of {sum(map(len, rules))} rows in {time.perf_counter() - started:.0f}s")
    golds = [domain.gold for domain in domains]
    rule_only = [measure_f1(g, r, 0.5) for g, r in zip(golds, rules, strict=True)]
    print(
        "rules alone at 0.5: "
        + ", ".join(f"{d.name} F1 {f[2]:.3f}" for d, f in zip(domains, rule_only, strict=True))
    )
    parameters: dict[str, dict] = {}
    for mode in Mode:
        model = read_model(mode, options.out)
        trainer = Trainer(mode, domains, folds)
        if mode is Mode.ACCURATE:
            trainer.attach_embeddings(embed_with_cache(trainer.texts, options.embedding_cache))
        selection = model.metadata["selection"][str(mode)]
        started = time.perf_counter()
        scores = trainer.predict_out_of_fold(selection["l2"], selection["balanced"])
        probabilities = trainer.split_by_domain(scores)
        weight, threshold, figures = choose_blend(golds, probabilities, rules, model.threshold)
        model_only = [
            measure_f1(g, p, model.threshold) for g, p in zip(golds, probabilities, strict=True)
        ]
        print(
            f"{mode}: model weight {weight:.2f}, threshold {threshold:.2f} "
            f"({time.perf_counter() - started:.0f}s)"
        )
        held_out = {}
        for domain, blended, alone in zip(domains, figures, model_only, strict=True):
            print(
                f"  {domain.name:<8} blend P {blended[0]:.3f} R {blended[1]:.3f}"
                f" F1 {blended[2]:.3f} | model alone F1 {alone[2]:.3f}"
            )
            held_out[domain.name] = {
                "precision": round(blended[0], 4),
                "recall": round(blended[1], 4),
                "f1": round(blended[2], 4),
                "model_alone_f1": round(alone[2], 4),
            }
        parameters[str(mode)] = {
            **BlendParameters(weight, threshold).to_dict(),
            "held_out": held_out,
        }
    payload = {
        "method": (
            "raw = w * calibrated(model probability) + (1 - w) * rule score; w and the threshold "
            f"maximise the mean F1 over the training files on {N_FOLDS}-fold out-of-fold model "
            f"probabilities (seed {SEED}); the dev files are never read"
        ),
        "rules_alone_f1_at_0.5": {
            domain.name: round(figure[2], 4)
            for domain, figure in zip(domains, rule_only, strict=True)
        },
        "modes": parameters,
    }
    path = options.out / BLEND_FILENAME
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
