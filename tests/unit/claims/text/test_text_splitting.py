"""Splitting news text: lists, ellipses, abbreviations, boilerplate, hedging in reported speech."""

from __future__ import annotations

import pytest

from claims.text import segment_document, split_sentences
from claims.text.boilerplate import _BOILERPLATE, is_boilerplate
from claims.text.scoring import detect_hedging
from claims.text.sentences import iter_paragraphs, split_paragraph, split_paragraphs


def sentences(text: str, language: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, language)]


def test_numbered_list_items_stay_whole() -> None:
    text = "Points clés :\n1. Premier point établi\n2) Second point établi"
    assert sentences(text, "fr") == [
        "Points clés :",
        "1. Premier point établi",
        "2) Second point établi",
    ]


def test_bulleted_lines_are_sentences() -> None:
    text = "- 98 000 Russes sont entrés au Kazakhstan\n• 300 000 réservistes seront appelés"
    assert sentences(text, "fr") == [
        "- 98 000 Russes sont entrés au Kazakhstan",
        "• 300 000 réservistes seront appelés",
    ]


def test_ellipsis_ends_a_sentence() -> None:
    text = "Les prix ont augmenté... Puis ils ont baissé."
    assert sentences(text, "fr") == ["Les prix ont augmenté...", "Puis ils ont baissé."]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Le Pr. Martin est arrivé le 5 sept. à Paris. Mme Durand a parlé.",
            "fr",
            ["Le Pr. Martin est arrivé le 5 sept. à Paris.", "Mme Durand a parlé."],
        ),
        (
            "The U.S. economy grew. At 5 p.m. Dr. Smith left.",
            "en",
            ["The U.S. economy grew.", "At 5 p.m. Dr. Smith left."],
        ),
    ],
)
def test_abbreviations(text: str, language: str, expected: list[str]) -> None:
    assert sentences(text, language) == expected


def test_numbers_with_narrow_no_break_spaces_stay_whole() -> None:
    text = "Environ 98\u202f000 Russes sont entrés. Puis 1\u00a0200 Géorgiens."
    document = segment_document(text, language="fr", mode="rules", min_checkworthiness=0.0)
    [first, second] = document.claims
    assert first.quantities[0].value == 98000
    assert second.quantities[0].value == 1200


def test_paragraphs_in_one_call_match_paragraphs_one_by_one(seed_text: str) -> None:
    paragraphs = list(iter_paragraphs(seed_text))
    together = split_paragraphs(seed_text, paragraphs)
    assert together == [split_paragraph(seed_text, start, end) for start, end in paragraphs]


def test_a_sentence_starts_where_blingfire_ends_the_previous_one() -> None:
    # blingfire returns "Dr." as a sentence of its own here; the "Dr." of "Director Dr." comes
    # first in the text, and must not be taken for it.
    text = (
        "Philippine General Hospital Director Dr. Gerardo Legaspi urges Filipinos to trust in "
        "science and set aside other judgments that they may have on vaccines. Dr. Legaspi was "
        "the first healthcare worker to receive COVID-19 jab in the country."
    )
    first, second = text.split(" Dr. Legaspi", maxsplit=1)
    assert [text[start:end] for start, end in split_sentences(text, "en")] == [
        first,
        "Dr. Legaspi" + second,
    ]


def test_paragraphs_without_a_sentence_end_stay_whole_next_to_split_ones() -> None:
    text = (
        "Un titre sans point\n\nUne phrase. Une autre phrase.\n\n"
        "Une ligne sans point\u2029Et une autre"
    )
    assert [text[start:end] for start, end in split_sentences(text, "fr")] == [
        "Un titre sans point",
        "Une phrase.",
        "Une autre phrase.",
        "Une ligne sans point",
        "Et une autre",
    ]


def test_a_post_with_a_share_prompt_keeps_its_claim() -> None:
    text = (
        "Environ 98 000 Russes sont entrés au Kazakhstan en une semaine, selon les autorités "
        "kazakhes. Partagez avant que ce soit supprimé"
    )
    claims = segment_document(text, language="fr", mode="rules").claims
    assert [claim.text for claim in claims] == [text.split(" Partagez", maxsplit=1)[0]]


@pytest.mark.parametrize(
    "text",
    [
        "Par Jean Dupont | AFP",
        "By AFP",
        "NOUVEAUVous pouvez désormais écouter les articles de Fox News !",
        "Read more: the war in Ukraine",
        "Lire aussi : la mobilisation en Russie",
        "Photo : AFP",
        "Partagez cet article",
        "Publié le 27 septembre 2022 à 10h02",
        "All rights reserved.",
        "Advertisement",
        "Subscribe to our newsletter",
    ],
)
def test_furniture_is_boilerplate(text: str) -> None:
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "Une vidéo partagée plusieurs milliers de fois montre le président ukrainien.",
        "Par ailleurs, 98 000 Russes sont entrés au Kazakhstan.",
        "The photo was taken by a Reuters photographer in 2015.",
        "Les autorités ont publié un décret mardi.",
    ],
)
def test_prose_is_not_boilerplate(text: str) -> None:
    assert not is_boilerplate(text)
    assert _BOILERPLATE.search(text) is None


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        # Reported future: the conditional after "a déclaré que" states the source's position.
        ("Le ministère a déclaré que 300 000 personnes seraient appelées.", False),
        ("Le ministre a déclaré que les autorités ne renverraient pas chez eux ces hommes.", False),
        # Journalistic conditional: the newsroom does not vouch for it.
        ("Des recruteurs auraient rassemblé des hommes en dehors de cette description.", True),
        ("Selon des témoins, 300 000 personnes seraient appelées.", True),
        ("Le Kazakhstan et la Géorgie semblaient être les destinations les plus populaires.", True),
        ("Le ministère aurait déclaré que 300 000 personnes seraient appelées.", True),
        ("Le bilan devrait s'alourdir dans les prochains jours.", False),
    ],
)
def test_french_hedging(text: str, hedged: bool) -> None:
    assert detect_hedging(text, "fr") is hedged


@pytest.mark.parametrize(
    ("text", "hedged"),
    [
        ("Tokayev said Kazakhstan would hold talks with Russia.", False),
        ("Recruiters reportedly rounded up men outside the criteria.", True),
        ("The figure could be much higher, officials said.", True),
    ],
)
def test_english_hedging(text: str, hedged: bool) -> None:
    assert detect_hedging(text, "en") is hedged
