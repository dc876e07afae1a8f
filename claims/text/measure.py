"""Measure what ``segment_document`` does, as a product, on labelled files.

* ``score_examples``: one check-worthiness score per labelled text, the highest score of any
  claim segment_document finds in it (0 when it finds none), so a labelled sentence or post
  counts as check-worthy exactly when ``claimtrack segment`` would keep something from it.
* ``measure_claim_recall``: on posts paired with the claim a fact-checker wrote for them
  (claim_normalization_*), the share of posts where segment keeps a claim close to that one.

"Close" is fixed before measuring: ROUGE-L F1 over lower-cased word tokens >= 0.4 (0.4 is
where two texts share the claim's key phrase in order, not just function words). The report
also counts the claims kept per post: keeping every sentence would raise recall, and that count
shows it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from claims.text.language import normalize_language
from claims.text.segment import DEFAULT_MODE, segment_document, split_document

MIN_SIMILARITY = 0.4
DECISION_THRESHOLD = 0.5
_WORD = re.compile(r"\w+")


def score_examples(
    texts: Sequence[str], languages: Sequence[str | None], mode: str = DEFAULT_MODE
) -> list[float]:
    """Return, per text, the highest checkworthiness of the claims segment_document finds."""
    scores = []
    for text, language in zip(texts, languages, strict=True):
        document = segment_document(text, language=language, min_checkworthiness=0.0, mode=mode)
        scores.append(max((claim.checkworthiness for claim in document.claims), default=0.0))
    return scores


def tokenize(text: str) -> list[str]:
    """Return the lower-cased word tokens of text."""
    return _WORD.findall(text.lower())


def rouge_l(candidate: Sequence[str], reference: Sequence[str]) -> float:
    """Return the ROUGE-L F1 (longest common subsequence) of two token sequences."""
    if not candidate or not reference:
        return 0.0
    previous = [0] * (len(reference) + 1)
    for token in candidate:
        current = [0]
        for index, other in enumerate(reference):
            current.append(
                previous[index] + 1 if token == other else max(previous[index + 1], current[index])
            )
        previous = current
    common = previous[-1]
    if common == 0:
        return 0.0
    precision, recall = common / len(candidate), common / len(reference)
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class PostWithClaim:
    """A post and the check-worthy claim a fact-checker wrote for it."""

    id: str
    text: str
    claim: str
    language: str | None


@dataclass(frozen=True)
class RecallReport:
    """How often segment keeps a claim close to the labelled one."""

    posts: int
    found: int
    reachable: int
    min_similarity: float
    claims: int = 0

    @property
    def recall(self) -> float:
        """Share of posts where a kept claim is close to the labelled claim."""
        return self.found / self.posts if self.posts else 0.0

    @property
    def ceiling(self) -> float:
        """Share of posts where any sentence of the post is close (what splitting allows)."""
        return self.reachable / self.posts if self.posts else 0.0

    @property
    def claims_per_post(self) -> float:
        """Mean number of claims segment keeps from a post."""
        return self.claims / self.posts if self.posts else 0.0


def load_posts(path: str | Path) -> list[PostWithClaim]:
    """Return the posts of a JSON Lines file with id, text and label (the claim); ValueError
    names a bad line."""
    posts = []
    with Path(path).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"line {number}: malformed JSON ({error.msg})") from error
            if not isinstance(record, dict) or not all(
                isinstance(record.get(name), str) for name in ("text", "label")
            ):
                raise ValueError(f"line {number}: expected an object with text and label strings")
            posts.append(
                PostWithClaim(
                    id=str(record.get("id", number)),
                    text=record["text"],
                    claim=record["label"],
                    language=record.get("language"),
                )
            )
    return posts


def measure_claim_recall(
    posts: Sequence[PostWithClaim],
    mode: str = DEFAULT_MODE,
    min_similarity: float = MIN_SIMILARITY,
    min_checkworthiness: float = DECISION_THRESHOLD,
) -> RecallReport:
    """Return how often segment_document keeps a claim close to each post's labelled claim."""
    found = reachable = claims = 0
    for post in posts:
        reference = tokenize(post.claim)
        language = normalize_language(post.language) if post.language else None
        document = segment_document(
            post.text, language=language, min_checkworthiness=min_checkworthiness, mode=mode
        )
        claims += len(document.claims)
        if any(
            rouge_l(tokenize(claim.text), reference) >= min_similarity for claim in document.claims
        ):
            found += 1
        # The sentences segment itself reads, so the ceiling is what its splitting allows.
        sentences = split_document(post.text, document.language)
        if any(
            rouge_l(tokenize(post.text[start:end]), reference) >= min_similarity
            for start, end in sentences
        ):
            reachable += 1
    return RecallReport(len(posts), found, reachable, min_similarity, claims)


def format_recall(report: RecallReport) -> str:
    """Return the recall report as a few lines of text."""
    return "\n".join(
        [
            f"claim recall (ROUGE-L F1 >= {report.min_similarity:g} to the labelled claim)",
            f"posts                      {report.posts:>6}",
            f"found by segment           {report.found:>6}  recall  {report.recall:.3f}",
            f"close sentence in the post {report.reachable:>6}  ceiling {report.ceiling:.3f}",
            f"claims kept                {report.claims:>6}  per post {report.claims_per_post:.2f}",
        ]
    )
