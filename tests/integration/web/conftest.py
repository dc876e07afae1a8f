"""Fixtures for the review UI: a migrated SQLite file, the app on it, users and claims."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from werkzeug.test import TestResponse

from claims.accounts import create_user
from claims.config import Settings
from claims.db import _engines, get_engine, session_scope, upgrade_database
from claims.models import (
    Claim,
    ClaimStatus,
    Document,
    Evidence,
    Passage,
    Source,
    Stance,
    SuggestedVerdict,
    Suggestion,
)
from claims.workflow import change_status, ingest_document
from web.app import create_app

PASSWORD = "correct horse battery"
# The <b> is text, not markup: pages must show it escaped.
ARTICLE = """Budget debate in the Assembly

The minister said that unemployment fell by 12% in 2023.

"We built 3,000 new schools <b>this year</b>," said Jane Doe, the education secretary.

The weather was nice. Crime rose by 40 percent since 2019, according to the mayor."""

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    """Return the CSRF token of the first form in `html`."""
    match = _CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


def engine_for(settings: Settings) -> Iterator[Engine]:
    engine = get_engine(settings.database_url)
    upgrade_database(engine)
    yield engine
    _engines.pop(settings.database_url, None)
    engine.dispose()


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"CLAIMTRACK_DATA_DIR": str(tmp_path)}).prepared()


@pytest.fixture
def web_engine(web_settings: Settings) -> Iterator[Engine]:
    yield from engine_for(web_settings)


@pytest.fixture
def app(web_settings: Settings, web_engine: Engine) -> Flask:
    app = create_app(web_settings)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass(frozen=True)
class Seeded:
    document_id: int
    other_document_id: int
    claim_ids: list[int]  # of the ingested article, most check-worthy first
    reviewed_id: int  # needs review, with evidence and a suggestion
    other_claim_id: int  # the claim of the second document
    claim_texts: dict[int, str]


def seed(engine: Engine) -> Seeded:
    """Add a reviewer, a viewer, an ingested article and a hand-made document with one claim."""
    with session_scope(engine) as session:
        create_user(session, "reviewer1", PASSWORD, "reviewer")
        create_user(session, "viewer1", PASSWORD, "viewer")
        document = ingest_document(session, ARTICLE, "budget.txt", language="en").document
        claims = list(document.claims)
        assert len(claims) >= 2, "the segmenter found too few claims in the test article"
        # Fixed scores, so the queue's order does not depend on the scoring model.
        for score, claim in zip((0.9, 0.7, 0.5, 0.3, 0.2), claims, strict=False):
            claim.checkworthiness = score
        reviewed = claims[0]
        change_status(session, reviewed, ClaimStatus.CHECKING, actor="worker")
        change_status(session, reviewed, ClaimStatus.NEEDS_REVIEW, actor="worker")
        source = Source(
            title="Labour market statistics 2023",
            url="https://stats.example.org/labour?year=2023&q=1",
            language="en",
            text="Unemployment fell by 9% in 2023.",
            sha256="a" * 64,
        )
        passage = Passage(source=source, ordinal=0, text=source.text)
        session.add_all([source, passage])
        session.flush()
        session.add(
            Evidence(
                claim_id=reviewed.id,
                passage_id=passage.id,
                stance=Stance.REFUTES,
                score=0.82,
                snippet="Unemployment fell by 9% in 2023.",
                number_match={
                    "claimed": "12%",
                    "claimed_value": 12.0,
                    "stated": "9%",
                    "stated_value": 9.0,
                    "match": False,
                    "difference_percent": -25.0,
                },
            )
        )
        session.add(
            Suggestion(
                claim_id=reviewed.id,
                method="library-rules",
                method_version="1",
                verdict=SuggestedVerdict.CONTRADICTED,
                confidence=0.74,
                rationale="The official figure is 9%, not 12%.",
                providers={"library": {"status": "ok", "candidates": 3, "kept": 1}},
            )
        )
        text = "Intro line.\n\nThe river is 120 km long, officials said.\n"
        other = Document(
            title="River report", origin="river.txt", language="en", text=text, sha256="b" * 64
        )
        start = text.index("The river")
        other.claims.append(
            Claim(
                text="The river is 120 km long, officials said.",
                start=start,
                end=start + len("The river is 120 km long, officials said."),
                sentence="The river is 120 km long, officials said.",
                language="en",
                checkworthiness=0.6,
                status=ClaimStatus.FAILED,
                error="library unavailable: timed out",
            )
        )
        session.add(other)
        session.flush()
        return Seeded(
            document_id=document.id,
            other_document_id=other.id,
            claim_ids=[c.id for c in claims],
            reviewed_id=reviewed.id,
            other_claim_id=other.claims[0].id,
            claim_texts={c.id: c.text for c in [*claims, *other.claims]},
        )


@pytest.fixture
def seeded(web_engine: Engine) -> Seeded:
    return seed(web_engine)


def login(
    client: FlaskClient, username: str, password: str = PASSWORD, **query: str
) -> TestResponse:
    """Sign in through the form, as a browser would; return the POST's response."""
    page = client.get("/login", query_string=query)
    return client.post(
        "/login",
        query_string=query,
        data={"username": username, "password": password, "csrf_token": csrf_token(page.text)},
    )


@pytest.fixture
def reviewer(client: FlaskClient, seeded: Seeded) -> FlaskClient:
    assert login(client, "reviewer1").status_code == 302
    return client


@pytest.fixture
def viewer(client: FlaskClient, seeded: Seeded) -> FlaskClient:
    assert login(client, "viewer1").status_code == 302
    return client
