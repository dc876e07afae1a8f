"""What a passage says about a claim, and the verdict the evidence suggests."""

from __future__ import annotations

from claims.models import Stance, SuggestedVerdict
from claims.verdicts import Assessment, assess_passage, compare_quantities, suggest_verdict


def q(value: float, text: str, *, approximate: bool = False, unit: str | None = None) -> dict:
    return {"value": value, "text": text, "approximate": approximate, "unit": unit}


def test_figures_within_the_claims_own_approximation_match() -> None:
    result = compare_quantities(
        [q(300000, "environ 300 000", approximate=True)], [q(318000, "318,000")]
    )
    assert result is not None and result["match"]
    assert result["difference_percent"] == 6.0


def test_exact_figures_must_agree_closely() -> None:
    result = compare_quantities([q(300000, "300 000")], [q(318000, "318,000")])
    assert result is not None and not result["match"]


def test_years_are_not_compared_as_figures() -> None:
    assert compare_quantities([q(2022, "2022")], [q(2021, "2021")]) is None


def test_a_passage_stating_the_same_figure_supports_the_claim() -> None:
    claim = "Environ 98 000 Russes sont entrés au Kazakhstan"
    passage = "Quelque 98 000 Russes sont entrés au Kazakhstan en une semaine, selon le ministère."
    result = assess_passage(
        claim,
        [q(98000, "Environ 98 000", approximate=True)],
        passage,
        [q(98000, "Quelque 98 000", approximate=True)],
    )
    assert result.stance == Stance.SUPPORTS
    assert result.number_match and result.number_match["match"]


def test_a_passage_stating_another_figure_for_the_same_thing_refutes_it() -> None:
    claim = "Exactly 500,000 Russians entered Kazakhstan that week"
    passage = "About 98,000 Russians entered Kazakhstan that week, officials said."
    result = assess_passage(
        claim, [q(500000, "500,000")], passage, [q(98000, "About 98,000", approximate=True)]
    )
    assert result.stance == Stance.REFUTES
    assert "98,000" in result.reasons[-1]


def test_an_unrelated_passage_is_neutral() -> None:
    result = assess_passage("Flights to Istanbul sold out", [], "Le décret a été signé.", [])
    assert result.stance == Stance.NEUTRAL


def test_the_suggestion_names_the_decisive_source() -> None:
    support = Assessment(Stance.SUPPORTS, 0.9, "s", None, ("80 %", "states '98,000'"))
    suggestion = suggest_verdict([("Interior ministry", support)])
    assert suggestion.verdict == SuggestedVerdict.SUPPORTED
    assert "Interior ministry" in suggestion.rationale and "98,000" in suggestion.rationale
    refute = Assessment(Stance.REFUTES, 0.6, "s", None, ("50 %", "states '1 million'"))
    assert suggest_verdict([("A", support), ("B", refute)]).verdict == SuggestedVerdict.MIXED
    assert suggest_verdict([]).verdict == SuggestedVerdict.NOT_ENOUGH_EVIDENCE
