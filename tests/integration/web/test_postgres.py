"""The review flow on PostgreSQL: the queue, a verdict, a stale verdict, production cookies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from claims.config import Settings
from claims.models import Claim, Rating
from tests.conftest import TEST_SECRET
from tests.integration.web.conftest import csrf_token, engine_for, login, seed
from web.app import create_app

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_settings(postgres_url: str, tmp_path: Path) -> Settings:
    env = {
        "CLAIMTRACK_DATA_DIR": str(tmp_path),
        "CLAIMTRACK_DATABASE_URL": postgres_url,
        "CLAIMTRACK_SECRET_KEY": TEST_SECRET,
    }
    return Settings.from_env(env).prepared()


@pytest.fixture
def pg_engine(pg_settings: Settings) -> Iterator[Engine]:
    yield from engine_for(pg_settings)


def test_review_flow_on_postgresql(pg_settings: Settings, pg_engine: Engine) -> None:
    seeded = seed(pg_engine)
    app = create_app(pg_settings)
    # Production settings send the session cookie over HTTPS only.
    client: FlaskClient = app.test_client()
    page = client.get("/login", base_url="https://claimtrack.example.org")
    assert "Secure" in page.headers["Set-Cookie"]
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    assert login(client, "reviewer1").status_code == 302

    queue = client.get("/claims?status=needs_review")
    assert queue.status_code == 200
    assert f'data-claim-id="{seeded.reviewed_id}"' in queue.text

    token = csrf_token(client.get(f"/claims/{seeded.reviewed_id}").text)
    form = {
        "rating": "mostly-false",
        "rationale": "9%, not 12%.",
        "version": "1",
        "csrf_token": token,
    }
    assert client.post(f"/claims/{seeded.reviewed_id}/verdict", data=form).status_code == 302
    stale = client.post(f"/claims/{seeded.reviewed_id}/verdict", data={**form, "rating": "true"})
    assert stale.status_code == 409
    with Session(pg_engine) as session:
        claim = session.get(Claim, seeded.reviewed_id)
        assert claim is not None
        assert claim.verdict == Rating.MOSTLY_FALSE
        assert claim.version == 2


def test_queue_search_keyset_and_bulk_on_postgresql(
    pg_settings: Settings, pg_engine: Engine
) -> None:
    seeded = seed(pg_engine)
    client = create_app(pg_settings).test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    assert login(client, "reviewer1").status_code == 302
    unemployment = next(c for c, t in seeded.claim_texts.items() if "unemployment" in t)
    page = client.get("/claims?q=unemploy")
    assert page.status_code == 200
    assert f'data-claim-id="{unemployment}"' in page.text
    assert page.text.count('data-claim-id="') == 1
    queued = [c for c in seeded.claim_ids if c != seeded.reviewed_id]
    token = csrf_token(page.text)
    response = client.post(
        "/claims/bulk",
        data={"action": "dismiss", "ids": queued, "reason": "duplicate", "csrf_token": token},
    )
    assert response.status_code == 302
    with Session(pg_engine) as session:
        assert {session.get(Claim, c).status.value for c in queued} == {"dismissed"}  # type: ignore[union-attr]


def test_a_library_passage_is_found_and_attached_once_on_postgresql(
    pg_settings: Settings, pg_engine: Engine
) -> None:
    from sqlalchemy import select

    from claims.db import session_scope
    from claims.library import add_source, source_draft
    from claims.models import Evidence

    seeded = seed(pg_engine)
    with session_scope(pg_engine) as session:
        source, _ = add_source(
            session,
            source_draft("Unemployment fell by 12% in 2023.", title="Bulletin", language="en"),
        )
        passage_id = source.passages[0].id
    client = create_app(pg_settings).test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    assert login(client, "reviewer1").status_code == 302
    url = f"/claims/{seeded.reviewed_id}/library"

    found = client.get(url, query_string={"q": "unemployment 12"})
    assert found.status_code == 200
    assert f'name="passage" value="{passage_id}"' in found.text
    for _ in range(2):
        form = {"passage": str(passage_id), "csrf_token": csrf_token(found.text)}
        assert client.post(url, data=form).status_code == 302

    with Session(pg_engine) as session:
        rows = session.scalars(select(Evidence).where(Evidence.passage_id == passage_id)).all()
        assert [(e.claim_id, e.provider) for e in rows] == [
            (seeded.reviewed_id, "library-attached")
        ]
