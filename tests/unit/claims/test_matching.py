"""Telling repeats of a claim apart from other claims: the exact key, near repeats, the index."""

from __future__ import annotations

from claims.matching import ClaimPrint, content_words, normalise, similarity, text_key
from claims.models.core import queue_score
from claims.text.quantities import extract_quantities


def claim_print(text: str, language: str = "fr") -> ClaimPrint:
    return ClaimPrint.of(text, [q.to_dict() for q in extract_quantities(text, language)])


def test_the_exact_key_folds_case_quotes_spaces_accents_and_digit_grouping() -> None:
    original = "Le ministère a déclaré que « 300 000 » personnes seraient appelées."
    variants = [
        'LE MINISTÈRE a déclaré que "300,000" personnes seraient   appelées !',
        "Le ministere a declare que “300.000” personnes seraient appelees",
        "Le ministère a déclaré que 300\u202f000 personnes seraient appelées.",
        "Le ministère a déclaré que ３００ ０００ personnes seraient appelées.",  # full width
    ]
    assert all(text_key(v) == text_key(original) for v in variants)
    assert text_key("Le ministère a déclaré que 30 000 personnes seraient appelées.") != text_key(
        original
    )
    assert normalise("Il a dit : « 3,5 % »") == "il a dit 3.5%"


def test_a_near_repeat_with_the_same_figures_matches_and_is_found_through_the_index() -> None:
    first = claim_print(
        "Environ 98 000 Russes sont entrés au Kazakhstan dans la semaine depuis que le président "
        "Vladimir Poutine a annoncé une mobilisation partielle, ont déclaré mardi des responsables."
    )
    repeat = claim_print(
        "Quelque 98,000 Russes sont entrés au Kazakhstan dans la semaine depuis que Vladimir "
        "Poutine a annoncé une mobilisation partielle, ont déclaré des responsables kazakhs."
    )
    score = similarity(first, repeat)
    assert score is not None and 0.5 <= score < 1.0
    assert set(first.fingerprints()) & set(repeat.fingerprints())


def test_other_figures_a_negation_or_another_name_make_another_claim() -> None:
    base = claim_print("Les ventes de voitures électriques ont augmenté de 12 % en France en 2023.")
    others = [
        "Les ventes de voitures électriques ont augmenté de 21 % en France en 2023.",
        "Les ventes de voitures électriques n'ont pas augmenté de 12 % en France en 2023.",
        "Les ventes de voitures électriques ont augmenté de 12 % en Espagne en 2023.",
        "Les ventes de voitures électriques ont augmenté de 12 % en France en 2022.",
    ]
    for text in others:
        assert similarity(base, claim_print(text)) is None, text
    # Other figures are not even candidates: the fingerprints are salted with them.
    assert not set(base.fingerprints()[1:]) & set(claim_print(others[0]).fingerprints()[1:])


def test_content_words_keep_negations_and_drop_function_words() -> None:
    words = content_words("Le vaccin n'empêche pas la transmission du virus")
    assert "pas" in words and "le" not in words and "la" not in words
    assert "vaccin" in words and "transm" in words  # cut to six letters


def test_recurrence_raises_the_rank_by_doublings_up_to_a_cap() -> None:
    assert queue_score(0.5, 1) == 0.5
    assert queue_score(0.5, 2) == 0.6
    assert queue_score(0.5, 4) == 0.7
    assert queue_score(0.5, 8) == queue_score(0.5, 50) == 0.8
