"""The health check and the headers every page carries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flask.testing import FlaskClient

from claims.config import Settings
from claims.db import _engines
from tests.conftest import ROOT
from web.app import create_app


def test_healthz_answers_without_login(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_pages_carry_security_headers(client: FlaskClient) -> None:
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # embedded defaults: served over plain HTTP on a laptop


def test_static_files_are_served_without_login(client: FlaskClient) -> None:
    with client.get("/static/style.css") as response:
        assert response.status_code == 200
        assert b".status-needs_review" in response.data
    with client.get("/static/live.js") as response:
        assert response.status_code == 200
        assert b"data-status-url" in response.data


def test_healthz_reports_an_unreachable_database(tmp_path: Path) -> None:
    not_a_database = tmp_path / "db-is-a-directory"
    not_a_database.mkdir()
    url = f"sqlite:///{not_a_database}"
    settings = Settings.from_env(
        {"CLAIMTRACK_DATA_DIR": str(tmp_path), "CLAIMTRACK_DATABASE_URL": url}
    ).prepared()
    try:
        response = create_app(settings).test_client().get("/healthz")
    finally:
        _engines.pop(url).dispose()
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_wsgi_module_builds_the_app_from_the_environment(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMTRACK_")}
    env["CLAIMTRACK_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", "from web.wsgi import app; print(sorted(app.blueprints))"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    blueprints = set(eval(result.stdout))  # a printed list of names
    assert {"auth", "claims", "documents", "health", "i18n"} <= blueprints
    assert (tmp_path / "secret_key").exists()


_SEND_AFTER_COMMIT = """
from sqlalchemy import func, select
from claims.db import session_scope
from claims.models import OutboxMessage
from claims.workflow import ingest_document
from web.extensions import AFTER_COMMIT_KEY, ENGINE_KEY
from web.wsgi import app

engine = app.extensions[ENGINE_KEY]
with session_scope(engine) as session:
    ingest_document(session, "The ministry counted 98,000 arrivals in September.", "test")
app.extensions[AFTER_COMMIT_KEY]()
with session_scope(engine) as session:
    rows = select(func.count()).select_from(OutboxMessage)
    waiting = rows.where(OutboxMessage.sent_at.is_(None))
    print(session.scalar(rows), session.scalar(waiting))
"""


def test_the_wsgi_app_sends_queued_checks_right_after_the_commit(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMTRACK_")}
    env["CLAIMTRACK_DATA_DIR"] = str(tmp_path)
    for args in (["-m", "web.cli", "db", "upgrade"], ["-c", _SEND_AFTER_COMMIT]):
        result = subprocess.run(
            [sys.executable, *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    queued, waiting = map(int, result.stdout.split())
    assert queued >= 1
    assert waiting == 0  # nothing left waiting for a worker's relay round
