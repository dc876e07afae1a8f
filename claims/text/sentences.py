"""Sentence splitting: paragraphs first, blingfire inside each paragraph, then repairs."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence

from claims.text.lexicon import DATE_ABBREVIATIONS, TITLE_ABBREVIATIONS, split_words

OPENING_QUOTES = "«“„‹"
CLOSING_QUOTES = "»”›"
STRAIGHT_QUOTE = '"'

_LINE = re.compile(r"[^\n]+")
_DOTTED_ABBREVIATION = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{0,2}")
# "1." or "b)" opening a list item is not a sentence of its own.
_LIST_MARKER = re.compile(r"(?:\d{1,3}|[a-zA-Z]|[ivxlIVXL]{1,5})[.)]")
_ENDS_WITH_NUMBER = re.compile(r"\d[.,]?$")
# Words that typically open a sentence: after "U.S." or "sept." they mean the split is real.
_SENTENCE_OPENERS = split_words(
    "Le La Les L Il Elle Ils Elles On Nous Je Ce Cette Ces Cela Mais Et En Un Une Des Selon "
    "The A An He She It They We I This That These Those But And In On At However"
)
_TERMINAL = ".!?…:;" + CLOSING_QUOTES + STRAIGHT_QUOTE
# Enough characters of a sentence to find it again in its paragraph.
_ANCHOR_CHARS = 24
_PARAGRAPH_BREAK = "\n\n"


def split_sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the trimmed sentences of text, in order, in linear time."""
    return [span for spans in split_paragraphs(text, list(iter_paragraphs(text))) for span in spans]


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
    return split_paragraphs(text, [(start, end)])[0]


def split_paragraphs(
    text: str, paragraphs: Sequence[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """Return the sentence spans of each paragraph text[start:end], in one blingfire call.

    The paragraphs are handed to blingfire joined by blank lines, which it always treats as a
    sentence boundary: one call per document instead of one per paragraph.
    """
    # Hard-wrapped lines were joined into one paragraph; blingfire must see them as spaces.
    pieces = [text[start:end].replace("\n", " ").replace("\r", " ") for start, end in paragraphs]
    joined = _PARAGRAPH_BREAK.join(pieces)
    offsets: list[int] = []
    position = 0
    for piece in pieces:
        offsets.append(position)
        position += len(piece) + len(_PARAGRAPH_BREAK)
    per_paragraph: list[list[tuple[int, int]]] = [[] for _ in paragraphs]
    starts = _sentence_starts(joined)
    if starts is None:  # blingfire rewrote the text (rare): split each paragraph on its own.
        starts = [
            offset + local
            for offset, piece in zip(offsets, pieces, strict=True)
            for local, _ in _blingfire_offsets(piece)
        ]
    # blingfire almost always breaks at a blank line; make sure every paragraph starts a sentence.
    starts = sorted(set(starts).union(offsets))
    for index, sentence_start in enumerate(starts):
        paragraph_index = bisect_right(offsets, sentence_start) - 1
        paragraph_offset = offsets[paragraph_index]
        paragraph_end = paragraph_offset + len(pieces[paragraph_index])
        following = starts[index + 1] if index + 1 < len(starts) else len(joined)
        base = paragraphs[paragraph_index][0] - paragraph_offset
        piece = _trim(text, base + sentence_start, base + min(following, paragraph_end))
        if piece is not None:
            per_paragraph[paragraph_index].append(piece)
    return [_repair(text, spans) if spans else [] for spans in per_paragraph]


def _sentence_starts(text: str) -> list[int] | None:
    """Return where each of blingfire's sentences starts in text, or None if one is not found.

    blingfire's own offsets function maps bytes to characters in a Python loop over every byte,
    which costs more than the splitting itself; each sentence it returns is found again in the
    text instead, from left to right, so the cost stays linear.
    """
    # Imported here: blingfire pulls in numpy, which `import claims.text` must not pay for.
    from blingfire import text_to_sentences

    starts: list[int] = []
    cursor = 0
    for sentence in text_to_sentences(text).split("\n"):
        head = sentence.strip()[:_ANCHOR_CHARS]
        if not head:
            continue
        found = text.find(head, cursor)
        if found < 0:
            return None
        starts.append(found)
        cursor = found + len(head)
    return starts


def _blingfire_offsets(paragraph: str) -> list[tuple[int, int]]:
    from blingfire import text_to_sentences_and_offsets

    return list(text_to_sentences_and_offsets(paragraph)[1])


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
        or _LIST_MARKER.fullmatch(previous) is not None
        or (touching and first.isdigit() and _ENDS_WITH_NUMBER.search(previous))
    ):
        return True
    return _ends_with_abbreviation(previous, following)


def _last_token(sentence: str) -> str | None:
    """Return the word before a sentence's final period ("U.S" in "... the U.S."), if any."""
    # A right-anchored regex search would retry from every position of a long sentence.
    stripped = sentence.rstrip()
    if not stripped.endswith(".") or len(stripped) < 2 or stripped[-2].isspace():
        return None
    return stripped[:-1].rsplit(None, 1)[-1]


def _ends_with_abbreviation(previous: str, following: str) -> bool:
    token = _last_token(previous)
    if token is None:
        return False
    token = token.lstrip("(" + OPENING_QUOTES + STRAIGHT_QUOTE)
    if token in TITLE_ABBREVIATIONS or (len(token) == 1 and token.isupper()):
        return True
    if token in DATE_ABBREVIATIONS or _DOTTED_ABBREVIATION.fullmatch(token + "."):
        opener = re.match(r"[^\W\d_]+", following)
        return opener is None or opener.group(0) not in _SENTENCE_OPENERS
    return False
