"""A remote stand-in on 127.0.0.1 that speaks the providers' protocols (MediaWiki API, Fact Check
Tools `claims:search`, a ClaimReview feed, plain web pages) and misbehaves on request."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy.engine import Engine

from claims.config import Settings
from claims.db import get_engine, session_scope, upgrade_database
from claims.evidence.http import HOSTS
from claims.models import Claim, ClaimStatus, Document
from tests.conftest import ROOT, base_env

SEED_FEED = ROOT / "seeds" / "factchecks" / "sample_claimreview.json"
CLAIM_TEXT = (
    "Selon le ministère de l'Intérieur du Kazakhstan, environ 98 000 Russes sont entrés "
    "au Kazakhstan depuis le 21 septembre."
)
WIKI_EXTRACT = (
    "The 2022 Russian mobilization led to an exodus of Russian citizens. According to "
    "the Interior Ministry of Kazakhstan, 98,000 Russians entered Kazakhstan in the week "
    "after the mobilization was announced on 21 September."
)
ARTICLE = """<html><head><title>Border figures</title></head><body>
<nav>Home | News | Contact</nav>
<article><h1>Border figures</h1>
<p>The Interior Ministry of Kazakhstan said on 27 September that 98,000 Russians had entered
the country since 21 September, when the mobilisation was announced in Russia.</p>
<p>Officials added that 64,000 Russians had left Kazakhstan over the same period, and that
the border posts were working around the clock to process the arrivals.</p>
</article><footer>Sample page for tests</footer></body></html>"""


@dataclass
class Remote:
    """The server's behaviour, chosen by the test, and what it was asked."""

    base: str = ""
    mode: str = "ok"  # how to answer: see Handler.do_GET
    hits: list[tuple[float, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def wiki_url(self) -> str:
        return f"{self.base}/w/api.php"

    @property
    def factcheck_url(self) -> str:
        return f"{self.base}/v1alpha1/claims:search"

    def paths(self) -> list[str]:
        return [path for _, path in self.hits]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: RemoteServer

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, payload: object) -> None:
        self._send(200, json.dumps(payload).encode(), "application/json; charset=utf-8")

    def do_GET(self) -> None:
        remote = self.server.remote
        parts = urlsplit(self.path)
        with remote.lock:
            remote.hits.append((time.monotonic(), self.path))
            count = remote.counts[parts.path] = remote.counts.get(parts.path, 0) + 1
        mode = remote.mode
        if parts.path == "/moved":
            self._send(302, b"", "text/plain", Location="/page.html")
            return
        if parts.path == "/missing":
            self._send(404, b"gone", "text/plain")
            return
        if mode == "slow":
            time.sleep(5)
        elif mode == "drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(1000):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)
            return
        elif mode == "429" or (mode == "429-once" and count == 1):
            self._send(429, b"slow down", "text/plain", Retry_After="60" if mode == "429" else "1")
            return
        elif mode == "503" or (mode == "503-once" and count == 1):
            self._send(503, b"down", "text/plain")
            return
        elif mode == "malformed":
            self._send(200, b'{"query": {"pages": [', "application/json")
            return
        elif mode == "wrong-type":
            self._send(200, b"<html><body>Maintenance</body></html>", "text/html")
            return
        elif mode == "big":
            self._send(200, b"[" + b" " * 300_000 + b"]", "application/json")
            return
        elif mode == "bomb":
            body = gzip.compress(b" " * 20_000_000)
            self._send(200, body, "application/json", Content_Encoding="gzip")
            return
        elif mode == "loop":
            self._send(302, b"", "text/plain", Location=self.path)
            return
        elif mode == "private":
            # localhost resolves to a loopback address the operator did not configure.
            port = self.server.server_address[1]
            self._send(302, b"", "text/plain", Location=f"http://localhost:{port}{self.path}")
            return
        self._answer(parts.path, parse_qs(parts.query))

    def _answer(self, path: str, query: dict[str, list[str]]) -> None:
        if path == "/w/api.php":
            if query.get("generator") != ["search"] or not query.get("gsrsearch"):
                self._json({"error": {"code": "badquery", "info": "no search given"}})
                return
            self._json(
                {
                    "batchcomplete": True,
                    "query": {
                        "pages": [
                            {
                                "pageid": 7,
                                "title": "Russian emigration after the 2022 mobilization",
                                "index": 1,
                                "extract": WIKI_EXTRACT,
                                "fullurl": f"{self.server.remote.base}/wiki/Emigration",
                            }
                        ]
                    },
                }
            )
        elif path == "/v1alpha1/claims:search":
            if query.get("key") != ["test-key"]:
                self._send(403, b'{"error": "bad key"}', "application/json")
                return
            self._json(
                {
                    "claims": [
                        {
                            "text": "98,000 Russians entered Kazakhstan after the mobilization",
                            "claimant": "Kazakh Interior Ministry",
                            "claimDate": "2022-09-27T00:00:00Z",
                            "claimReview": [
                                {
                                    "publisher": {"name": "Sample Checkers", "site": "example.org"},
                                    "url": "https://example.org/checks/98000",
                                    "title": "Yes, 98,000 Russians entered Kazakhstan",
                                    "reviewDate": "2022-09-29T00:00:00Z",
                                    "textualRating": "True",
                                    "languageCode": "en",
                                }
                            ],
                        }
                    ]
                }
            )
        elif path == "/feed.json":
            self._send(200, SEED_FEED.read_bytes(), "application/ld+json")
        elif path == "/page.html":
            self._send(200, ARTICLE.encode(), "text/html; charset=utf-8")
        else:
            self._send(404, b"not here", "text/plain")


class RemoteServer(ThreadingHTTPServer):
    daemon_threads = True
    remote: Remote

    def handle_error(self, request: object, client_address: object) -> None:
        # A client hanging up on a drip or a bomb is the point of those modes.
        pass


@pytest.fixture
def remote() -> Iterator[Remote]:
    server = RemoteServer(("127.0.0.1", 0), Handler)
    server.remote = Remote(base=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    HOSTS.forget()
    yield server.remote
    server.shutdown()
    server.server_close()
    HOSTS.forget()


def provider_settings(data_dir: Path, remote: Remote, **extra: str) -> Settings:
    """Settings pointing the remote providers at the test server, with short limits."""
    defaults = {
        "CLAIMTRACK_PROVIDERS": "library,factchecks,mediawiki,factcheck_api",
        "CLAIMTRACK_MEDIAWIKI_URL": remote.wiki_url,
        "CLAIMTRACK_FACTCHECK_API_URL": remote.factcheck_url,
        "CLAIMTRACK_FACTCHECK_API_KEY": "test-key",
        "CLAIMTRACK_PROVIDER_TIMEOUT": "1",
        "CLAIMTRACK_PROVIDER_DEADLINE": "2",
        "CLAIMTRACK_PROVIDER_RATE": "0",
        "CLAIMTRACK_HTTP_MAX_BYTES": "100000",
    }
    env = base_env(data_dir, **{**defaults, **extra})
    return Settings.from_env(env).prepared()


@pytest.fixture
def sqlite_engine(data_dir: Path) -> Iterator[Engine]:
    from claims.db import _engines

    url = f"sqlite:///{data_dir / 'claimtrack.db'}"
    engine = get_engine(url)
    upgrade_database(engine)
    yield engine
    _engines.pop(url, None)
    engine.dispose()


def add_claim(
    engine: Engine, text: str = CLAIM_TEXT, *, status: ClaimStatus = ClaimStatus.CHECKING
) -> int:
    """Store a document with one claim about the 98,000 figure, ready to be checked."""
    with session_scope(engine) as session:
        document = Document(
            title="Test", origin="test", language="fr", text=text, sha256=str(hash(text))[:64]
        )
        document.claims.append(
            Claim(
                text=text,
                start=0,
                end=len(text),
                sentence=text,
                language="fr",
                checkworthiness=0.9,
                quantities=[
                    {"value": 98000.0, "unit": None, "approximate": True, "text": "98 000"}
                ],
                entities=["Kazakhstan"],
                status=status,
            )
        )
        session.add(document)
        session.flush()
        return document.claims[0].id
