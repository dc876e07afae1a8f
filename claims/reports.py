"""Verdict reports: one row per claim with its suggestion, verdict and evidence, as CSV or JSON.

Rows are streamed from the database in batches so that a large export keeps memory flat.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from claims.errors import InvalidInputError
from claims.models import Claim, ClaimStatus, Evidence, Passage

FORMATS = ("csv", "json")
CSV_COLUMNS = (
    "claim_id",
    "document_id",
    "document_title",
    "document_origin",
    "claim",
    "start",
    "end",
    "speaker",
    "status",
    "checkworthiness",
    "suggested_verdict",
    "confidence",
    "suggestion_rationale",
    "verdict",
    "verdict_rationale",
    "reviewer",
    "verdict_at",
    "sources",
)
_BATCH = 500
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def iter_report_rows(
    session: Session, *, document_id: int | None = None, status: str | None = None
) -> Iterator[dict[str, Any]]:
    """Yield one report row per claim, in document and text order."""
    query = (
        select(Claim)
        .options(
            selectinload(Claim.document),
            selectinload(Claim.suggestions),
            selectinload(Claim.verdict_by),
            selectinload(Claim.evidence)
            .selectinload(Evidence.passage)
            .selectinload(Passage.source),
        )
        .order_by(Claim.document_id, Claim.start, Claim.id)
    )
    if document_id is not None:
        query = query.where(Claim.document_id == document_id)
    if status is not None:
        try:
            query = query.where(Claim.status == ClaimStatus(status))
        except ValueError:
            raise InvalidInputError(
                f"unknown status {status!r}; use one of {', '.join(s.value for s in ClaimStatus)}"
            ) from None
    last_id: tuple[int, int, int] | None = None
    while True:
        # Keyset pagination: each batch is a fresh, small query, so memory stays flat.
        page = query
        if last_id is not None:
            doc, start, cid = last_id
            page = page.where(
                (Claim.document_id > doc)
                | ((Claim.document_id == doc) & (Claim.start > start))
                | ((Claim.document_id == doc) & (Claim.start == start) & (Claim.id > cid))
            )
        claims = session.scalars(page.limit(_BATCH)).all()
        if not claims:
            return
        for claim in claims:
            yield claim_row(claim)
        last = claims[-1]
        last_id = (last.document_id, last.start, last.id)
        session.expunge_all()


def claim_row(claim: Claim) -> dict[str, Any]:
    """Return the report row of one claim."""
    suggestion = claim.suggestion
    return {
        "claim_id": claim.id,
        "document_id": claim.document_id,
        "document_title": claim.document.title,
        "document_origin": claim.document.origin,
        "claim": claim.text,
        "start": claim.start,
        "end": claim.end,
        "speaker": claim.speaker,
        "status": claim.status.value,
        "checkworthiness": round(claim.checkworthiness, 3),
        "quantities": claim.quantities,
        "suggested_verdict": suggestion.verdict.value if suggestion else None,
        "confidence": suggestion.confidence if suggestion else None,
        "suggestion_rationale": suggestion.rationale if suggestion else None,
        "verdict": claim.verdict.value if claim.verdict else None,
        "verdict_rationale": claim.verdict_rationale,
        "reviewer": claim.verdict_by.username if claim.verdict_by else None,
        "verdict_at": claim.verdict_at.isoformat() if claim.verdict_at else None,
        "evidence": [
            {
                "source": e.passage.source.title,
                "url": e.passage.source.url,
                "path": e.passage.source.path,
                "snippet": e.snippet,
                "stance": e.stance.value,
                "score": e.score,
                "number_match": e.number_match,
            }
            for e in claim.evidence
        ],
    }


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: Iterator[dict[str, Any]], out: IO[str], progress: Callable[[], None]) -> int:
    """Write rows as CSV, neutralising cells a spreadsheet would run as formulas; return count."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        sources = "; ".join(
            f"{e['source']} ({e['stance']}) {e['url'] or e['path'] or ''}".strip()
            for e in row["evidence"]
        )
        writer.writerow({k: _safe_cell(v) for k, v in {**row, "sources": sources}.items()})
        count += 1
        progress()
    return count


def write_json(rows: Iterator[dict[str, Any]], out: IO[str], progress: Callable[[], None]) -> int:
    """Write rows as one JSON array, streamed; return the count."""
    out.write("[")
    count = 0
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
        progress()
    out.write("\n]\n" if count else "]\n")
    return count


WRITERS: dict[str, Callable[[Iterator[dict[str, Any]], IO[str], Callable[[], None]], int]] = {
    "csv": write_csv,
    "json": write_json,
}


def export_report(
    session: Session,
    out: IO[str],
    *,
    fmt: str,
    document_id: int | None = None,
    status: str | None = None,
    progress: Callable[[], None] = lambda: None,
) -> int:
    """Write the verdict report in format `fmt` to `out`; return the number of claims."""
    writer = WRITERS.get(fmt)
    if writer is None:
        raise InvalidInputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return writer(iter_report_rows(session, document_id=document_id, status=status), out, progress)
