"""Connections are vetted when they are made: a name that passed the early address check and then
resolves to a private address (DNS rebinding) still reaches nothing private."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from claims.errors import FetchError
from claims.fetch import async_pinned_transport, pinned_transport
from claims.webhooks import PreparedAttempt, send_delivery


class _Counting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        self.server.hits += 1  # type: ignore[attr-defined]
        body = b"internal"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def internal() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    httpd.hits = 0  # type: ignore[attr-defined]
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _netloc(httpd: ThreadingHTTPServer) -> str:
    return f"127.0.0.1:{httpd.server_address[1]}"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_private_address_is_refused_at_connect_time(
    internal: ThreadingHTTPServer, host: str
) -> None:
    port = internal.server_address[1]
    with (
        httpx.Client(transport=pinned_transport(allow_private=False)) as client,
        pytest.raises(FetchError, match="private, loopback or reserved"),
    ):
        client.get(f"http://{host}:{port}/")
    assert internal.hits == 0  # type: ignore[attr-defined]


def test_the_async_transport_refuses_a_private_address_at_connect_time(
    internal: ThreadingHTTPServer,
) -> None:
    async def get() -> None:
        transport = async_pinned_transport(allow_private=False)
        async with httpx.AsyncClient(transport=transport) as client:
            await client.get(f"http://localhost:{internal.server_address[1]}/")

    with pytest.raises(FetchError, match="private, loopback or reserved"):
        asyncio.run(get())
    assert internal.hits == 0  # type: ignore[attr-defined]


def test_a_host_the_operator_configured_is_reached_on_its_private_address(
    internal: ThreadingHTTPServer,
) -> None:
    trusted = frozenset({_netloc(internal)})
    with httpx.Client(
        transport=pinned_transport(allow_private=False, trusted_hosts=trusted)
    ) as client:
        assert client.get(f"http://{_netloc(internal)}/").text == "internal"

    async def get() -> str:
        transport = async_pinned_transport(allow_private=False, trusted_hosts=trusted)
        async with httpx.AsyncClient(transport=transport) as client:
            return (await client.get(f"http://{_netloc(internal)}/")).text

    assert asyncio.run(get()) == "internal"
    assert internal.hits == 2  # type: ignore[attr-defined]


def test_a_webhook_to_a_private_address_is_a_recorded_failure_not_a_crash(
    internal: ThreadingHTTPServer,
) -> None:
    attempt = PreparedAttempt(
        delivery_id=1,
        number=1,
        url=f"http://{_netloc(internal)}/hook",
        secret="not-a-real-secret",
        event="claim.published",
        body=b"{}",
    )
    outcome = send_delivery(attempt, timeout=2.0, allow_private=False)
    assert outcome.status_code is None
    assert "private, loopback or reserved" in (outcome.error or "")
    assert internal.hits == 0  # type: ignore[attr-defined]
