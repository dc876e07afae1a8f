"""split_sentences: paragraphs first, blingfire, then repairs."""

from __future__ import annotations

from claims.text import split_sentences


def sentences_of(text: str, language: str = "fr") -> list[str]:
    return [text[start:end] for start, end in split_sentences(text, language)]


def test_seed_paragraphs_and_quotes(seed_text: str) -> None:
    sentences = sentences_of(seed_text)
    assert sentences[0].startswith("date 2022-09 NOUVEAU")
    assert sentences[1].startswith("Environ 98 000 Russes")
    assert sentences[1].endswith("vers les pays voisins.")
    assert "“Nous devons prendre soin d’eux et assurer leur sécurité." in sentences
    last = sentences[-1]
    assert last.startswith("J’ai chargé le gouvernement")
    assert "”, a déclaré Tokayev, ajoutant que" in last


def test_no_split_after_titles_and_abbreviations() -> None:
    text = (
        "M. Akhmetzhanov a parlé le 27 sept. devant la presse. Mme la ministre a répondu. "
        "The U.S. embassy closed at 5 p.m. on Tuesday. Dr. Fauci was not there."
    )
    assert sentences_of(text) == [
        "M. Akhmetzhanov a parlé le 27 sept. devant la presse.",
        "Mme la ministre a répondu.",
        "The U.S. embassy closed at 5 p.m. on Tuesday.",
        "Dr. Fauci was not there.",
    ]


def test_numbers_with_separators_stay_whole() -> None:
    for separator in (" ", "\u00a0", "\u202f", ".", ","):
        text = f"Environ 98{separator}000 Russes sont arrivés. Le reste a suivi."
        assert len(sentences_of(text)) == 2, repr(separator)


def test_quote_followed_by_lowercase_attribution_stays_together() -> None:
    text = '"Stop!" she said. « Qui êtes-vous ? » a-t-il demandé. “Why?” he asked.'
    assert sentences_of(text, "en") == [
        '"Stop!" she said.',
        "« Qui êtes-vous ? » a-t-il demandé.",
        "“Why?” he asked.",
    ]


def test_lines_are_paragraphs_but_hard_wraps_are_joined() -> None:
    text = "Un titre court\nLe Kazakhstan a ouvert sa frontière\naux voyageurs russes. Puis rien."
    assert sentences_of(text) == [
        "Un titre court",
        "Le Kazakhstan a ouvert sa frontière\naux voyageurs russes.",
        "Puis rien.",
    ]


def test_offsets_with_astral_characters_and_crlf() -> None:
    text = "  🙂 Première phrase ici.\r\n\r\nDeuxième phrase 中文。 Fin.  "
    for start, end in split_sentences(text, "fr"):
        piece = text[start:end]
        assert piece == piece.strip()
        assert piece
    assert sentences_of(text)[0] == "🙂 Première phrase ici."


def test_empty_text() -> None:
    assert split_sentences("", "en") == []
    assert split_sentences(" \n\t\n ", "en") == []
