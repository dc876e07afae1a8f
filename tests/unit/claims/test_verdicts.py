"""What a passage says about a claim, and the verdict the evidence suggests."""

from __future__ import annotations

from claims.models import Stance, SuggestedVerdict
from claims.verdicts import (
    Assessment,
    assess_passage,
    compare_quantities,
    same_thing,
    suggest_verdict,
)


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
    claimed = [q(500000, "500,000 Russians", unit="Russians")]
    stated = [q(98000, "About 98,000 Russians", approximate=True, unit="Russians")]
    result = assess_passage(claim, claimed, passage, stated)
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


def test_figures_about_the_same_thing_compare_across_languages() -> None:
    result = compare_quantities(
        [q(98000, "98 000 Russes", unit="Russes")], [q(98000, "98,000 Russians", unit="Russians")]
    )
    assert result is not None and result["match"] and result["unit"] == "Russes"


def test_figures_about_different_things_are_not_compared() -> None:
    claimed = [q(300000, "300 000 réservistes", unit="réservistes")]
    assert compare_quantities(claimed, [q(98000, "98,000 Russians", unit="Russians")]) is None
    assert compare_quantities([q(12, "12 %", unit="%")], [q(12, "12 $", unit="$")]) is None
    assert compare_quantities(
        [q(12, "12 morts", unit="morts")], [q(14, "14 deaths", unit="deaths")]
    )


def test_same_thing_knows_units_nouns_and_a_few_translations() -> None:
    assert same_thing("Russes", "Russians") and same_thing("réservistes", "reservists")
    assert same_thing("personnes", "people") and same_thing(None, "people")
    assert not same_thing("%", "€") and not same_thing("soldats", "euros")


def test_the_stance_model_reads_a_negated_restatement_as_refuting() -> None:
    claim = "Le gouvernement a fermé toutes les écoles du pays en mars."
    passage = (
        "Le gouvernement n'a jamais fermé les écoles du pays en mars : elles sont restées "
        "ouvertes, contrairement à ce qu'affirment des publications."
    )
    result = assess_passage(claim, [], passage, [])
    assert result.stance == Stance.REFUTES
    assert result.contradiction is not None and result.contradiction >= 0.5
    assert "contradicting" in result.reasons[-1]


def test_a_passage_that_does_not_talk_about_the_claim_is_neutral_without_the_model() -> None:
    result = assess_passage("Les vols vers Istanbul étaient complets", [], "Il pleut à Lyon.", [])
    assert result.stance == Stance.NEUTRAL and result.contradiction is None


def test_a_quote_is_verified_apart_from_the_truth_of_what_was_said() -> None:
    claim = "Environ 98 000 Russes sont entrés au Kazakhstan, selon le ministère kazakh."
    claimed = [q(98000, "Environ 98 000 Russes", approximate=True, unit="Russes")]
    quoting = "The Kazakh ministry said about 98,000 Russians entered Kazakhstan in a week."
    stated = [q(98000, "about 98,000 Russians", approximate=True, unit="Russians")]
    said = assess_passage(claim, claimed, quoting, stated, speaker="le ministère kazakh")
    assert said.attribution == "confirms"
    suggestion = suggest_verdict([("Ministry briefing", said)], speaker="le ministère kazakh")
    assert suggestion.attribution == "accurate"
    assert "Attribution accurate: Ministry briefing" in suggestion.attribution_rationale
    assert "own statement" in suggestion.rationale

    misquoting = "The Kazakh ministry said about 60,000 Russians entered Kazakhstan in a week."
    fewer = [q(60000, "about 60,000 Russians", approximate=True, unit="Russians")]
    other = assess_passage(claim, claimed, misquoting, fewer, speaker="le ministère kazakh")
    assert other.attribution == "contradicts" and other.stance == Stance.REFUTES
    assert suggest_verdict([("Ministry", other)]).attribution == "inaccurate"
    # A claim that quotes nobody has no attribution to verify.
    assert assess_passage(claim, claimed, quoting, stated).attribution is None


def test_one_decisive_passage_gives_its_own_score_as_the_confidence() -> None:
    figures = {"match": False, "same_unit": True, "claimed": "98 000", "stated": "60,000"}
    refute = Assessment(Stance.REFUTES, 0.8, "s", figures, ("60 %", "states '60,000'"))
    suggestion = suggest_verdict([("Ministry", refute)])
    assert suggestion.verdict == SuggestedVerdict.CONTRADICTED
    assert suggestion.confidence == 0.8
    assert suggestion.attribution is None and suggestion.attribution_rationale == ""


def test_the_model_alone_never_claims_more_than_its_measured_accuracy() -> None:
    """Without figures, several passages the model reads alike do not compound confidence."""
    refute = Assessment(Stance.REFUTES, 0.8, "s", None, ("60 %", "reads as contradicting"))
    suggestion = suggest_verdict([(f"Source {n}", refute) for n in range(5)])
    assert suggestion.verdict == SuggestedVerdict.CONTRADICTED
    assert suggestion.confidence == 0.7


def test_weak_dissent_lowers_the_confidence_without_making_it_mixed() -> None:
    refute = Assessment(Stance.REFUTES, 0.8, "s", None, ("60 %", "states '60,000'"))
    weak = Assessment(Stance.SUPPORTS, 0.55, "s", None, ("40 %", "consistent"))
    suggestion = suggest_verdict([("Ministry", refute), ("Blog", weak)])
    assert suggestion.verdict == SuggestedVerdict.CONTRADICTED
    assert suggestion.confidence < 0.8


def test_a_source_stating_the_claims_figure_outweighs_other_figures() -> None:
    figure = {"claimed": "98 000 Russes", "stated": "98,000 Russians", "match": True}
    other = {"claimed": "98 000 Russes", "stated": "200,000 Russians", "match": False}
    matching = Assessment(Stance.SUPPORTS, 0.7, "s", figure | {"same_unit": True}, ("x", "y"))
    later = Assessment(Stance.REFUTES, 0.75, "s", other | {"same_unit": True}, ("x", "z"))
    model_only = Assessment(Stance.REFUTES, 0.9, "s", None, ("x", "reads as contradicting"))
    suggestion = suggest_verdict([("Ministry", matching), ("Later", later), ("Blog", model_only)])
    assert suggestion.verdict == SuggestedVerdict.SUPPORTED
    assert suggestion.rationale.startswith("Ministry") and suggestion.confidence < 0.7


def compare_texts(claim: str, claim_language: str, passage: str, passage_language: str) -> dict:
    from claims.text import extract_quantities

    claimed = [q.to_dict() for q in extract_quantities(claim, claim_language)]
    stated = [q.to_dict() for q in extract_quantities(passage, passage_language)]
    return compare_quantities(claimed, stated, claim_text=claim, passage_text=passage)


def test_the_same_noun_about_another_event_is_not_compared() -> None:
    claim = "Plus de 15 000 personnes ont traversé la frontière nord en trois jours."
    passage = "Le gouvernement veut mobiliser 120 000 personnes d'ici l'hiver."
    assert compare_texts(claim, "fr", passage, "fr") is None
    deaths = "The landslide killed 40 people in the valley."
    rescued = "Rescuers pulled 45 people alive from the mud in the valley."
    assert compare_texts(deaths, "en", rescued, "en") is None


def test_people_counted_by_other_nouns_compare_when_the_event_agrees() -> None:
    claim = "L'armée a rappelé environ 50 000 personnes cette semaine."
    passage = "This week the army recalled 50,000 reservists, the ministry said."
    result = compare_texts(claim, "fr", passage, "en")
    assert result is not None and result["match"] and result["stated"] == "50,000 reservists"
    differing = compare_texts(claim, "fr", "The army recalled 80,000 soldiers.", "en")
    assert differing is not None and not differing["match"] and differing["same_unit"]


def test_other_nouns_without_a_shared_event_are_not_compared() -> None:
    claim = "Environ 50 000 personnes ont été rappelées."
    assert compare_texts(claim, "fr", "Le stade accueille 50 000 spectateurs.", "fr") is None
    assert (
        compare_quantities(
            [q(50000, "50 000 personnes", unit="personnes")],
            [q(50000, "50 000 réservistes", unit="réservistes")],
        )
        is None
    )


def test_a_figure_about_another_event_is_skipped_and_approximation_still_counts() -> None:
    claim = "Près de 2 000 migrants sont arrivés sur l'île en juillet."
    passage = (
        "Cet été, 2 150 personnes sont arrivées sur l'île en juillet et 2 000 personnes ont "
        "été expulsées."
    )
    result = compare_texts(claim, "fr", passage, "fr")
    assert result is not None and result["stated"] == "2 150 personnes" and result["match"]


def test_an_assessment_does_not_refute_a_claim_with_a_figure_about_another_event() -> None:
    claim = "Plus de 15 000 personnes ont traversé la frontière nord en trois jours."
    passage = "Les autorités ont indiqué que 120 000 personnes seront appelées sous les drapeaux."
    from claims.text import extract_quantities

    claimed = [x.to_dict() for x in extract_quantities(claim, "fr")]
    stated = [x.to_dict() for x in extract_quantities(passage, "fr")]
    result = assess_passage(claim, claimed, passage, stated)
    assert result.number_match is None
    assert not any("where the claim says" in reason for reason in result.reasons)


def _assess(claim: str, passage: str, language: str):
    from claims.text import extract_quantities

    claimed = [x.to_dict() for x in extract_quantities(claim, language)]
    stated = [x.to_dict() for x in extract_quantities(passage, language)]
    return assess_passage(claim, claimed, passage, stated)


def test_the_same_figure_going_the_other_way_refutes_the_claim() -> None:
    fell = "Unemployment in the region fell by 8% last year."
    rose = "Unemployment in the region rose by 8% last year, the statistics office said."
    result = _assess(fell, rose, "en")
    assert result.stance == Stance.REFUTES
    assert result.number_match and result.number_match["opposite"]
    assert "going up where the claim says '8%' going down" in result.reasons[-1]
    cut = "L'usine va supprimer 1 200 emplois cette année."
    created = "L'usine va créer 1 200 emplois cette année, selon la direction."
    assert _assess(cut, created, "fr").stance == Stance.REFUTES


def test_the_same_way_in_other_words_still_supports() -> None:
    claim = "Le chômage a baissé de 8 % l'an dernier dans la région."
    passage = "Dans la région, le chômage a reculé de 8 % l'an dernier."
    result = _assess(claim, passage, "fr")
    assert result.stance == Stance.SUPPORTS and result.number_match["match"]
    # A level with no direction on one side is compared as before.
    level = "Le chômage atteint 8 % dans la région l'an dernier."
    assert _assess(claim, level, "fr").number_match["match"]


def test_a_matching_figure_wins_over_a_nearer_one_that_does_not_match() -> None:
    result = compare_quantities(
        [q(100, "100 morts", unit="morts")],
        [
            q(103, "103 morts", unit="morts"),
            q(105, "environ 105 morts", approximate=True, unit="morts"),
        ],
    )
    assert result is not None and result["match"] and result["stated"] == "environ 105 morts"


def test_a_bound_is_met_by_any_figure_beyond_it_and_refuted_by_one_short_of_it() -> None:
    def matched(claimed: dict, stated: dict) -> bool | None:
        result = compare_quantities([claimed], [stated])
        return None if result is None else result["match"]

    more_than = q(300000, "Plus de 300 000 personnes", approximate=True, unit="personnes")
    assert matched(more_than, q(350000, "350 000 personnes", unit="personnes")) is True
    assert matched(more_than, q(250000, "250 000 personnes", unit="personnes")) is False
    fewer = q(1000, "fewer than 1,000 protesters", approximate=True, unit="protesters")
    assert matched(fewer, q(800, "800 protesters", unit="protesters")) is True
    assert matched(fewer, q(1200, "1,200 protesters", unit="protesters")) is False
    # A plain figure still spans its own approximation against a bound.
    about = q(290000, "About 290,000 people", approximate=True, unit="people")
    assert matched(q(300000, "More than 300,000 people", approximate=True, unit="people"), about)


def test_a_passage_bound_that_only_allows_the_claims_figure_is_not_a_comparison() -> None:
    claimed = [q(300000, "environ 300 000 personnes", approximate=True, unit="personnes")]
    up_to_a_million = q(1e6, "jusqu’à un million de personnes", approximate=True, unit="personnes")
    assert compare_quantities(claimed, [up_to_a_million]) is None
    up_to_the_figure = q(300000, "jusqu’à 300 000 personnes", approximate=True, unit="personnes")
    assert compare_quantities(claimed, [up_to_the_figure])["match"]  # type: ignore[index]
