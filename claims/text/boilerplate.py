"""Document furniture that is never a claim: metadata lines, promotions, bylines, share prompts."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_DATE_LINE = re.compile(
    r"\A\s*(?:date|published|publié le|publié)\s*[:=]?\s*"
    r"(\d{4}(?:-\d{2}(?:-\d{2}(?:[T ][\d:]+Z?)?)?)?)(?![\d-])[ \t]*",
    re.IGNORECASE,
)
_META_LINE = re.compile(
    r"\A\s*(title|titre|url|source|author|auteur|lang|language|langue)\s*:\s*([^\n]*)\n?",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"vous pouvez désormais écouter|écoutez cet article|écouter (?:cet|les) articles?"
    r"|listen to (?:this|the) article|you can now listen|(?-i:^NOUVEAU)|^new:"
    r"|\blire (?:aussi|la suite|plus)\b|\bà lire (?:aussi|également)\b|\bvoir aussi\b"
    r"|\bread more\b|\bread also\b|^related\b|^see also\b|^more:"
    r"|\bpartagez\b|\bpartager (?:cet|l[’']) ?article\b|\bshare (?:this|on|the article)\b"
    r"|\bcliquez ici\b|\bclick here\b|\babonnez-vous\b|\bsubscribe\b|\bsign up\b"
    r"|\binscrivez-vous\b|\bnewsletter\b|\bsuivez-nous\b|\bfollow us\b|\bdownload the app\b"
    r"|\btéléchargez l[’']application\b|^publicité$|^advertisement$|\bsponsored\b"
    r"|\bcontenu sponsorisé\b|\btous droits réservés\b|\ball rights reserved\b|©|\bcopyright\b"
    r"|\b(?:photo|crédit|credit|image|caption)\s*:|\bgetty images\b|\b(?:ap|afp) photo\b"
    r"|\bcookies?\b|\bjavascript\b|^(?:publié|mis à jour|updated|published|last updated)\b"
    r"|^(?:par|by)\s+(?-i:[A-ZÀ-Ý][\w\-’']+(?:\s+[A-ZÀ-Ý][\w\-’']+){0,3})\s*(?:[|,–—-].*)?$",
    re.IGNORECASE | re.MULTILINE,
)
# A necessary condition for _BOILERPLATE, checked on the lower-cased text first: the pattern
# costs hundreds of microseconds per sentence, these substring tests a few.
_TRIGGERS = (
    "vous pouvez désormais écouter", "écoutez cet article", "écouter cet article",
    "écouter les article", "listen to this article", "listen to the article",
    "you can now listen", "lire aussi", "lire la suite", "lire plus", "lire également",
    "voir aussi", "read more", "read also", "partagez", "partager cet", "partager l",
    "share this", "share on", "share the article", "cliquez ici", "click here", "abonnez-vous",
    "subscribe", "sign up", "inscrivez-vous", "newsletter", "suivez-nous", "follow us",
    "download the app", "téléchargez l", "sponsored", "contenu sponsorisé",
    "tous droits réservés", "all rights reserved", "©", "copyright", "getty images",
    "ap photo", "afp photo", "cookie", "javascript",
)  # fmt: skip
_LONGEST_LINE_START = 16
_CAPTION_WORDS = ("photo", "crédit", "credit", "image", "caption")
_LINE_STARTS = (
    "nouveau", "new:", "related", "see also", "more:", "publicité", "advertisement", "publié",
    "mis à jour", "updated", "published", "last updated", "par ", "by ", "par\u00a0", "by\u00a0",
)  # fmt: skip
# Furniture is short; a long paragraph that mentions "cookies" is still an article paragraph.
_MAX_BOILERPLATE_WORDS = 30
_MAX_TITLE_WORDS = 25
_MAX_TITLE_CHARS = 200


@dataclass(frozen=True, slots=True)
class Header:
    """Metadata read from the top of a document; `body_start` is where the prose begins."""

    date: str | None
    title: str | None
    body_start: int


def read_header(text: str) -> Header:
    """Return a document's leading metadata ("date 2022-09", "title: ...") and where it ends."""
    date: str | None = None
    title: str | None = None
    position = 0
    while True:
        date_match = _DATE_LINE.match(text, position)
        if date_match is not None and date is None:
            date = date_match.group(1)
            position = date_match.end()
            continue
        meta_match = _META_LINE.match(text, position)
        if meta_match is not None:
            if meta_match.group(1).lower() in ("title", "titre") and title is None:
                title = meta_match.group(2).strip() or None
            position = meta_match.end()
            continue
        return Header(date=date, title=title, body_start=position)


def is_boilerplate(text: str) -> bool:
    """Tell whether a short paragraph or sentence is promotion, byline or navigation text."""
    stripped = text.strip()
    if not stripped:
        return True
    # Counting spaces first is much cheaper than splitting every long sentence into words.
    if stripped.count(" ") > 2 * _MAX_BOILERPLATE_WORDS or (
        len(stripped.split()) > _MAX_BOILERPLATE_WORDS
    ):
        return False
    if not _might_be_boilerplate(stripped.lower()):
        return False
    return _BOILERPLATE.search(stripped) is not None


def find_boilerplate_sentences(
    text: str, paragraph: tuple[int, int], sentences: list[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Return the sentences of a paragraph that are boilerplate, testing the paragraph once.

    Unless the paragraph holds a trigger word, only a sentence opening like a byline or a
    "Publié le" line can be furniture, so most sentences cost one short prefix test.
    """
    lowered = text[paragraph[0] : paragraph[1]].lower()
    if _has_trigger(lowered) or (
        ":" in lowered and any(word in lowered for word in _CAPTION_WORDS)
    ):
        candidates = sentences
    else:
        candidates = [
            (start, end)
            for start, end in sentences
            if text[start : start + _LONGEST_LINE_START].lower().startswith(_LINE_STARTS)
            or "\n" in text[start:end]
        ]
    return {(start, end) for start, end in candidates if is_boilerplate(text[start:end])}


@functools.lru_cache(maxsize=256)
def _has_trigger(lowered: str) -> bool:
    # Plain substring tests beat one regex alternation of the same words threefold in CPython;
    # cached because a paragraph is screened whole and then sentence by sentence.
    return any(trigger in lowered for trigger in _TRIGGERS)


def _might_be_boilerplate(lowered: str) -> bool:
    if _has_trigger(lowered):
        return True
    if ":" in lowered and any(word in lowered for word in _CAPTION_WORDS):
        return True
    return any(line.startswith(_LINE_STARTS) for line in lowered.split("\n"))


def looks_like_title(paragraph: str) -> bool:
    """Tell whether a paragraph reads as a headline: short and without final punctuation."""
    stripped = paragraph.strip().rstrip("»”\"’' ")
    if not stripped or len(stripped) > _MAX_TITLE_CHARS:
        return False
    if len(stripped.split()) > _MAX_TITLE_WORDS:
        return False
    return stripped[-1] not in ".!?…:;,"
