"""The readable report: per document, its text with the claims marked and numbered, a table of
claims with verdict, rationale and sources, charts of verdicts by status and by speaker, the date
and the reviewers. Written as one self-contained HTML file (inline SVG charts, no scripts), and as
PDF through WeasyPrint.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

from claims.db import utcnow
from claims.models import Claim, ClaimStatus, Rating
from claims.reports.claimreview import RATING_NAMES
from claims.reports.rows import evidence_source

TEMPLATES = Path(__file__).with_name("templates")
NO_VERDICT = "none"
VERDICT_COLOURS = {
    Rating.TRUE.value: "#1a7f37",
    Rating.MOSTLY_TRUE.value: "#6cb56f",
    Rating.MIXED.value: "#c9a227",
    Rating.MOSTLY_FALSE.value: "#dd7a36",
    Rating.FALSE.value: "#c62a34",
    Rating.UNVERIFIABLE.value: "#7a5cc4",
    NO_VERDICT: "#aab2bd",
}
VERDICT_LABELS = {**{r.value: RATING_NAMES[r] for r in Rating}, NO_VERDICT: "No verdict yet"}
MAX_SPEAKERS = 10
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@dataclass(slots=True)
class ReportClaim:
    number: int
    id: int
    text: str
    start: int
    end: int
    speaker: str | None
    status: str
    verdict: str
    rationale: str | None
    reviewer: str | None
    verdict_at: datetime | None
    sources: list[dict[str, str | None]]


@dataclass(slots=True)
class ReportDocument:
    id: int
    title: str
    origin: str
    date: str | None
    language: str
    text: str
    claims: list[ReportClaim] = field(default_factory=list)

    @property
    def reviewers(self) -> list[str]:
        return sorted({c.reviewer for c in self.claims if c.reviewer})


def _report_claim(claim: Claim, number: int) -> ReportClaim:
    return ReportClaim(
        number=number,
        id=claim.id,
        text=claim.text,
        start=claim.start,
        end=claim.end,
        speaker=claim.speaker,
        status=claim.status.value,
        verdict=claim.verdict.value if claim.verdict else NO_VERDICT,
        rationale=claim.verdict_rationale,
        reviewer=claim.verdict_by.username if claim.verdict_by else None,
        verdict_at=claim.verdict_at,
        sources=[
            {
                "title": source["source"],
                "url": source["url"],
                "stance": e.stance.value,
            }
            for e in claim.evidence
            for source in [evidence_source(e)]
        ],
    )


def group_documents(claims: Iterable[Claim]) -> Iterator[ReportDocument]:
    """Group claims (in document order) into report documents, one document in memory at once."""
    current: ReportDocument | None = None
    for claim in claims:
        if current is None or current.id != claim.document_id:
            if current is not None:
                yield current
            document = claim.document
            current = ReportDocument(
                id=document.id,
                title=document.title or f"Document {document.id}",
                origin=document.origin,
                date=document.date,
                language=document.language,
                text=document.text,
            )
        current.claims.append(_report_claim(claim, len(current.claims) + 1))
    if current is not None:
        yield current


def marked_paragraphs(
    text: str, claims: list[ReportClaim]
) -> list[list[tuple[str, ReportClaim | None, bool]]]:
    """Cut `text` into paragraphs of (piece, claim or None, first piece of the claim)."""
    spans: list[tuple[int, int, ReportClaim]] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: (c.start, c.end)):
        start, end = max(claim.start, cursor, 0), min(claim.end, len(text))
        if end > start:
            spans.append((start, end, claim))
            cursor = end
    bounds: list[tuple[int, int]] = []
    position = 0
    for separator in _PARAGRAPH_BREAK.finditer(text):
        if separator.start() > position:
            bounds.append((position, separator.start()))
        position = separator.end()
    if position < len(text):
        bounds.append((position, len(text)))
    started: set[int] = set()
    paragraphs = []
    for p_start, p_end in bounds:
        pieces: list[tuple[str, ReportClaim | None, bool]] = []
        position = p_start
        for s_start, s_end, claim in spans:
            if s_end <= position or s_start >= p_end:
                continue
            if s_start > position:
                pieces.append((text[position:s_start], None, False))
            piece_end = min(s_end, p_end)
            pieces.append(
                (text[max(s_start, position) : piece_end], claim, claim.id not in started)
            )
            started.add(claim.id)
            position = piece_end
        if position < p_end:
            pieces.append((text[position:p_end], None, False))
        paragraphs.append(pieces)
    return paragraphs


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    segments: list[tuple[str, int, float, float]]  # verdict, count, x, width
    total: int
    y: float


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    legend: list[tuple[str, str, str]]  # verdict, label, colour
    legend_y: float


def stacked_chart(title: str, rows: list[tuple[str, Counter[str]]]) -> Chart:
    """Lay out a horizontal stacked bar chart of verdict counts, one bar per row."""
    label_width, bar_area, bar_height, gap = 190, 360, 18, 8
    largest = max((sum(c.values()) for _, c in rows), default=0) or 1
    bars = []
    y = 28.0
    for label, counts in rows:
        x = float(label_width)
        segments = []
        for verdict in VERDICT_COLOURS:
            n = counts.get(verdict, 0)
            if n:
                width = bar_area * n / largest
                segments.append((verdict, n, x, width))
                x += width
        bars.append(Bar(label, segments, sum(counts.values()), y))
        y += bar_height + gap
    used = [v for v in VERDICT_COLOURS if any(c.get(v) for _, c in rows)]
    legend = [(v, VERDICT_LABELS[v], VERDICT_COLOURS[v]) for v in used]
    legend_y = y + 6
    height = int(legend_y + 18 * ((len(legend) + 2) // 3) + 6)
    return Chart(title, bars, label_width + bar_area + 50, height, label_width, legend, legend_y)


def document_charts(document: ReportDocument) -> list[Chart]:
    """The two charts of a document: verdicts by status, and verdicts by speaker."""
    by_status: dict[str, Counter[str]] = {}
    by_speaker: dict[str, Counter[str]] = {}
    for claim in document.claims:
        by_status.setdefault(claim.status, Counter())[claim.verdict] += 1
        by_speaker.setdefault(claim.speaker or "(no speaker)", Counter())[claim.verdict] += 1
    status_rows = [
        (s.value.replace("_", " "), by_status[s.value]) for s in ClaimStatus if s.value in by_status
    ]
    speakers = sorted(by_speaker.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    if len(speakers) > MAX_SPEAKERS:
        rest: Counter[str] = Counter()
        for _, counts in speakers[MAX_SPEAKERS - 1 :]:
            rest.update(counts)
        speakers = [*speakers[: MAX_SPEAKERS - 1], ("(other speakers)", rest)]
    return [
        stacked_chart("Verdicts by status", status_rows),
        stacked_chart("Verdicts by speaker", speakers),
    ]


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["utc"] = lambda v: v.strftime("%Y-%m-%d %H:%M UTC") if v else ""
    environment.filters["short"] = lambda v, n=120: v if len(v) <= n else v[: n - 1] + "…"
    environment.globals.update(
        verdict_labels=VERDICT_LABELS,
        verdict_colours=VERDICT_COLOURS,
        marked_paragraphs=marked_paragraphs,
        document_charts=document_charts,
    )
    return environment


def write_html(
    claims: Iterable[Claim],
    out: IO[str],
    progress: Callable[[], None],
    *,
    title: str = "Verdict report",
    generated_at: datetime | None = None,
) -> int:
    """Write the readable report as one HTML file, a document at a time; return the claim count."""
    environment = _environment()
    generated_at = generated_at or utcnow()
    count = 0

    def sections() -> Iterator[ReportDocument]:
        nonlocal count
        for document in group_documents(claims):
            count += len(document.claims)
            for _ in document.claims:
                progress()
            yield document

    template = environment.get_template("report.html")
    for chunk in template.generate(title=title, generated_at=generated_at, documents=sections()):
        out.write(chunk)
    return count


def write_pdf(
    claims: Iterable[Claim],
    out: IO[bytes],
    progress: Callable[[], None],
    *,
    title: str = "Verdict report",
    generated_at: datetime | None = None,
) -> int:
    """Write the readable report as PDF; return the claim count."""
    import io

    from weasyprint import HTML

    html = io.StringIO()
    count = write_html(claims, html, progress, title=title, generated_at=generated_at)
    HTML(string=html.getvalue()).write_pdf(out)
    return count
