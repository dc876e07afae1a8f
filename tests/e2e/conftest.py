"""A real review desk for the browser: the seed article checked against the seed library in a
SQLite database, the app served on a loopback port, and headless Chromium driven by Selenium."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from werkzeug.serving import make_server

from claims.accounts import create_user
from claims.checking import check_claim, start_check
from claims.config import Settings
from claims.db import _engines, get_engine, session_scope, upgrade_database
from claims.library import load_source_directory
from claims.models import Claim
from claims.workflow import ingest_document
from tests.conftest import ROOT, SEED_ARTICLE
from web.app import create_app

PASSWORD = "correct horse battery"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@dataclass(frozen=True)
class Desk:
    url: str
    engine: Engine
    document_id: int
    claim_ids: list[int]  # the seed article's claims, as the queue orders them


def prepare_desk(data_dir: Path) -> tuple[Settings, Engine, int]:
    """Migrate a SQLite database, load the seed library and article, check every claim."""
    settings = Settings.from_env({"CLAIMTRACK_DATA_DIR": str(data_dir)}).prepared()
    engine = get_engine(settings.database_url)
    upgrade_database(engine)
    with session_scope(engine) as session:
        load_source_directory(session, ROOT / "seeds" / "sources")
        text = SEED_ARTICLE.read_text(encoding="utf-8")
        document = ingest_document(session, text, SEED_ARTICLE.name, actor="system").document
        document_id = document.id
        for name, role in (("reviewer1", "reviewer"), ("viewer1", "viewer"), ("editor1", "editor")):
            create_user(session, name, PASSWORD, role)
    with session_scope(engine) as session:
        ids = session.scalars(select(Claim.id).where(Claim.document_id == document_id)).all()
    for claim_id in ids:
        with session_scope(engine) as session:
            if start_check(session, claim_id):
                check_claim(session, claim_id)
    return settings, engine, document_id


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    settings, engine, document_id = prepare_desk(tmp_path_factory.mktemp("desk"))
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with session_scope(engine) as session:
        ids = list(
            session.scalars(
                select(Claim.id)
                .where(Claim.document_id == document_id)
                .order_by(Claim.priority.desc(), Claim.checkworthiness.desc(), Claim.id.desc())
            )
        )
    try:
        yield Desk(f"http://127.0.0.1:{server.server_port}", engine, document_id, ids)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        _engines.pop(settings.database_url, None)
        engine.dispose()


def new_browser(profile: Path, *, width: int = 1280, height: int = 900):  # type: ignore[no-untyped-def]
    """Start headless Chromium with a fresh profile (Debian's chromium and chromium-driver)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "--lang=en-GB",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium chromium-driver)")
    driver = new_browser(tmp_path / "profile")
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()
