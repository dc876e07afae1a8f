"""Shared fixtures: real SQLite and PostgreSQL databases, a real Redis, the CLI as a process."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from claims.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED_ARTICLE = ROOT / "seeds" / "articles" / "000_8ca16fb0e6f87af9.txt"
POSTGRES_ADMIN_URL = os.environ.get(
    "CLAIMTRACK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("CLAIMTRACK_TEST_REDIS", "redis://127.0.0.1:6379")
TEST_SECRET = "test-secret-not-for-production"


def base_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a claimtrack process gets in tests: no CLAIMTRACK_* leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMTRACK_")}
    env.update({"CLAIMTRACK_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def sqlite_env(data_dir: Path) -> dict[str, str]:
    return base_env(data_dir)


@pytest.fixture
def sqlite_settings(sqlite_env: dict[str, str]) -> Settings:
    return Settings.from_env(sqlite_env).prepared()


@pytest.fixture(scope="session")
def postgres_admin() -> str:
    engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # a clear message beats a wall of driver errors
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc}")
    finally:
        engine.dispose()
    return POSTGRES_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_admin: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"claimtrack_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_admin.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        from claims.db import _engines

        engine = _engines.pop(url, None)
        if engine is not None:
            engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database of its own, emptied before and after the test."""
    import redis

    # Separate databases let several test runs share one Redis server.
    url = f"{REDIS_URL}/{os.environ.get('CLAIMTRACK_TEST_REDIS_DB', '9')}"
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}")
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, data_dir: Path) -> str:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{data_dir / 'claimtrack.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def settings(database_url: str, data_dir: Path) -> Settings:
    env = base_env(data_dir, CLAIMTRACK_DATABASE_URL=database_url)
    if not database_url.startswith("sqlite"):
        env["CLAIMTRACK_SECRET_KEY"] = TEST_SECRET
    return Settings.from_env(env).prepared()


@pytest.fixture
def engine(settings: Settings):  # type: ignore[no-untyped-def]
    from claims.db import get_engine, upgrade_database

    engine = get_engine(settings.database_url)
    upgrade_database(engine)
    return engine


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(sqlite_env: dict[str, str]) -> CliRunner:
    """Run `claimtrack ARGS` as a process and return its completed result."""

    def run(
        *args: str,
        env: dict[str, str] | None = None,
        input: str | bytes | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        binary = isinstance(input, bytes)
        result = subprocess.run(
            [sys.executable, "-m", "web.cli", *args],
            env=env or sqlite_env,
            input=input,
            capture_output=True,
            text=not binary,
            timeout=timeout,
            cwd=ROOT,
            check=False,
        )
        if binary:
            result.stdout = result.stdout.decode()
            result.stderr = result.stderr.decode()
        return result

    return run


def wait_until(predicate: Callable[[], bool], timeout: float, message: str) -> None:
    """Poll `predicate` until it holds, failing the test with `message` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(message)


@pytest.fixture
def start_worker() -> Iterator[Callable[[dict[str, str]], subprocess.Popen[str]]]:
    """Start `claimtrack worker` processes; each is stopped (TERM, then KILL) at the end."""
    procs: list[subprocess.Popen[str]] = []

    def start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "web.cli", "worker", "--loglevel=WARNING", *args],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # Its own process group, so a test can kill the worker with its pool processes.
            start_new_session=True,
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.stdout is not None:
            proc.stdout.close()
