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
