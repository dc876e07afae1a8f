"""The boilerplate screen found in one scan of a document is exact: it never drops furniture."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.text.boilerplate import (
    _TRIGGERS,
    _has_trigger,
    find_boilerplate_cues,
    find_boilerplate_sentences,
    is_boilerplate,
    may_be_boilerplate,
)
from claims.text.sentences import iter_paragraphs, split_sentences

PIECES = st.sampled_from(
    [
        *_TRIGGERS,
        *(trigger.upper() for trigger in _TRIGGERS[::3]),
        *(trigger.capitalize() for trigger in _TRIGGERS[1::3]),
        "Lire",
        "aussi",
        "Par Reuters",
        "By",
        "Photo :",
        "Publié le 3 mars",
        "Le chômage a baissé de 2 %.",
        "Environ 98 000 Russes sont entrés au Kazakhstan.",
        " ",
        "  ",
        "\n",
        "\n\n",
        ". ",
        ":",
        "’",
        "é",
        "İ",
        "x",
    ]
)
TEXTS = st.lists(PIECES, max_size=24).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_the_trigger_pattern_matches_exactly_the_trigger_words(text: str) -> None:
    lowered = text.lower()
    assert _has_trigger(lowered) == any(trigger in lowered for trigger in _TRIGGERS)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_the_document_screen_keeps_every_boilerplate_span(text: str) -> None:
    cues = find_boilerplate_cues(text)
    sentences = split_sentences(text, "fr")
    flagged = {(start, end) for start, end in sentences if is_boilerplate(text[start:end])}
    assert find_boilerplate_sentences(cues, sentences) == flagged
    for start, end in iter_paragraphs(text):
        if is_boilerplate(text[start:end]):
            assert may_be_boilerplate(cues, start, end)


def test_a_plain_sentence_is_not_a_candidate() -> None:
    text = "Le chômage a baissé de 2 % en 2023, selon l’Insee."
    assert not may_be_boilerplate(find_boilerplate_cues(text), 0, len(text))


def test_a_share_prompt_is_found_from_its_trigger() -> None:
    text = "Le chômage a baissé de 2 % en 2023. Partagez cet article !"
    sentences = split_sentences(text, "fr")
    assert find_boilerplate_sentences(find_boilerplate_cues(text), sentences) == {sentences[-1]}
