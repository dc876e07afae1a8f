"""Sentence splitting: paragraphs first, blingfire inside each paragraph, then repairs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from claims.text.lexicon import DATE_ABBREVIATIONS, TITLE_ABBREVIATIONS, split_words

OPENING_QUOTES = "«“„‹"
CLOSING_QUOTES = "»”›"
STRAIGHT_QUOTE = '"'

_LINE = re.compile(r"[^\n]+")
_LAST_TOKEN = re.compile(r"(\S+)\.\s*$")
_DOTTED_ABBREVIATION = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{0,2}")
_ENDS_WITH_NUMBER = re.compile(r"\d[.,]?$")
# Words that typically open a sentence: after "U.S." or "sept." they mean the split is real.
_SENTENCE_OPENERS = split_words(
    "Le La Les L Il Elle Ils Elles On Nous Je Ce Cette Ces Cela Mais Et En Un Une Des Selon "
    "The A An He She It They We I This That These Those But And In On At However"
)
_TERMINAL = ".!?…:;" + CLOSING_QUOTES + STRAIGHT_QUOTE


def split_sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the trimmed sentences of text, in order, in linear time."""
    sentences: list[tuple[int, int]] = []
    for start, end in iter_paragraphs(text):
        sentences.extend(split_paragraph(text, start, end))
    return sentences


def iter_paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of trimmed paragraphs: a newline ends a paragraph unless the next line
    starts in lower case after a line without final punctuation (hard-wrapped text)."""
    current: tuple[int, int] | None = None
    for match in _LINE.finditer(text):
        line = _trim(text, match.start(), match.end())
        if line is None:
            if current is not None:
                yield current
            current = None
            continue
        if current is not None and _continues(text[current[1] - 1], text[line[0]]):
            current = (current[0], line[1])
            continue
        if current is not None:
            yield current
        current = line
    if current is not None:
        yield current


def _continues(previous_last_char: str, next_first_char: str) -> bool:
    return previous_last_char not in _TERMINAL and next_first_char.islower()


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of the paragraph text[start:end]."""
    # Imported here: blingfire pulls in numpy, which `import claims.text` must not pay for.
    from blingfire import text_to_sentences_and_offsets

    # Hard-wrapped lines were joined into one paragraph; blingfire must see them as spaces.
    paragraph = text[start:end].replace("\n", " ").replace("\r", " ")
    _, offsets = text_to_sentences_and_offsets(paragraph)
    pieces = [_trim(text, start + a, start + b) for a, b in offsets]
    spans = [piece for piece in pieces if piece is not None]
    if not spans:
        return []
    return _repair(text, spans)


def _repair(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Glue back pieces that blingfire split wrongly, in one left-to-right pass."""
    repaired: list[tuple[int, int]] = [spans[0]]
    for start, end in spans[1:]:
        previous_start, previous_end = repaired[-1]
        touching = previous_end == start
        if _must_join(text[previous_start:previous_end], text[start:end], touching=touching):
            repaired[-1] = (previous_start, end)
        else:
            repaired.append((start, end))
    return repaired


def _must_join(previous: str, following: str, *, touching: bool) -> bool:
    first = following[0]
    if (
        first in CLOSING_QUOTES
        or first in ",;)"
        or first.islower()
        or previous[-1] in OPENING_QUOTES
        or (touching and first.isdigit() and _ENDS_WITH_NUMBER.search(previous))
    ):
        return True
    return _ends_with_abbreviation(previous, following)


def _ends_with_abbreviation(previous: str, following: str) -> bool:
    match = _LAST_TOKEN.search(previous)
    if match is None:
        return False
    token = match.group(1).lstrip("(" + OPENING_QUOTES + STRAIGHT_QUOTE)
    if token in TITLE_ABBREVIATIONS or (len(token) == 1 and token.isupper()):
        return True
    if token in DATE_ABBREVIATIONS or _DOTTED_ABBREVIATION.fullmatch(token + "."):
        opener = re.match(r"[^\W\d_]+", following)
        return opener is None or opener.group(0) not in _SENTENCE_OPENERS
    return False
