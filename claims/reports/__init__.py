"""Verdict reports: CSV, JSON, JSON Lines, ClaimReview JSON-LD, and a readable HTML or PDF report.

Claims are read from the database in batches and written as they come, so a large export keeps
memory flat (the PDF, laid out as a whole, is the exception: make it per document).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from sqlalchemy.orm import Session

from claims.errors import InvalidInputError
from claims.reports.claimreview import Publisher, write_claim_reviews
from claims.reports.readable import write_html, write_pdf
from claims.reports.rows import claim_row, iter_claims, iter_report_rows
from claims.reports.tabular import CSV_COLUMNS, write_csv, write_json_array, write_jsonl

FORMATS = ("csv", "json", "jsonl", "claimreview", "html", "pdf")
BINARY_FORMATS = frozenset({"pdf"})
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/jsonl",
    "claimreview": "application/ld+json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
EXTENSIONS = {
    "csv": "csv",
    "json": "json",
    "jsonl": "jsonl",
    "claimreview": "claimreview.jsonld",
    "html": "html",
    "pdf": "pdf",
}

__all__ = [
    "BINARY_FORMATS",
    "CSV_COLUMNS",
    "EXTENSIONS",
    "FORMATS",
    "MEDIA_TYPES",
    "Publisher",
    "check_format",
    "claim_row",
    "export_report",
    "iter_claims",
    "iter_report_rows",
]


def check_format(fmt: str) -> str:
    """Return `fmt` if it is a report format, else raise InvalidInputError listing them."""
    if fmt not in FORMATS:
        raise InvalidInputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return fmt


def export_report(
    session: Session,
    out: IO[Any],
    *,
    fmt: str,
    document_id: int | None = None,
    status: str | None = None,
    progress: Callable[[], None] = lambda: None,
    publisher: Publisher | None = None,
) -> int:
    """Write the verdict report in format `fmt` to `out` (a binary stream for PDF, text for the
    others); return the number of claims (for ClaimReview: of verdicts) written."""
    check_format(fmt)
    publisher = publisher or Publisher()
    if fmt in {"csv", "json", "jsonl"}:
        rows = iter_report_rows(session, document_id=document_id, status=status)
        writer = {"csv": write_csv, "json": write_json_array, "jsonl": write_jsonl}[fmt]
        return writer(rows, out, progress)
    if fmt == "claimreview":
        reviewed = iter_claims(session, document_id=document_id, status=status, reviewed_only=True)
        return write_claim_reviews(reviewed, out, publisher, progress)
    claims = iter_claims(session, document_id=document_id, status=status)
    if fmt == "html":
        return write_html(claims, out, progress)
    return write_pdf(claims, out, progress)
