"""Invariants on many varied inputs: offsets are verbatim, nothing crashes, output is valid."""

from __future__ import annotations

import json
import random

import pytest

from claims.text import SegmentedDocument, extract_quantities, segment_document, split_sentences
from claims.text.scoring import CLAIM_TYPES

FRAGMENTS = (
    "Environ 98 000 Russes sont entrés au Kazakhstan, ont déclaré mardi des responsables.",
    "Le ministère russe de la Défense a déclaré que 300\u00a0000 personnes seraient appelées, "
    "mais des rapports ont émergé selon lesquels des hommes étaient rassemblés.",
    "“Nous devons les aider. C’est une question humanitaire”, a déclaré Tokayev.",
    "« Qui sont ces hommes ? » a-t-il demandé.",
    "About 98,000 Russians entered Kazakhstan, Kazakh officials said on Tuesday.",
    '"We will help them," said President Kassym-Jomart Tokayev; talks will follow.',
    "Prices rose by more than 25 percent, according to the travel site Aviasales.",
    "M. Akhmetzhanov a parlé le 27 sept. à 10h30.",
    "The U.S. embassy closed at 5 p.m.",
    " date 2022-09 NOUVEAUVous pouvez désormais écouter les articles de Fox News !",
    "Read more",
    "près de trois cent mille personnes, 1,5 %, 2,5 milliards d’euros",
    "Etwa 98.000 Russen; 1,5 Millionen Menschen.",
    "中文句子。第二句。",
    "Это предложение на русском языке, 98 000 человек.",
    "هذه جملة عربية.",
)
ODDITIES = (
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    " ",
    "\u00a0",
    "\u202f",
    "\u2009",
    "«",
    "»",
    "“",
    "”",
    '"',
    "’",
    ";",
    ",",
    ".",
    "?",
    "!",
    "…",
    "—",
    "(",
    ")",
    "0",
    "7",
    "2022",
    "1 000",
    "🙂",
    "\u0301",
    "\u200b",
    "\ufeff",
    "e\u0301",
    "ï",
    "y",
    "M.",
    "%",
    "€",
    "$",
    "\x00",
    "\U0010ffff",
)


def assert_valid(text: str, document: SegmentedDocument) -> None:
    for claim in document.claims:
        assert text[claim.start : claim.end] == claim.text
        assert claim.text and claim.text == claim.text.strip()
        sentence_end = claim.sentence_start + len(claim.sentence)
        assert text[claim.sentence_start : sentence_end] == claim.sentence
        assert claim.sentence_start <= claim.start <= claim.end <= sentence_end
        assert 0.0 <= claim.checkworthiness <= 1.0
        assert claim.claim_type in CLAIM_TYPES
        for quantity in claim.quantities:
            assert text[quantity.start : quantity.end] == quantity.text
            assert claim.start <= quantity.start <= quantity.end <= claim.end
    json.dumps(document.to_dict())


def random_document(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(0, 12)):
        if rng.random() < 0.6:
            fragment = rng.choice(FRAGMENTS)
            if rng.random() < 0.3:
                cut = rng.randint(0, len(fragment))
                fragment = fragment[:cut] if rng.random() < 0.5 else fragment[cut:]
            pieces.append(fragment)
        else:
            pieces.append("".join(rng.choice(ODDITIES) for _ in range(rng.randint(1, 6))))
    return rng.choice(("", " ", "\n", "\n\n")).join(pieces)


@pytest.mark.parametrize("seed", range(300))
def test_random_documents_keep_verbatim_offsets(seed: int) -> None:
    rng = random.Random(seed)
    text = random_document(rng)
    language = rng.choice((None, "fr", "en", "de", "zh"))
    document = segment_document(text, language=language, min_checkworthiness=rng.random())
    assert_valid(text, document)


@pytest.mark.parametrize("seed", range(100))
def test_random_sentences_and_quantities_are_in_bounds(seed: int) -> None:
    rng = random.Random(1000 + seed)
    text = random_document(rng)
    language = rng.choice(("fr", "en", "de"))
    previous_end = 0
    for start, end in split_sentences(text, language):
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        previous_end = end
    for quantity in extract_quantities(text, language, offset=5):
        assert text[quantity.start - 5 : quantity.end - 5] == quantity.text


def test_hypothesis_generated_text() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    strategies = pytest.importorskip("hypothesis.strategies")

    alphabet = strategies.one_of(
        strategies.characters(),
        strategies.sampled_from(ODDITIES),
        strategies.sampled_from(FRAGMENTS),
    )
    documents = strategies.lists(alphabet, max_size=40).map("".join)

    @hypothesis.settings(max_examples=200, deadline=None, database=None)
    @hypothesis.given(documents, strategies.sampled_from(["fr", "en", "de"]))
    def check(text: str, language: str) -> None:
        assert_valid(text, segment_document(text, language=language, min_checkworthiness=0.0))

    check()
