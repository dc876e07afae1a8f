"""ClaimReview objects follow schema.org and the fact-check markup rules; a broken one is refused
with the claim and the field named. Checked with jsonschema against our schema file."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from jsonschema import Draft202012Validator

from claims.errors import InvalidInputError
from claims.models import Claim, ClaimStatus, Document, Rating
from claims.reports.claimreview import (
    SCHEMA_PATH,
    Publisher,
    check_claim_review,
    claim_review,
    shorten,
    speaker_party,
    write_claim_reviews,
)
from claims.reports.tabular import safe_cell

PUBLISHER = Publisher("Example Fact Desk", "https://example.org/", "https://factcheck.example.org")


def _claim(rating: Rating | None, **overrides: object) -> Claim:
    document = Document(
        id=7,
        title="Budget debate",
        origin="https://news.example.org/budget",
        language="en",
        date="2023-05-04",
        text="The minister said unemployment fell by 12% in 2023.",
        sha256="0" * 64,
    )
    claim = Claim(
        id=42,
        document=document,
        document_id=7,
        text="unemployment fell by 12% in 2023",
        start=18,
        end=50,
        sentence=document.text,
        language="en",
        checkworthiness=0.9,
        speaker="The minister",
        status=ClaimStatus.VERIFIED,
        verdict=rating,
        verdict_rationale="The statistics office says 9%." if rating else None,
        verdict_at=datetime(2024, 1, 2, 23, 30, tzinfo=UTC) if rating else None,
    )
    for name, value in overrides.items():
        setattr(claim, name, value)
    return claim


def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize(
    ("rating", "value"),
    [
        (Rating.TRUE, 5),
        (Rating.MOSTLY_TRUE, 4),
        (Rating.MIXED, 3),
        (Rating.MOSTLY_FALSE, 2),
        (Rating.FALSE, 1),
        (Rating.UNVERIFIABLE, None),
    ],
)
def test_each_rating_maps_onto_the_documented_scale(rating: Rating, value: int | None) -> None:
    review = claim_review(_claim(rating), PUBLISHER)
    assert list(_validator().iter_errors(review)) == []
    rating_body = review["reviewRating"]
    assert rating_body.get("ratingValue") == value
    assert (rating_body["worstRating"], rating_body["bestRating"]) == (1, 5)
    assert rating_body["alternateName"]


def test_a_review_names_claim_speaker_appearances_and_publisher() -> None:
    review = claim_review(_claim(Rating.FALSE), PUBLISHER)
    assert review["claimReviewed"] == "unemployment fell by 12% in 2023"
    assert review["url"] == "https://factcheck.example.org/claims/42"
    assert review["datePublished"] == "2024-01-02"
    assert review["author"]["name"] == "Example Fact Desk"
    item = review["itemReviewed"]
    assert item["author"] == {"@type": "Person", "name": "The minister"}
    assert item["datePublished"] == "2023-05-04"
    assert item["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": "https://news.example.org/budget",
            "name": "Budget debate",
            "datePublished": "2023-05-04",
        }
    ]
    assert item["firstAppearance"] == item["appearance"][0]


def test_a_document_without_a_url_appears_at_its_page_here() -> None:
    claim = _claim(Rating.TRUE)
    claim.document.origin = "budget.txt"
    review = claim_review(claim, PUBLISHER)
    assert review["itemReviewed"]["appearance"][0]["url"] == (
        "https://factcheck.example.org/documents/7"
    )


def test_bodies_are_organisations_and_long_claims_are_shortened() -> None:
    assert speaker_party("ministère russe de la Défense")["@type"] == "Organization"
    assert speaker_party("Marat Akhmetzhanov")["@type"] == "Person"
    long = "word " * 200
    short = shorten(long)
    assert len(short) <= 300
    assert short.endswith("…")


def test_a_review_that_breaks_the_rules_is_refused_naming_claim_and_field() -> None:
    review = claim_review(_claim(Rating.TRUE), PUBLISHER)
    review["reviewRating"]["ratingValue"] = 9
    with pytest.raises(InvalidInputError, match=r"claim 42 .*reviewRating\.ratingValue"):
        check_claim_review(review, 42)
    bad_url = claim_review(_claim(Rating.TRUE), Publisher("Desk", "not a url", "ftp://x"))
    with pytest.raises(InvalidInputError, match=r"claim 42 .*url"):
        check_claim_review(bad_url, 42)
    assert list(_validator().iter_errors(bad_url))


def test_only_claims_with_a_verdict_are_written() -> None:
    out = io.StringIO()
    count = write_claim_reviews(
        [_claim(Rating.TRUE), _claim(None, id=43)], out, PUBLISHER, lambda: None
    )
    assert count == 1
    assert [r["url"].rsplit("/", 1)[1] for r in json.loads(out.getvalue())] == ["42"]


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_are_quoted(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell
    assert safe_cell("plain") == "plain"
    assert safe_cell(3) == 3
