"""Value objects produced by the segmenter: quantities, claim spans and segmented documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claims.text.timex import TimeReference


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number stated in a text, with its unit and whether it is stated approximately.

    ``value`` has scale words folded in ("2,5 milliards" -> 2.5e9). ``unit`` is "%" for any
    percentage spelling, "€", "$" or "£" for currencies, a unit abbreviation as written
    ("km"), or else the counted noun as written ("Russes", "people"); None when nothing
    follows the number.
    """

    value: float
    unit: str | None
    approximate: bool
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of the quantity."""
        return {
            "value": self.value,
            "unit": self.unit,
            "approximate": self.approximate,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class ClaimSpan:
    """One check-worthy statement, located verbatim in the document (text == doc[start:end])."""

    text: str
    start: int
    end: int
    sentence: str
    sentence_start: int
    language: str
    checkworthiness: float
    reasons: tuple[str, ...]
    quantities: tuple[Quantity, ...]
    speaker: str | None
    speaker_text: str | None
    hedged: bool
    entities: tuple[str, ...]
    claim_type: str
    time: TimeReference | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of the claim, quantities included."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "sentence_start": self.sentence_start,
            "language": self.language,
            "checkworthiness": self.checkworthiness,
            "reasons": list(self.reasons),
            "quantities": [quantity.to_dict() for quantity in self.quantities],
            "speaker": self.speaker,
            "speaker_text": self.speaker_text,
            "hedged": self.hedged,
            "entities": list(self.entities),
            "claim_type": self.claim_type,
            "time": self.time.to_dict() if self.time is not None else None,
        }


@dataclass(frozen=True, slots=True)
class SegmentedDocument:
    """A document split into its check-worthy claims, with its metadata."""

    language: str
    date: str | None
    title: str | None
    claims: tuple[ClaimSpan, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of the document and its claims."""
        return {
            "language": self.language,
            "date": self.date,
            "title": self.title,
            "claims": [claim.to_dict() for claim in self.claims],
        }
