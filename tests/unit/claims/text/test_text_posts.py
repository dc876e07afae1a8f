"""A post pasted or scraped several times back to back is read once."""

from __future__ import annotations

import pytest

from claims.text import segment_document
from claims.text.posts import blank_copies, find_repeated_copies

POST = "Didier Drogba et sa femme viennent de mourir dans un accident de la route 😭😭😭"


@pytest.mark.parametrize(
    ("text", "tail"),
    [
        (f"{POST} {POST} {POST} None", " None"),
        (f"{POST}\n\n{POST}", ""),
        (f"  {POST} {POST} Texte de l'image : un accident.", " Texte de l'image : un accident."),
    ],
)
def test_copies_after_the_first_become_a_blank_line(text: str, tail: str) -> None:
    blanked = blank_copies(text, find_repeated_copies(text))
    assert len(blanked) == len(text)
    assert blanked.strip().startswith(POST)
    assert blanked.count(POST) == 1
    assert blanked.endswith(tail)
    assert blanked[len(text.rstrip(tail)) - len(POST) - 1 :].strip() == tail.strip()


@pytest.mark.parametrize(
    "text",
    [
        "Le président a dit que la loi passera. Le président a dit que non, finalement.",
        "Short text. Short text.",
        "",
        f"{POST} et puis {POST}",
    ],
)
def test_prose_that_only_repeats_an_opening_is_left_alone(text: str) -> None:
    assert find_repeated_copies(text) is None
    assert blank_copies(text, None) == text


def test_a_long_document_repeated_is_not_a_post() -> None:
    document = " ".join(f"La phrase numéro {number} du document." for number in range(400))
    assert len(document) > 10_000
    assert find_repeated_copies(f"{document}\n\n{document}") is None


def test_segment_keeps_the_claim_of_a_tripled_post_once_verbatim() -> None:
    text = f"{POST} {POST} {POST} None"
    document = segment_document(text, language="fr", mode="rules", min_checkworthiness=0.0)
    texts = [claim.text for claim in document.claims]
    assert sum("Drogba" in claim for claim in texts) == 1
    claim = next(claim for claim in document.claims if "Drogba" in claim.text)
    assert text[claim.start : claim.end] == claim.text
    assert claim.text.startswith("Didier Drogba") and "None" not in claim.text
    assert claim.text.count("Drogba") == 1
