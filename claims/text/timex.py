"""The time a claim refers to: explicit dates, years, weekdays and relative expressions.

Relative expressions ("mardi", "last week", "l'an dernier") are resolved against the document's
date when it is precise enough: a weekday or "hier" needs a full date, "le mois dernier" a month,
"l'an dernier" a year. The value is an ISO 8601 string of the precision stated: "2021",
"2022-09", "2022-09-27" or the ISO week "2022-W38"; None when it cannot be resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

_MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fév": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8,
    "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "décembre": 12, "decembre": 12, "déc": 12,
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "october": 10, "november": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip
# Relative expressions: (unit, shift) with unit day / week / month / year.
_RELATIVE = {
    "hier": ("day", -1), "avant-hier": ("day", -2), "aujourd’hui": ("day", 0),
    "aujourd'hui": ("day", 0), "demain": ("day", 1), "yesterday": ("day", -1),
    "today": ("day", 0), "tomorrow": ("day", 1),
    "la semaine dernière": ("week", -1), "la semaine passée": ("week", -1),
    "cette semaine": ("week", 0), "la semaine prochaine": ("week", 1),
    "last week": ("week", -1), "this week": ("week", 0), "next week": ("week", 1),
    "le mois dernier": ("month", -1), "le mois passé": ("month", -1), "ce mois-ci": ("month", 0),
    "le mois prochain": ("month", 1), "last month": ("month", -1), "this month": ("month", 0),
    "next month": ("month", 1),
    "l’an dernier": ("year", -1), "l'an dernier": ("year", -1), "l’année dernière": ("year", -1),
    "l'année dernière": ("year", -1), "l’an passé": ("year", -1), "l'an passé": ("year", -1),
    "cette année": ("year", 0), "l’an prochain": ("year", 1), "l'an prochain": ("year", 1),
    "l’année prochaine": ("year", 1), "l'année prochaine": ("year", 1),
    "last year": ("year", -1), "this year": ("year", 0), "next year": ("year", 1),
}  # fmt: skip
_PRECISION = {"day": 3, "week": 3, "month": 2, "year": 1}


@dataclass(frozen=True, slots=True)
class TimeReference:
    """A time expression as written, with the ISO value it resolves to (or None)."""

    text: str
    start: int
    end: int
    value: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {"text": self.text, "start": self.start, "end": self.end, "value": self.value}


def parse_document_date(value: str | None) -> tuple[int, ...]:
    """Return the (year[, month[, day]]) parts of an ISO date string; () when absent or bad."""
    if not value:
        return ()
    match = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if match is None:
        return ()
    return tuple(int(part) for part in match.groups() if part is not None)


def find_time(text: str, document_date: str | None = None, offset: int = 0) -> TimeReference | None:
    """Return the first time expression of text, resolved against the document date if possible."""
    anchor = parse_document_date(document_date)
    best: tuple[int, int, str | None] | None = None
    for kind, match in _iter_candidates(text):
        if best is not None and match.start() >= best[0]:
            continue
        value = _resolve(kind, match, anchor)
        best = (match.start(), match.end(), value)
    if best is None:
        return None
    start, end, value = best
    return TimeReference(text=text[start:end], start=offset + start, end=offset + end, value=value)


def _iter_candidates(text: str) -> list[tuple[str, re.Match[str]]]:
    found = []
    for kind, pattern in _patterns().items():
        match = pattern.search(text)
        if match is not None:
            found.append((kind, match))
    return found


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    months = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
    weekdays = "|".join(_WEEKDAYS)
    relative = "|".join(
        re.escape(phrase).replace(r"\ ", r"\s+")
        for phrase in sorted(_RELATIVE, key=len, reverse=True)
    )
    space = r"[\s\u00a0\u202f]+"
    # The period of an abbreviated month ("sept.") belongs to it only when a number follows.
    dot = rf"(?:\.(?={space}\d))?"
    return {
        "iso": re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"),
        # "27 septembre 2022", "le 5 juin", "5 June 2022"
        "day_month": re.compile(
            rf"(?<!\d)(\d{{1,2}})(?:er)?{space}({months}){dot}(?:{space}(\d{{4}}))?(?![\w])",
            re.IGNORECASE,
        ),
        # "June 5, 2022", "September 27"
        "month_day": re.compile(
            rf"\b({months}){dot}{space}(\d{{1,2}})(?:st|nd|rd|th)?(?:,?{space}(\d{{4}}))?(?!\d)",
            re.IGNORECASE,
        ),
        "month_year": re.compile(rf"\b({months}){dot}{space}(\d{{4}})(?!\d)", re.IGNORECASE),
        "relative": re.compile(rf"(?<![\w’'-])(?:{relative})(?![\w-])", re.IGNORECASE),
        "weekday": re.compile(rf"\b(?:{weekdays})\b", re.IGNORECASE),
        "year": re.compile(r"(?<![\d.,])(?:1[89]\d\d|20\d\d)(?![\d.,]\d)"),
    }


def _resolve(  # noqa: PLR0911 - one return per kind of expression reads best
    kind: str, match: re.Match[str], anchor: tuple[int, ...]
) -> str | None:
    try:
        if kind == "iso":
            return date(*map(int, match.groups())).isoformat()
        if kind in ("day_month", "month_day"):
            day_text, month_text = (
                (match.group(1), match.group(2))
                if kind == "day_month"
                else (match.group(2), match.group(1))
            )
            month = _MONTHS[month_text.lower()]
            year = int(match.group(3)) if match.group(3) else (anchor[0] if anchor else None)
            if year is None:
                return None
            return date(year, month, int(day_text)).isoformat()
        if kind == "month_year":
            return f"{int(match.group(2)):04d}-{_MONTHS[match.group(1).lower()]:02d}"
        if kind == "year":
            return match.group(0)
        if kind == "weekday":
            return _resolve_weekday(_WEEKDAYS[match.group(0).lower()], anchor)
        phrase = " ".join(match.group(0).lower().split())
        unit, shift = _RELATIVE[phrase]
        return _resolve_relative(unit, shift, anchor)
    except ValueError:
        return None


def _resolve_weekday(weekday: int, anchor: tuple[int, ...]) -> str | None:
    """News convention: a bare weekday is the latest such day on or before the document date."""
    if len(anchor) < 3:
        return None
    published = date(*anchor)
    return (published - timedelta(days=(published.weekday() - weekday) % 7)).isoformat()


def _resolve_relative(unit: str, shift: int, anchor: tuple[int, ...]) -> str | None:
    if len(anchor) < _PRECISION[unit]:
        return None
    if unit == "year":
        return f"{anchor[0] + shift:04d}"
    if unit == "month":
        index = anchor[0] * 12 + anchor[1] - 1 + shift
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    published = date(*anchor[:3])
    if unit == "day":
        return (published + timedelta(days=shift)).isoformat()
    year, week, _ = (published + timedelta(weeks=shift)).isocalendar()
    return f"{year:04d}-W{week:02d}"
