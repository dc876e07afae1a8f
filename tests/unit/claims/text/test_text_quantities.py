"""extract_quantities: values, units, approximation and offsets."""

from __future__ import annotations

import pytest

from claims.text import Quantity, extract_quantities


def summary(text: str, language: str) -> list[tuple[float, str | None, bool, str]]:
    found = extract_quantities(text, language)
    for quantity in found:
        assert text[quantity.start : quantity.end] == quantity.text
    return [(q.value, q.unit, q.approximate, q.text) for q in found]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Environ 98 000 Russes sont entrés",
            "fr",
            (98000, "Russes", True, "Environ 98 000 Russes"),
        ),
        (
            "seulement environ 300\u00a0000 personnes",
            "fr",
            (300000, "personnes", True, "environ 300\u00a0000 personnes"),
        ),
        ("un taux de 1,5 % cette année", "fr", (1.5, "%", False, "1,5 %")),
        (
            "près de 45\u202fpour cent des votants",
            "fr",
            (45, "%", True, "près de 45\u202fpour cent"),
        ),
        ("un budget de 2,5 milliards d’euros", "fr", (2.5e9, "€", False, "2,5 milliards d’euros")),
        ("une dette de 3.000.000 €", "fr", (3e6, "€", False, "3.000.000 €")),
        ("About 98,000 Russians entered", "en", (98000, "Russians", True, "About 98,000 Russians")),
        ("up to $5 billion in aid", "en", (5e9, "$", True, "up to $5 billion")),
        ("a rise of 12 percent", "en", (12, "%", False, "12 percent")),
        (
            "more than 1.5 million people",
            "en",
            (1.5e6, "people", True, "more than 1.5 million people"),
        ),
        ("a road of 1,234.5 km", "en", (1234.5, "km", False, "1,234.5 km")),
        ("about 2,000 troops", "en", (2000, "troops", True, "about 2,000 troops")),
    ],
)
def test_digit_quantities(
    text: str, language: str, expected: tuple[float, str | None, bool, str]
) -> None:
    assert summary(text, language) == [expected]


def test_numbers_in_words() -> None:
    assert summary("près de trois cent mille personnes", "fr") == [
        (300000, "personnes", True, "près de trois cent mille personnes")
    ]
    assert summary("nearly forty-two thousand troops and a million people", "en") == [
        (42000, "troops", True, "nearly forty-two thousand troops"),
        (1e6, "people", False, "a million people"),
    ]


def test_articles_and_collectives_are_not_numbers() -> None:
    assert summary("Il y a un pays qui faisaient tous deux partie de l’Union.", "fr") == []
    assert summary("One of the officials left.", "en") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("en septembre 2022, les troupes sont parties", "fr"),
        ("le 21 septembre 2022 à 10h30", "fr"),
        ("In 2022 Russia announced it", "en"),
        ("On September 21, 2022, at 14:00", "en"),
        ("F-16 et COVID-19 et le G20", "fr"),
        ("le 1er et le 2e rang", "fr"),
        ("publié le 2022-09-27", "fr"),
    ],
)
def test_dates_codes_and_ordinals_are_not_quantities(text: str, language: str) -> None:
    assert summary(text, language) == []


def test_year_that_counts_something_is_kept() -> None:
    assert summary("Plus de 2022 personnes ont signé.", "fr") == [
        (2022, "personnes", True, "Plus de 2022 personnes")
    ]


def test_decimal_convention_follows_language() -> None:
    assert summary("1,5 Millionen Menschen", "de")[0][0] == 1.5e6
    assert summary("98.000 Russen", "de")[0][0] == 98000
    assert summary("98,000 Russians", "en")[0][0] == 98000


def test_offset_is_added() -> None:
    [quantity] = extract_quantities("environ 300 000 personnes", "fr", offset=100)
    assert (quantity.start, quantity.end) == (100, 125)


def test_to_dict() -> None:
    quantity = Quantity(300000.0, "personnes", True, "environ 300 000 personnes", 0, 25)
    assert quantity.to_dict() == {
        "value": 300000.0,
        "unit": "personnes",
        "approximate": True,
        "text": "environ 300 000 personnes",
        "start": 0,
        "end": 25,
    }


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "En mars, 1 800 élèves ont repris les cours.",
            "fr",
            (1800, "élèves", False, "1 800 élèves"),
        ),
        (
            "In October, 640 homes lost power after the storm.",
            "en",
            (640, "homes", False, "640 homes"),
        ),
        ("On Aug. 3, 75 flights were cancelled.", "en", (75, "flights", False, "75 flights")),
    ],
)
def test_count_after_a_month_and_a_comma_is_kept(
    text: str, language: str, expected: tuple[float, str | None, bool, str]
) -> None:
    assert summary(text, language) == [expected]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le festival a ouvert le 3 mars 2021.", "fr"),
        ("The bridge reopened on March 3, 2021.", "en"),
        ("The bridge reopened on Aug. 3, 2021, after repairs.", "en"),
    ],
)
def test_dates_after_a_month_still_give_no_quantity(text: str, language: str) -> None:
    assert summary(text, language) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Dépêches publiées du 22 au 27 septembre 2022.", "fr"),
        ("Les communiqués des 26 et 27 septembre.", "fr"),
        ("Réunions les 3, 4 et 5 mai.", "fr"),
        ("Reports from 22-27 September.", "en"),
        ("Statements made on September 22 and 26, 2022.", "en"),
    ],
)
def test_days_of_a_range_or_list_are_dates(text: str, language: str) -> None:
    assert summary(text, language) == []


def test_a_count_after_a_date_and_a_conjunction_is_kept() -> None:
    assert summary("Floods on July 12 and 30 people missing.", "en") == [
        (30, "people", False, "30 people")
    ]
    assert [q[0] for q in summary("Entre 20 et 30 morts selon la police.", "fr")] == [20, 30]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "La région compte 40 nouvelles écoles.",
            "fr",
            (40, "écoles", False, "40 nouvelles écoles"),
        ),
        (
            "Plus de 300 jeunes agriculteurs ont été aidés.",
            "fr",
            (300, "agriculteurs", True, "Plus de 300 jeunes agriculteurs"),
        ),
        (
            "La ville a planté 120 autres arbres.",
            "fr",
            (120, "arbres", False, "120 autres arbres"),
        ),
        (
            "The council hired 85 school nurses.",
            "en",
            (85, "nurses", False, "85 school nurses"),
        ),
        (
            "The port handled 3 million shipping containers.",
            "en",
            (3e6, "containers", False, "3 million shipping containers"),
        ),
        (
            "They installed 400 new wind turbines.",
            "en",
            (400, "turbines", False, "400 new wind turbines"),
        ),
        ("The club signed 12 more players.", "en", (12, "players", False, "12 more players")),
        (
            "The raid freed 60 factory workers.",
            "en",
            (60, "workers", False, "60 factory workers"),
        ),
    ],
)
def test_unit_is_the_noun_after_its_modifiers(
    text: str, language: str, expected: tuple[float, str | None, bool, str]
) -> None:
    assert summary(text, language) == [expected]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Some 700 people walked to the stadium.", "en", (700, "people", True, "Some 700 people")),
        (
            "Les 2 000 jeunes manifestaient devant la mairie.",
            "fr",
            (2000, "jeunes", False, "2 000 jeunes"),
        ),
        (
            "Around 50 volunteers cleaned beaches.",
            "en",
            (50, "volunteers", True, "Around 50 volunteers"),
        ),
        ("We met 30 police at the gate.", "en", (30, "police", False, "30 police")),
    ],
)
def test_a_verb_or_object_after_the_noun_is_not_the_unit(
    text: str, language: str, expected: tuple[float, str | None, bool, str]
) -> None:
    assert summary(text, language) == [expected]
