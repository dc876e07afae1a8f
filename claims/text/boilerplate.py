"""Document furniture that is never a claim: metadata lines, promotions, bylines, share prompts."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
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
# Trigger words are found in one scan of a whole document. Each trigger that holds one of these
# uncommon letters is searched from it, looking back for the rest: a regex whose alternatives
# all start with uncommon letters skips most of a text in C, where forty substring tests would
# read it forty times. The other triggers are found from a stem they contain, with str.find.
_LETTERS_BY_RARITY = "©kwzjqxyvbgfh"
_STEMS = ("lire ", "read ", "écouter ", "sponsor")


def _compile_triggers(triggers: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, list[str]]]:
    """Return the pattern of the triggers with an uncommon letter, and the others by stem."""
    by_anchor: dict[str, list[str]] = defaultdict(list)
    by_stem: dict[str, list[str]] = defaultdict(list)
    for trigger in triggers:
        ranks = [(_LETTERS_BY_RARITY.find(char), index) for index, char in enumerate(trigger)]
        anchors = [(rank, index) for rank, index in ranks if rank >= 0]
        if not anchors:
            stem = next((stem for stem in _STEMS if stem in trigger), None)
            if stem is None:
                raise ValueError(f"trigger {trigger!r} has no uncommon letter and no stem")
            by_stem[stem].append(trigger)
            continue
        anchor = min(anchors)[1]
        # The rest of the trigger first, then the whole of it behind: re skips an alternative
        # whose first character differs without entering it, a look-behind it must enter.
        behind = f"(?<={re.escape(trigger)})" if anchor else ""
        by_anchor[trigger[anchor]].append(re.escape(trigger[anchor + 1 :]) + behind)
    pattern = re.compile(
        "|".join(f"{re.escape(letter)}(?:{'|'.join(rests)})" for letter, rests in by_anchor.items())
    )
    return pattern, dict(by_stem)


_TRIGGER, _TRIGGERS_BY_STEM = _compile_triggers(_TRIGGERS)
_LONGEST_LINE_START = 16
_CAPTION_WORDS = ("photo", "crédit", "credit", "image", "caption")
_LONGEST_CAPTION_WORD = max(map(len, _CAPTION_WORDS))
_LINE_STARTS = (
    "nouveau", "new:", "related", "see also", "more:", "publicité", "advertisement", "publié",
    "mis à jour", "updated", "published", "last updated", "par ", "by ", "par\u00a0", "by\u00a0",
)  # fmt: skip
# Furniture is short; a long paragraph that mentions "cookies" is still an article paragraph.
_LINE_START_INITIALS = frozenset(
    initial for start in _LINE_STARTS for initial in (start[0], start[0].upper())
)
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


@dataclass(frozen=True, slots=True)
class BoilerplateCues:
    """Where boilerplate can be in a text, found in one scan of the whole text.

    ``triggers`` holds the spans of the trigger words, or is None when lower-casing the text
    moves its offsets (then every span is tested in full).
    """

    text: str
    triggers: tuple[tuple[int, int], ...] | None
    has_colon: bool


def find_boilerplate_cues(text: str) -> BoilerplateCues:
    """Return the cues of a text, for may_be_boilerplate and find_boilerplate_sentences."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return BoilerplateCues(text, None, ":" in text)
    return BoilerplateCues(text, tuple(_find_triggers(lowered)), ":" in text)


def _find_triggers(lowered: str) -> list[tuple[int, int]]:
    """Return spans that overlap every occurrence of a trigger in a lower-cased text."""
    spans = [match.span() for match in _TRIGGER.finditer(lowered)]
    for stem, triggers in _TRIGGERS_BY_STEM.items():
        found = lowered.find(stem)
        while found >= 0:
            for trigger in triggers:
                start = found - trigger.index(stem)
                if start >= 0 and lowered.startswith(trigger, start):
                    spans.append((start, start + len(trigger)))
            found = lowered.find(stem, found + 1)
    return spans


def may_be_boilerplate(cues: BoilerplateCues, start: int, end: int) -> bool:
    """Tell whether is_boilerplate(text[start:end]) can hold, reading little of the text.

    False is certain for a trimmed span; True means is_boilerplate must decide. A trigger
    inside the span overlaps one of the trigger spans found in the whole text.
    """
    return bool(select_possible_boilerplate(cues, [(start, end)]))


def select_possible_boilerplate(
    cues: BoilerplateCues, spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Return the spans of the cues' text for which may_be_boilerplate holds, in order."""
    triggers = cues.triggers
    if triggers is None:
        return list(spans)
    # One loop over all the spans of a document: this runs for every paragraph and sentence,
    # where a function call per span costs more than the tests themselves.
    text = cues.text
    find = text.find
    initials = _LINE_START_INITIALS
    has_colon = cues.has_colon
    selected: list[tuple[int, int]] = []
    for span in spans:
        start, end = span
        if (
            find("\n", start, end) >= 0
            or (
                text[start] in initials
                and text[start : start + _LONGEST_LINE_START].lower().startswith(_LINE_STARTS)
            )
            or (
                triggers
                and any(
                    found_start < end and found_end > start for found_start, found_end in triggers
                )
            )
            or (has_colon and find(":", start, end) >= 0 and _has_caption_colon(text, start, end))
        ):
            selected.append(span)
    return selected


def _has_caption_colon(text: str, start: int, end: int) -> bool:
    """Tell whether a caption word ("Photo :") ends before a colon of text[start:end]."""
    # Read back from each colon: lower-casing a whole paragraph to look for the words in it
    # costs more than the rest of the tests together.
    colon = text.find(":", start, end)
    while colon >= 0:
        word_end = colon
        while word_end > start and text[word_end - 1].isspace():
            word_end -= 1
        before = text[max(start, word_end - _LONGEST_CAPTION_WORD) : word_end]
        if before.lower().endswith(_CAPTION_WORDS):
            return True
        colon = text.find(":", colon + 1, end)
    return False


def find_boilerplate_sentences(
    cues: BoilerplateCues, sentences: list[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Return the sentence spans of the cues' text that are boilerplate.

    Only a sentence near a trigger word or a caption colon, or opening like a byline or a
    "Publié le" line, is tested in full, so most sentences cost a few lookups.
    """
    text = cues.text
    return {
        (start, end)
        for start, end in select_possible_boilerplate(cues, sentences)
        if is_boilerplate(text[start:end])
    }


def _has_trigger(lowered: str) -> bool:
    return _TRIGGER.search(lowered) is not None or any(
        stem in lowered and any(trigger in lowered for trigger in triggers)
        for stem, triggers in _TRIGGERS_BY_STEM.items()
    )


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
