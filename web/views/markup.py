"""Cutting a document's text into paragraphs and pieces so a template can mark claims in it.

Only offsets are computed here; the template writes every piece through Jinja's escaping.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@dataclass(frozen=True, slots=True)
class Piece(Generic[T]):
    """A run of text; `mark` is the thing it belongs to (a claim) or None for plain text.

    `first` is True on the first piece of a marked span, where an anchor id goes.
    """

    text: str
    mark: T | None = None
    first: bool = False


@dataclass(slots=True)
class Paragraph(Generic[T]):
    pieces: list[Piece[T]] = field(default_factory=list)


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the paragraphs of `text`, split on blank lines."""
    bounds: list[tuple[int, int]] = []
    position = 0
    for separator in _PARAGRAPH_BREAK.finditer(text):
        if separator.start() > position:
            bounds.append((position, separator.start()))
        position = separator.end()
    if position < len(text):
        bounds.append((position, len(text)))
    return bounds


def mark_spans(text: str, spans: Sequence[tuple[int, int, T]]) -> list[Paragraph[T]]:
    """Split `text` into paragraphs of pieces, with each (start, end, mark) span marked.

    Spans are clipped to the text; a span overlapping an earlier one keeps only its new part,
    so every character is written once.
    """
    cleaned: list[tuple[int, int, T]] = []
    cursor = 0
    for raw_start, raw_end, mark in sorted(spans, key=lambda s: (s[0], s[1])):
        start, end = max(raw_start, cursor, 0), min(raw_end, len(text))
        if end > start:
            cleaned.append((start, end, mark))
            cursor = end
    paragraphs: list[Paragraph[T]] = []
    index = 0
    started: set[int] = set()
    for p_start, p_end in paragraph_bounds(text):
        paragraph: Paragraph[T] = Paragraph()
        position = p_start
        while index < len(cleaned) and cleaned[index][1] <= p_start:
            index += 1
        span_index = index
        while position < p_end:
            if span_index < len(cleaned) and cleaned[span_index][0] < p_end:
                s_start, s_end, mark = cleaned[span_index]
                if s_start > position:
                    paragraph.pieces.append(Piece(text[position:s_start]))
                    position = s_start
                piece_end = min(s_end, p_end)
                first = span_index not in started
                started.add(span_index)
                paragraph.pieces.append(Piece(text[position:piece_end], mark, first))
                position = piece_end
                if s_end <= p_end:
                    span_index += 1
            else:
                paragraph.pieces.append(Piece(text[position:p_end]))
                position = p_end
        paragraphs.append(paragraph)
        index = span_index
    return paragraphs
