"""Cutting a text into paragraphs and marked pieces."""

from __future__ import annotations

from web.views.markup import mark_spans, paragraph_bounds


def texts(paragraphs):  # type: ignore[no-untyped-def]
    return [[(p.text, p.mark, p.first) for p in para.pieces] for para in paragraphs]


def test_paragraphs_split_on_blank_lines() -> None:
    text = "One.\nStill one.\n\n  \nTwo.\n\n"
    assert [text[s:e] for s, e in paragraph_bounds(text)] == ["One.\nStill one.", "Two."]
    assert paragraph_bounds("") == []


def test_spans_are_marked_once_each_and_text_is_kept() -> None:
    text = "Alpha beta gamma.\n\nDelta epsilon."
    result = mark_spans(text, [(6, 10, "b"), (19, 24, "d")])
    assert texts(result) == [
        [("Alpha ", None, False), ("beta", "b", True), (" gamma.", None, False)],
        [("Delta", "d", True), (" epsilon.", None, False)],
    ]


def test_a_span_across_paragraphs_is_split_with_one_anchor() -> None:
    text = "First part.\n\nSecond part."
    result = mark_spans(text, [(6, 19, "x")])
    assert texts(result) == [
        [("First ", None, False), ("part.", "x", True)],
        [("Second", "x", False), (" part.", None, False)],
    ]


def test_overlapping_and_out_of_range_spans_are_clipped() -> None:
    text = "abcdefghij"
    result = mark_spans(text, [(2, 6, "a"), (4, 8, "b"), (9, 50, "c"), (20, 30, "d")])
    assert texts(result) == [
        [
            ("ab", None, False),
            ("cdef", "a", True),
            ("gh", "b", True),
            ("i", None, False),
            ("j", "c", True),
        ]
    ]
    assert "".join(p.text for p in result[0].pieces) == text
