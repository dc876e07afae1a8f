"""Settings shared by the web app, the workers and the CLI.

`Settings.from_env()` is the only place that reads the environment. With nothing set, the service
runs on embedded defaults under the data directory: a SQLite database, a durable SQLite-backed
Celery queue and a secret generated once.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

ENV_PREFIX = "CLAIMTRACK_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says what to set."""


def _default_data_dir(environ: os._Environ[str] | dict[str, str]) -> Path:
    base = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "claimtrack"


PROVIDER_NAMES = ("library", "factchecks", "factcheck_api", "mediawiki")


def _providers(raw: str | None, *, api_key: str | None) -> tuple[str, ...]:
    """The evidence providers to run: CLAIMTRACK_PROVIDERS (comma-separated, "none" for none),
    by default the library, imported fact-checks and, with an API key, Fact Check Tools."""
    if raw is None:
        # Remote reference sources are the operator's choice: a default that reaches out to the
        # internet would make an offline demo slow and send traffic nobody asked for.
        default = ["library", "factchecks"]
        return tuple(default + (["factcheck_api"] if api_key else []))
    names = [n.strip().lower() for n in raw.split(",") if n.strip()]
    if names == ["none"]:
        return ()
    unknown = [n for n in names if n not in PROVIDER_NAMES]
    if unknown:
        raise ConfigError(
            f"{ENV_PREFIX}PROVIDERS names unknown providers {', '.join(unknown)}; "
            f"choose among {', '.join(PROVIDER_NAMES)}"
        )
    if "factcheck_api" in names and not api_key:
        raise ConfigError(f"the factcheck_api provider needs {ENV_PREFIX}FACTCHECK_API_KEY")
    return tuple(dict.fromkeys(names))


# claims.text.segment.MODES, written out so that reading settings or starting the CLI does not
# import the text pipeline; a unit test keeps the two equal.
SEGMENT_MODES = ("fast", "accurate", "social", "rules")


def _segment_mode(raw: str | None) -> str:
    """How ingestion segments documents: CLAIMTRACK_SEGMENT_MODE, by default "fast"."""
    if raw is None:
        return "fast"
    mode = raw.lower()
    if mode not in SEGMENT_MODES:
        raise ConfigError(
            f"{ENV_PREFIX}SEGMENT_MODE names unknown mode {raw!r}; "
            f"choose among {', '.join(SEGMENT_MODES)}"
        )
    return mode


def _non_negative(value: float, name: str) -> float:
    if not value >= 0 or value == float("inf"):
        raise ConfigError(f"{ENV_PREFIX}{name} must be a number of 0 or more, not {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    broker_url: str
    secret_key: str = field(repr=False)
    seeds_dir: Path
    embedded_queue: bool
    production: bool
    # Fetching of remote documents and sources: idle timeout per read, and a total deadline
    # of our own because httpx timeouts bound idle gaps, not a whole transfer.
    http_timeout: float = 10.0
    http_deadline: float = 30.0
    http_max_bytes: int = 5_000_000
    allow_private_urls: bool = False
    max_document_bytes: int = 2_000_000
    # Evidence providers run for each claim (see claims/evidence), with their own HTTP limits:
    # per-request timeout, total deadline per provider, retries of transient errors, requests
    # per second per host (0: unlimited) and how long a provider's answer is cached.
    providers: tuple[str, ...] = ("library", "factchecks")
    provider_timeout: float = 5.0
    provider_deadline: float = 10.0
    provider_retries: int = 2
    provider_rate: float = 5.0
    provider_cache_ttl: float = 86400.0
    mediawiki_url: str | None = None  # default: Wikipedia in the claim's language
    factcheck_api_url: str = "https://factchecktools.googleapis.com/v1alpha1/claims:search"
    factcheck_api_key: str | None = field(default=None, repr=False)
    # The editor who publishes a verdict must not be the reviewer who wrote it.
    two_person_rule: bool = True
    # A claim queued or checking this long without news is queued again (a lost message, a
    # worker killed mid-check).
    stale_check_seconds: float = 600.0
    # A repeat of a claim checked less than this long ago reuses that check (0: never reuse).
    recheck_after_days: float = 7.0
    # The segmentation mode of ingestion when the caller names none (claims.text.segment.MODES).
    segment_mode: str = "fast"
    # Who publishes the fact-checks (the ClaimReview author) and where claim pages are public.
    org_name: str = "claimtrack"
    org_url: str = "http://127.0.0.1:5000/"
    public_url: str = "http://127.0.0.1:5000"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from CLAIMTRACK_* variables, falling back to embedded defaults."""
        env = dict(os.environ if environ is None else environ)

        def get(name: str) -> str | None:
            value = env.get(ENV_PREFIX + name, "").strip()
            return value or None

        data_dir = Path(get("DATA_DIR") or _default_data_dir(env)).expanduser().resolve()
        database_url = get("DATABASE_URL") or f"sqlite:///{data_dir / 'claimtrack.db'}"
        broker = get("BROKER_URL")
        embedded_queue = broker is None
        broker_url = broker or f"sqla+sqlite:///{data_dir / 'queue.db'}"
        production = not embedded_queue or not database_url.startswith("sqlite")
        seeds_dir = Path(get("SEEDS_DIR") or PROJECT_ROOT / "seeds")
        public_url = (get("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/")
        secret = get("SECRET_KEY")
        if secret is None and production:
            raise ConfigError(
                "CLAIMTRACK_SECRET_KEY must be set when a database or broker server is configured"
            )

        def number(name: str, default: float) -> float:
            raw = get(name)
            if raw is None:
                return default
            try:
                return float(raw)
            except ValueError:
                raise ConfigError(f"{ENV_PREFIX}{name} must be a number, not {raw!r}") from None

        return cls(
            data_dir=data_dir,
            database_url=database_url,
            broker_url=broker_url,
            secret_key=secret or "",
            seeds_dir=seeds_dir,
            embedded_queue=embedded_queue,
            production=production,
            http_timeout=number("HTTP_TIMEOUT", 10.0),
            http_deadline=number("HTTP_DEADLINE", 30.0),
            http_max_bytes=int(number("HTTP_MAX_BYTES", 5_000_000)),
            allow_private_urls=(get("ALLOW_PRIVATE_URLS") or "").lower() in {"1", "true", "yes"},
            max_document_bytes=int(number("MAX_DOCUMENT_BYTES", 2_000_000)),
            providers=_providers(get("PROVIDERS"), api_key=get("FACTCHECK_API_KEY")),
            provider_timeout=number("PROVIDER_TIMEOUT", 5.0),
            provider_deadline=number("PROVIDER_DEADLINE", 10.0),
            provider_retries=int(number("PROVIDER_RETRIES", 2)),
            provider_rate=number("PROVIDER_RATE", 5.0),
            provider_cache_ttl=number("PROVIDER_CACHE_TTL", 86400.0),
            mediawiki_url=get("MEDIAWIKI_URL"),
            factcheck_api_url=get("FACTCHECK_API_URL")
            or "https://factchecktools.googleapis.com/v1alpha1/claims:search",
            factcheck_api_key=get("FACTCHECK_API_KEY"),
            two_person_rule=(get("TWO_PERSON_RULE") or "on").lower()
            not in {"0", "false", "no", "off"},
            stale_check_seconds=number("STALE_CHECK_SECONDS", 600.0),
            recheck_after_days=_non_negative(
                number("RECHECK_AFTER_DAYS", 7.0), "RECHECK_AFTER_DAYS"
            ),
            segment_mode=_segment_mode(get("SEGMENT_MODE")),
            org_name=get("ORG_NAME") or "claimtrack",
            org_url=get("ORG_URL") or public_url + "/",
            public_url=public_url,
        )

    def prepared(self) -> Settings:
        """Create the data directory and, on embedded defaults, the kept secret key."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.secret_key:
            return self
        secret_file = self.data_dir / "secret_key"
        if not secret_file.exists():
            # O_EXCL so two processes starting at once cannot write two different secrets.
            try:
                fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_urlsafe(48))
        return replace(self, secret_key=secret_file.read_text().strip())
