"""Hand features of a (claim, evidence) pair."""

from __future__ import annotations

from claims.stance.features import HAND_FEATURE_NAMES, extract_pair_features, pair_features


def feature(claim: str, evidence: str, name: str) -> float:
    return pair_features(claim, evidence)[HAND_FEATURE_NAMES.index(name)]


def test_a_negation_only_the_evidence_has_is_counted() -> None:
    claim = "Le centre commercial était ouvert au moment de la frappe."
    evidence = "Le centre commercial n'était pas fermé au moment de la frappe."
    assert feature(claim, evidence, "negation_asymmetry") == 1.0
    assert feature(evidence, evidence, "negation_asymmetry") == 0.0


def test_opposite_words_split_across_the_texts_are_seen_in_french_and_english() -> None:
    assert feature("Les prix sont en hausse.", "Les prix sont en baisse.", "antonym_split") == 1.0
    assert feature("Prices are on the rise.", "Prices did not fall.", "antonym_split") == 1.0
    assert feature("Les prix sont en hausse.", "Les prix sont en hausse.", "antonym_split") == 0.0


def test_figures_and_years_that_disagree_are_flagged() -> None:
    claim = "Le patron a vendu pour 6 millions de dollars d'actions en 2021."
    evidence = "Le patron a vendu pour 400 millions de dollars d'actions en 2022."
    assert feature(claim, evidence, "numbers_both_disagree") == 1.0
    assert feature(claim, evidence, "years_disagree") == 1.0
    assert feature(claim, claim, "numbers_both_disagree") == 0.0


def test_the_matrix_has_one_row_per_pair() -> None:
    matrix = extract_pair_features([("a", "b"), ("c", "d"), ("e", "f")])
    assert matrix.shape == (3, len(HAND_FEATURE_NAMES))
    assert extract_pair_features([]).shape == (0, len(HAND_FEATURE_NAMES))
