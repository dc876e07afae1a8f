"""Places a text names: countries and regions, and other places after a locative word.

Countries and regions are read from their CLDR names in French and English (Babel ships them,
so "Allemagne" and "Germany" are both the key ``DE``), plus a few short forms CLDR leaves out
("UK", "USA", "Grande-Bretagne"). Any other place is a single capitalised word right after a
locative preposition ("à Moscou", "in Kherson", "vers Haut-Lars"), keyed by its folded spelling;
two such keys name the same place when their first five letters agree ("Moscou" / "Moscow").
A capitalised pair after a preposition is left out: "à Vladimir Poutine" is a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from claims.library import fold
from claims.text.lexicon import MONTHS, NAME_TITLES

# CLDR codes that name no place a figure is about.
_SKIPPED_CODES = frozenset({"001", "ZZ", "QO", "UN"})
# Short forms CLDR does not list as names. Upper-case ones must be written in capitals.
_ALIASES = {
    "UK": "GB",
    "U.K.": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "Grande-Bretagne": "GB",
    "US": "US",
    "U.S.": "US",
    "USA": "US",
    "Turkey": "TR",
    "Czech Republic": "CZ",
    "République tchèque": "CZ",
    "Ivory Coast": "CI",
    "Burma": "MM",
    "Birmanie": "MM",
    "Holland": "NL",
    "RDC": "CD",
    "DRC": "CD",
    "UAE": "AE",
    "EAU": "AE",
    "Palestine": "PS",
    "EU": "EU",
    "UE": "EU",
    "euro area": "EZ",
}
# Compared in lower case with their accents: French "à" is a locative, English "a" is not.
_LOCATIVES = frozenset("à au aux en dans vers depuis in into to from at across inside near".split())
_ARTICLES = frozenset({"la", "le", "les", "l", "the"})
_WEEKDAYS = frozenset(
    "lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday "
    "friday saturday sunday noel paques christmas easter".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:[-.][^\W\d_]+)*\.?")
_LONGEST_NAME = 5
_MONTHS = frozenset(fold(m) for m in MONTHS["fr"] | MONTHS["en"])


@dataclass(frozen=True, slots=True)
class Place:
    """A place named in a text: its key and where it is written."""

    key: str
    start: int
    end: int


def same_place(a: str, b: str) -> bool:
    """Whether two place keys name the same place."""
    if a == b:
        return True
    if a.startswith("~") and b.startswith("~"):
        return len(a) > 5 and len(b) > 5 and a[1:6] == b[1:6]
    return False


@lru_cache(maxsize=512)
def find_places(text: str) -> tuple[Place, ...]:
    """The places `text` names, in reading order."""
    return tuple(_places(text))


def _places(text: str) -> Iterator[Place]:
    words = _words(text)
    names = _gazetteer()
    i = 0
    while i < len(words):
        found = _longest_name(words, i, names)
        if found is not None:
            length, code = found
            yield Place(code, words[i].start, words[i + length - 1].end)
            i += length
            continue
        place = _after_locative(words, i)
        if place is not None:
            yield place
        i += 1


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    start: int
    end: int
    hyphenated: bool  # joined to the word before by a hyphen ("Royaume-Uni")
    folded: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", fold(self.text).replace(".", ""))

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def _words(text: str) -> list[_Word]:
    """Each word with its offsets. Apostrophes end words ("l'Ukraine" is "l" and "Ukraine") and
    hyphenated words are split ("Royaume-Uni" is two words, joined again by the name keys)."""
    out: list[_Word] = []
    for match in _WORD.finditer(text):
        start, end = match.start(), match.end()
        if text[end - 1] == "." and "." not in text[start : end - 1]:
            end -= 1  # a full stop, not an abbreviation's ("U.S.")
        first = True
        for part in re.finditer(r"[^-]+", text[start:end]):
            out.append(_Word(part.group(0), start + part.start(), start + part.end(), not first))
            first = False
    return out


def _key(name: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in re.findall(r"[^\W\d_]+", name.replace(".", "")))


@lru_cache(maxsize=1)
def _gazetteer() -> dict[tuple[str, ...], tuple[str, bool, bool]]:
    """Folded name words -> (code, must be written in capitals, may start in lower case)."""
    from babel import Locale

    names: dict[tuple[str, ...], tuple[str, bool, bool]] = {}
    for language in ("fr", "en"):
        for code, name in Locale(language).territories.items():
            if code in _SKIPPED_CODES or not name:
                continue
            for part in re.split(r"\s*[()]\s*", name):
                if part.strip():
                    names[_key(part)] = (code, False, part[:1].islower())
    for alias, code in _ALIASES.items():
        names[_key(alias)] = (code, alias.replace(".", "").isupper(), alias[:1].islower())
    return names


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    return frozenset(key[0] for key in _gazetteer() if key)


def _longest_name(words: list[_Word], i: int, names: dict) -> tuple[int, str] | None:
    first = words[i].text
    if words[i].folded not in _first_words():
        return None
    for length in range(min(_LONGEST_NAME, len(words) - i), 0, -1):
        entry = names.get(tuple(w.folded for w in words[i : i + length]))
        if entry is None:
            continue
        code, capitals, lower_allowed = entry
        if capitals and not first.replace(".", "").isupper():
            continue
        if not (lower_allowed or first[:1].isupper()):
            continue
        return length, code
    return None


def _after_locative(words: list[_Word], i: int) -> Place | None:
    word = words[i]
    if i == 0 or word.hyphenated or not word.capitalised or word.text.isupper():
        return None
    j = i - 1
    if words[j].folded in _ARTICLES and j > 0:
        j -= 1
    if words[j].text.lower() not in _LOCATIVES:
        return None
    if word.folded in _WEEKDAYS or word.folded in NAME_TITLES or word.folded in _MONTHS:
        return None
    last = i
    while last + 1 < len(words) and words[last + 1].hyphenated:
        last += 1
    following = words[last + 1] if last + 1 < len(words) else None
    if following is not None and following.capitalised and following.start == words[last].end + 1:
        return None  # "à Vladimir Poutine": a person's name, not a place
    joined = " ".join(w.folded for w in words[i : last + 1])
    return Place("~" + joined, word.start, words[last].end)
