"""score_checkworthiness and hedging: transparent reasons, sensible ordering."""

from __future__ import annotations

import pytest

from claims.text import score_checkworthiness
from claims.text.scoring import CLAIM_TYPES, assess, detect_hedging


def test_factual_attributed_number_scores_high() -> None:
    score, reasons = score_checkworthiness(
        "About 98,000 Russians entered Kazakhstan in the week after the mobilisation was "
        "announced, Kazakh officials said on Tuesday.",
        "en",
    )
    assert score >= 0.9
    assert "states a number" in reasons
    assert "names several entities" in reasons
    assert "attributed to an unnamed source" in reasons


@pytest.mark.parametrize(
    ("sentence", "language", "reason"),
    [
        ("What happens to the men who fled to Kazakhstan?", "en", "asks a question"),
        (
            "I think the border should stay open for everyone.",
            "en",
            "gives an opinion in the first or second person",
        ),
        (
            "Nous devons prendre soin d’eux et assurer leur sécurité.",
            "fr",
            "gives an opinion in the first or second person",
        ),
        (
            "Share your own story about crossing the border.",
            "en",
            "is an imperative or a call to action",
        ),
        ("Merci beaucoup.", "fr", "very short sentence"),
    ],
)
def test_non_claims_score_low(sentence: str, language: str, reason: str) -> None:
    score, reasons = score_checkworthiness(sentence, language)
    assert score < 0.5
    assert reason in reasons


def test_boilerplate_scores_zero() -> None:
    score, reasons = score_checkworthiness(
        "NOUVEAUVous pouvez désormais écouter les articles de Fox News !", "fr"
    )
    assert (score, reasons) == (0.0, ("boilerplate",))


def test_more_evidence_means_higher_score() -> None:
    bare, _ = score_checkworthiness("Des gens sont partis vers le sud hier soir.", "fr")
    richer, _ = score_checkworthiness(
        "Environ 98 000 Russes sont entrés au Kazakhstan, selon le ministère kazakh de "
        "l’Intérieur.",
        "fr",
    )
    assert 0.0 <= bare < richer <= 1.0


@pytest.mark.parametrize(
    ("text", "language", "hedged"),
    [
        ("300 000 personnes seraient appelées.", "fr", True),
        ("Le Kazakhstan semblait être la destination la plus populaire.", "fr", True),
        ("Le portrait du président a été retiré.", "fr", False),
        ("Recruiters reportedly rounded up men.", "en", True),
        ("The men may have crossed at night.", "en", True),
        ("In May, 98,000 Russians crossed the border.", "en", False),
        ("98,000 Russians crossed the border.", "en", False),
    ],
)
def test_detect_hedging(text: str, language: str, hedged: bool) -> None:
    assert detect_hedging(text, language) is hedged


@pytest.mark.parametrize(
    ("text", "language", "claim_type"),
    [
        ("Environ 98 000 Russes sont entrés au Kazakhstan.", "fr", "quantity"),
        ("Le Kazakhstan était la destination la plus populaire.", "fr", "comparison"),
        ("Le Kazakhstan tiendra des pourparlers avec la Russie.", "fr", "prediction"),
        (
            "Le ministère de la Défense a déclaré que la mobilisation était partielle.",
            "fr",
            "attribution",
        ),
        ("Les billets d’avion s’étaient vendus rapidement.", "fr", "event"),
        ("« Nous allons les aider », a déclaré le président.", "fr", "quote"),
        ("C’est une question politique et humanitaire.", "fr", "other"),
    ],
)
def test_claim_types(text: str, language: str, claim_type: str) -> None:
    assert claim_type in CLAIM_TYPES
    assert assess(text, language).claim_type == claim_type
