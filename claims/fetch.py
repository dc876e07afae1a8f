"""Fetching remote documents over HTTP, safely: address checks, size caps and a total deadline."""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from claims.db import utcnow
from claims.errors import FetchError

if TYPE_CHECKING:
    from claims.config import Settings

MAX_REDIRECTS = 5
USER_AGENT = "claimtrack/0.1 (+https://github.com/claimtrack)"


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def charset(self) -> str | None:
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"' ")
        return None


def check_address(url: str, *, allow_private: bool) -> None:
    """Raise FetchError unless `url` is http(s) and its host resolves only to public addresses.

    This is the early check, with a clear message before any request; the connection itself is
    vetted again by `pinned_transport`, which connects only to an address it has just checked.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise FetchError(f"only http and https URLs can be fetched, not {url!r}")
    host = parts.hostname
    if not host:
        raise FetchError(f"the URL {url!r} has no host")
    try:
        port = parts.port
    except ValueError:
        raise FetchError(f"the URL {url!r} has an invalid port") from None
    try:
        infos = socket.getaddrinfo(host, port or 0, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"cannot resolve host {host!r}", transient=True) from None
    if not allow_private:
        _refuse_private(repr(url), host, [info[4][0] for info in infos])


def _refuse_private(what: str, host: str, addresses: Sequence[str]) -> None:
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            raise FetchError(
                f"refusing to fetch {what}: {host} is a private, loopback or reserved address"
            )


def _public_addresses(host: str, port: int, infos: Sequence[Any]) -> list[str]:
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}", transient=True)
    _refuse_private(f"from {host}:{port}", host, addresses)
    return addresses


def _is_trusted(host: str, port: int, trusted: frozenset[str]) -> bool:
    for netloc in trusted:
        parts = urlsplit(f"//{netloc}")
        if (parts.hostname or "") == host.lower() and parts.port in (None, port):
            return True
    return False


# A name checked by `check_address` may resolve to another address a moment later, when the
# connection is made (DNS rebinding). These backends resolve the name themselves, refuse it if any
# address is private, and connect to the address they checked, so what is checked is what is used.
# TLS still verifies the certificate against the host name: httpcore passes the origin's name as
# the server name whatever address the socket reached.


class _PinnedBackend(httpcore.NetworkBackend):
    def __init__(self, trusted: frozenset[str]) -> None:
        self._inner = httpcore.SyncBackend()
        self._trusted = trusted

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if not _is_trusted(host, port, self._trusted):
            try:
                infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
            except (socket.gaierror, UnicodeError):
                raise FetchError(f"cannot resolve host {host!r}", transient=True) from None
            addresses = _public_addresses(host, port, infos)
        else:
            addresses = [host]
        # Each checked address in turn, as a resolver's order suggests (an unroutable IPv6
        # address listed first must not fail the fetch).
        for address in addresses[:-1]:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError:
                continue
        return self._inner.connect_tcp(addresses[-1], port, timeout, local_address, socket_options)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise FetchError("fetching over a Unix socket is not allowed")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _AsyncPinnedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, trusted: frozenset[str]) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._trusted = trusted

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if not _is_trusted(host, port, self._trusted):
            loop = asyncio.get_running_loop()
            try:
                infos = await loop.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
            except (socket.gaierror, UnicodeError):
                raise FetchError(f"cannot resolve host {host!r}", transient=True) from None
            addresses = _public_addresses(host, port, infos)
        else:
            addresses = [host]
        for address in addresses[:-1]:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError:
                continue
        return await self._inner.connect_tcp(
            addresses[-1], port, timeout, local_address, socket_options
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise FetchError("fetching over a Unix socket is not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _install_backend(transport: Any, backend: Any) -> None:
    pool = getattr(transport, "_pool", None)
    if not hasattr(pool, "_network_backend"):
        # Assigning an attribute that no longer exists would leave the protection silently off.
        raise RuntimeError("this httpx/httpcore version cannot take a vetting network backend")
    pool._network_backend = backend  # type: ignore[union-attr]


def pinned_transport(
    *,
    allow_private: bool,
    trusted_hosts: frozenset[str] = frozenset(),
    verify: ssl.SSLContext | bool = True,
    limits: httpx.Limits | None = None,
) -> httpx.HTTPTransport:
    """An httpx transport that connects only to public addresses (unless `allow_private`),
    checked when the connection is made; hosts in `trusted_hosts` ("host:port") are exempt."""
    transport = httpx.HTTPTransport(verify=verify, limits=limits or httpx.Limits())
    if not allow_private:
        # httpx builds its pool without a way to pass a network backend; give it ours.
        _install_backend(transport, _PinnedBackend(trusted_hosts))
    return transport


def async_pinned_transport(
    *,
    allow_private: bool,
    trusted_hosts: frozenset[str] = frozenset(),
    verify: ssl.SSLContext | bool = True,
    limits: httpx.Limits | None = None,
) -> httpx.AsyncHTTPTransport:
    """The asyncio twin of `pinned_transport`."""
    transport = httpx.AsyncHTTPTransport(verify=verify, limits=limits or httpx.Limits())
    if not allow_private:
        _install_backend(transport, _AsyncPinnedBackend(trusted_hosts))
    return transport


def fetch_url(
    url: str,
    *,
    timeout: float = 10.0,
    deadline: float = 30.0,
    max_bytes: int = 5_000_000,
    allow_private: bool = False,
    client: httpx.Client | None = None,
) -> FetchedPage:
    """Fetch `url` following at most 5 redirects, each re-checked; raise FetchError on failure."""
    started = time.monotonic()
    own_client = client is None
    http = client or httpx.Client(
        transport=pinned_transport(allow_private=allow_private),
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
    )
    try:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            check_address(current, allow_private=allow_private)
            page = _get_once(http, current, started, deadline, max_bytes)
            if isinstance(page, str):
                current = page
                continue
            return FetchedPage(
                url=url,
                final_url=current,
                status=page[0],
                content_type=page[1],
                body=page[2],
                fetched_at=utcnow(),
            )
        raise FetchError(f"too many redirects fetching {url!r}")
    finally:
        if own_client:
            http.close()


def fetch_page(url: str, settings: Settings) -> FetchedPage:
    """Fetch `url` within the configured limits; FetchError says why it could not be."""
    return fetch_url(
        url,
        timeout=settings.http_timeout,
        deadline=settings.http_deadline,
        max_bytes=settings.http_max_bytes,
        allow_private=settings.allow_private_urls,
    )


def _get_once(
    http: httpx.Client, url: str, started: float, deadline: float, max_bytes: int
) -> str | tuple[int, str, bytes]:
    """One request: the redirect target as a string, or (status, content type, body)."""

    def remaining() -> float:
        left = deadline - (time.monotonic() - started)
        if left <= 0:
            raise FetchError(f"fetching {url!r} took longer than {deadline:g} s", transient=True)
        return left

    try:
        with http.stream(
            "GET", url, timeout=min(http.timeout.read or remaining(), remaining())
        ) as r:
            if r.is_redirect:
                location = r.headers.get("location")
                if not location:
                    raise FetchError(f"{url!r} redirects without a Location")
                return urljoin(url, location)
            if r.status_code == 429 or r.status_code >= 500:
                raise FetchError(f"{url!r} answered HTTP {r.status_code}", transient=True)
            if r.status_code >= 400:
                raise FetchError(f"{url!r} answered HTTP {r.status_code}")
            declared = r.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url!r} is larger than the limit of {max_bytes} bytes")
            chunks: list[bytes] = []
            size = 0
            # iter_bytes decodes gzip/deflate; counting decoded bytes stops a compression bomb,
            # and checking the clock between chunks stops a slow drip.
            for chunk in r.iter_bytes():
                size += len(chunk)
                if size > max_bytes or r.num_bytes_downloaded > max_bytes:
                    raise FetchError(f"{url!r} is larger than the limit of {max_bytes} bytes")
                chunks.append(chunk)
                remaining()
            return r.status_code, r.headers.get("content-type", ""), b"".join(chunks)
    except httpx.TimeoutException:
        raise FetchError(f"{url!r} did not answer in time", transient=True) from None
    except httpx.DecodingError:
        raise FetchError(f"{url!r} sent a body that cannot be decoded") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot fetch {url!r}: {exc}", transient=True) from None
