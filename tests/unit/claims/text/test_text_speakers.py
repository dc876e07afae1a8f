"""Attribution patterns and canonical speaker names."""

from __future__ import annotations

import pytest

from claims.text.speakers import SpeakerNames, find_attribution, fold_name


@pytest.mark.parametrize(
    ("sentence", "language", "speaker_text", "named"),
    [
        (
            "98 000 Russes sont entrés, ont déclaré mardi des responsables kazakhs, alors que "
            "d’autres fuyaient.",
            "fr",
            "des responsables kazakhs",
            False,
        ),
        (
            "Le ministère russe de la Défense a déclaré que 300 000 personnes seraient appelées.",
            "fr",
            "Le ministère russe de la Défense",
            True,
        ),
        (
            "En annonçant le nombre, le ministre de l’Intérieur du Kazakhstan, Marat Akhmetzhanov, "
            "a déclaré que rien ne changerait.",
            "fr",
            "Marat Akhmetzhanov",
            True,
        ),
        (
            "“La situation est grave”, a déclaré Tokayev, ajoutant que la frontière resterait "
            "ouverte.",
            "fr",
            "Tokayev",
            True,
        ),
        (
            "Selon le ministère kazakh de l’Intérieur, 98 000 Russes sont arrivés.",
            "fr",
            "le ministère kazakh de l’Intérieur",
            True,
        ),
        (
            "About 98,000 Russians arrived, Kazakh officials said on Tuesday.",
            "en",
            "Kazakh officials",
            False,
        ),
        (
            "“We will help them,” said Kazakhstan’s president, Kassym-Jomart Tokayev, on Tuesday.",
            "en",
            "Kassym-Jomart Tokayev",
            True,
        ),
        (
            "According to the UN refugee agency, millions have left Ukraine.",
            "en",
            "the UN refugee agency",
            True,
        ),
        ("Tokayev also said Kazakhstan would hold talks with Russia.", "en", "Tokayev", True),
    ],
)
def test_find_attribution(sentence: str, language: str, speaker_text: str, named: bool) -> None:
    attribution = find_attribution(sentence, language)
    assert attribution is not None
    assert attribution.speaker_text == speaker_text
    assert sentence[attribution.start : attribution.end] == speaker_text
    assert attribution.named is named


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("Des rapports ont émergé selon lesquels des recruteurs rassemblaient des hommes.", "fr"),
        ("« C’est fini », a-t-il déclaré.", "fr"),
        ("He said it was over.", "en"),
        ("Les prix ont augmenté de 25 %.", "fr"),
    ],
)
def test_no_named_attribution(sentence: str, language: str) -> None:
    assert find_attribution(sentence, language) is None


def test_transliterations_fold_together() -> None:
    assert fold_name("Tokaïev") == fold_name("Tokayev") == "tokaiev"
    assert fold_name("Kassym-Jomart") == "kassim jomart"


def test_canonical_names_prefer_the_fullest_form() -> None:
    names = SpeakerNames(
        [
            "Kassym-Jomart Tokaïev",
            "Tokayev",
            "Vladimir Poutine",
            "Le ministère russe de la Défense",
        ],
        "fr",
    )
    assert names.canonicalize("Tokayev") == "Kassym-Jomart Tokaïev"
    assert names.canonicalize("Tokaïev") == "Kassym-Jomart Tokaïev"
    assert names.canonicalize("Poutine") == "Vladimir Poutine"
    assert names.canonicalize("le président Poutine") == "Vladimir Poutine"
    assert names.canonicalize("Le ministère russe de la Défense") == (
        "ministère russe de la Défense"
    )
    assert names.canonicalize("des responsables kazakhs") == "responsables kazakhs"


def test_titles_are_not_part_of_canonical_names() -> None:
    names = SpeakerNames(["President Kassym-Jomart Tokayev"], "en")
    assert names.canonicalize("Tokayev") == "Kassym-Jomart Tokayev"
