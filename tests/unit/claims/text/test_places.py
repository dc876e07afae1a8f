"""find_places: countries by their French or English names, other places after a preposition."""

from __future__ import annotations

from claims.text.places import find_places, same_place


def places(text: str) -> list[tuple[str, str]]:
    return [(p.key, text[p.start : p.end]) for p in find_places(text)]


def test_a_country_has_one_key_in_french_and_english() -> None:
    assert places("Des Russes sont entrés en Allemagne.") == [("DE", "Allemagne")]
    assert places("Russians entered Germany.") == [("DE", "Germany")]
    assert places("La Norvège et le Royaume-Uni.") == [("NO", "Norvège"), ("GB", "Royaume-Uni")]
    assert places("aux États-Unis, in the United States, in the U.S.") == [
        ("US", "États-Unis"),
        ("US", "United States"),
        ("US", "U.S."),
    ]


def test_elided_articles_and_possessives_do_not_hide_a_country() -> None:
    assert places("La frontière de l'Ukraine.") == [("UA", "Ukraine")]
    assert places("Russia's defence ministry.") == [("RU", "Russia")]


def test_short_forms_must_be_written_in_capitals() -> None:
    assert places("The UK and the EU.") == [("GB", "UK"), ("EU", "EU")]
    assert places("Us too, said the crowd.") == []


def test_other_places_are_read_after_a_locative_word() -> None:
    assert places("Some 700 people were evacuated from Kherson.") == [("~kherson", "Kherson")]
    assert places("À Saint-Pétersbourg, 3 000 manifestants.") == [
        ("~saint petersbourg", "Saint-Pétersbourg")
    ]
    assert places("Des files vers Haut-Lars.") == [("~haut lars", "Haut-Lars")]


def test_people_months_and_days_after_a_preposition_are_not_places() -> None:
    assert places("Il a annoncé à Vladimir Poutine que la mobilisation continuait.") == []
    assert places("The vote is in May, not on Sunday.") == []
    assert places("Le rapport a été remis au Président.") == []


def test_same_place_matches_keys_and_spellings_of_one_city() -> None:
    assert same_place("DE", "DE") and not same_place("DE", "AT")
    assert same_place("~moscou", "~moscow")
    assert not same_place("~kherson", "~kharkiv")


def test_an_english_article_is_not_the_french_a() -> None:
    assert places("A Kazakh official said a Russian convoy had crossed.") == []
    assert places("Ils sont arrivés à Almaty.") == [("~almaty", "Almaty")]
