"""How fast the review queue renders at 100,000 claims: page 1, a deep page, a status filter and a
full-text search, each as a full HTTP request through the app (login, query, template).

The baseline, measured in the same run on the same database, is a plain `SELECT count(*) FROM
claims`; every figure is also printed as a ratio to it. OFFSET paging at the same depth is shown
for comparison with the keyset paging the queue uses.

    .venv/bin/python bench/bench_queue.py [--claims 100000] [--repeat 5] [--postgres URL]

With --postgres, the same run is made on a fresh PostgreSQL database created next to URL's.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select, text

from claims.accounts import create_user
from claims.config import Settings
from claims.db import get_engine, session_scope, upgrade_database
from claims.models import Claim, ClaimStatus, Document
from claims.recurrence import queue_score
from claims.review import QUEUE_ORDER, Cursor
from web.app import create_app

WORDS = (
    "unemployment fell rose percent budget schools minister border russians kazakhstan "
    "mobilisation reservists flights tickets georgia finland norway crossing decree official"
).split()
# A vocabulary large enough that a search selects a few hundred claims, as in real news text.
VOCABULARY = [*WORDS, *(f"term{i}" for i in range(3000))]
PASSWORD = "bench-password-123"


def fill(engine: Any, claims: int, per_document: int = 100) -> None:
    """Store `claims` claims spread over documents, with mixed statuses and scores."""
    rng = random.Random(7)
    statuses = [s.value for s in ClaimStatus]
    weights = [5, 1, 40, 10, 20, 15, 4, 5]
    with session_scope(engine) as session:
        create_user(session, "bench", PASSWORD, "editor")
        documents = -(-claims // per_document)
        session.execute(
            insert(Document),
            [
                {
                    "title": f"Document {d}",
                    "origin": f"bench-{d}.txt",
                    "language": "en",
                    "text": "x" * 200,
                    "sha256": uuid.uuid4().hex * 2,
                }
                for d in range(documents)
            ],
        )
        ids = session.scalars(select(Document.id).order_by(Document.id)).all()
        batch: list[dict[str, Any]] = []
        for n in range(claims):
            words = " ".join(rng.choice(VOCABULARY) for _ in range(12))
            worth = round(rng.random(), 3)
            # Most claims are seen once; some recur, which raises their rank in the queue.
            seen = rng.choices([1, 2, 4], weights=[90, 7, 3])[0]
            batch.append(
                {
                    "document_id": ids[n // per_document],
                    "text": f"Claim {n}: {words}.",
                    "start": (n % per_document) * 2,
                    "end": (n % per_document) * 2 + 1,
                    "sentence": words,
                    "language": "en",
                    "checkworthiness": worth,
                    "recurrence": seen,
                    "queue_score": queue_score(worth, seen),
                    "priority": rng.choices([0, 1, 2, -1], weights=[90, 6, 2, 2])[0],
                    "status": rng.choices(statuses, weights=weights)[0],
                    "speaker": rng.choice([None, "the minister", "officials", "the mayor"]),
                    "reasons": [],
                    "quantities": [],
                    "entities": [],
                }
            )
            if len(batch) == 5000:
                session.execute(insert(Claim), batch)
                batch = []
        if batch:
            session.execute(insert(Claim), batch)


def timed(action: Callable[[], Any], repeat: int) -> float:
    """Median wall time of `action` in milliseconds (after one warm-up run)."""
    action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def run(settings: Settings, claims: int, repeat: int, label: str) -> None:
    engine = get_engine(settings.database_url)
    upgrade_database(engine)
    started = time.perf_counter()
    fill(engine, claims)
    print(f"\n{label}: {claims:,} claims stored in {time.perf_counter() - started:.1f} s")
    app = create_app(settings)
    client = app.test_client()
    page = client.get("/login").text
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.status_code

    depth = claims - 60
    with engine.connect() as connection:
        row = connection.execute(
            select(Claim.priority, Claim.queue_score, Claim.id)
            .order_by(*QUEUE_ORDER)
            .offset(depth - 1)
            .limit(1)
        ).one()
    deep_cursor = Cursor(row[0], row[1], row[2]).encode()

    def get(url: str) -> Callable[[], None]:
        def fetch() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return fetch

    def count_all() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM claims")).scalar()

    def offset_page() -> None:
        with engine.connect() as connection:
            connection.execute(
                select(Claim.id).order_by(*QUEUE_ORDER).offset(depth).limit(50)
            ).all()

    with engine.connect() as connection:
        matches = connection.execute(
            select(func.count(Claim.id)).where(
                Claim.text.contains("unemployment"), Claim.text.contains("minister")
            )
        ).scalar()
    baseline = timed(count_all, repeat)
    figures = {
        "page 1 (GET /claims)": timed(get("/claims"), repeat),
        f"deep page, after claim #{depth:,} (keyset)": timed(
            get(f"/claims?after={deep_cursor}"), repeat
        ),
        "status filter, page 1 (needs review)": timed(get("/claims?status=needs_review"), repeat),
        f"full-text search 'unemployment minister' ({matches} hits)": timed(
            get("/claims?q=unemployment+minister"), repeat
        ),
        f"for comparison: OFFSET {depth:,} query alone": timed(offset_page, repeat),
    }
    print(f"{'baseline: SELECT count(*) FROM claims':52} {baseline:9.1f} ms   1.0x")
    for name, ms in figures.items():
        print(f"{name:52} {ms:9.1f} ms {ms / baseline:6.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", metavar="URL", help="also run on PostgreSQL (admin URL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({"CLAIMTRACK_DATA_DIR": tmp}).prepared()
        run(settings, args.claims, args.repeat, "SQLite")
        if args.postgres:
            name = f"claimtrack_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
            try:
                env = {
                    "CLAIMTRACK_DATA_DIR": str(Path(tmp) / "pg"),
                    "CLAIMTRACK_DATABASE_URL": url,
                    "CLAIMTRACK_SECRET_KEY": "bench-only-secret",
                }
                run(Settings.from_env(env).prepared(), args.claims, args.repeat, "PostgreSQL")
            finally:
                get_engine(url).dispose()
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
