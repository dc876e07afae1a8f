"""Benchmark: claims checked against remote providers that each answer after 200 ms.

Two local HTTP servers on loopback stand in for the MediaWiki API and the Fact Check Tools API;
each answer takes 200 ms. Checks run on N threads (as N worker slots would), each check asking
both providers concurrently. Printed: claims per second, and the ratio of the ideal time
(claims x 0.2 s / concurrency, i.e. a claim costs its slowest provider) to the measured time.
A baseline measured in the same run: one claim at a time, which should cost about 0.2 s, not
the 0.4 s of asking the two providers one after the other.

    .venv/bin/python bench/bench_providers.py [--claims 200] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from claims import checking
from claims.config import Settings
from claims.db import get_engine, session_scope, upgrade_database
from claims.evidence import evidence_config
from claims.models import Claim, ClaimStatus, Document

LATENCY = 0.2


class SlowProvider(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(LATENCY)
        if self.path.startswith("/w/api.php"):
            payload: dict = {
                "query": {
                    "pages": [
                        {
                            "pageid": 1,
                            "index": 1,
                            "title": "Reservists",
                            "extract": "About 300,000 reservists were called up in 2022.",
                            "fullurl": "http://wiki.test/wiki/Reservists",
                        }
                    ]
                }
            }
        else:
            payload = {"claims": []}
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowProvider)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def make_claims(engine, count: int, tag: str) -> list[int]:  # type: ignore[no-untyped-def]
    ids = []
    with session_scope(engine) as session:
        for i in range(count):
            # Distinct texts, so that no answer comes from the provider cache.
            text = f"Claim {tag} {i}: about {300000 + i} reservists were called up in 2022."
            document = Document(
                title=tag, origin="bench", language="en", text=text, sha256=f"{tag}-{i}"
            )
            document.claims.append(
                Claim(
                    text=text,
                    start=0,
                    end=len(text),
                    sentence=text,
                    language="en",
                    checkworthiness=0.9,
                    quantities=[
                        {"value": 300000.0 + i, "unit": None, "approximate": True, "text": "x"}
                    ],
                    entities=["Russia"],
                    status=ClaimStatus.CHECKING,
                )
            )
            session.add(document)
            session.flush()
            ids.append(document.claims[0].id)
    return ids


def run(engine, config, ids: list[int], concurrency: int) -> float:  # type: ignore[no-untyped-def]
    def check(claim_id: int) -> None:
        with session_scope(engine) as session:
            checking.check_claim(session, claim_id, config)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(check, ids))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--baseline-claims", type=int, default=10)
    args = parser.parse_args()

    base = serve()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(
            {
                "CLAIMTRACK_DATA_DIR": tmp,
                "CLAIMTRACK_PROVIDERS": "library,mediawiki,factcheck_api",
                "CLAIMTRACK_MEDIAWIKI_URL": f"{base}/w/api.php",
                "CLAIMTRACK_FACTCHECK_API_URL": f"{base}/v1alpha1/claims:search",
                "CLAIMTRACK_FACTCHECK_API_KEY": "bench",
                "CLAIMTRACK_PROVIDER_RATE": "0",
            }
        ).prepared()
        engine = get_engine(settings.database_url)
        upgrade_database(engine)
        config = evidence_config(settings)

        baseline_ids = make_claims(engine, args.baseline_claims, "baseline")
        baseline = run(engine, config, baseline_ids, 1) / len(baseline_ids)
        ids = make_claims(engine, args.claims, "bench")
        elapsed = run(engine, config, ids, args.concurrency)
        with session_scope(engine) as session:
            failed = sum(
                1
                for claim in session.scalars(select(Claim).where(Claim.id.in_(ids)))
                for info in (claim.suggestion.providers if claim.suggestion else {}).values()
                if info.get("status") != "ok"
            )

    ideal = args.claims * LATENCY / args.concurrency
    print(f"providers: 2 remote, each answering after {LATENCY * 1000:.0f} ms (+ the library)")
    print(
        f"baseline, one claim at a time: {baseline:.3f} s per claim "
        f"({baseline / LATENCY:.2f} x the slowest provider; asked in turn it would be 2 x)"
    )
    print(
        f"{args.claims} claims, concurrency {args.concurrency}: {elapsed:.2f} s, "
        f"{args.claims / elapsed:.1f} claims/s"
    )
    print(
        f"ideal (claims x {LATENCY} s / concurrency): {ideal:.2f} s; "
        f"ideal / measured = {ideal / elapsed:.2f}"
    )
    print(f"provider failures: {failed}")


if __name__ == "__main__":
    main()
