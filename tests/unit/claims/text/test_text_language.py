"""detect_language: fast, offline, with a default for short text."""

from __future__ import annotations

import pytest

from claims.text import detect_language
from claims.text.language import normalize_language


def test_detects_the_seed_as_french(seed_text: str) -> None:
    assert detect_language(seed_text) == "fr"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("About 98,000 Russians entered Kazakhstan in the week after the mobilisation.", "en"),
        ("Etwa 98.000 Russen sind nach Kasachstan eingereist, teilten die Behörden mit.", "de"),
        (
            "Unos 98.000 rusos entraron en Kazajistán durante la semana, dijeron las autoridades.",
            "es",
        ),
    ],
)
def test_detects_common_languages(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "   ", "ok", "12 345 678", "🙂🙂🙂"])
def test_short_or_letterless_text_defaults_to_english(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fr-FR", "fr"), ("EN_us", "en"), ("", "en"), (None, "en"), ("ceb", "en")],
)
def test_normalize_language(code: str | None, expected: str) -> None:
    assert normalize_language(code) == expected
