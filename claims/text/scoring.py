"""Transparent check-worthiness heuristic, hedging and claim typing.

Each feature adds or removes a fixed weight and leaves a human-readable reason, so a reviewer
can see why a sentence was kept. A statistical scorer is meant to be blended in later; this
module stays the explainable baseline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claims.text.boilerplate import is_boilerplate
from claims.text.entities import extract_entities
from claims.text.lexicon import (
    COMPARISON_MARKERS,
    FUTURE_MARKERS,
    HEDGE_WORDS,
    IMPERATIVE_STARTS,
    MONTHS,
    OPINION_MARKERS,
    TIME_WORDS,
    UNNAMED_SOURCES,
    split_words,
)
from claims.text.quantities import extract_quantities
from claims.text.sentences import CLOSING_QUOTES, OPENING_QUOTES, STRAIGHT_QUOTE
from claims.text.spans import Quantity
from claims.text.speakers import Attribution, find_attribution, speech_verb_pattern

CLAIM_TYPES = ("quantity", "quote", "attribution", "event", "comparison", "prediction", "other")

_BASE = 0.2
_WEIGHTS = {
    "states a number": 0.3,
    "gives a date or time": 0.1,
    "names an entity": 0.15,
    "names several entities": 0.25,
    "attributed to a named source": 0.2,
    "attributed to an unnamed source": 0.15,
    "reports a past event": 0.2,
    "states a fact in the present or past": 0.1,
    "makes a comparison": 0.1,
    "contains a quotation": 0.05,
    "makes a prediction": 0.05,
    "asks a question": -0.3,
    "gives an opinion in the first or second person": -0.25,
    "is an imperative or a call to action": -0.25,
    "very short sentence": -0.3,
}
_MIN_WORDS = 5
_MIN_QUOTED_WORDS = 3

_EVENT_PATTERNS = {
    "fr": re.compile(
        r"\b(?:a|ont|avait|avaient|est|sont|était|étaient|s[’']est|se\s+sont|s[’']était|"
        r"s[’']étaient|ai|avons|avez)\s+(?:[a-zé]+ment\s+|déjà\s+|aussi\s+|été\s+)?"
        r"[a-zàâçéèêëîïôûùüÿœ]+(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|it|ite|its|ites|ert|erte)\b"
        r"|\b[a-zàâçéèêëîïôûùüÿœ]{3,}èrent\b",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"\b(?:has|have|had|was|were)\s+(?:\w+ly\s+|already\s+|been\s+)?\w+(?:ed|en|wn|ught|id)\b"
        r"|\b(?!(?:need|feed|speed|seed|bleed|breed|proceed|exceed|succeed|indeed)\b)"
        r"[a-z]{2,}ed\b|\b(?:went|fled|rose|fell|won|lost|took|made|gave|left|came|became|began|"
        r"grew|sold|bought|met|paid|spent|sent|held|led|ran|saw|killed|hit|cut|shot|struck)\b",
        re.IGNORECASE,
    ),
}
_STATE_PATTERNS = {
    "fr": re.compile(
        r"\b(?:est|sont|était|étaient|compte|comptent|représente|représentent|atteint|"
        r"dépasse|dépassent|reste|restent|demeure)\b"
        r"|\b(?![a-zà-ÿ]*r(?:ait|aient)\b)[a-zàâçéèêëîïôûùüÿœ]{3,}(?:ait|aient)\b",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"\b(?:is|are|was|were|has|have|had|remains|remain|stands|accounts)\b", re.IGNORECASE
    ),
}
_CONDITIONAL = re.compile(r"\b[a-zàâçéèêëîïôûùüÿœ]{2,}r(?:ait|aient)\b", re.IGNORECASE)
_NOT_CONDITIONAL = split_words(
    "portrait retrait extrait attrait trait abstrait distrait soustrait "
    # "devrait" announces what is expected: a prediction, not distance from a fact.
    "devrait devraient"
)
_FR_CONDITIONAL_HEDGES = split_words("aurait auraient serait seraient pourrait pourraient")
_REPORTED_THAT = re.compile(
    r"(?:\s+(?:[a-zé]+ment|aussi|encore|mardi|lundi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"hier))*\s*(?:,\s*)?(?:que\b|qu[’'])",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(?:1[89]\d\d|20\d\d)(?!\d)")
_QUOTED = re.compile(
    rf"[{OPENING_QUOTES}]([^{CLOSING_QUOTES}]+)[{CLOSING_QUOTES}]|{STRAIGHT_QUOTE}([^{STRAIGHT_QUOTE}]+){STRAIGHT_QUOTE}"
)


@dataclass(frozen=True, slots=True)
class Assessment:
    """Everything the heuristic found in one piece of text, computed once and reused."""

    score: float
    reasons: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    entities: tuple[str, ...]
    attribution: Attribution | None
    hedged: bool
    claim_type: str


def score_checkworthiness(sentence: str, language: str) -> tuple[float, tuple[str, ...]]:
    """Return a check-worthiness score in [0, 1] and the reasons behind it, for one sentence."""
    assessment = assess(sentence, language)
    return assessment.score, assessment.reasons


def detect_hedging(text: str, language: str) -> bool:
    """Tell whether text distances itself from its claim ("seraient", "reportedly", "may have").

    A conditional inside reported speech is the future of the past, not distance: in "a
    déclaré que 300 000 personnes seraient appelées" or "a dit qu'ils ne renverraient pas", the
    source states something firmly. English "would" is never a hedge for the same reason.
    """
    if language != "fr":
        return _hedge_pattern(language).search(text) is not None
    reported_from = _reported_clause_start(text)
    for match in _hedge_pattern(language).finditer(text):
        if match.group(0).lower() not in _FR_CONDITIONAL_HEDGES or match.start() < reported_from:
            return True
    return any(
        word.start() < reported_from
        for word in _CONDITIONAL.finditer(text)
        if word.group(0).lower() not in _NOT_CONDITIONAL
    )


def _reported_clause_start(text: str) -> int:
    """Return where the first "speech verb + que" clause starts, or len(text) if none."""
    for match in speech_verb_pattern("fr").finditer(text):
        if _REPORTED_THAT.match(text, match.end()):
            return match.end()
    return len(text)


def assess(
    text: str, language: str, *, offset: int = 0, known_names: frozenset[str] = frozenset()
) -> Assessment:
    """Return the features, score and type of one sentence or claim; offsets shift quantities."""
    if is_boilerplate(text):
        return Assessment(0.0, ("boilerplate",), (), (), None, False, "other")
    quantities = tuple(extract_quantities(text, language, offset))
    entities = extract_entities(text, language, known_names)
    attribution = find_attribution(text, language)
    lowered = text.lower()
    features: list[str] = []
    if quantities:
        features.append("states a number")
    if _mentions_date(lowered, language):
        features.append("gives a date or time")
    if len(entities) >= 2:
        features.append("names several entities")
    elif entities:
        features.append("names an entity")
    if attribution is not None and attribution.named:
        features.append("attributed to a named source")
    elif attribution is not None or _contains_any(lowered, UNNAMED_SOURCES.get(language, ())):
        features.append("attributed to an unnamed source")
    event_pattern = _EVENT_PATTERNS.get(language)
    state_pattern = _STATE_PATTERNS.get(language)
    if event_pattern is not None and event_pattern.search(text):
        features.append("reports a past event")
    elif state_pattern is not None and state_pattern.search(text):
        features.append("states a fact in the present or past")
    comparison = _contains_any(lowered, COMPARISON_MARKERS.get(language, ()))
    if comparison:
        features.append("makes a comparison")
    quoted = _has_quotation(text)
    if quoted:
        features.append("contains a quotation")
    prediction = _contains_any(lowered, FUTURE_MARKERS.get(language, ()))
    if prediction:
        features.append("makes a prediction")
    features.extend(_penalties(text, lowered, language))
    score = _BASE + sum(_WEIGHTS[feature] for feature in features)
    claim_type = _classify(
        has_quantity=bool(quantities),
        quoted=quoted,
        comparison=comparison,
        prediction=prediction,
        attributed=attribution is not None,
        event="reports a past event" in features,
    )
    return Assessment(
        score=round(min(1.0, max(0.0, score)), 2),
        reasons=tuple(features),
        quantities=quantities,
        entities=entities,
        attribution=attribution,
        hedged=detect_hedging(text, language),
        claim_type=claim_type,
    )


def _penalties(text: str, lowered: str, language: str) -> list[str]:
    penalties = []
    if text.rstrip(CLOSING_QUOTES + STRAIGHT_QUOTE + " ").endswith("?"):
        penalties.append("asks a question")
    if _contains_any(lowered, OPINION_MARKERS.get(language, ())):
        penalties.append("gives an opinion in the first or second person")
    opening = lowered.lstrip(OPENING_QUOTES + STRAIGHT_QUOTE + " ")
    if any(_starts_with_word(opening, word) for word in IMPERATIVE_STARTS.get(language, ())):
        penalties.append("is an imperative or a call to action")
    if len(text.split()) < _MIN_WORDS:
        penalties.append("very short sentence")
    return penalties


def _classify(
    *,
    has_quantity: bool,
    quoted: bool,
    comparison: bool,
    prediction: bool,
    attributed: bool,
    event: bool,
) -> str:
    for flag, claim_type in (
        (quoted, "quote"),
        (has_quantity, "quantity"),
        (comparison, "comparison"),
        (prediction, "prediction"),
        (attributed, "attribution"),
        (event, "event"),
    ):
        if flag:
            return claim_type
    return "other"


def _mentions_date(lowered: str, language: str) -> bool:
    if _YEAR.search(lowered):
        return True
    words = set(re.findall(r"[^\W\d_]+", lowered))
    dated = (MONTHS.get(language, frozenset()) | TIME_WORDS.get(language, frozenset())) - {
        "also",
        "on",
        "this",
        "aussi",
        "également",
        "encore",
        "ensuite",
        "enfin",
        "cette",
        "may",
        "mars",
        "last",
        "next",
    }
    return not words.isdisjoint(dated)


def _has_quotation(text: str) -> bool:
    for match in _QUOTED.finditer(text):
        inner = match.group(1) or match.group(2) or ""
        if len(inner.split()) >= _MIN_QUOTED_WORDS:
            return True
    # A sentence inside a multi-sentence quote carries only one of the two marks.
    marks = sum(text.count(mark) for mark in OPENING_QUOTES + CLOSING_QUOTES + STRAIGHT_QUOTE)
    return marks % 2 == 1


def _contains_any(lowered: str, phrases: tuple[str, ...]) -> bool:
    return any(_contains_phrase(lowered, phrase) for phrase in phrases)


def _contains_phrase(lowered: str, phrase: str) -> bool:
    index = lowered.find(phrase)
    while index != -1:
        before_ok = index == 0 or not lowered[index - 1].isalnum()
        after = index + len(phrase)
        after_ok = phrase.endswith(" ") or after >= len(lowered) or not lowered[after].isalnum()
        if before_ok and after_ok:
            return True
        index = lowered.find(phrase, index + 1)
    return False


def _starts_with_word(lowered: str, word: str) -> bool:
    return lowered.startswith(word) and not lowered[len(word) : len(word) + 1].isalpha()


@lru_cache(maxsize=16)
def _hedge_pattern(language: str) -> re.Pattern[str]:
    words = HEDGE_WORDS.get(language, ())
    if not words:
        return re.compile(r"(?!x)x")
    alternatives = "|".join(
        re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True)
    )
    # Case-sensitive on purpose: "May" the month is not the modal "may".
    return re.compile(rf"(?<![\w’'-])(?:{alternatives})(?![\w-])")
