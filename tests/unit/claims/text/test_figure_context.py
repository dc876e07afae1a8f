"""figure_events and counts_people: what a figure counts and what happens to it."""

from __future__ import annotations

from claims.text import extract_quantities
from claims.text.figure_context import counts_people, figure_events


def events(text: str, language: str) -> frozenset[str]:
    [quantity] = extract_quantities(text, language)
    return figure_events(text, quantity.to_dict())


def test_the_governing_verb_names_the_event_in_either_language() -> None:
    assert events("Le pays a rappelé 40 000 soldats en mai.", "fr") == {"mobilised"}
    assert events("Some 40,000 soldiers were recalled in May.", "en") == {"mobilised"}
    assert events("Près de 9 000 habitants ont fui la vallée.", "fr") == {"crossed a border"}


def test_the_nearest_word_governs_and_another_clause_does_not() -> None:
    text = "Quelque 6 000 hommes ont quitté la ville pour échapper à la conscription."
    assert events(text, "fr") == {"crossed a border"}
    other_clause = "The strike ended on Monday, while 500 nurses stayed at home."
    assert events(other_clause, "en") == {"stayed"}


def test_without_a_governing_word_the_counted_noun_names_the_event() -> None:
    assert events("La tempête a fait 6 morts dans le département.", "fr") == {"died"}
    assert events("Le chantier a coûté 3 milliards d'euros.", "fr") == {"price"}
    assert events("Le musée possède 4 000 tableaux.", "fr") == frozenset()


def test_counts_people_knows_nouns_and_demonyms_but_not_units() -> None:
    assert counts_people("réservistes") and counts_people("soldiers")
    assert counts_people("Ukrainiens") and counts_people("Georgians")
    assert not counts_people("tonnes") and not counts_people("%") and not counts_people(None)


def test_places_frame_a_figure_from_its_clause_sentence_or_an_earlier_sentence() -> None:
    from claims.text.figure_context import figure_places

    def framed(text: str, language: str) -> frozenset[str]:
        return figure_places(text, extract_quantities(text, language)[-1].to_dict())

    assert framed("Environ 98 000 Russes sont entrés au Kazakhstan.", "fr") == {"KZ"}
    assert framed("In Germany, 2,000 asylum applications were filed.", "en") == {"DE"}
    earlier = "Des Russes sont partis vers la Finlande. Les gardes en ont compté 8 600 samedi."
    assert framed(earlier, "fr") == {"FI"}
    assert framed("Le musée possède 4 000 tableaux.", "fr") == frozenset()


def test_figures_framed_by_different_places_are_not_compared() -> None:
    from claims.verdicts import compare_quantities

    claim = "Environ 98 000 Russes sont entrés au Kazakhstan en une semaine."
    claimed = [q.to_dict() for q in extract_quantities(claim, "fr")]

    def compared(passage: str) -> bool:
        stated = [q.to_dict() for q in extract_quantities(passage, "en")]
        found = compare_quantities(claimed, stated, claim_text=claim, passage_text=passage)
        return found is not None

    assert not compared("Finnish guards counted 4,824 Russians entering Finland on Saturday.")
    assert compared("Some 98,000 Russians crossed into Kazakhstan within a week.")
    # A passage that names the claim's place anywhere is still compared.
    assert compared("Kazakhstan was busy: 90,000 Russians arrived in Almaty and elsewhere.")


def test_the_direction_of_a_figure_is_read_from_the_nearest_word() -> None:
    from claims.text.figure_context import figure_direction

    def ways(text: str, language: str) -> list[str | None]:
        return [figure_direction(text, x.to_dict()) for x in extract_quantities(text, language)]

    assert ways("Les prix ont augmenté de 8 % et les salaires ont baissé de 2 %.", "fr") == [
        "up",
        "down",
    ]
    assert ways("Exports fell 12% in May.", "en") == ["down"]
    assert ways("Le chômage atteint 7,4 % en France.", "fr") == [None]
    assert ways("Up to 300,000 reservists would be called up.", "en") == [None]
