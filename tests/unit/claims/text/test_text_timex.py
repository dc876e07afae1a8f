"""The time a claim refers to, resolved against the document's date when it is precise enough."""

from __future__ import annotations

import pytest

from claims.text import segment_document
from claims.text.timex import find_time, parse_document_date


@pytest.mark.parametrize(
    ("text", "document_date", "expected_text", "expected_value"),
    [
        ("Les Russes sont arrivés mardi au Kazakhstan.", "2022-09-29", "mardi", "2022-09-27"),
        ("Les Russes sont arrivés mardi au Kazakhstan.", "2022-09", "mardi", None),
        ("Prices rose in 2021, officials said.", None, "2021", "2021"),
        ("Il a été élu le 27 septembre 2022.", None, "27 septembre 2022", "2022-09-27"),
        ("Il a été élu le 27 septembre.", "2022-10-03", "27 septembre", "2022-09-27"),
        ("It happened on June 5, 2022 in Kyiv.", None, "June 5, 2022", "2022-06-05"),
        (
            "Les prix ont doublé la semaine dernière.",
            "2022-09-29",
            "la semaine dernière",
            "2022-W38",
        ),
        ("Le chômage a baissé l'an dernier.", "2022-09", "l'an dernier", "2021"),
        ("Unemployment fell last month.", "2022-09", "last month", "2022-08"),
        ("Le bilan est paru hier.", "2022-03-01", "hier", "2022-02-28"),
        ("Published on 2022-09-27 in Almaty.", None, "2022-09-27", "2022-09-27"),
        ("En septembre 2022, 98 000 Russes sont partis.", None, "septembre 2022", "2022-09"),
    ],
)
def test_find_time(
    text: str, document_date: str | None, expected_text: str, expected_value: str | None
) -> None:
    found = find_time(text, document_date)
    assert found is not None
    assert found.text == expected_text
    assert text[found.start : found.end] == expected_text
    assert found.value == expected_value


@pytest.mark.parametrize(
    "text", ["98 000 Russes sont entrés au Kazakhstan.", "Prices rose by 25 percent."]
)
def test_no_time_stated(text: str) -> None:
    assert find_time(text, "2022-09-29") is None


def test_parse_document_date() -> None:
    assert parse_document_date("2022-09") == (2022, 9)
    assert parse_document_date("2022-09-27T10:00Z") == (2022, 9, 27)
    assert parse_document_date(None) == ()
    assert parse_document_date("soon") == ()


def test_claims_carry_their_time_resolved_against_the_header_date() -> None:
    text = (
        "date 2022-09-29\n\n"
        "Environ 98 000 Russes sont entrés au Kazakhstan mardi, ont déclaré des responsables "
        "kazakhs."
    )
    [claim] = segment_document(text, language="fr").claims
    assert claim.time is not None
    assert (claim.time.text, claim.time.value) == ("mardi", "2022-09-27")
    assert text[claim.time.start : claim.time.end] == "mardi"
    assert claim.to_dict()["time"]["value"] == "2022-09-27"
