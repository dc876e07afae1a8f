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
    # A claim queued or checking this long without news is queued again (a lost message, a
    # worker killed mid-check).
    stale_check_seconds: float = 600.0

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
            stale_check_seconds=number("STALE_CHECK_SECONDS", 600.0),
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
