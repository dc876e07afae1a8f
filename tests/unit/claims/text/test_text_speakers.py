"""Attribution patterns and canonical speaker names."""

from __future__ import annotations

import pytest

from claims.text import segment_document
from claims.text.speakers import (
    SpeakerNames,
    find_attribution,
    find_pronoun_speaker,
    fold_name,
)


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


@pytest.mark.parametrize(
    ("sentence", "language", "pronoun", "gender"),
    [
        ("Il a ajouté que 300 000 personnes seraient appelées.", "fr", "Il", "m"),
        ("Elle lui a dit que rien ne changerait.", "fr", "Elle", "f"),
        ("Les prix, a-t-elle précisé, vont monter de 5 %.", "fr", "elle", "f"),
        ("Les prix vont monter de 5 %, ajoute-t-il.", "fr", "il", "m"),
        ("Selon lui, la hausse atteint 5 %.", "fr", "lui", "m"),
        ("D’après elle, la hausse atteint 5 %.", "fr", "elle", "f"),
        ("Prices will rise by 5%, she said.", "en", "she", "f"),
        ("He also said prices would rise by 5%.", "en", "He", "m"),
        ("According to him, prices rose by 5%.", "en", "him", "m"),
    ],
)
def test_find_pronoun_speaker(sentence: str, language: str, pronoun: str, gender: str) -> None:
    found = find_pronoun_speaker(sentence, language)
    assert found is not None
    assert (found.pronoun, found.gender) == (pronoun, gender)
    assert sentence[found.start : found.end] == pronoun


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        # An impersonal "il", a pronoun inside the reported clause, a possessive "her".
        ("Il y a deux ans, le ministre a déclaré que tout allait bien.", "fr"),
        ("Le ministre a dit qu’il partirait en 2025.", "fr"),
        ("According to her report, prices rose by 5%.", "en"),
        ("Ils ont déclaré que les prix montaient.", "fr"),
    ],
)
def test_no_pronoun_speaker(sentence: str, language: str) -> None:
    assert find_pronoun_speaker(sentence, language) is None


def speakers(text: str, language: str) -> list[tuple[str | None, str | None]]:
    document = segment_document(text, language=language, mode="rules", min_checkworthiness=0.0)
    return [(claim.speaker, claim.speaker_text) for claim in document.claims]


def test_a_pronoun_speaker_is_the_person_named_before() -> None:
    text = (
        "La présidente de la Banque centrale européenne, Christine Lagarde, a déclaré que "
        "l’inflation avait atteint 2,4 % en 2024. Elle a ajouté que 300 000 emplois avaient été "
        "créés depuis 2022."
    )
    assert speakers(text, "fr") == [
        ("Christine Lagarde", "Christine Lagarde"),
        ("Christine Lagarde", "Elle"),
    ]


def test_the_pronoun_gender_picks_between_two_people() -> None:
    text = (
        "Le président Emmanuel Macron a reçu la présidente de la Banque centrale européenne, "
        "Christine Lagarde, à Paris en 2023. Elle a affirmé que l’inflation avait atteint 2,4 % "
        "en 2024. Il a ajouté que 12 milliards d’euros seraient débloqués en 2024."
    )
    assert speakers(text, "fr")[1:] == [
        ("Christine Lagarde", "Elle"),
        ("Emmanuel Macron", "Il"),
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Emmanuel Macron a reçu Kassym-Jomart Tokayev à Paris en 2023. Il a affirmé que "
            "40 000 soldats seraient envoyés en 2025.",
            "fr",
        ),
        # Nothing says which of the two is a woman: no guess either.
        (
            "Christine Lagarde met Emmanuel Macron in Paris in 2023. She said that inflation "
            "reached 2.4% in 2024.",
            "en",
        ),
        ("Il a ajouté que 300 000 personnes pourraient suivre en 2023.", "fr"),
    ],
)
def test_an_ambiguous_or_unanchored_pronoun_leaves_the_speaker_empty(
    text: str, language: str
) -> None:
    assert speakers(text, language)[-1] == (None, None)


def test_a_pronoun_reaches_back_over_sentences_and_paragraphs() -> None:
    text = (
        "Mme Christine Lagarde a déclaré que l’inflation avait atteint 2,4 % en 2024.\n\n"
        "Les prix de l’énergie ont baissé de 10 % en 2023.\n\n"
        "Selon elle, 300 000 emplois ont été créés depuis 2022."
    )
    assert speakers(text, "fr") == [
        ("Christine Lagarde", "Mme Christine Lagarde"),
        (None, None),
        ("Christine Lagarde", "elle"),
    ]


def test_an_english_pronoun_gets_the_canonical_name() -> None:
    text = (
        "President Kassym-Jomart Tokayev said on Tuesday that 98,000 Russians had entered "
        "Kazakhstan. Tokayev also said the border would stay open. He added that 300,000 "
        "people could follow by 2023."
    )
    assert speakers(text, "en")[-1] == ("Kassym-Jomart Tokayev", "He")


def test_a_french_il_can_stand_for_a_named_institution() -> None:
    text = (
        "Le ministère russe de la Défense a déclaré que 300 000 réservistes seraient appelés. "
        "Il a précisé que seuls les anciens soldats seraient concernés en 2022."
    )
    assert speakers(text, "fr")[-1] == ("ministère russe de la Défense", "Il")


def test_words_up_to_a_title_are_not_part_of_canonical_names() -> None:
    names = SpeakerNames(
        ["Interior Minister Marat Akhmetzhanov", "Kazakh President Kassym-Jomart Tokayev"], "en"
    )
    assert names.canonicalize("Marat Akhmetzhanov") == "Marat Akhmetzhanov"
    assert names.canonicalize("Tokayev") == "Kassym-Jomart Tokayev"
    assert names.canonicalize("Kazakh President Kassym-Jomart Tokayev") == "Kassym-Jomart Tokayev"


def test_a_surname_and_the_full_name_in_one_sentence_are_one_person() -> None:
    text = (
        "Kassym-Jomart Tokayev a réuni son gouvernement mardi, et Tokayev a déclaré que 98 000 "
        "Russes étaient arrivés. Il a ajouté que 300 000 personnes pourraient suivre en 2023."
    )
    assert speakers(text, "fr")[-1] == ("Kassym-Jomart Tokayev", "Il")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # A title word that opens an organisation's name is kept.
        ("General Motors said on Tuesday that it would cut 2,000 jobs in 2024.", "General Motors"),
        (
            "The UN General Assembly said that 141 countries had voted for it in 2022.",
            "UN General Assembly",
        ),
        # A title before a person's name is not part of it.
        ("General Mark Milley said on Tuesday that 40,000 troops had left in 2022.", "Mark Milley"),
        (
            "President Macron said on Tuesday that 12 billion euros would be spent in 2024.",
            "Macron",
        ),
    ],
)
def test_a_title_is_dropped_only_before_a_persons_name(text: str, speaker: str) -> None:
    assert speakers(text, "en")[0][0] == speaker


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("Le président russe Vladimir Poutine", "Vladimir Poutine"),
        ("le ministre de la Défense Sergueï Choïgou", "Sergueï Choïgou"),
        ("le ministre français de l'Intérieur Gérald Darmanin", "Gérald Darmanin"),
        ("la présidente de la Commission européenne Ursula von der Leyen", "Ursula von der Leyen"),
        # An institution after the title names no one: the role stays whole.
        ("le ministre des Affaires Étrangères", "ministre des Affaires Étrangères"),
        ("le ministre de la Défense", "ministre de la Défense"),
        ("le président de la république", "président de la république"),
    ],
)
def test_a_persons_name_after_a_french_role_is_the_speaker(role: str, name: str) -> None:
    assert SpeakerNames([role], "fr").canonicalize(role) == name


def test_a_title_before_a_role_stays_with_it() -> None:
    names = SpeakerNames(["Le Premier ministre", "le président de la République"], "fr")
    assert names.canonicalize("Le Premier ministre") == "Premier ministre"
    assert names.canonicalize("le président de la République") == "président de la République"


@pytest.mark.parametrize(
    "name", ["Ursula von der Leyen", "Mohammed bin Salman", "Leonardo da Vinci", "Bashar al-Assad"]
)
def test_a_name_with_particles_is_a_person_a_pronoun_can_stand_for(name: str) -> None:
    text = (
        f"Hier, {name} a rencontré les ministres à Rome. Elle a déclaré que 300 000 euros "
        "seraient versés en 2023."
    )
    assert speakers(text, "fr")[-1] == (name, "Elle")


def test_a_role_written_in_lower_case_is_a_speaker_not_an_error() -> None:
    text = "Selon le président de la république, 300 000 emplois ont été créés en 2023."
    assert speakers(text, "fr")[0][0] == "président de la république"
