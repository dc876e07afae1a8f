"""Verdicts as schema.org ClaimReview (JSON-LD), checked against our schema before they are written.

The reviewer scale maps to ratingValue 5 (true) .. 1 (false) on worstRating 1, bestRating 5.
An unverifiable claim has no place on that scale: it keeps its textual rating (alternateName)
and the scale, and carries no ratingValue, which the fact-check markup rules allow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from functools import cache
from pathlib import Path
from typing import IO, Any

from claims.errors import InvalidInputError
from claims.models import Claim, Document, Rating

SCHEMA_PATH = Path(__file__).with_name("claimreview.schema.json")
WORST_RATING = 1
BEST_RATING = 5
RATING_VALUES: dict[Rating, int | None] = {
    Rating.TRUE: 5,
    Rating.MOSTLY_TRUE: 4,
    Rating.MIXED: 3,
    Rating.MOSTLY_FALSE: 2,
    Rating.FALSE: 1,
    Rating.UNVERIFIABLE: None,
}
RATING_NAMES: dict[Rating, str] = {
    Rating.TRUE: "True",
    Rating.MOSTLY_TRUE: "Mostly true",
    Rating.MIXED: "Mixed",
    Rating.MOSTLY_FALSE: "Mostly false",
    Rating.FALSE: "False",
    Rating.UNVERIFIABLE: "Unverifiable",
}
MAX_CLAIM_REVIEWED = 300
_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
# Words that make a speaker a body rather than a person (English and French).
_ORGANISATION_WORDS = frozenset(
    """ministry ministère ministere government gouvernement office agency agence department
    département police army armée armee council conseil commission committee comité company
    société party parti parliament parlement assembly assemblée union bank banque institute
    institut officials authorities autorités autorites responsables services service court
    tribunal kremlin administration embassy ambassade agency university université newspaper
    journal media médias""".split()
)


@dataclass(frozen=True, slots=True)
class Publisher:
    """The organisation that publishes the fact-checks, and where its claim pages live."""

    name: str = "claimtrack"
    url: str = "http://127.0.0.1:5000/"
    public_url: str = "http://127.0.0.1:5000"

    def claim_url(self, claim_id: int) -> str:
        return f"{self.public_url.rstrip('/')}/claims/{claim_id}"

    def document_url(self, document_id: int) -> str:
        return f"{self.public_url.rstrip('/')}/documents/{document_id}"


def shorten(text: str, limit: int = MAX_CLAIM_REVIEWED) -> str:
    """Collapse whitespace and cut `text` at a word boundary to at most `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def speaker_party(name: str) -> dict[str, str]:
    """Return the speaker as a schema.org Person, or an Organization when it names a body."""
    words = {w.strip(".,'’").lower() for w in name.split()}
    kind = "Organization" if words & _ORGANISATION_WORDS else "Person"
    return {"@type": kind, "name": name}


def appearances(claim: Claim) -> list[Document]:
    """Every document the claim appeared in, first appearance first (today: its own document)."""
    return [claim.document]


def _work(document: Document, publisher: Publisher) -> dict[str, Any]:
    origin = document.origin or ""
    url = origin if origin.startswith(("http://", "https://")) else None
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "url": url or publisher.document_url(document.id),
    }
    if document.title:
        work["name"] = document.title
    if document.date and _PARTIAL_DATE.match(document.date):
        work["datePublished"] = document.date
    return work


def claim_review(claim: Claim, publisher: Publisher) -> dict[str, Any]:
    """Return the ClaimReview object of a claim with a reviewer verdict."""
    if claim.verdict is None or claim.verdict_at is None:
        raise InvalidInputError(f"claim {claim.id} has no verdict to publish as ClaimReview")
    rating: dict[str, Any] = {
        "@type": "Rating",
        "alternateName": RATING_NAMES[claim.verdict],
        "worstRating": WORST_RATING,
        "bestRating": BEST_RATING,
    }
    value = RATING_VALUES[claim.verdict]
    if value is not None:
        rating["ratingValue"] = value
    documents = appearances(claim)
    works = [_work(d, publisher) for d in documents]
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.speaker:
        item["author"] = speaker_party(claim.speaker)
    first = documents[0]
    if first.date and _PARTIAL_DATE.match(first.date):
        item["datePublished"] = first.date
    item["appearance"] = works
    item["firstAppearance"] = works[0]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": publisher.claim_url(claim.id),
        # The desk may keep a reviewer's short wording of the claim; else the claim, shortened.
        "claimReviewed": shorten(getattr(claim, "claim_reviewed", None) or claim.text),
        "datePublished": claim.verdict_at.astimezone(UTC).date().isoformat(),
        "author": {"@type": "Organization", "name": publisher.name, "url": publisher.url},
        "reviewRating": rating,
        "itemReviewed": item,
        "inLanguage": claim.language,
    }
    if claim.verdict_rationale:
        review["reviewBody"] = claim.verdict_rationale
    return review


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def claim_review_problems(review: dict[str, Any]) -> list[str]:
    """Return what is wrong with a ClaimReview object, as 'field: problem' lines (none: valid)."""
    problems = []
    for error in sorted(_validator().iter_errors(review), key=lambda e: list(e.absolute_path)):
        field = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{field}: {error.message}")
    rating = review.get("reviewRating")
    if isinstance(rating, dict) and not problems:
        worst, best = rating.get("worstRating"), rating.get("bestRating")
        value = rating.get("ratingValue")
        if worst is not None and best is not None and worst >= best:
            problems.append("reviewRating: worstRating must be below bestRating")
        if value is not None and not worst <= value <= best:
            problems.append(f"reviewRating.ratingValue: {value} is outside {worst}..{best}")
    item = review.get("itemReviewed")
    if (
        isinstance(item, dict)
        and not problems
        and item["firstAppearance"] not in item["appearance"]
    ):
        problems.append("itemReviewed.firstAppearance: is not one of the appearances")
    return problems


def check_claim_review(review: dict[str, Any], claim_id: int) -> dict[str, Any]:
    """Return `review` if it follows the rules, else raise InvalidInputError naming claim and
    field."""
    problems = claim_review_problems(review)
    if problems:
        raise InvalidInputError(
            f"claim {claim_id} cannot be exported as ClaimReview: {problems[0]}"
        )
    return review


def iter_claim_reviews(claims: Iterable[Claim], publisher: Publisher) -> Iterator[dict[str, Any]]:
    """Yield the checked ClaimReview of each claim that has a verdict."""
    for claim in claims:
        if claim.verdict is not None:
            yield check_claim_review(claim_review(claim, publisher), claim.id)


def write_claim_reviews(
    claims: Iterable[Claim], out: IO[str], publisher: Publisher, progress: Callable[[], None]
) -> int:
    """Write the ClaimReviews of the claims with a verdict as one JSON array; return the count."""
    from claims.reports.tabular import write_json_array

    return write_json_array(iter_claim_reviews(claims, publisher), out, progress)
