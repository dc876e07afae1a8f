"""Telling when two claims say the same thing: a normalised key for exact repeats and MinHash
fingerprints for near duplicates, so that both are found by an indexed lookup.

Two claims match when their normalised texts are equal, or when their content words overlap by
at least NEAR_JACCARD (Jaccard index of the word sets), they state the same figures, both or
neither are negated, and neither names someone or somewhere the other replaces (each naming a
name the other lacks: "Kazakhstan" for "Georgia"). The
fingerprints are built so that such pairs share at least one of them with high probability
(locality-sensitive hashing over the word sets, salted with the figures); the candidates found
through the index are then verified with the rule itself. The rule and its threshold were chosen
on labelled pairs: see docs/quality.md ("Recurring claims").

Pure functions only: the database side is in claims/recurrence.py.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# Version of the fingerprints, mixed into them: a change to the normalisation or the hashing
# must bump it, and stored fingerprints must then be rebuilt by a migration (as 0007 built them).
VERSION = 1
NEAR_JACCARD = 0.5
# Words are compared by their first letters, so that small edits ("mobilisation" and
# "mobilization", a plural) do not hide a repeat.
STEM = 6
# MinHash: BANDS bands of ROWS hash values. Two word sets with Jaccard index s share a band with
# probability 1 - (1 - s**ROWS)**BANDS: 0.97 at s = 0.5, 0.995 at s = 0.6.
BANDS = 12
ROWS = 2

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2039": '"',
        "\u203a": '"',
    }
)
# A thousands separator: a space (also no-break and thin), a comma, a point or an apostrophe
# between a digit and a group of exactly three digits ("300 000", "300,000", "300.000").
_DIGIT_GROUP = re.compile(r"(?<=\d)[\s,.'](?=\d{3}(?!\d))")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_SPACE_BEFORE_PERCENT = re.compile(r"\s+%")
_NOT_WORD = re.compile(r"[^\w.%]+|(?<!\d)\.|\.(?!\d)")
_WORD = re.compile(r"[\w.%]+")

# Function words of French and English that carry no topic (written for this project). Negations
# are kept as content: "did not rise" is not a repeat of "rose".
_FUNCTION_WORDS = frozenset(
    """
    le la les l de du des d un une et ou en au aux a à ce cet cette ces se sa son ses leur leurs
    il ils elle elles on nous vous qui que qu quoi dont où y par pour sur sous dans avec sans
    entre vers chez est sont été être était étaient ont avait avaient sera seront fait faire
    plus moins très tout tous toute toutes comme mais donc car si aussi ainsi selon depuis lors
    the a an and or of to in on at by for with from as is are was were be been being has have
    had do does did this that these those it its their they them he she his her we our you your
    which who whom what will would can could should may might also than then there here over
    into about after before said says say according
    """.split()
)
_NEGATIONS = frozenset("not no never none nor ne pas jamais aucun aucune ni non".split())
_P61 = (1 << 61) - 1
_NAME = re.compile(r"(?<![\w-])([^\W\d_][\w-]*)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SENTENCE_END = re.compile(r"[.!?:\"“”«»]\s*$")


def normalise(text: str) -> str:
    """Return `text` folded for comparison: NFKC, case-folded, accents, quote styles,
    punctuation and whitespace folded, thousands separators removed ("300 000" = "300,000"),
    decimal commas read as points and "12 %" written "12%"."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch)
    )
    folded = _DIGIT_GROUP.sub("", folded)
    folded = _DECIMAL_COMMA.sub(".", folded)
    folded = _SPACE_BEFORE_PERCENT.sub("%", folded)
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def text_key(text: str) -> str:
    """The exact-repeat key of a claim: a SHA-256 of its normalised text (64 hex digits)."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def content_words(text: str, stem: int | None = STEM) -> frozenset[str]:
    """The claim's content words (function words dropped, negations kept), cut to `stem`
    letters; figures are kept whole."""
    words = set()
    for word in _WORD.findall(normalise(text)):
        if word in _NEGATIONS or any(ch.isdigit() for ch in word):
            words.add(word)
        elif len(word) > 2 and word not in _FUNCTION_WORDS:
            words.add(word[:stem] if stem else word)
    return frozenset(words)


def figures(quantities: Iterable[dict[str, Any]], text: str = "") -> tuple[float, ...]:
    """The distinct numbers written in `text` (years and days too, thousands separators folded)
    and the values of its quantities written in words ("huit"), sorted.

    Figures written in digits are read from the normalised text rather than from the
    quantities, whose reading of "98,000" depends on the language."""
    values = {float(f"{float(n):.6g}") for n in _NUMBER.findall(normalise(text))}
    for quantity in quantities:
        value = quantity.get("value")
        written = str(quantity.get("text") or "")
        if isinstance(value, int | float) and not any(ch.isdigit() for ch in written):
            values.add(float(f"{float(value):.6g}"))
    return tuple(sorted(values))


def names(text: str) -> frozenset[str]:
    """The capitalised words of `text` not opening a sentence (names of people, places,
    bodies, acronyms), folded."""
    text = unicodedata.normalize("NFKC", text)
    found = set()
    for match in _NAME.finditer(text):
        word = match.group(1)
        before = text[: match.start()].rstrip()
        if word[0].isupper() and before and not _SENTENCE_END.search(before):
            found.update(normalise(word).split())
    return frozenset(found)


def negated(words: frozenset[str]) -> bool:
    """Whether a claim's content words include a negation."""
    return bool(words & _NEGATIONS)


def jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    """The Jaccard index of two word sets (1.0 for two empty sets)."""
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


@dataclass(frozen=True, slots=True)
class ClaimPrint:
    """What matching needs to know about one claim."""

    key: str
    words: frozenset[str]
    figures: tuple[float, ...]
    names: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, text: str, quantities: Iterable[dict[str, Any]], stem: int | None = STEM
    ) -> ClaimPrint:
        return cls(
            text_key(text), content_words(text, stem), figures(quantities, text), names(text)
        )

    def fingerprints(self) -> list[int]:
        """The values to index: one for the exact key, one per MinHash band (salted with the
        figures, so claims stating other figures do not even become candidates)."""
        values = [_to_int64(f"exact|{self.key}")]
        if not self.words:
            return values
        minima = _minhash(self.words, BANDS * ROWS)
        salt = ",".join(f"{v:g}" for v in self.figures) + ("|not" if negated(self.words) else "")
        for band in range(BANDS):
            rows = minima[band * ROWS : (band + 1) * ROWS]
            values.append(_to_int64(f"v{VERSION}|{band}|{salt}|{rows}"))
        return values


def similarity(
    left: ClaimPrint, right: ClaimPrint, threshold: float = NEAR_JACCARD
) -> float | None:
    """How much `right` repeats `left`: 1.0 for the same normalised text, the word overlap for
    a near duplicate stating the same figures, None when they do not match."""
    if left.key == right.key:
        return 1.0
    if left.figures != right.figures or negated(left.words) != negated(right.words):
        return None
    if left.names - right.names and right.names - left.names:
        return None
    overlap = jaccard(left.words, right.words)
    return round(overlap, 3) if overlap >= threshold else None


def _to_int64(value: str) -> int:
    # Signed, so that it fits a BIGINT column on every database.
    digest = hashlib.blake2b(value.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _coefficients(count: int) -> list[tuple[int, int]]:
    pairs = []
    for i in range(count):
        digest = hashlib.blake2b(f"minhash-{i}".encode(), digest_size=16).digest()
        a = int.from_bytes(digest[:8], "big") % (_P61 - 1) + 1
        b = int.from_bytes(digest[8:], "big") % _P61
        pairs.append((a, b))
    return pairs


_COEFFICIENTS = _coefficients(BANDS * ROWS)


def _minhash(words: Sequence[str] | frozenset[str], count: int) -> list[int]:
    bases = [
        int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "big") for w in words
    ]
    return [min((a * h + b) % _P61 for h in bases) for a, b in _COEFFICIENTS[:count]]


@dataclass(frozen=True, slots=True)
class PairScores:
    """Precision and recall of the matching rule on labelled pairs of claims."""

    pairs: int
    true_positives: int
    false_positives: int
    false_negatives: int
    missed: tuple[str, ...]
    wrong: tuple[str, ...]

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def load_pairs(path: str) -> list[dict[str, Any]]:
    """Read labelled pairs: JSON Lines of {"a", "b", "same", "language_a", "language_b", "note"}."""
    import json
    from pathlib import Path

    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row, dict) or not {"a", "b", "same"} <= row.keys():
            raise ValueError(f"{path}:{number}: a pair needs 'a', 'b' and 'same'")
        rows.append(row)
    return rows


def evaluate_pairs(
    pairs: Sequence[dict[str, Any]], *, threshold: float = NEAR_JACCARD, stem: int | None = STEM
) -> PairScores:
    """Score the rule as ingest applies it (an indexed candidate, then the check) on `pairs`."""
    from claims.text.quantities import extract_quantities

    def claim_print(text: str, language: str) -> ClaimPrint:
        quantities = [q.to_dict() for q in extract_quantities(text, language)]
        return ClaimPrint.of(text, quantities, stem)

    tp = fp = fn = 0
    missed, wrong = [], []
    for pair in pairs:
        a = claim_print(pair["a"], pair.get("language_a", "fr"))
        b = claim_print(pair["b"], pair.get("language_b", "fr"))
        candidate = bool(set(a.fingerprints()) & set(b.fingerprints()))
        score = similarity(a, b, threshold)
        same = score is not None and (candidate or score == 1.0)
        if same and pair["same"]:
            tp += 1
        elif same:
            fp += 1
            wrong.append(pair.get("note", ""))
        elif pair["same"]:
            fn += 1
            missed.append(pair.get("note", ""))
    return PairScores(len(pairs), tp, fp, fn, tuple(missed), tuple(wrong))
