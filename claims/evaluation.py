"""Evaluate a check-worthiness scorer against labelled JSON Lines files.

Pure functions: reading a file, computing a report and formatting it as text. The CLI
(``claimtrack eval checkworthiness``) only wires these together.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

POSITIVE_LABELS = frozenset({"check-worthy", "claim"})
NEGATIVE_LABELS = frozenset({"not-check-worthy", "not-claim"})
REQUIRED_FIELDS = ("id", "text", "label")
UNKNOWN_LANGUAGE = "und"

ScoreFn = Callable[[Sequence[str]], Sequence[float]]


@dataclass(frozen=True)
class LabelledExample:
    """One sentence with its gold check-worthiness label."""

    id: str
    text: str
    label: str
    language: str = UNKNOWN_LANGUAGE

    @property
    def is_positive(self) -> bool:
        """True when the gold label says check-worthy (or "claim")."""
        return self.label in POSITIVE_LABELS


@dataclass(frozen=True)
class EvaluationReport:
    """Confusion matrix and derived scores of the positive (check-worthy) class."""

    tp: int
    fp: int
    fn: int
    tn: int
    threshold: float
    by_language: Mapping[str, EvaluationReport] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """Number of examples evaluated."""
        return self.tp + self.fp + self.fn + self.tn

    @property
    def positives(self) -> int:
        """Number of examples whose gold label is positive."""
        return self.tp + self.fn

    @property
    def negatives(self) -> int:
        """Number of examples whose gold label is negative."""
        return self.fp + self.tn

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0.0 when nothing was predicted positive."""
        return _divide(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0.0 when there are no positive examples."""
        return _divide(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall of the positive class."""
        return _divide(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    @property
    def accuracy(self) -> float:
        """Share of examples predicted correctly."""
        return _divide(self.tp + self.tn, self.count)


def _divide(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _read_record(line: str, line_number: int, required: Iterable[str]) -> dict[str, Any]:
    """Parse one JSON Lines line into an object with `required` fields, or raise ValueError."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"line {line_number}: malformed JSON ({error.msg})") from error
    if not isinstance(record, dict):
        kind = type(record).__name__
        raise ValueError(f"line {line_number}: expected a JSON object, got {kind}")  # noqa: TRY004
    missing = [name for name in required if name not in record]
    if missing:
        raise ValueError(f"line {line_number}: missing field(s) {', '.join(missing)}")
    return record


def parse_labelled_line(line: str, line_number: int) -> LabelledExample:
    """Return the example on one JSON Lines line; raise ValueError naming ``line_number``."""
    record = _read_record(line, line_number, REQUIRED_FIELDS)
    label = record["label"]
    if label not in POSITIVE_LABELS | NEGATIVE_LABELS:
        known = ", ".join(sorted(POSITIVE_LABELS | NEGATIVE_LABELS))
        raise ValueError(f"line {line_number}: unknown label {label!r} (expected one of {known})")
    if not isinstance(record["text"], str):
        raise ValueError(f"line {line_number}: field text must be a string")  # noqa: TRY004
    return LabelledExample(
        id=str(record["id"]),
        text=record["text"],
        label=label,
        language=str(record.get("language") or UNKNOWN_LANGUAGE),
    )


def parse_labelled(lines: Iterable[str]) -> list[LabelledExample]:
    """Return the examples of JSON Lines text, skipping blank lines; ValueError names the line."""
    return [
        parse_labelled_line(line, number)
        for number, line in enumerate(lines, start=1)
        if line.strip()
    ]


def load_labelled(path: str | Path) -> list[LabelledExample]:
    """Return the labelled examples of a JSON Lines file; ValueError names a bad line."""
    with Path(path).open(encoding="utf-8") as lines:
        return parse_labelled(lines)


def count_confusion(
    gold: Sequence[bool], scores: Sequence[float], threshold: float
) -> tuple[int, int, int, int]:
    """Return (tp, fp, fn, tn) when a score >= ``threshold`` is a positive prediction."""
    tp = fp = fn = tn = 0
    for is_positive, score in zip(gold, scores, strict=True):
        predicted = score >= threshold
        if predicted and is_positive:
            tp += 1
        elif predicted:
            fp += 1
        elif is_positive:
            fn += 1
        else:
            tn += 1
    return tp, fp, fn, tn


def evaluate_checkworthiness(
    examples: Sequence[LabelledExample],
    score_fn: ScoreFn,
    threshold: float = 0.5,
    by_language: bool = False,
) -> EvaluationReport:
    """Score all ``examples`` in one call to ``score_fn`` and report against the gold labels."""
    scores = list(score_fn([example.text for example in examples]))
    if len(scores) != len(examples):
        raise ValueError(f"score_fn returned {len(scores)} scores for {len(examples)} examples")
    gold = [example.is_positive for example in examples]
    per_language: dict[str, EvaluationReport] = {}
    if by_language:
        for language in sorted({example.language for example in examples}):
            rows = [i for i, example in enumerate(examples) if example.language == language]
            tp, fp, fn, tn = count_confusion(
                [gold[i] for i in rows], [scores[i] for i in rows], threshold
            )
            per_language[language] = EvaluationReport(tp, fp, fn, tn, threshold)
    tp, fp, fn, tn = count_confusion(gold, scores, threshold)
    return EvaluationReport(tp, fp, fn, tn, threshold, by_language=per_language)


def format_report(report: EvaluationReport) -> str:
    """Return a plain-text table of the report, one row overall and one per language."""
    header = (
        f"{'subset':<10} {'n':>6} {'pos':>6} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6}"
        f" {'tp':>5} {'fp':>5} {'fn':>5} {'tn':>5}"
    )
    rows = [("all", report), *report.by_language.items()]
    lines = [f"check-worthiness (positive class), threshold {report.threshold:.3f}", header]
    lines.append("-" * len(header))
    for name, part in rows:
        lines.append(
            f"{name:<10} {part.count:>6} {part.positives:>6} {part.precision:>6.3f}"
            f" {part.recall:>6.3f} {part.f1:>6.3f} {part.accuracy:>6.3f}"
            f" {part.tp:>5} {part.fp:>5} {part.fn:>5} {part.tn:>5}"
        )
    return "\n".join(lines)


# Stance: does an evidence passage contradict a claim? (DACCORD-style pairs)

STANCE_LABELS = ("contradiction", "compatible")
STANCE_REQUIRED_FIELDS = ("id", "text", "evidence", "label")
PREDICTED_STANCES = ("refutes", "supports", "neutral")

StanceFn = Callable[[Sequence[tuple[str, str]]], Sequence[str]]


@dataclass(frozen=True)
class StancePair:
    """One claim with an evidence passage and the gold label: contradiction or compatible."""

    id: str
    claim: str
    evidence: str
    label: str
    topic: str = ""
    group: str = ""

    @property
    def is_contradiction(self) -> bool:
        """True when the gold label says the evidence contradicts the claim."""
        return self.label == "contradiction"


def _check_pair(
    record: dict[str, Any], line_number: int, labels: Sequence[str], texts: Sequence[str]
) -> None:
    """Raise ValueError naming ``line_number`` for an unknown label or an empty text field."""
    if record["label"] not in labels:
        raise ValueError(
            f"line {line_number}: unknown label {record['label']!r} "
            f"(expected one of {', '.join(labels)})"
        )
    for name in texts:
        if not isinstance(record[name], str) or not record[name].strip():
            raise ValueError(f"line {line_number}: field {name} must be a non-empty string")


def parse_stance_line(line: str, line_number: int) -> StancePair:
    """Return the stance pair on one JSON Lines line; raise ValueError naming ``line_number``."""
    record = _read_record(line, line_number, STANCE_REQUIRED_FIELDS)
    _check_pair(record, line_number, STANCE_LABELS, ("text", "evidence"))
    identifier = str(record["id"])
    return StancePair(
        id=identifier,
        claim=record["text"],
        evidence=record["evidence"],
        label=record["label"],
        topic=str(record.get("topic") or ""),
        group=str(record.get("factcheck_url") or identifier),
    )


def load_stance_pairs(path: str | Path) -> list[StancePair]:
    """Return the stance pairs of a JSON Lines file; ValueError names a bad line."""
    with Path(path).open(encoding="utf-8") as lines:
        pairs = [
            parse_stance_line(line, number)
            for number, line in enumerate(lines, start=1)
            if line.strip()
        ]
    if not pairs:
        raise ValueError(f"{path}: no pairs")
    return pairs


@dataclass(frozen=True)
class StanceReport:
    """Confusion of gold labels (contradiction, compatible) with predicted stances.

    A passage predicted to refute counts as a predicted contradiction; supports and neutral
    count as compatible.
    """

    confusion: Mapping[str, Mapping[str, int]]

    @property
    def count(self) -> int:
        """Number of pairs evaluated."""
        return sum(sum(row.values()) for row in self.confusion.values())

    def _binary(self, gold: str, predicted_contradiction: bool) -> int:
        row = self.confusion.get(gold, {})
        if predicted_contradiction:
            return row.get("refutes", 0)
        return row.get("supports", 0) + row.get("neutral", 0)

    @property
    def accuracy(self) -> float:
        """Share of pairs whose contradiction / compatible call is right."""
        right = self._binary("contradiction", True) + self._binary("compatible", False)
        return _divide(right, self.count)

    def f1(self, label: str) -> float:
        """F1 of one gold label, ``contradiction`` or ``compatible``."""
        positive = label == "contradiction"
        other = "compatible" if positive else "contradiction"
        tp = self._binary(label, positive)
        fn = self._binary(label, not positive)
        fp = self._binary(other, positive)
        return _divide(2 * tp, 2 * tp + fp + fn)

    @property
    def macro_f1(self) -> float:
        """Mean of the F1 of both labels."""
        return (self.f1("contradiction") + self.f1("compatible")) / 2


def evaluate_stance(pairs: Sequence[StancePair], stance_fn: StanceFn) -> StanceReport:
    """Predict all ``pairs`` in one call to ``stance_fn`` and count them against the gold labels."""
    predicted = [str(s) for s in stance_fn([(p.claim, p.evidence) for p in pairs])]
    if len(predicted) != len(pairs):
        raise ValueError(f"stance_fn returned {len(predicted)} stances for {len(pairs)} pairs")
    confusion = {label: dict.fromkeys(PREDICTED_STANCES, 0) for label in STANCE_LABELS}
    for pair, stance in zip(pairs, predicted, strict=True):
        if stance not in PREDICTED_STANCES:
            raise ValueError(f"unknown predicted stance {stance!r}")
        confusion[pair.label][stance] += 1
    return StanceReport(confusion)


def format_stance_report(report: StanceReport, title: str = "stance") -> str:
    """Return accuracy, macro-F1, per-label F1 and the confusion matrix as plain text."""
    lines = [
        f"{title}: {report.count} pairs",
        f"accuracy  {report.accuracy:.3f}",
        f"macro-F1  {report.macro_f1:.3f}"
        f"  (contradiction {report.f1('contradiction'):.3f},"
        f" compatible {report.f1('compatible'):.3f})",
        "",
        "gold / predicted".ljust(18) + "".join(f"{s:>10}" for s in PREDICTED_STANCES),
    ]
    for label in STANCE_LABELS:
        row = report.confusion[label]
        lines.append(f"{label:<18}" + "".join(f"{row[s]:>10}" for s in PREDICTED_STANCES))
    lines.append("(refutes = predicted contradiction; supports and neutral = compatible)")
    return "\n".join(lines)


# Figure pairing: are a claim's figure and a passage's figure about the same thing?

QUANTITY_LABELS = ("same", "different")
QUANTITY_REQUIRED_FIELDS = ("id", "claim", "evidence", "label")


@dataclass(frozen=True)
class QuantityPair:
    """A claim sentence and an evidence sentence, and whether their main figures are about the
    same thing."""

    id: str
    claim: str
    evidence: str
    label: str
    claim_language: str = "fr"
    evidence_language: str = "fr"
    reason: str = ""


def parse_quantity_pair(line: str, line_number: int) -> QuantityPair:
    """Return the figure pair on one JSON Lines line; raise ValueError naming ``line_number``."""
    record = _read_record(line, line_number, QUANTITY_REQUIRED_FIELDS)
    _check_pair(record, line_number, QUANTITY_LABELS, ("claim", "evidence"))
    return QuantityPair(
        id=str(record["id"]),
        claim=record["claim"],
        evidence=record["evidence"],
        label=record["label"],
        claim_language=str(record.get("claim_language") or "fr"),
        evidence_language=str(record.get("evidence_language") or "fr"),
        reason=str(record.get("reason") or ""),
    )


def load_quantity_pairs(path: str | Path) -> list[QuantityPair]:
    """Return the figure pairs of a JSON Lines file; ValueError names a bad line."""
    with Path(path).open(encoding="utf-8") as lines:
        return [
            parse_quantity_pair(line, number)
            for number, line in enumerate(lines, start=1)
            if line.strip()
        ]


@dataclass(frozen=True)
class PairingReport:
    """How often a rule compared figures of pairs labelled `same` and `different`."""

    rule: str
    tp: int
    fp: int
    fn: int
    tn: int
    wrong: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        """Share of compared pairs that are about the same thing."""
        return _divide(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """Share of pairs about the same thing that were compared."""
        return _divide(self.tp, self.tp + self.fn)


def evaluate_quantity_pairing(pairs: Sequence[QuantityPair]) -> list[PairingReport]:
    """Score the unit-noun rule (before) and the rule reading context (after) on `pairs`.

    A pair counts as compared when `compare_quantities` returns a comparison.
    """
    from claims.text.quantities import extract_quantities
    from claims.verdicts import compare_quantities

    reports = []
    for rule, with_text in (("unit noun only (before)", False), ("noun and context (after)", True)):
        tp = fp = fn = tn = 0
        wrong: list[str] = []
        for pair in pairs:
            claimed = [q.to_dict() for q in extract_quantities(pair.claim, pair.claim_language)]
            stated = [
                q.to_dict() for q in extract_quantities(pair.evidence, pair.evidence_language)
            ]
            texts = {"claim_text": pair.claim, "passage_text": pair.evidence} if with_text else {}
            compared = compare_quantities(claimed, stated, **texts) is not None
            same = pair.label == "same"
            tp += compared and same
            fp += compared and not same
            fn += same and not compared
            tn += not (compared or same)
            if compared != same:
                what = "compared" if compared else "not compared"
                wrong.append(f"{pair.id} {what}, labelled {pair.label}: {pair.reason}")
        reports.append(PairingReport(rule, tp, fp, fn, tn, tuple(wrong)))
    return reports


def format_pairing_reports(reports: Sequence[PairingReport], *, verbose: bool = False) -> str:
    """Return one line of precision and recall per rule, and with `verbose` its errors."""
    lines = []
    for report in reports:
        lines.append(
            f"{report.rule:<26} precision {report.precision:.3f}  recall {report.recall:.3f}"
            f"  (compared: {report.tp} same, {report.fp} different; missed {report.fn};"
            f" left apart {report.tn})"
        )
        if verbose:
            lines.extend(f"  {note}" for note in report.wrong)
    return "\n".join(lines)
