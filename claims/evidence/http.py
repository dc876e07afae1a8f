"""The HTTP layer the remote providers share: per-request timeouts, a total deadline of our own,
retries of transient errors with exponential backoff and jitter (honouring Retry-After), a
per-host rate limit, address checks on every hop, size caps and content-type checks.

httpx timeouts bound the gaps between reads, not a whole exchange, so each provider's search
runs under `asyncio.timeout(deadline)` as well (see `claims.evidence.runner`), and every wait
here (a backoff, a Retry-After, a rate-limit slot) is refused when it would pass that deadline.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import json
import random
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from claims.errors import FetchError
from claims.fetch import MAX_REDIRECTS, USER_AGENT, async_pinned_transport, check_address

# After a host could not be resolved or connected to, further requests to it fail at once for
# this long, so a machine without internet does not pay a lookup per claim.
UNREACHABLE_FOR = 30.0


@dataclass(frozen=True, slots=True)
class HttpPolicy:
    """Limits of the requests one provider makes for one claim."""

    timeout: float = 5.0  # idle timeout of each request
    deadline: float = 10.0  # total time of one provider's search, retries included
    retries: int = 2  # further attempts after a transient failure
    rate: float = 5.0  # requests per second per host; 0 for no limit
    max_bytes: int = 5_000_000  # of a body, compressed and decoded
    allow_private: bool = False
    # Hosts (host:port) the operator configured as provider endpoints: trusted even on a
    # private address (an intranet wiki); redirects elsewhere are checked as usual.
    trusted_hosts: frozenset[str] = frozenset()
    backoff_base: float = 0.25
    backoff_cap: float = 4.0


@dataclass(frozen=True, slots=True)
class HttpAnswer:
    status: int
    content_type: str
    body: bytes
    final_url: str

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


class HostLimits:
    """Process-wide per-host state shared by all checks: the next free rate-limit slot, and hosts
    recently found unreachable. Thread-safe, since checks run in worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}
        self._unreachable: dict[str, tuple[float, str]] = {}

    def reserve(self, host: str, rate: float) -> float:
        """Book the host's next request slot; return how long to wait for it."""
        if rate <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + 1.0 / rate
        return slot - now

    def mark_unreachable(self, host: str, reason: str) -> None:
        with self._lock:
            self._unreachable[host] = (time.monotonic() + UNREACHABLE_FOR, reason)

    def unreachable(self, host: str) -> str | None:
        """The reason the host was found unreachable recently, or None."""
        with self._lock:
            entry = self._unreachable.get(host)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._unreachable[host]
                return None
            return entry[1]

    def forget(self) -> None:
        with self._lock:
            self._next_slot.clear()
            self._unreachable.clear()


HOSTS = HostLimits()


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs tens of milliseconds of CPU: once per process, not per check.
    return httpx.create_ssl_context()


def new_client(policy: HttpPolicy) -> httpx.AsyncClient:
    """The one AsyncClient a check shares between its providers."""
    return httpx.AsyncClient(
        transport=async_pinned_transport(
            allow_private=policy.allow_private,
            trusted_hosts=policy.trusted_hosts,
            verify=_tls_context(),
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        ),
        timeout=httpx.Timeout(policy.timeout),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
    )


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass
class ProviderHttp:
    """One provider's requests within a check: the shared client under the provider's policy."""

    client: httpx.AsyncClient
    policy: HttpPolicy
    started: float = field(default_factory=time.monotonic)
    requests: int = 0

    def remaining(self) -> float:
        return self.policy.deadline - (time.monotonic() - self.started)

    async def get_json(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """GET `url` and parse its JSON body; FetchError on any failure."""
        answer = await self.get(url, params, accept=("application/json", "+json"))
        try:
            return json.loads(answer.body)
        except (ValueError, UnicodeDecodeError):
            raise FetchError(f"{_site(url)} sent malformed JSON") from None

    async def get(
        self, url: str, params: dict[str, Any] | None = None, *, accept: tuple[str, ...] = ()
    ) -> HttpAnswer:
        """GET with retries of transient failures; `accept` lists acceptable media types (or
        suffixes such as '+json')."""
        if params:
            url = str(httpx.URL(url, params=params))
        attempt = 0
        while True:
            try:
                answer = await self._follow(url)
            except _Retryable as exc:
                attempt += 1
                wait = exc.wait
                if wait is None:
                    step = min(self.policy.backoff_cap, self.policy.backoff_base * 2**attempt)
                    wait = random.uniform(step / 2, step)  # noqa: S311 (jitter, not crypto)
                if attempt > self.policy.retries:
                    raise FetchError(
                        f"{exc.message} (after {attempt} attempts)", transient=True
                    ) from None
                if wait >= self.remaining():
                    raise FetchError(
                        f"{exc.message}; waiting {wait:.1f} s more would pass the "
                        f"{self.policy.deadline:g} s deadline",
                        transient=True,
                    ) from None
                await asyncio.sleep(wait)
                continue
            if accept and not _accepted(answer.media_type, accept):
                raise FetchError(
                    f"{_site(url)} answered {answer.media_type or 'without a content type'}, "
                    f"not {' or '.join(accept)}"
                )
            return answer

    async def _follow(self, url: str) -> HttpAnswer:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            await self._check(current)
            result = await self._once(current)
            if isinstance(result, HttpAnswer):
                return result
            current = result
        raise FetchError(f"too many redirects from {_site(url)}")

    async def _check(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname or ""
        reason = HOSTS.unreachable(host)
        if reason is not None:
            raise FetchError(f"{reason} (not retried for {UNREACHABLE_FOR:g} s)", transient=True)
        if parts.netloc in self.policy.trusted_hosts:
            return
        try:
            await asyncio.to_thread(check_address, url, allow_private=self.policy.allow_private)
        except FetchError as exc:
            if exc.transient:  # the name does not resolve: no use trying again soon
                HOSTS.mark_unreachable(host, str(exc))
            raise

    async def _once(self, url: str) -> HttpAnswer | str:
        host = urlsplit(url).netloc
        wait = HOSTS.reserve(host, self.policy.rate)
        if wait >= self.remaining():
            raise FetchError(
                f"the rate limit for {host} leaves no slot before the deadline", transient=True
            )
        if wait > 0:
            await asyncio.sleep(wait)
        self.requests += 1
        try:
            async with self.client.stream("GET", url) as r:
                if r.is_redirect:
                    location = r.headers.get("location")
                    if not location:
                        raise FetchError(f"{_site(url)} redirects without a Location")
                    return urljoin(url, location)
                if r.status_code == 429 or r.status_code >= 500:
                    raise _Retryable(
                        f"{_site(url)} answered HTTP {r.status_code}",
                        retry_after(r.headers.get("retry-after")),
                    )
                if r.status_code >= 400:
                    raise FetchError(f"{_site(url)} answered HTTP {r.status_code}")
                return await self._read(r, url)
        except httpx.TimeoutException:
            wait = self.policy.timeout
            raise _Retryable(f"{_site(url)} did not answer within {wait:g} s") from None
        except httpx.DecodingError:
            raise FetchError(f"{_site(url)} sent a body that cannot be decoded") from None
        except httpx.ConnectError as exc:
            raise _Retryable(f"cannot connect to {_site(url)}: {exc}") from None
        except httpx.HTTPError as exc:
            raise _Retryable(f"request to {_site(url)} failed: {exc}") from None

    async def _read(self, r: httpx.Response, url: str) -> HttpAnswer:
        limit = self.policy.max_bytes
        declared = r.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(f"{_site(url)} sent more than the limit of {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        # Decoded bytes are counted, so a compression bomb stops at the limit too.
        async for chunk in r.aiter_bytes():
            size += len(chunk)
            if size > limit or r.num_bytes_downloaded > limit:
                raise FetchError(f"{_site(url)} sent more than the limit of {limit} bytes")
            chunks.append(chunk)
        return HttpAnswer(r.status_code, r.headers.get("content-type", ""), b"".join(chunks), url)


class _Retryable(Exception):
    """A failure worth another attempt; `wait` is the server's Retry-After, if any."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.wait = wait


def _accepted(media_type: str, accept: tuple[str, ...]) -> bool:
    return any(media_type == a or (a.startswith("+") and media_type.endswith(a)) for a in accept)


def _site(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
