"""Extraction of stated quantities: digits with any grouping convention, and numbers in words."""

from __future__ import annotations

import re
from functools import lru_cache

from claims.text.lexicon import (
    APPROXIMATION_MARKERS,
    COUNT_MODIFIERS,
    FUNCTION_WORDS,
    GENERIC_SCALE_WORDS,
    IRREGULAR_PLURALS,
    MONTHS,
    NOT_COUNTED_NOUNS,
    PERCENT_WORDS,
    SCALE_WORDS,
    split_words,
)
from claims.text.spans import Quantity

# Languages writing "1,5" for one and a half; the others write "1.5" and group with commas.
DECIMAL_COMMA_LANGUAGES = split_words(
    "fr de es it pt nl ru pl cs sk sl hr sr bs uk be bg ro hu tr sv no nb nn da fi et lv lt "
    "el id vi az kk uz ka hy is sq mk ca eu gl"
)
_GROUP_SPACES = " \u00a0\u202f\u2009"
_NUMBER_PATTERNS = {
    True: re.compile(
        rf"(?<![\w.,:/])(?:\d{{1,3}}(?:[{_GROUP_SPACES}.]\d{{3}})+(?:,\d+)?(?!\d)|\d+(?:[,.]\d+)?)"
    ),
    False: re.compile(
        rf"(?<![\w.,:/])(?:\d{{1,3}}(?:[{_GROUP_SPACES},]\d{{3}})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?)"
    ),
}
_ATTACHED_UNITS = {
    "%": "%",
    "km": "km",
    "m": "m",
    "cm": "cm",
    "mm": "mm",
    "kg": "kg",
    "g": "g",
    "t": "t",
    "ha": "ha",
    "km²": "km²",
    "m²": "m²",
    "k": "k",
    "l": "l",
    "€": "€",
    "$": "$",
    "£": "£",
}
_CURRENCY_SYMBOLS = {"€": "€", "$": "$", "£": "£", "¥": "¥", "₽": "₽", "₸": "₸", "US$": "$"}
_CURRENCY_WORDS = {
    "euro": "€",
    "euros": "€",
    "eur": "€",
    "dollar": "$",
    "dollars": "$",
    "usd": "$",
    "gbp": "£",
    "£": "£",
    "€": "€",
    "$": "$",
}
_WORD = re.compile(r"[^\W\d_][\w’'\-²³]*|[%€$£¥₽₸]")
_YEAR_CONTEXT = split_words(
    "en in depuis since année an year years années jusqu’en jusqu'en until by from to "
    "fin début end early late mid été hiver printemps automne summer winter spring autumn fall "
    "avant après before after vers around"
)
_WORD_NUMBERS = {
    "fr": (
        "zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
        "quinze seize vingt vingts trente quarante cinquante soixante cent cents mille million "
        "millions milliard milliards",
        "et",
    ),
    "en": (
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
        "eighty ninety hundred thousand million millions billion billions trillion",
        "and",
    ),
}
_ARTICLE_BEFORE_SCALE = {"fr": ("un", "une"), "en": ("a", "an", "one")}
_COLLECTIVE_BEFORE = {"fr": ("tous", "toutes", "les"), "en": ("the", "all")}
_WINDOW = 40
_NEXT_WORD = re.compile(r"[\s\u00a0\u202f]*([^\W\d_]+)\.?")
# A month name (maybe abbreviated) right before a number, before a day and a comma, or
# before a short year ("August, '87").
_MONTH_BEFORE = re.compile(r"([^\W\d_]+)\.?(?:\s+(?:\d{1,2}(?:st|nd|rd|th)?,\s*)?|,?\s*['’])\Z")
# Days joined into a range or a list before or after a month: "du 22 au 27 septembre",
# "22 et 26 septembre", "22-27 September", "September 22 and 26".
_DAY = r"\d{1,2}(?:er|st|nd|rd|th)?"
_DAY_JOIN = r"\s*(?:-|–|au|à|et|ou|to|and|or|through)\s*"
_DAYS_THEN_MONTH = re.compile(rf"(?:(?:{_DAY_JOIN}|,\s*){_DAY})+[\s\u00a0\u202f]+([^\W\d_]+)")
_MONTH_THEN_DAYS = re.compile(
    rf"([^\W\d_]+)\.?\s+{_DAY}(?:(?:{_DAY_JOIN}|,\s*){_DAY})*{_DAY_JOIN}\Z"
)
_WORD_GAP = re.compile(r"[ \t\u00a0\u202f]+")
# A counted noun is read within this many words: up to two modifiers, then the noun.
_PHRASE_WORDS = 3


def extract_quantities(text: str, language: str, offset: int = 0) -> list[Quantity]:
    """Return the quantities stated in text, in order; offsets are shifted by `offset`.

    Years and day numbers of dates ("en septembre 2022", "le 21 septembre") are not quantities.
    """
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    pattern = _NUMBER_PATTERNS[language in DECIMAL_COMMA_LANGUAGES]
    for match in pattern.finditer(text):
        value = _parse_digits(match.group(0), language)
        quantity = _build(
            text, language, match.start(), match.end(), value=value, offset=offset, digits=True
        )
        if quantity is not None:
            found.append(quantity)
            taken.append((match.start(), match.end()))
    for start, end, value in _find_word_numbers(text, language):
        if any(start < taken_end and taken_start < end for taken_start, taken_end in taken):
            continue
        quantity = _build(text, language, start, end, value=value, offset=offset, digits=False)
        if quantity is not None:
            found.append(quantity)
    found.sort(key=lambda quantity: quantity.start)
    return found


def _parse_digits(raw: str, language: str) -> float:
    decimal_comma = language in DECIMAL_COMMA_LANGUAGES
    cleaned = raw
    for space in _GROUP_SPACES:
        cleaned = cleaned.replace(space, "")
    if decimal_comma:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", cleaned):
            cleaned = cleaned.replace(".", "")
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    return float(cleaned)


def _build(
    text: str, language: str, start: int, end: int, *, value: float, offset: int, digits: bool
) -> Quantity | None:
    if digits and _is_part_of_code_or_date(text, start, end):
        return None
    span_end = end
    scale_end, scale = _read_scale(text, language, end) if digits else (end, 1.0)
    has_scale = scale != 1.0
    unit, unit_end = _read_unit(
        text, language, scale_end, after_scale=has_scale, plural=value * scale != 1
    )
    if unit is None and has_scale:
        span_end = scale_end
    elif unit is not None:
        span_end = unit_end
    span_start, currency = _read_leading_currency(text, start)
    if currency is not None and unit is None:
        unit = currency
    if (
        digits
        and not has_scale
        and _is_date_part(text, language, start, end, value=value, unit=unit)
    ):
        return None
    approximate, marker_start = _read_approximation(text, language, span_start)
    span_start = min(span_start, marker_start)
    return Quantity(
        value=value * scale,
        unit=unit,
        approximate=approximate,
        text=text[span_start:span_end],
        start=offset + span_start,
        end=offset + span_end,
    )


def _is_part_of_code_or_date(text: str, start: int, end: int) -> bool:
    """Tell whether digits belong to a code ("F-16", "COVID-19"), an ISO date or a clock time."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    if len(before) == 2 and before[1] == "-" and (before[0].isalpha() or before[0].isdigit()):
        return True
    if len(after) == 2 and after[0] in "-/:h" and after[1].isdigit():
        return True
    if after[:1].isalpha():
        word = _WORD.match(text, end)
        return word is None or word.group(0).lower() not in _ATTACHED_UNITS
    return False


def _read_scale(text: str, language: str, end: int) -> tuple[int, float]:
    scales = SCALE_WORDS.get(language, GENERIC_SCALE_WORDS)
    match = _NEXT_WORD.match(text, end)
    if match is None:
        return end, 1.0
    word = match.group(1).lower()
    if word in scales:
        return match.end(1), scales[word]
    return end, 1.0


def _read_unit(
    text: str, language: str, end: int, *, after_scale: bool, plural: bool
) -> tuple[str | None, int]:
    """Read what a number counts: a percent sign or word, a currency, a unit, or a noun."""
    rest = text[end : end + 40]
    stripped = rest.lstrip(_GROUP_SPACES)
    gap = len(rest) - len(stripped)
    symbol = _read_symbol(stripped, language)
    if symbol is not None:
        return symbol[0], end + gap + symbol[1]
    if after_scale:
        connector = re.match(r"(?:de\s+|d[’']|of\s+)", stripped)
        if connector is not None:
            gap += connector.end()
            stripped = stripped[connector.end() :]
    word_match = _WORD.match(stripped)
    if word_match is None:
        return None, end
    word = word_match.group(0).rstrip("’'-")
    known_unit = _CURRENCY_WORDS.get(word.lower()) or _ATTACHED_UNITS.get(word.lower())
    if gap == 0 and not after_scale:
        # Glued to the digits ("5km"): only a known unit, never a word like "1er".
        return (known_unit, end + len(word)) if known_unit else (None, end)
    if known_unit:
        return known_unit, end + gap + len(word)
    noun = _read_head_noun(stripped, language) if plural else None
    if noun is None and _is_counted_noun(word, language):
        noun = word, len(word)
    return (noun[0], end + gap + noun[1]) if noun else (None, end)


def _read_head_noun(rest: str, language: str) -> tuple[str, int] | None:
    """Read the plural noun a count names at the start of `rest`, past its modifiers.

    Listed adjectives are skipped ("2 500 nouveaux cas", "2,000 more troops"). In English a
    noun phrase ends on its head, so words before the first plural are modifiers ("5,000
    asylum seekers", "300 displaced families"). Returns the noun and where it ends in `rest`,
    or None when no plural noun follows.
    """
    words: list[tuple[str, int]] = []
    position = 0
    while len(words) < _PHRASE_WORDS:
        match = _WORD.match(rest, position)
        if match is None:
            break
        word = match.group(0).rstrip("’'-")
        words.append((word, match.start() + len(word)))
        gap = _WORD_GAP.match(rest, match.start() + len(word))
        if gap is None:
            break
        position = gap.end()
    modifiers = COUNT_MODIFIERS.get(language, frozenset())
    irregular = IRREGULAR_PLURALS.get(language, frozenset())
    # English nouns modify the noun after them; French ones are followed by their modifiers.
    nouns_modify = language == "en"
    for index, (word, word_end) in enumerate(words):
        lowered = word.lower()
        next_word = words[index + 1][0] if index + 1 < len(words) else ""
        # "people" is the noun in "900 people crossed", a modifier in "people smugglers".
        if _looks_plural(word, language) or (
            lowered in irregular and not _looks_plural(next_word, language)
        ):
            return word, word_end
        is_modifier = (word.islower() and lowered in modifiers) or (
            nouns_modify
            and _is_counted_noun(word, language)
            and lowered not in NOT_COUNTED_NOUNS.get(language, ())
            and not re.search(r"['’]", word)
        )
        if not is_modifier:
            return None
    return None


def _looks_plural(word: str, language: str) -> bool:
    """Tell whether a word has a plural ending, as the noun a count of several names has."""
    lowered = word.lower()
    if not word[:1].isalpha() or re.search(r"['’]", word) or not _is_counted_noun(word, language):
        return False
    if lowered in NOT_COUNTED_NOUNS.get(language, ()) | COUNT_MODIFIERS.get(language, set()):
        return False
    if language == "en":
        return lowered.endswith("s") and not lowered.endswith(("ss", "us", "is"))
    return lowered.endswith(("s", "x"))


def _read_symbol(stripped: str, language: str) -> tuple[str, int] | None:
    lowered = stripped.lower()
    for word in PERCENT_WORDS.get(language, ()) + PERCENT_WORDS["en"]:
        if lowered.startswith(word) and not lowered[len(word) : len(word) + 1].isalpha():
            return "%", len(word)
    if stripped and stripped[0] in "%€$£¥₽₸":
        return _CURRENCY_WORDS.get(stripped[0], stripped[0]), 1
    return None


def _is_counted_noun(word: str, language: str) -> bool:
    # Without a list of function words any following word could be "and": keep units only.
    if language not in FUNCTION_WORDS:
        return False
    lowered = word.lower()
    return lowered not in FUNCTION_WORDS[language] and lowered not in MONTHS[language]


def _read_leading_currency(text: str, start: int) -> tuple[int, str | None]:
    before = text[max(0, start - 4) : start].rstrip(_GROUP_SPACES)
    for symbol, unit in sorted(_CURRENCY_SYMBOLS.items(), key=lambda item: -len(item[0])):
        if before.endswith(symbol):
            return start - (len(text[max(0, start - 4) : start]) - len(before)) - len(symbol), unit
    return start, None


def _is_date_part(
    text: str, language: str, start: int, end: int, *, value: float, unit: str | None
) -> bool:
    """Tell whether a number is a year or a day of a date rather than a count."""
    raw = text[start:end]
    months = MONTHS.get(language, MONTHS["en"]) | MONTHS["en"]
    previous_words = re.findall(r"[^\W\d_][\w’']*", text[max(0, start - 25) : start].lower())
    previous = previous_words[-1] if previous_words else ""
    if _follows_month(text[max(0, start - 30) : start], months, year=len(raw) == 4):
        return True
    following = re.match(r"[\s\u00a0\u202f]*([^\W\d_]+)", text[end : end + 20])
    month_follows = following is not None and following.group(1).lower().rstrip(".") in months
    if value <= 31 and (
        month_follows or (raw.isdigit() and _in_day_range(text, months, start, end, unit=unit))
    ):
        return True
    if not (raw.isdigit() and len(raw) == 4 and 1000 <= value <= 2100):
        return False
    if unit in ("%", "€", "$", "£", "¥", "₽", "₸"):
        return False
    if previous in _YEAR_CONTEXT or unit is None or following is None:
        return True
    # "2022 Russia ..." starts a clause after a year; "2022 personnes" counts people.
    return following.group(1)[:1].isupper()


def _in_day_range(
    text: str, months: frozenset[str], start: int, end: int, *, unit: str | None
) -> bool:
    """Tell whether a day number is one end of a range or list of days beside a month.

    After a month, a number that counts something ("July 12 and 30 people") is not a day.
    """
    after = _DAYS_THEN_MONTH.match(text, end, min(len(text), end + 40))
    if after is not None and after.group(1).lower().rstrip(".") in months:
        return True
    if unit is not None:
        return False
    before = _MONTH_THEN_DAYS.search(text[max(0, start - 40) : start])
    return before is not None and before.group(1).lower() in months


def _follows_month(before: str, months: frozenset[str], *, year: bool) -> bool:
    """Tell whether text ending at a number makes it part of a date after a month name.

    "juillet 2022", "July 12" and the year of "July 12, 2022" are; the count in "In July,
    900 people crossed" is not: a comma after the month ends the date.
    """
    month = _MONTH_BEFORE.search(before)
    if month is None or month.group(1).lower() not in months:
        return False
    return year or "," not in month.group(0) or month.group(0)[-1] in "'’"


def _read_approximation(text: str, language: str, start: int) -> tuple[bool, int]:
    match = _approximation_pattern(language).search(text, max(0, start - _WINDOW), start)
    if match is None:
        return False, start
    return True, match.start(1)


@lru_cache(maxsize=64)
def _approximation_pattern(language: str) -> re.Pattern[str]:
    markers = APPROXIMATION_MARKERS.get(language, ()) + APPROXIMATION_MARKERS["en"]
    ordered = sorted(markers, key=len, reverse=True)
    alternatives = "|".join(re.escape(marker).replace(r"\ ", r"\s+") for marker in ordered)
    return re.compile(rf"(?:^|(?<=[\s(]))({alternatives})[\s\u00a0\u202f]*\Z", re.IGNORECASE)


@lru_cache(maxsize=8)
def _word_number_pattern(language: str) -> re.Pattern[str] | None:
    if language not in _WORD_NUMBERS:
        return None
    words, joiner = _WORD_NUMBERS[language]
    word = "|".join(sorted(words.split(), key=len, reverse=True))
    return re.compile(
        rf"(?<![\w-])(?:{word})(?:(?:[\s-]+|\s+{joiner}\s+)(?:{word}))*(?![\w-])", re.IGNORECASE
    )


def _find_word_numbers(text: str, language: str) -> list[tuple[int, int, float]]:
    pattern = _word_number_pattern(language)
    if pattern is None:
        return []
    # Imported here: text2num is only needed when a text spells numbers out.
    from text_to_num import text2num

    scales = SCALE_WORDS[language]
    articles = _ARTICLE_BEFORE_SCALE[language]
    found = []
    for match in pattern.finditer(text):
        words = re.split(r"[\s-]+", match.group(0).lower())
        start = match.start()
        if len(words) == 1 and words[0] in ("un", "une", "one"):
            continue
        previous = re.findall(r"[^\W\d_]+", text[max(0, start - 12) : start].lower())
        if previous and previous[-1] in _COLLECTIVE_BEFORE[language] and len(words) == 1:
            continue
        phrase = " ".join(words)
        if words[0] in scales or words[0] in ("cent", "hundred", "mille", "thousand"):
            if not previous or previous[-1] not in articles:
                continue
            article = re.search(r"(\w+)\s*\Z", text[:start])
            start = article.start(1) if article else start
            phrase = ("un " if language == "fr" else "one ") + phrase
        try:
            value = float(text2num(phrase, language))
        except ValueError:
            continue
        found.append((start, match.end(), value))
    return found
