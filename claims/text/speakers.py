"""Who says a claim: attribution patterns and per-document canonical speaker names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from claims.text.entities import is_person_like
from claims.text.lexicon import (
    DETERMINERS,
    FR_SPEECH_AUXILIARIES,
    FR_SPEECH_PRESENT,
    GENERIC_SOURCE_NOUNS,
    NAME_TITLES,
    PRONOUNS,
    SOURCE_PREPOSITIONS,
    SPEECH_VERBS,
    SUBJECT_TRAILERS,
    TIME_WORDS,
)
from claims.text.sentences import CLOSING_QUOTES, OPENING_QUOTES, STRAIGHT_QUOTE

_MAX_SPEAKER_WORDS = 8
# A speaker phrase ends at punctuation, at a quote, or where a new clause starts.
_PHRASE_END = re.compile(
    r"[,.;:!?()\[\]«»“”\"—–]|\s(?:alors|tandis|lors|qui|que|qu’|qu'|dans|pour|après|avant|"
    r"et|en|à|pendant|ajoutant|précisant|on|in|at|during|while|after|before|when|as|and|who|"
    r"that|to|adding|citing|because)\s"
)
# "said Kazakhstan's president, Kassym-Jomart Tokayev, on Tuesday": the name is the speaker.
_APPOSITION = re.compile(r",\s+((?:[A-ZÀ-Ý][\w\-]*\s){1,3}[A-ZÀ-Ý][\w\-]*)(?=\s*[,.;]|\s*$)")
_CLAUSE_BREAK = re.compile(r"[,;:«»“”\"()—–]")
_LEADING_CONJUNCTION = re.compile(r"^(?:et|mais|puis|and|but|then)\s+", re.IGNORECASE)
_QUOTE_MARK = re.compile(f"[{re.escape(OPENING_QUOTES + CLOSING_QUOTES + STRAIGHT_QUOTE)}]")
_INTRODUCES_CONTENT = re.compile(r"^\s*(?:que\b|qu[’']|that\b|:|«|“|\")", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Attribution:
    """A speaker phrase as written, with its offsets inside the analysed text."""

    speaker_text: str
    start: int
    end: int
    named: bool


def find_attribution(text: str, language: str) -> Attribution | None:
    """Return who the text says is speaking ("a déclaré X", "X said", "selon X"), or None."""
    for match in speech_verb_pattern(language).finditer(text):
        attribution = _speaker_around_verb(text, match, language)
        if attribution is not None:
            return attribution
    for match in _source_pattern(language).finditer(text):
        attribution = _read_phrase_after(text, match.end(), language)
        if attribution is not None:
            return attribution
    return None


def strip_determiner(phrase: str, language: str) -> str:
    """Return a phrase without its leading article ("Le ministère" -> "ministère")."""
    lowered = phrase.lower()
    for determiner in sorted(DETERMINERS.get(language, ()), key=len, reverse=True):
        if lowered.startswith(determiner):
            return phrase[len(determiner) :].strip()
    return phrase.strip()


def strip_titles(name: str) -> str:
    """Return a name without leading titles ("President X", "M. X", "Mme X" -> "X")."""
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in NAME_TITLES:
        words.pop(0)
    return " ".join(words)


def fold_name(name: str) -> str:
    """Return a comparison key that unifies accents, case, hyphens and y/ï/i transliterations."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    bare = bare.replace("y", "i").replace("-", " ").replace("’", "'")
    return " ".join(bare.split())


class SpeakerNames:
    """Canonical names within one document: the fullest form seen wins."""

    def __init__(self, names: Iterable[str], language: str) -> None:
        self._language = language
        self._by_key: dict[str, str] = {}
        self._people_by_surname: dict[str, str] = {}
        for name in names:
            self._add(strip_titles(strip_determiner(name, language)))

    def _add(self, name: str) -> None:
        if not name:
            return
        key = fold_name(name)
        if len(name) > len(self._by_key.get(key, "")):
            self._by_key[key] = name
        if is_person_like(name):
            surname = key.split()[-1]
            if len(name) > len(self._people_by_surname.get(surname, "")):
                self._people_by_surname[surname] = name

    def canonicalize(self, speaker_text: str) -> str:
        """Return the canonical name for a speaker phrase as written in the document."""
        name = strip_titles(strip_determiner(speaker_text, self._language))
        key = fold_name(name)
        words = key.split()
        if words and name[:1].isupper() and len(words) <= 2:
            person = self._people_by_surname.get(words[-1])
            if person is not None and fold_name(person).endswith(key):
                return person
        return self._by_key.get(key, name)


def _speaker_around_verb(text: str, match: re.Match[str], language: str) -> Attribution | None:
    before_end = match.start()
    while before_end > 0 and text[before_end - 1].isspace():
        before_end -= 1
    after_start = match.end()
    inverted = before_end == 0 or text[before_end - 1] in "," + CLOSING_QUOTES + STRAIGHT_QUOTE
    if match.group(0).lower().split()[0].count("-t-") or "-ils" in match.group(0).lower():
        return None
    if inverted and not _INTRODUCES_CONTENT.match(text[after_start:]):
        return _read_phrase_after(text, after_start, language)
    return _read_subject_before(text, before_end, language)


def _read_subject_before(text: str, end: int, language: str) -> Attribution | None:
    """Read the subject of a speech verb: the last clause before it, or its apposition."""
    chunk_end = end
    while chunk_end > 0 and text[chunk_end - 1] in ", ":
        chunk_end -= 1
    window_start = max(0, chunk_end - 160)
    breaks = list(_CLAUSE_BREAK.finditer(text, window_start, chunk_end))
    chunk_start = breaks[-1].end() if breaks else window_start
    if not breaks and window_start > 0:
        return None
    words = text[chunk_start:chunk_end].split()
    while words and words[-1].lower() in SUBJECT_TRAILERS:
        chunk_end = text.rindex(words.pop(), chunk_start, chunk_end)
    phrase = text[chunk_start:chunk_end]
    conjunction = _LEADING_CONJUNCTION.match(phrase.lstrip())
    offset = len(phrase) - len(phrase.lstrip())
    if conjunction is not None:
        offset += conjunction.end()
    return _make_attribution(text, chunk_start + offset, chunk_end, language)


def _read_phrase_after(text: str, start: int, language: str) -> Attribution | None:
    """Read a speaker phrase after a verb or "selon", skipping time words like "mardi"."""
    skippable = TIME_WORDS.get(language, frozenset()) | TIME_WORDS["en"]
    position = start
    for word in re.finditer(r"\s*([^\W\d_][\w’']*)", text[start : start + 80]):
        if word.start() != position - start or word.group(1).lower() not in skippable:
            break
        position = start + word.end()
    while position < len(text) and text[position].isspace():
        position += 1
    end_match = _PHRASE_END.search(text, position, position + 120)
    end = end_match.start() if end_match else min(len(text), position + 120)
    phrase = text[position:end]
    words = phrase.split()
    while words and words[-1].lower() in skippable:
        words.pop()
    if not words:
        return None
    trimmed_end = position + phrase.rindex(words[-1]) + len(words[-1])
    apposition = _APPOSITION.match(text, trimmed_end)
    if apposition is not None and is_person_like(apposition.group(1)):
        return _make_attribution(text, apposition.start(1), apposition.end(1), language)
    return _make_attribution(text, position, trimmed_end, language)


def _make_attribution(text: str, start: int, end: int, language: str) -> Attribution | None:
    phrase = text[start:end].strip()
    if not phrase:
        return None
    start = text.index(phrase, start)
    words = phrase.split()
    if len(words) > _MAX_SPEAKER_WORDS or not any(char.isalpha() for char in phrase):
        return None
    if words[0].lower() in PRONOUNS or phrase.lower() in PRONOUNS:
        return None
    if words[0][:1].islower() and not _starts_with_determiner(phrase, language):
        return None
    bare = strip_determiner(phrase, language)
    head = words[-1].lower().strip("’'")
    capitalised = any(word[0].isupper() for word in re.findall(r"[^\W\d_]+", bare))
    named = capitalised and head not in GENERIC_SOURCE_NOUNS
    return Attribution(speaker_text=phrase, start=start, end=start + len(phrase), named=named)


def _starts_with_determiner(phrase: str, language: str) -> bool:
    return strip_determiner(phrase, language) != phrase.strip()


@lru_cache(maxsize=16)
def speech_verb_pattern(language: str) -> re.Pattern[str]:
    """Return the pattern of speech verbs of a language ("a déclaré", "said")."""
    verbs = "|".join(
        re.escape(verb) for verb in sorted(SPEECH_VERBS.get(language, ()), key=len, reverse=True)
    )
    if language == "fr":
        auxiliaries = "|".join(
            re.escape(aux) for aux in sorted(FR_SPEECH_AUXILIARIES, key=len, reverse=True)
        )
        present = "|".join(FR_SPEECH_PRESENT)
        return re.compile(
            rf"\b(?:(?:{auxiliaries})\s+(?:[a-zé]+ment\s+|aussi\s+|encore\s+)?(?:{verbs})"
            rf"|(?:{present}))\b",
            re.IGNORECASE,
        )
    if not verbs:
        return re.compile(r"(?!x)x")
    return re.compile(rf"\b(?:{verbs})\b", re.IGNORECASE)


@lru_cache(maxsize=16)
def _source_pattern(language: str) -> re.Pattern[str]:
    prepositions = SOURCE_PREPOSITIONS.get(language, ())
    if not prepositions:
        return re.compile(r"(?!x)x")
    alternatives = "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in prepositions)
    return re.compile(rf"(?<![\w’'])(?:{alternatives})(?=\s)", re.IGNORECASE)


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return (open, close) offsets of quotations in text[start:end], closing marks included."""
    spans: list[tuple[int, int]] = []
    depth = 0
    opened_at = start
    straight_at: int | None = None
    for mark in _QUOTE_MARK.finditer(text, start, end):
        index = mark.start()
        char = mark.group(0)
        if char in OPENING_QUOTES:
            if depth == 0:
                opened_at = index
            depth += 1
        elif char in CLOSING_QUOTES and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((opened_at, index + 1))
        elif char == STRAIGHT_QUOTE and depth == 0:
            if straight_at is None:
                straight_at = index
            else:
                spans.append((straight_at, index + 1))
                straight_at = None
    if depth > 0:
        spans.append((opened_at, end))
    elif straight_at is not None:
        spans.append((straight_at, end))
    spans.sort()
    return spans
