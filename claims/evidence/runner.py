"""Running a claim's providers: local ones in the checking thread, remote ones concurrently on one
`httpx.AsyncClient`, each under its own deadline, so a claim costs its slowest provider rather
than the sum. A provider that fails is recorded, never fatal."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from claims.config import Settings
from claims.errors import ClaimtrackError, FetchError
from claims.evidence.base import ClaimQuery, Found, LocalProvider, RemoteProvider
from claims.evidence.cache import read_cached, store_cached
from claims.evidence.factchecks import FactCheckApiProvider, FactCheckProvider
from claims.evidence.http import HttpPolicy, ProviderHttp, new_client
from claims.evidence.library import LibraryProvider
from claims.evidence.mediawiki import MediaWikiProvider

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EvidenceConfig:
    """Which providers a check runs, and the limits of the remote ones."""

    local: tuple[LocalProvider, ...] = ()
    remote: tuple[RemoteProvider, ...] = ()
    policy: HttpPolicy = field(default_factory=HttpPolicy)
    cache_ttl: float = 86400.0

    @classmethod
    def local_only(cls) -> EvidenceConfig:
        """The library and imported fact-checks: no network."""
        return cls(local=(LibraryProvider(), FactCheckProvider()))


def evidence_config(settings: Settings) -> EvidenceConfig:
    """The providers and limits `settings` configure (CLAIMTRACK_PROVIDERS and friends)."""
    local: list[LocalProvider] = []
    remote: list[RemoteProvider] = []
    trusted: set[str] = set()
    for name in settings.providers:
        if name == "library":
            local.append(LibraryProvider())
        elif name == "factchecks":
            local.append(FactCheckProvider())
        elif name == "mediawiki":
            remote.append(MediaWikiProvider(settings.mediawiki_url))
            if settings.mediawiki_url:
                trusted.add(urlsplit(settings.mediawiki_url).netloc)
        elif name == "factcheck_api" and settings.factcheck_api_key:
            remote.append(
                FactCheckApiProvider(settings.factcheck_api_url, settings.factcheck_api_key)
            )
            trusted.add(urlsplit(settings.factcheck_api_url).netloc)
    policy = HttpPolicy(
        timeout=settings.provider_timeout,
        deadline=settings.provider_deadline,
        retries=settings.provider_retries,
        rate=settings.provider_rate,
        max_bytes=settings.http_max_bytes,
        allow_private=settings.allow_private_urls,
        trusted_hosts=frozenset(trusted),
    )
    return EvidenceConfig(tuple(local), tuple(remote), policy, settings.provider_cache_ttl)


@dataclass(slots=True)
class Gathered:
    """What the providers found, and a report per provider: answered (with counts) or failed
    (with the error and whether a retry may help)."""

    found: list[Found]
    report: dict[str, dict[str, Any]]


def gather_evidence(session: Session, query: ClaimQuery, config: EvidenceConfig) -> Gathered:
    """Ask every configured provider about `query`; failures are reported, never raised."""
    found: list[Found] = []
    report: dict[str, dict[str, Any]] = {}
    for provider in config.local:
        started = time.monotonic()
        try:
            # A savepoint, so a failed query leaves the check's transaction usable.
            with session.begin_nested():
                items = provider.search(session, query)
        except OperationalError:
            raise  # the database itself is in trouble: the task retries the whole check
        except Exception as exc:
            log.warning("provider %s failed: %s", provider.name, exc)
            report[provider.name] = _failed(provider.version, exc, started)
            continue
        found += items
        report[provider.name] = _answered(provider.version, items, started)

    pending: list[tuple[RemoteProvider, str]] = []
    for remote in config.remote:
        key = remote.cache_key(query)
        cached = read_cached(session, remote.name, key)
        if cached is None:
            pending.append((remote, key))
            continue
        found += cached
        report[remote.name] = {
            **_answered(remote.version, cached, time.monotonic()),
            "cached": True,
        }
    if pending:
        outcomes = asyncio.run(_run_remote(pending, query, config.policy))
        for (remote, key), (items, error, started, requests) in zip(pending, outcomes, strict=True):
            if error is not None:
                report[remote.name] = {
                    **_failed(remote.version, error, started),
                    "requests": requests,
                }
                continue
            assert items is not None
            store_cached(session, remote.name, key, items, ttl=config.cache_ttl)
            found += items
            report[remote.name] = {
                **_answered(remote.version, items, started),
                "requests": requests,
            }
    return Gathered(found, report)


_Outcome = tuple[list[Found] | None, BaseException | None, float, int]


async def _run_remote(
    pending: Sequence[tuple[RemoteProvider, str]], query: ClaimQuery, policy: HttpPolicy
) -> list[_Outcome]:
    async with new_client(policy) as client:

        async def one(provider: RemoteProvider) -> _Outcome:
            http = ProviderHttp(client, policy)
            started = time.monotonic()
            try:
                async with asyncio.timeout(policy.deadline):
                    items = await provider.search(query, http)
            except TimeoutError:
                error: BaseException = FetchError(
                    f"no answer within the {policy.deadline:g} s deadline", transient=True
                )
            except Exception as exc:
                if not isinstance(exc, ClaimtrackError):
                    log.exception("provider %s failed unexpectedly", provider.name)
                error = exc
            else:
                return items, None, started, http.requests
            log.info("provider %s failed: %s", provider.name, error)
            return None, error, started, http.requests

        return list(await asyncio.gather(*(one(provider) for provider, _ in pending)))


def _answered(version: str, items: list[Found], started: float) -> dict[str, Any]:
    return {
        "status": "ok",
        "version": version,
        "found": len(items),
        "seconds": round(time.monotonic() - started, 3),
    }


def _failed(version: str, error: BaseException, started: float) -> dict[str, Any]:
    message = (
        str(error) if isinstance(error, ClaimtrackError) else f"{type(error).__name__}: {error}"
    )
    return {
        "status": "failed",
        "version": version,
        "error": message[:500],
        "transient": bool(getattr(error, "transient", False)),
        "seconds": round(time.monotonic() - started, 3),
    }
