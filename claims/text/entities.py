"""A cheap rule-based pass for named entities: capitalised names, acronyms and institutions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from claims.text.lexicon import (
    FUNCTION_WORDS,
    MONTHS,
    NAME_PARTICLES,
    NON_PERSON_NAME_WORDS,
    WEEKDAYS,
    split_words,
)
from claims.text.sentences import OPENING_QUOTES, STRAIGHT_QUOTE

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_][\w\-]*")
# Lower-case words allowed inside a name: "Banque de France", "Bank of England".
_CONNECTORS = frozenset({"des", "d", "l", "of", "the", "and"}) | NAME_PARTICLES
# A particle joined to the name part it introduces: "Bashar al-Assad", "Abdel Fattah el-Sisi".
_PREFIXED_NAME_PART = re.compile(r"(?:al|el|ad|ibn|bin)-[A-ZÀ-Ý]")
# At most this many words in a person's name, particles included ("Maria de la Cruz Lopez").
_MAX_NAME_WORDS = 6
_INSTITUTION = re.compile(
    r"\b(?i:ministère|ministry|département|department|agence|agency|banque|bank|commission|"
    r"conseil|council|cour|court|tribunal|université|university|parlement|parliament|"
    r"assemblée|assembly|office|institut|institute|armée|army|police)\b"
    r"(?:\s+[a-zà-ÿ]+){0,2}?\s+(?:de\s+la|de\s+l[’']|du|des|de|d[’']|of\s+the|of)\s*"
    r"[A-ZÀ-Ý][\w\-]*(?:\s+[A-ZÀ-Ý][\w\-]*)*"
)
# Capitalised in English but not names of anything checkable.
_CALENDAR_WORDS = WEEKDAYS | MONTHS["en"] | MONTHS["fr"]
_NON_PERSON_WORDS = NON_PERSON_NAME_WORDS | split_words(
    "ministère ministry banque bank union république republic états united nations organisation "
    "organization commission conseil council agence agency parti party université university "
    "armée army"
)


def find_capitalised_words(sentence: str) -> set[str]:
    """Return capitalised words that do not open the sentence: evidence they are proper nouns."""
    words = set()
    for match in _TOKEN.finditer(sentence):
        if match.group(0)[0].isupper() and not _opens_sentence(sentence, match.start()):
            words.add(match.group(0))
    return words


def extract_entities(sentence: str, language: str, known: Iterable[str] = ()) -> tuple[str, ...]:
    """Return the named entities of a sentence in order of appearance, without duplicates.

    A capitalised word that opens the sentence counts only if it is in `known` (seen
    capitalised mid-sentence elsewhere in the document) or begins a multiword name.
    """
    known_words = frozenset(known)
    function_words = FUNCTION_WORDS.get(language, frozenset())
    found: list[tuple[int, str]] = []
    covered: list[tuple[int, int]] = []
    for match in _INSTITUTION.finditer(sentence):
        found.append((match.start(), match.group(0)))
        covered.append((match.start(), match.end()))
    for start, end in _iter_capitalised_runs(sentence, function_words, known_words):
        if any(start >= c_start and end <= c_end for c_start, c_end in covered):
            continue
        found.append((start, sentence[start:end]))
    found.sort()
    unique: list[str] = []
    for _, name in found:
        if name not in unique:
            unique.append(name)
    return tuple(unique)


def is_person_like(name: str) -> bool:
    """Tell whether a name looks like a person's: 2 to 4 capitalised parts, lower-case particles
    allowed between them ("Ursula von der Leyen"), no institution word."""
    return 2 <= count_name_parts(name.split()) <= 4


def count_name_parts(words: list[str]) -> int:
    """Return how many capitalised parts a person's name written as `words` has, or 0 when the
    words do not read as one: a word that is neither such a part nor a particle between two, a
    particle at either end, or an institution word ("Banque", "Motors")."""
    if not words or len(words) > _MAX_NAME_WORDS:
        return 0
    if not (_is_name_part(words[0]) and _is_name_part(words[-1])):
        return 0
    parts = 0
    for word in words:
        if word.lower() in _NON_PERSON_WORDS:
            return 0
        if _is_name_part(word):
            parts += 1
        elif word not in NAME_PARTICLES:
            return 0
    return parts


def _is_name_part(word: str) -> bool:
    return word[:1].isupper() or _PREFIXED_NAME_PART.match(word) is not None


def _iter_capitalised_runs(
    sentence: str, function_words: frozenset[str], known_words: frozenset[str]
) -> Iterable[tuple[int, int]]:
    tokens = list(_TOKEN.finditer(sentence))
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not _is_name_word(token.group(0), function_words):
            index += 1
            continue
        run_start, run_end = token.start(), token.end()
        words = 1
        cursor = index + 1
        while cursor < len(tokens):
            nxt = tokens[cursor]
            gap = sentence[run_end : nxt.start()]
            if gap == " " and _is_name_word(nxt.group(0), function_words):
                run_end, words, cursor = nxt.end(), words + 1, cursor + 1
                continue
            joined = _join_connectors(sentence, tokens, cursor, run_end, function_words)
            if joined is None:
                break
            run_end, cursor = joined
            words += 1
        index = cursor
        first = sentence[run_start:run_end]
        lone_opener = (
            _opens_sentence(sentence, run_start) and words == 1 and first not in known_words
        )
        if lone_opener and not first.isupper():
            continue
        if len(first) >= 2 and first.lower() not in _CALENDAR_WORDS:
            yield run_start, run_end


def _join_connectors(
    sentence: str,
    tokens: list[re.Match[str]],
    cursor: int,
    run_end: int,
    function_words: frozenset[str],
) -> tuple[int, int] | None:
    """Extend a name over connectors ("de la", "of") if a capitalised word follows them."""
    position = cursor
    end = run_end
    while position < len(tokens) and tokens[position].group(0).lower() in _CONNECTORS:
        if not re.fullmatch(r"[ ’']", sentence[end : tokens[position].start()] or " "):
            return None
        end = tokens[position].end()
        position += 1
    if position == cursor or position >= len(tokens):
        return None
    candidate = tokens[position]
    if sentence[end : candidate.start()] not in (" ", "’", "'"):
        return None
    if not _is_name_word(candidate.group(0), function_words):
        return None
    return candidate.end(), position + 1


def _is_name_word(word: str, function_words: frozenset[str]) -> bool:
    if _PREFIXED_NAME_PART.match(word):
        return True
    return word[0].isupper() and word.lower() not in function_words and len(word) > 1


def _opens_sentence(sentence: str, start: int) -> bool:
    # Walk back instead of slicing: slicing per token would be quadratic on a huge sentence.
    index = start - 1
    while index >= 0 and sentence[index] in " \u00a0(":
        index -= 1
    return index < 0 or sentence[index] in OPENING_QUOTES + STRAIGHT_QUOTE + ".!?:—–-"
