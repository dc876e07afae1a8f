"""Benchmark `segment_document` against plain blingfire and pysbd sentence splitting.

    taskset -c 0 env OMP_NUM_THREADS=1 .venv/bin/python bench/bench_segment.py [--megabytes 5]

Builds a corpus of news-like articles (about 2 KB each) by shuffling, with a fixed seed, the
paragraphs of the seed article, the seed source documents and, when ../shared/data is present,
the French stance evidence passages. All timings run in this process on the same corpus:

* blingfire ``text_to_sentences`` per article: the raw-speed baseline (issue 3's ratio);
* blingfire's C function alone, with a reused output buffer, as claimtrack calls it: the
  stricter baseline, without the wrapper's allocations;
* pysbd per article (on a slice: it is much slower);
* claimtrack's splitting stage alone, ``split_document``: exactly the code segment_document runs
  before scoring (header and headline set aside, boilerplate paragraphs and sentences,
  paragraphs, sentences with their repairs, quotations), nothing more;
* ``segment_document`` in rules, fast and accurate modes (accurate on a slice).

Then peak traced memory of one segment_document call at 1x, 2x and 4x a document's size.
Times are CPU seconds of this process (``time.process_time``), so that other work on a shared
machine does not slow the figures down. Figures and ratios are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import resource
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from claims.text.segment import segment_document, split_document
from claims.text.sentences import blingfire_sentences

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED_DATA = Path(os.environ.get("CLAIMTRACK_SHARED_DATA", ROOT.parent / "shared" / "data"))
SEED = 20240601
ARTICLE_BYTES = 2048


def read_paragraphs() -> dict[str, list[str]]:
    """Return the paragraph pool per language from the seeds and the stance evidence."""
    pools: dict[str, list[str]] = {"fr": [], "en": []}
    for path in sorted((SEEDS / "articles").glob("*.txt")):
        pools["fr"].extend(_paragraphs(path.read_text(encoding="utf-8")))
    for path in sorted((SEEDS / "sources").glob("*.md")):
        if path.name == "README.md":
            continue
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.split("---", 2)[-1]
        pools["fr" if path.name.startswith("fr_") else "en"].extend(_paragraphs(text))
    stance = SHARED_DATA / "stance_fr_dev.jsonl"
    if stance.exists():
        with stance.open(encoding="utf-8") as lines:
            passages = {json.loads(line)["evidence"] for line in lines if line.strip()}
        pools["fr"].extend(sorted(passages))
    return pools


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n\n") if len(part.strip()) > 40]


def build_corpus(megabytes: float) -> list[tuple[str, str]]:
    """Return (language, article) pairs of about 2 KB each, totalling at least `megabytes` MB."""
    rng = random.Random(SEED)
    pools = read_paragraphs()
    articles: list[tuple[str, str]] = []
    total = 0
    while total < megabytes * 1_000_000:
        language = "fr" if rng.random() < 0.7 else "en"
        pool = pools[language]
        paragraphs: list[str] = []
        size = 0
        while size < ARTICLE_BYTES:
            paragraph = rng.choice(pool)
            paragraphs.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 2
        article = "\n\n".join(paragraphs) + "\n"
        articles.append((language, article))
        total += len(article.encode("utf-8"))
    return articles


def timed(run: Callable[[str, str], int], articles: Sequence[tuple[str, str]]) -> tuple[float, int]:
    """Return (seconds, sentences) of running `run` over the articles once, after a warm-up."""
    for language, text in articles[:3]:
        run(text, language)
    started = time.process_time()
    sentences = sum(run(text, language) for language, text in articles)
    return time.process_time() - started, sentences


def run_blingfire(text: str, language: str) -> int:
    from blingfire import text_to_sentences

    return text_to_sentences(text).count("\n") + 1


def run_blingfire_c(text: str, language: str) -> int:
    return blingfire_sentences(text).count("\n") + 1


_PYSBD: dict[str, object] = {}


def run_pysbd(text: str, language: str) -> int:
    import pysbd

    segmenter = _PYSBD.get(language)
    if segmenter is None:
        segmenter = _PYSBD[language] = pysbd.Segmenter(language=language, clean=False)
    return len(segmenter.segment(text))  # type: ignore[attr-defined]


def run_split(text: str, language: str) -> int:
    return len(split_document(text, language))


def measure_segment(
    mode: str, articles: Sequence[tuple[str, str]], sentence_counts: Sequence[int]
) -> tuple[float, int]:
    """Return (seconds, sentences analysed) of segment_document over the articles."""
    for _, text in articles[:3]:
        segment_document(text, mode=mode)
    started = time.process_time()
    for _, text in articles:
        segment_document(text, mode=mode)
    return time.process_time() - started, sum(sentence_counts)


def peak_memory(text: str, mode: str) -> int:
    """Return the peak traced memory in bytes of one segment_document call."""
    segment_document(text, mode=mode)
    tracemalloc.start()
    segment_document(text, mode=mode)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0, help="corpus size (default 5)")
    parser.add_argument("--pysbd-articles", type=int, default=150, help="slice for pysbd")
    parser.add_argument("--accurate-articles", type=int, default=15, help="slice for accurate")
    options = parser.parse_args()

    articles = build_corpus(options.megabytes)
    size = sum(len(text.encode("utf-8")) for _, text in articles)
    sentence_counts = [len(split_document(text, language)) for language, text in articles]
    print(
        f"corpus: {len(articles)} articles, {size / 1e6:.2f} MB, {sum(sentence_counts)} sentences"
        f" (seed {SEED}; {sum(1 for lang, _ in articles if lang == 'fr')} French)"
    )
    print(f"cpu affinity: {sorted(os.sched_getaffinity(0))}\n")

    rows: list[tuple[str, int, float, int, int]] = []

    def record(
        name: str, subset: Sequence[tuple[str, str]], seconds: float, sentences: int
    ) -> None:
        subset_bytes = sum(len(text.encode("utf-8")) for _, text in subset)
        rows.append((name, len(subset), seconds, subset_bytes, sentences))

    seconds, sentences = timed(run_blingfire, articles)
    record("blingfire text_to_sentences", articles, seconds, sentences)
    seconds, sentences = timed(run_blingfire_c, articles)
    record("blingfire C function, reused buffer", articles, seconds, sentences)
    if importlib.util.find_spec("pysbd") is None:
        print("pysbd is not installed (pip install pysbd): its row is skipped\n")
    else:
        pysbd_slice = articles[: options.pysbd_articles]
        seconds, sentences = timed(run_pysbd, pysbd_slice)
        record("pysbd (slice)", pysbd_slice, seconds, sentences)
    seconds, sentences = timed(run_split, articles)
    record("claimtrack splitting stage", articles, seconds, sentences)
    for mode in ("rules", "fast"):
        seconds, sentences = measure_segment(mode, articles, sentence_counts)
        record(f"segment_document mode={mode}", articles, seconds, sentences)
    accurate_slice = articles[: options.accurate_articles]
    seconds, sentences = measure_segment(
        "accurate", accurate_slice, sentence_counts[: options.accurate_articles]
    )
    record("segment_document mode=accurate (slice)", accurate_slice, seconds, sentences)

    baseline_mb_s = rows[0][3] / 1e6 / rows[0][2]
    print(
        f"{'what':<42} {'articles':>8} {'MB/s':>8} {'sent/s':>9} {'ms/2KB':>8} {'x blingfire':>11}"
    )
    for name, count, seconds, subset_bytes, sentences in rows:
        mb_s = subset_bytes / 1e6 / seconds
        per_article_ms = 1000 * seconds / count * ARTICLE_BYTES / (subset_bytes / count)
        print(
            f"{name:<42} {count:>8} {mb_s:>8.2f} {sentences / seconds:>9.0f}"
            f" {per_article_ms:>8.2f} {mb_s / baseline_mb_s:>11.3f}"
        )
    speeds = {name: subset_bytes / seconds for name, _, seconds, subset_bytes, _ in rows}
    split_speed = speeds["claimtrack splitting stage"]
    print(
        f"\nsplitting stage: {split_speed / speeds['blingfire text_to_sentences']:.3f}x"
        " blingfire text_to_sentences (issue 3's target: >= 0.5),"
        f" {split_speed / speeds['blingfire C function, reused buffer']:.3f}x its C function alone"
    )

    print("\npeak traced memory of one segment_document call (mode=fast):")
    base = "\n\n".join(text for _, text in articles[:16] if _ == "fr")
    for factor in (1, 2, 4):
        text = "\n\n".join([base] * factor)
        peak = peak_memory(text, "fast")
        size = len(text.encode("utf-8"))
        print(
            f"  {factor}x  {size / 1e3:>7.0f} KB input  peak {peak / 1e6:6.2f} MB"
            f"  ({peak / size:.1f} bytes per input byte)"
        )
    print(
        f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"
    )


if __name__ == "__main__":
    main()
