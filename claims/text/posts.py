"""Read a post once when its text is pasted or scraped several times back to back.

Social posts collected from several fields of one page (the post, its preview, its share text)
often arrive as "A A A" or "A A A <image text>": the same passage two or more times in a row.
Segmenting every copy gives the reviewer the same claim three times, and the sentence splitter,
finding no full stop between copies that end in an emoji or a link, glues them into one long
"sentence" that no longer reads as the claim.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s*")
# Shorter openings repeat by chance ("Le président a dit" twice in an article); a copy must
# also repeat in full, back to back, which ordinary prose never does.
_MIN_COPY_CHARS = 20
# A copy starts at one of the first recurrences of the opening; trying every one of them would
# make a long text that keeps repeating its first words cost time quadratic in its length.
_MAX_CANDIDATES = 64
# Posts, not documents: the longest copy in the French posts of CheckThat! 2025 task 2 is about
# 8,500 characters. A longer text built by repetition (a benchmark's 2x input) is read whole.
_MAX_COPY_CHARS = 10_000


def find_repeated_copies(text: str) -> tuple[int, int] | None:
    """Return (start, end) of the copies that follow a text's opening passage, or None.

    The opening passage is the shortest prefix (after leading whitespace, 20 to 10,000
    characters) that the text then repeats verbatim, once or more, separated by whitespace.
    """
    start = _skip_space(text, 0)
    probe = text[start : start + _MIN_COPY_CHARS]
    if len(probe) < _MIN_COPY_CHARS:
        return None
    search_from = start + _MIN_COPY_CHARS
    for _ in range(_MAX_CANDIDATES):
        found = text.find(probe, search_from, start + _MAX_COPY_CHARS + _MIN_COPY_CHARS)
        if found == -1:
            return None
        copy = text[start:found].rstrip()
        end = _end_of_copies(text, copy, found) if len(copy) >= _MIN_COPY_CHARS else None
        if end is not None:
            return start + len(copy), end
        search_from = found + 1
    return None


def _end_of_copies(text: str, copy: str, position: int) -> int | None:
    """Return where the run of back-to-back ``copy``s starting at ``position`` ends."""
    if not text.startswith(copy, position):
        return None
    end = position + len(copy)
    while True:
        following = _skip_space(text, end)
        if not text.startswith(copy, following):
            return end
        end = following + len(copy)


def _skip_space(text: str, position: int) -> int:
    match = _SPACE.match(text, position)
    return match.end() if match else position


def blank_copies(text: str, copies: tuple[int, int] | None) -> str:
    """Return ``text`` with the span ``copies`` (from find_repeated_copies) made a blank line.

    The result has the same length, so every offset into it is an offset into ``text``; the
    blank (a newline, spaces, a newline) ends the paragraph, so the first copy is read as a
    paragraph of its own and what follows the copies (an image's text) as another.
    """
    if copies is None:
        return text
    start, end = copies
    width = end - start
    blank = "\n" + " " * (width - 2) + "\n" if width >= 2 else " " * width
    return text[:start] + blank + text[end:]
