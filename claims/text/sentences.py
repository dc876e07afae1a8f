"""Sentence splitting: paragraphs first, blingfire inside each paragraph, then repairs."""

from __future__ import annotations

import ctypes
import itertools
import re
import threading
from collections.abc import Iterator, Sequence
from operator import add

from claims.text.lexicon import DATE_ABBREVIATIONS, TITLE_ABBREVIATIONS, split_words

OPENING_QUOTES = "«“„‹"
CLOSING_QUOTES = "»”›"
STRAIGHT_QUOTE = '"'

# A line without its leading and trailing spaces (one match per line that is not blank).
_TRIMMED_LINE = re.compile(r"\S(?:[^\n]*\S)?")
_DOTTED_ABBREVIATION = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{0,2}")
# "1." or "b)" opening a list item is not a sentence of its own.
_LIST_MARKER = re.compile(r"(?:\d{1,3}|[a-zA-Z]|[ivxlIVXL]{1,5})[.)]")
_LONGEST_LIST_MARKER = 6
_ABBREVIATION_WINDOW = 40
_OPENER = re.compile(r"[^\W\d_]+")
# Words that typically open a sentence: after "U.S." or "sept." they mean the split is real.
_SENTENCE_OPENERS = split_words(
    "Le La Les L Il Elle Ils Elles On Nous Je Ce Cette Ces Cela Mais Et En Un Une Des Selon "
    "The A An He She It They We I This That These Those But And In On At However"
)
_TERMINAL = ".!?…:;" + CLOSING_QUOTES + STRAIGHT_QUOTE
# A sentence whose last word ends with more characters than any abbreviation, none of them a
# period, a space, a bracket or a quote, ends with no abbreviation: most sentences are told
# apart by one match, without reading their last word.
_PLAIN_WORD_END_CHARS = max(2, *map(len, TITLE_ABBREVIATIONS | DATE_ABBREVIATIONS)) + 2
_PLAIN_WORD_END = re.compile(
    rf"[^\s.(\[{re.escape(OPENING_QUOTES + STRAIGHT_QUOTE)}]{{{_PLAIN_WORD_END_CHARS - 1}}}"
)
# blingfire ends a sentence only after one of these marks and a space (in between, only the
# rest of a word: '."', '?»'), or at a line or paragraph separator: checked against it on every
# character up to U+2FFFF and on the seeds and the shared data sets. A paragraph without one is
# not handed to it. One character class first, so that re skips to the marks in C.
_MAY_END_SENTENCE = re.compile(
    r"[.!?…؟‼⁇⁈⁉。！？ǃ۔․‽␄﹒．｡\u2028\u2029](?:(?<=[\u2028\u2029])|\S*\s)"
)
# Enough characters of a sentence to find it again in its paragraph.
_ANCHOR_CHARS = 24
_PARAGRAPH_BREAK = "\n\n"


def split_sentences(text: str, language: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the trimmed sentences of text, in order, in linear time."""
    return [span for spans in split_paragraphs(text, list(iter_paragraphs(text))) for span in spans]


def iter_paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of trimmed paragraphs: a newline ends a paragraph unless the next line
    starts in lower case after a line without final punctuation (hard-wrapped text)."""
    current_start = current_end = -1
    for line in _TRIMMED_LINE.finditer(text):
        start, end = line.span()
        if current_end >= 0:
            if _continues(text[current_end - 1], text[start]) and _only_empty_lines_between(
                text[current_end:start]
            ):
                current_end = end
                continue
            yield current_start, current_end
        current_start, current_end = start, end
    if current_end >= 0:
        yield current_start, current_end


def _only_empty_lines_between(gap: str) -> bool:
    # A line of spaces between two lines ends the paragraph; an empty one does not.
    return gap.count("\n") < 2 or not gap[gap.find("\n") + 1 : gap.rfind("\n")].strip("\n")


def _continues(previous_last_char: str, next_first_char: str) -> bool:
    return previous_last_char not in _TERMINAL and next_first_char.islower()


def split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of the paragraph text[start:end]."""
    return split_paragraphs(text, [(start, end)])[0]


def split_paragraphs(
    text: str, paragraphs: Sequence[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """Return the sentence spans of each paragraph text[start:end], in one blingfire call.

    A paragraph without a mark that can end a sentence is one sentence; the others are handed
    to blingfire joined by blank lines, which it always treats as a sentence boundary: one call
    per document instead of one per paragraph.
    """
    search = _MAY_END_SENTENCE.search
    breakable = [search(text, start, end) is not None for start, end in paragraphs]
    split = iter(
        _split_breakable(text, list(itertools.compress(paragraphs, breakable)))
        if any(breakable)
        else ()
    )
    return [
        next(split) if may_break else _whole_paragraph(text, start, end)
        for (start, end), may_break in zip(paragraphs, breakable, strict=True)
    ]


def _whole_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if end > start else []


def _split_breakable(
    text: str, paragraphs: Sequence[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """Return the sentence spans of each paragraph, from one blingfire call and the repairs."""
    # Hard-wrapped lines were joined into one paragraph; blingfire must see them as spaces.
    pieces = [
        text[start:end].replace("\n", " ").replace("\r", " ")
        if text.find("\n", start, end) >= 0 or text.find("\r", start, end) >= 0
        else text[start:end]
        for start, end in paragraphs
    ]
    found = blingfire_sentences(_PARAGRAPH_BREAK.join(pieces))
    joined = " ".join(pieces)
    offsets = _offsets(pieces, 1)
    starts: list[int] | None
    if found.replace("\n", " ") == joined and all(
        found[offset - 1] == "\n" for offset in offsets[1:]
    ):
        # The usual case: blingfire turned each blank line and some spaces into newlines, so its
        # lines start where the sentences start in the pieces joined by single spaces. (Finding
        # each line again, as below, could find a line's first words earlier in the previous.)
        starts = list(
            itertools.accumulate(
                map(add, map(len, found.split("\n")), itertools.repeat(1)), initial=0
            )
        )
        starts[-1] = len(joined)
    else:
        joined = _PARAGRAPH_BREAK.join(pieces)
        offsets = _offsets(pieces, len(_PARAGRAPH_BREAK))
        starts = _find_starts(joined, found)
        if starts is None:  # blingfire rewrote the text (rare): split each paragraph on its own.
            starts = [
                offset + local
                for offset, piece in zip(offsets, pieces, strict=True)
                for local in _paragraph_starts(piece)
            ]
        # blingfire almost always breaks at a blank line; make every paragraph start a sentence.
        starts = sorted(set(starts).union(offsets))
        starts.append(len(joined))
    per_paragraph: list[list[tuple[int, int]]] = []
    index = 0
    for (paragraph_start, _), offset, piece in zip(paragraphs, offsets, pieces, strict=True):
        paragraph_end = offset + len(piece)
        while starts[index] < offset:
            index += 1
        spans: list[tuple[int, int]] = []
        base = paragraph_start - offset
        while starts[index] < paragraph_end:
            start = starts[index]
            index += 1
            end = min(starts[index], paragraph_end)
            while start < end and joined[start].isspace():
                start += 1
            while end > start and joined[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            span = (base + start, base + end)
            # Glue back pieces that blingfire split wrongly, left to right.
            if spans and _must_join(text, spans[-1], span):
                spans[-1] = (spans[-1][0], span[1])
            else:
                spans.append(span)
        per_paragraph.append(spans)
    return per_paragraph


def _offsets(pieces: Sequence[str], separator: int) -> list[int]:
    """Return where each piece starts in the pieces joined by `separator` characters."""
    return list(itertools.accumulate((len(piece) + separator for piece in pieces[:-1]), initial=0))


def _sentence_starts(text: str) -> list[int] | None:
    """Return where each of blingfire's sentences starts in text, or None if one is not found.

    blingfire's own offsets function maps bytes to characters in a Python loop over every byte,
    which costs more than the splitting itself; each sentence it returns is found again in the
    text instead, from left to right, so the cost stays linear.
    """
    return _find_starts(text, blingfire_sentences(text))


def _find_starts(text: str, sentences: str) -> list[int] | None:
    """Return where each of blingfire's `sentences` (one per line) of text starts in it."""
    starts: list[int] = []
    cursor = 0
    for sentence in sentences.split("\n"):
        head = sentence.strip()[:_ANCHOR_CHARS]
        if not head:
            continue
        found = text.find(head, cursor)
        if found < 0:
            return None
        starts.append(found)
        cursor = found + len(head)
    return starts


_BUFFERS = threading.local()


def blingfire_sentences(text: str) -> str:
    """Return blingfire's sentences of text, one per line, as blingfire.text_to_sentences does.

    The wrapper allocates a new ctypes buffer (and often a new buffer type) per call, about a
    fifth of blingfire's own time on a 2 KB article; this calls the same C function with a
    buffer kept per thread (the call releases the GIL, so threads must not share one).
    """
    # Imported here: blingfire pulls in numpy, which `import claims.text` must not pay for.
    import blingfire

    library = getattr(blingfire, "blingfire", None)
    function = getattr(library, "TextToSentences", None)
    if function is None:  # another blingfire layout: its public wrapper still works.
        return blingfire.text_to_sentences(text)
    data = text.encode("utf-8")
    capacity = 2 * len(data) + 1
    buffer = getattr(_BUFFERS, "buffer", None)
    if buffer is None or len(buffer) < capacity:
        buffer = _BUFFERS.buffer = ctypes.create_string_buffer(max(capacity, 1 << 16))
    length = function(data, len(data), buffer, len(buffer))
    if length < 0 or length > len(buffer):
        return ""
    return ctypes.string_at(buffer, length).split(b"\0", 1)[0].decode("utf-8")


def _paragraph_starts(paragraph: str) -> list[int]:
    """Return where blingfire's sentences of one paragraph start in it."""
    # blingfire moves a lone closing quote before a blank line ('terre. "' + blank line) to
    # the next sentence, so a document's sentences may not be found again; a paragraph's are.
    starts = _sentence_starts(paragraph)
    if starts is None:
        return [start for start, _ in _blingfire_offsets(paragraph)]
    return starts


def _blingfire_offsets(paragraph: str) -> list[tuple[int, int]]:
    from blingfire import text_to_sentences_and_offsets

    return list(text_to_sentences_and_offsets(paragraph)[1])


def _must_join(text: str, previous: tuple[int, int], following: tuple[int, int]) -> bool:
    """Tell whether the sentence span `following` continues the span `previous` of text.

    Reads the characters around the boundary only, never the whole sentences.
    """
    previous_start, previous_end = previous
    start = following[0]
    first = text[start]
    last = text[previous_end - 1]
    if (
        first in CLOSING_QUOTES
        or first in ",;)"
        or first.islower()
        or last in OPENING_QUOTES
        or (
            previous_end - previous_start <= _LONGEST_LIST_MARKER
            and _LIST_MARKER.fullmatch(text, previous_start, previous_end) is not None
        )
    ):
        return True
    if (
        previous_end == start
        and first.isdigit()
        and _ends_with_number(text, previous_start, previous_end)
    ):
        return True
    if last != ".":
        return False
    if previous_end - _PLAIN_WORD_END_CHARS >= previous_start and _PLAIN_WORD_END.fullmatch(
        text, previous_end - _PLAIN_WORD_END_CHARS, previous_end - 1
    ):
        return False
    return _ends_with_abbreviation(text, previous, following)


def _ends_with_number(text: str, start: int, end: int) -> bool:
    """Tell whether text[start:end] ends with a digit, optionally followed by "." or ","."""
    last = text[end - 1]
    if last in ".,":
        return end - 2 >= start and text[end - 2].isdecimal()
    return last.isdecimal()


def _last_token(text: str, start: int, end: int) -> str | None:
    """Return the word before a sentence's final period ("U.S" in "... the U.S."), if any."""
    if end - start < 2 or text[end - 2].isspace():
        return None
    # Abbreviations are short: look back a little, and further only for a very long word.
    window_start = max(start, end - 1 - _ABBREVIATION_WINDOW)
    words = text[window_start : end - 1].rsplit(None, 1)
    if len(words) == 1 and window_start > start:
        words = text[start : end - 1].rsplit(None, 1)
    return words[-1]


def _ends_with_abbreviation(
    text: str, previous: tuple[int, int], following: tuple[int, int]
) -> bool:
    token = _last_token(text, *previous)
    if token is None:
        return False
    token = token.lstrip("(" + OPENING_QUOTES + STRAIGHT_QUOTE)
    if token in TITLE_ABBREVIATIONS or (len(token) == 1 and token.isupper()):
        return True
    # "U.S" or "p.m": a dotted abbreviation has a period among its first three characters.
    dotted = (len(token) <= 2 or "." in token[1:3]) and _DOTTED_ABBREVIATION.fullmatch(token + ".")
    if token in DATE_ABBREVIATIONS or dotted:
        opener = _OPENER.match(text, *following)
        return opener is None or opener.group(0) not in _SENTENCE_OPENERS
    return False
