"""Who says a claim: attribution patterns and per-document canonical speaker names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from claims.text.entities import count_name_parts, is_person_like
from claims.text.lexicon import (
    DETERMINERS,
    EPICENE_ROLES,
    FEMININE_CUES,
    FR_SPEECH_AUXILIARIES,
    FR_SPEECH_PRESENT,
    GENDERED_DETERMINERS,
    GENERIC_SOURCE_NOUNS,
    HONORIFICS,
    MASCULINE_CUES,
    NAME_PARTICLES,
    NAME_TITLES,
    PRONOUNS,
    SOURCE_PREPOSITIONS,
    SOURCE_PRONOUNS,
    SPEAKER_PRONOUNS,
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
_QUOTE_CHARS = OPENING_QUOTES + CLOSING_QUOTES + STRAIGHT_QUOTE
# The word before a speech verb, past an object pronoun ("Il lui a dit") or an adverb ("He
# also said").
_PRONOUN_BEFORE = re.compile(
    r"(?<![\w’'-])([^\W\d_]+)\s+(?:(?:lui|leur|nous|vous|les|also|later|then|again)\s+"
    r"|[mtl][’'])?\Z",
    re.IGNORECASE,
)
# "selon elle," / "according to her.": the pronoun must end the phrase ("her report" is not).
_PRONOUN_AFTER = re.compile(r"\s+([^\W\d_]+)(?=\s*(?:[,.;:!?)»”\"—–]|\Z))")
_INVERTED_PRONOUN = re.compile(r"(?:-t)?-([^\W\d_]+)\b")
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


@dataclass(frozen=True, slots=True)
class PronounSpeaker:
    """A speech verb whose subject is a personal pronoun: "Il a ajouté", "she said", "selon
    elle". ``gender`` is "m" or "f"; offsets are inside the analysed text."""

    pronoun: str
    gender: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """Someone a pronoun can stand for: a named speaker or a person named in a sentence, with
    the gender the text gives them ("m", "f", or None when it says nothing)."""

    name: str
    gender: str | None
    start: int


def find_pronoun_speaker(text: str, language: str) -> PronounSpeaker | None:
    """Return the pronoun that is the speaker of the text ("Il a ajouté que…"), or None."""
    subjects = SPEAKER_PRONOUNS.get(language)
    if not subjects:
        return None
    for match in speech_verb_pattern(language).finditer(text):
        # The subject before the verb: "Il a ajouté", "Il lui a dit", "she also said".
        before = _PRONOUN_BEFORE.search(text, max(0, match.start() - 32), match.start())
        if before is not None and before.group(1).lower() in subjects:
            return _pronoun_speaker(before, subjects, 0)
        # Inverted after the auxiliary or the verb: "a-t-elle ajouté", "ajoute-t-il".
        inside = _INVERTED_PRONOUN.search(match.group(0))
        if inside is not None and inside.group(1).lower() in subjects:
            return _pronoun_speaker(inside, subjects, match.start())
        after = _INVERTED_PRONOUN.match(text, match.end())
        if after is not None and after.group(1).lower() in subjects:
            return _pronoun_speaker(after, subjects, 0)
    objects = SOURCE_PRONOUNS.get(language, {})
    for match in _source_pattern(language).finditer(text):
        after = _PRONOUN_AFTER.match(text, match.end())
        if after is not None and after.group(1).lower() in objects:
            return _pronoun_speaker(after, objects, 0)
    return None


def _pronoun_speaker(match: re.Match[str], genders: dict[str, str], shift: int) -> PronounSpeaker:
    pronoun = match.group(1)
    return PronounSpeaker(
        pronoun, genders[pronoun.lower()], shift + match.start(1), shift + match.end(1)
    )


def find_mentions(
    sentence: str,
    language: str,
    speaker: Attribution | None,
    names: Iterable[str],
) -> list[Mention]:
    """Return who a later pronoun could stand for in a sentence: its named speaker (a person,
    or in French a named institution, which "il"/"elle" can stand for too) and its people."""
    mentions: list[Mention] = []
    if speaker is not None and speaker.named:
        bare = _after_title(strip_titles(strip_determiner(speaker.speaker_text, language)))
        if _is_person_name(bare):
            start = max(speaker.start, sentence.find(bare, speaker.start))
            mentions.append(Mention(bare, person_gender(sentence, start, language), start))
        elif language == "fr":
            determiner = speaker.speaker_text.split()[0].lower()
            gender = GENDERED_DETERMINERS["fr"].get(determiner)
            mentions.append(Mention(speaker.speaker_text, gender, speaker.start))
    for name in names:
        bare = _after_title(name)
        start = sentence.find(bare)
        # A title before it says a single word is a person's name: "Senator Kennedy".
        if start < 0 or not (is_person_like(bare) or bare != name):
            continue
        if any(fold_name(bare) == fold_name(other.name) for other in mentions):
            continue
        mentions.append(Mention(bare, person_gender(sentence, start, language), start))
    return mentions


def _after_title(name: str) -> str:
    """Return a name without the words up to its title: "Kazakh President Kassym-Jomart
    Tokayev" -> "Kassym-Jomart Tokayev"."""
    words = name.split()
    for index in range(len(words) - 2, -1, -1):
        if _is_title(words[index]) and _reads_as_person(words[index + 1 :], words[index]):
            return " ".join(words[index + 1 :])
    person = _name_closing_a_role(words)
    return " ".join(person) if person else name


# Words that join a role to what it is over: "ministre de la Défense", "Secretary of State".
_ROLE_LINKS = frozenset("de du des la le les of the".split())


def _name_closing_a_role(words: list[str]) -> list[str] | None:
    """Return the person's name that closes a role opening with a title, in French word order:
    "président russe Vladimir Poutine", "ministre de la Défense Sergueï Choïgou" -> the name.

    The name is the run of capitalised words at the end, without the words of the institution
    it follows ("Défense" after "de la"); "ministre des Affaires Étrangères" names no one.
    """
    if len(words) < 3 or not any(_is_title(word) for word in words[:-2]):
        return None
    start = len(words)
    while start > 0 and (words[start - 1][:1].isupper() or words[start - 1] in NAME_PARTICLES):
        start -= 1
    while start < len(words) and words[start] in NAME_PARTICLES:
        start += 1
    run = words[start:]
    if not run or start == 0:
        return None  # no capitalised name at the end, or no role before it
    if words[start - 1].lower() in _ROLE_LINKS:
        # "de la Défense Sergueï Choïgou": the first capitalised word belongs to the institution.
        if count_name_parts(run[1:]) < 2:
            return None
        run = run[1:]
    if _is_title(run[0]) or not 2 <= count_name_parts(run) <= 4:
        return None
    return run


def _is_title(word: str) -> bool:
    return word.lower().rstrip(".") in NAME_TITLES


def _reads_as_person(words: list[str], title: str) -> bool:
    """Tell whether the words after a title open with a person's name: one to four capitalised
    parts (particles between them), no title or organisation word among them ("Motors" in
    "General Motors"). After an honorific the name may open with a particle ("M. de
    Villepin")."""
    start = 0
    if title.lower().rstrip(".") in HONORIFICS:
        while start < len(words) - 1 and words[start] in NAME_PARTICLES:
            start += 1
    end = start
    while end < len(words) and (words[end][:1].isupper() or words[end] in NAME_PARTICLES):
        end += 1
    while end > start and words[end - 1] in NAME_PARTICLES:
        end -= 1
    name = words[start:end]
    if any(_is_title(word) for word in name):
        return False
    return 1 <= count_name_parts(name) <= 4


def _is_person_name(name: str) -> bool:
    words = name.split()
    if len(words) == 1:
        return words[0][:1].isupper() and words[0].lower() not in GENERIC_SOURCE_NOUNS
    return is_person_like(name)


def person_gender(sentence: str, start: int, language: str) -> str | None:
    """Return the gender the words before a name give it: a title or role noun right before it
    ("Mme X", "le président X") or before its apposition ("la ministre de …, X")."""
    before = sentence[max(0, start - 120) : start].rstrip()
    if before.endswith(","):
        # An apposition: the nearest role before the comma ("la présidente de la Banque
        # centrale européenne, X"), in the same clause.
        return _gender_of_words(_CLAUSE_BREAK.split(before[:-1])[-1].split(), language)
    return _gender_of_words(before.split()[-2:], language)


def _gender_of_words(words: list[str], language: str) -> str | None:
    """Gender given by a determiner + role or a title among a few words, the last cue first."""
    feminine = FEMININE_CUES.get(language, frozenset())
    masculine = MASCULINE_CUES.get(language, frozenset())
    epicene = EPICENE_ROLES.get(language, frozenset())
    determiners = GENDERED_DETERMINERS.get(language, {})
    lowered = [word.lower().strip("’'") for word in words]
    for index in range(len(lowered) - 1, -1, -1):
        word = lowered[index]
        if word in feminine:
            return "f"
        if word in masculine:
            return "m"
        if word in epicene and index > 0:
            return determiners.get(lowered[index - 1])
    return None


def resolve_pronoun(gender: str, mentions_back: Iterable[list[Mention]]) -> str | None:
    """Return who a pronoun of `gender` stands for, given the mentions of each preceding
    sentence, nearest first: the one compatible mention of the nearest sentence that has any;
    None when that sentence has two (leaving the speaker empty beats guessing wrong)."""
    for mentions in mentions_back:
        people: dict[str, str] = {}
        for mention in mentions:
            if mention.gender not in (None, gender):
                continue
            key = fold_name(mention.name)
            # "Tokayev" and "Kassym-Jomart Tokayev" in one sentence are one person.
            same = next((other for other in people if _same_person(key, other)), None)
            if same is None:
                people[key] = mention.name
            elif len(key) > len(same):
                del people[same]
                people[key] = mention.name
        if people:
            return next(iter(people.values())) if len(people) == 1 else None
    return None


def _same_person(key: str, other: str) -> bool:
    shorter, longer = sorted((key, other), key=len)
    return longer == shorter or longer.endswith(" " + shorter)


def strip_determiner(phrase: str, language: str) -> str:
    """Return a phrase without its leading article ("Le ministère" -> "ministère")."""
    lowered = phrase.lower()
    for determiner in sorted(DETERMINERS.get(language, ()), key=len, reverse=True):
        if lowered.startswith(determiner):
            return phrase[len(determiner) :].strip()
    return phrase.strip()


def strip_titles(name: str) -> str:
    """Return a name without leading titles ("President X", "M. X", "Mme X" -> "X") when what
    follows them reads as a person's name: "General Motors" and "Premier ministre" stay whole."""
    words = name.split()
    first = 0
    while first < len(words) - 1 and _is_title(words[first]):
        first += 1
    if first and _reads_as_person(words[first:], words[first - 1]):
        return " ".join(words[first:])
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
            self._add(_after_title(strip_titles(strip_determiner(name, language))))

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
        name = _after_title(strip_titles(strip_determiner(speaker_text, self._language)))
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
    return _pair_quotes(_quote_marks(text, start, end), start, end)


def quote_spans_by_paragraph(
    text: str, paragraphs: Sequence[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """Return quote_spans of each paragraph (start, end) of text, in one scan of the text."""
    if not paragraphs:
        return []
    marks = _quote_marks(text, paragraphs[0][0], paragraphs[-1][1])
    if not marks:
        return [[] for _ in paragraphs]
    per_paragraph: list[list[tuple[int, int]]] = []
    first = 0
    for start, end in paragraphs:
        while first < len(marks) and marks[first][0] < start:
            first += 1
        last = first
        while last < len(marks) and marks[last][0] < end:
            last += 1
        per_paragraph.append(_pair_quotes(marks[first:last], start, end) if last > first else [])
        first = last
    return per_paragraph


def _quote_marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Return (offset, mark) of the quote marks in text[start:end], in order."""
    # One str.find per kind of mark: most texts hold none or few, and find skips in C where a
    # character-class regex tests every character.
    marks: list[tuple[int, str]] = []
    for char in _QUOTE_CHARS:
        index = text.find(char, start, end)
        while index >= 0:
            marks.append((index, char))
            index = text.find(char, index + 1, end)
    marks.sort()
    return marks


def _pair_quotes(marks: list[tuple[int, str]], start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    depth = 0
    opened_at = start
    straight_at: int | None = None
    for index, char in marks:
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
