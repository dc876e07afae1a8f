"""Export benchmark: time and peak memory of each report format over many claims.

Fills a temporary SQLite database with N claims (default 100,000, in documents of 100 claims,
half of them with a verdict), then exports every format to a sink that only counts bytes. The
baseline, measured in the same run, is a plain SELECT of the same rows: each format is reported
as a ratio to it. Peak memory is the Python heap peak (tracemalloc) of a second run, so that the
time is not slowed by tracing.

    .venv/bin/python bench/bench_export.py [--claims 100000] [--pdf-claims 1000]
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from claims.db import get_engine, upgrade_database
from claims.models import Claim, Document, User
from claims.reports import export_report

PER_DOCUMENT = 100
SENTENCE = (
    "The ministry said that {n} people crossed the border in week {w}, up {p}% on last year. "
)
RATINGS = ["true", "mostly-true", "mixed", "mostly-false", "false", "unverifiable"]


class CountingSink:
    """A stream that keeps only the number of characters or bytes written."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: Any) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def fill(engine: Any, claims: int) -> None:
    now = datetime.now(UTC)
    with Session(engine) as session:
        session.execute(
            insert(User),
            [
                {
                    "id": 1,
                    "username": "reviewer1",
                    "password_hash": "!",
                    "role": "reviewer",
                    "active": True,
                    "created_at": now,
                }
            ],
        )
        documents = -(-claims // PER_DOCUMENT)
        claim_id = 0
        for d in range(documents):
            sentences = [
                SENTENCE.format(n=1000 + i, w=i % 52, p=i % 90) for i in range(PER_DOCUMENT)
            ]
            text = "\n\n".join(sentences)
            session.execute(
                insert(Document),
                [
                    {
                        "id": d + 1,
                        "title": f"Report {d + 1}",
                        "origin": f"https://news.example.org/{d + 1}",
                        "language": "en",
                        "date": "2024-03",
                        "text": text,
                        "sha256": hashlib.sha256(f"{d}".encode()).hexdigest(),
                        "created_at": now,
                    }
                ],
            )
            rows = []
            position = 0
            for i, sentence in enumerate(sentences):
                if claim_id >= claims:
                    break
                claim_id += 1
                reviewed = claim_id % 2 == 0
                rows.append(
                    {
                        "id": claim_id,
                        "document_id": d + 1,
                        "text": sentence.strip(),
                        "start": position,
                        "end": position + len(sentence.strip()),
                        "sentence": sentence.strip(),
                        "language": "en",
                        "checkworthiness": 0.7,
                        "reasons": [],
                        "quantities": [],
                        "entities": [],
                        "speaker": ["the ministry", "Jane Roe", None][i % 3],
                        "hedged": False,
                        "claim_type": "other",
                        "status": "verified" if reviewed else "needs_review",
                        "version": 2 if reviewed else 1,
                        "verdict": RATINGS[i % len(RATINGS)] if reviewed else None,
                        "verdict_rationale": "Matches the official count." if reviewed else None,
                        "verdict_by_id": 1 if reviewed else None,
                        "verdict_at": now if reviewed else None,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                position += len(sentence) + 1
            session.execute(insert(Claim), rows)
        session.commit()


def baseline(engine: Any, sink: CountingSink) -> int:
    count = 0
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=1000).execute(select(Claim.__table__))
        for row in result:
            sink.write(repr(tuple(row)))
            count += 1
    return count


def measure(run: Callable[[], int]) -> tuple[float, float, int]:
    started = time.perf_counter()
    count = run()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--pdf-claims", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = get_engine(f"sqlite:///{Path(tmp) / 'big.db'}")
        small = get_engine(f"sqlite:///{Path(tmp) / 'small.db'}")
        for engine, n in ((big, args.claims), (small, args.pdf_claims)):
            upgrade_database(engine)
            started = time.perf_counter()
            fill(engine, n)
            print(f"filled {n:,} claims in {time.perf_counter() - started:.1f} s")

        def exporter(engine: Any, fmt: str) -> Callable[[], int]:
            def run() -> int:
                sink = CountingSink()
                with Session(engine) as session:
                    return export_report(session, sink, fmt=fmt)  # type: ignore[arg-type]

            return run

        print(
            f"\n{'what':<24}{'claims':>9}{'seconds':>10}{'x base':>9}{'peak MiB':>10}{'x base':>9}"
        )
        for engine, n, formats in (
            (big, args.claims, ["csv", "json", "jsonl", "claimreview", "html"]),
            (small, args.pdf_claims, ["html", "pdf"]),
        ):
            base_s, base_m, _ = measure(lambda e=engine: baseline(e, CountingSink()))
            label = "baseline: raw SELECT"
            print(f"{label:<24}{n:>9,}{base_s:>10.2f}{1:>9.1f}{base_m:>10.1f}{1:>9.1f}")
            for fmt in formats:
                seconds, peak, count = measure(exporter(engine, fmt))
                print(
                    f"{fmt:<24}{count:>9,}{seconds:>10.2f}{seconds / base_s:>9.1f}"
                    f"{peak:>10.1f}{peak / base_m:>9.1f}"
                )
            print()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS over the whole run: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
