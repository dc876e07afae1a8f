"""Report rows as CSV (safe to open in a spreadsheet), one JSON array, or JSON Lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import IO, Any

CSV_COLUMNS = (
    "claim_id",
    "document_id",
    "document_title",
    "document_origin",
    "claim",
    "start",
    "end",
    "speaker",
    "time",
    "status",
    "checkworthiness",
    "recurrence",
    "suggested_verdict",
    "confidence",
    "suggestion_rationale",
    "suggestion_reused_from",
    "verdict",
    "verdict_rationale",
    "reviewer",
    "verdict_at",
    "sources",
)
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return `value`, with a leading quote if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def time_cell(time: dict[str, Any] | None) -> str:
    """Return a claim's time as one cell: the words as written, then the ISO value if known."""
    if not time:
        return ""
    return f"{time['text']} ({time['value']})" if time.get("value") else str(time["text"])


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], progress: Callable[[], None]) -> int:
    """Write rows as CSV, neutralising cells a spreadsheet would run as formulas; return count."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for row in rows:
        sources = "; ".join(
            f"{e['source']} ({e['stance']}) {e['url'] or e['path'] or ''}".strip()
            for e in row["evidence"]
        )
        cells = {**row, "time": time_cell(row.get("time")), "sources": sources}
        writer.writerow({k: safe_cell(v) for k, v in cells.items()})
        count += 1
        progress()
    return count


def write_json_array(
    items: Iterable[dict[str, Any]], out: IO[str], progress: Callable[[], None]
) -> int:
    """Write items as one JSON array, one item per line, streamed; return the count."""
    out.write("[")
    count = 0
    for item in items:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(item, ensure_ascii=False))
        count += 1
        progress()
    out.write("\n]\n" if count else "]\n")
    return count


def write_jsonl(items: Iterable[dict[str, Any]], out: IO[str], progress: Callable[[], None]) -> int:
    """Write items as JSON Lines, one object per line; return the count."""
    count = 0
    for item in items:
        out.write(json.dumps(item, ensure_ascii=False))
        out.write("\n")
        count += 1
        progress()
    return count
