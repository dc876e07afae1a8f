"""Fetching against a real HTTP server on loopback that misbehaves in the ways remote sites do."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims.errors import FetchError
from claims.fetch import check_address, fetch_url


class _Misbehaving(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        route = getattr(self, "route_" + self.path.strip("/").split("?")[0], None)
        if route is None:
            self.send_error(404)
            return
        route()

    def _send(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_ok(self) -> None:
        self._send(200, b"About 98,000 Russians entered Kazakhstan.", Content_Type="text/plain")

    def route_drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "100")
        self.end_headers()
        for _ in range(100):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.5)

    def route_bomb(self) -> None:
        body = gzip.compress(bytes(50_000_000))
        self._send(200, body, Content_Type="text/plain", Content_Encoding="gzip")

    def route_big(self) -> None:
        self._send(200, b"a" * 3_000_000, Content_Type="text/plain")

    def route_loop(self) -> None:
        self._send(302, b"", Location="/loop")

    def route_busy(self) -> None:
        self._send(429, b"slow down", Retry_After="1")

    def route_broken(self) -> None:
        self._send(503, b"down")

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # The client hanging up on a drip or a bomb is the point of those routes.
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = _QuietServer(("127.0.0.1", 0), _Misbehaving)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str, **options: float) -> object:
    defaults = {"timeout": 2.0, "deadline": 3.0, "max_bytes": 1_000_000}
    return fetch_url(url, allow_private=True, **{**defaults, **options})  # type: ignore[arg-type]


def test_a_plain_page_is_fetched_with_its_metadata(server: str) -> None:
    page = fetch(f"{server}/ok")
    assert page.body.startswith(b"About 98,000")
    assert page.final_url == f"{server}/ok"
    assert len(page.sha256) == 64


def test_a_slow_drip_ends_at_the_total_deadline(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than 3 s") as info:
        fetch(f"{server}/drip")
    assert time.monotonic() - started < 5
    assert info.value.transient


def test_a_compression_bomb_is_stopped_at_the_size_limit(server: str) -> None:
    with pytest.raises(FetchError, match="larger than the limit"):
        fetch(f"{server}/bomb")


def test_a_body_over_the_limit_is_refused(server: str) -> None:
    with pytest.raises(FetchError, match="larger than the limit"):
        fetch(f"{server}/big")


def test_a_redirect_loop_ends(server: str) -> None:
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(f"{server}/loop")


def test_a_redirect_to_a_private_address_is_refused() -> None:
    # Loopback is allowed for the test server, so check the redirect target the way fetch does.
    with pytest.raises(FetchError, match="private, loopback or reserved"):
        check_address("http://10.0.0.1/secret", allow_private=False)


def test_the_test_server_itself_is_refused_without_the_operator_allowing_it(server: str) -> None:
    with pytest.raises(FetchError, match="private, loopback or reserved"):
        fetch_url(f"{server}/ok")


@pytest.mark.parametrize(("path", "status"), [("busy", 429), ("broken", 503)])
def test_overload_and_server_errors_are_transient(server: str, path: str, status: int) -> None:
    with pytest.raises(FetchError, match=f"HTTP {status}") as info:
        fetch(f"{server}/{path}")
    assert info.value.transient


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch_url("file:///etc/passwd")
