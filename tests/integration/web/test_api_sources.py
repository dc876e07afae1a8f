"""Attaching a web page to a claim through the JSON API, and listing the pages asked for."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from claims.db import session_scope
from claims.desk import assign_claims, find_user
from claims.evidence.web import FETCH_EVIDENCE_TASK, fail_web_evidence
from claims.models import EvidenceRequest, OutboxMessage
from tests.integration.web.api_helpers import bearer, make_token
from tests.integration.web.conftest import Seeded

API = "/api/v1"


@pytest.fixture
def tokens(seeded: Seeded, web_engine: Engine) -> dict[str, dict[str, str]]:
    return {
        role: bearer(make_token(web_engine, f"{role}-bot", role)) for role in ("viewer", "reviewer")
    }


def _requests(engine: Engine) -> list[EvidenceRequest]:
    with session_scope(engine) as session:
        rows = list(session.scalars(select(EvidenceRequest)))
        session.expunge_all()
        return rows


def test_a_reviewer_token_attaches_a_page_and_the_fetch_is_queued(
    app: Flask,
    client: FlaskClient,
    seeded: Seeded,
    web_engine: Engine,
    tokens: dict[str, dict[str, str]],
) -> None:
    relayed: list[bool] = []
    app.extensions["claimtrack_after_commit"] = lambda: relayed.append(True)
    url = f"{API}/claims/{seeded.reviewed_id}/sources"

    response = client.post(
        url, json={"url": " https://example.org/report "}, headers=tokens["reviewer"]
    )

    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body["url"] == "https://example.org/report"
    assert body["status"] == "pending"
    assert body["error"] is None
    assert body["requested_by"] == "reviewer-bot"
    assert body["created_at"]
    assert response.headers["Location"] == f"{API}/claims/{seeded.reviewed_id}"
    assert relayed == [True]
    (stored,) = _requests(web_engine)
    assert (stored.id, stored.claim_id, stored.url) == (
        body["id"],
        seeded.reviewed_id,
        "https://example.org/report",
    )
    with session_scope(web_engine) as session:
        outbox = session.scalars(
            select(OutboxMessage).where(OutboxMessage.task == FETCH_EVIDENCE_TASK)
        ).all()
        assert [m.args for m in outbox] == [[body["id"]]]

    listed = client.get(url, headers=tokens["viewer"])
    assert listed.status_code == 200
    assert [(r["id"], r["status"]) for r in listed.get_json()["items"]] == [(body["id"], "pending")]


def test_the_list_shows_why_a_page_failed(
    client: FlaskClient, seeded: Seeded, web_engine: Engine, tokens: dict[str, dict[str, str]]
) -> None:
    url = f"{API}/claims/{seeded.reviewed_id}/sources"
    created = client.post(url, json={"url": "https://example.org/gone"}, headers=tokens["reviewer"])
    with session_scope(web_engine) as session:
        fail_web_evidence(session, created.get_json()["id"], "the page answered 404")

    (item,) = client.get(url, headers=tokens["viewer"]).get_json()["items"]

    assert (item["status"], item["error"]) == ("failed", "the page answered 404")
    assert item["finished_at"]


def test_an_address_that_is_not_http_is_refused(
    client: FlaskClient, seeded: Seeded, web_engine: Engine, tokens: dict[str, dict[str, str]]
) -> None:
    response = client.post(
        f"{API}/claims/{seeded.reviewed_id}/sources",
        json={"url": "ftp://x"},
        headers=tokens["reviewer"],
    )

    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": "invalid_input",
        "message": "give an http or https address, not 'ftp://x'",
    }
    assert _requests(web_engine) == []


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({}, 415),
        ({"data": "{not json", "content_type": "application/json"}, 400),
        ({"json": ["https://example.org/"]}, 400),
        ({"json": {"link": "https://example.org/"}}, 400),
        ({"json": {"url": 42}}, 400),
    ],
)
def test_a_missing_or_malformed_body_is_refused(
    client: FlaskClient,
    seeded: Seeded,
    tokens: dict[str, dict[str, str]],
    kwargs: dict[str, object],
    status: int,
) -> None:
    response = client.post(
        f"{API}/claims/{seeded.reviewed_id}/sources", headers=tokens["reviewer"], **kwargs
    )

    assert response.status_code == status
    assert set(response.get_json()["error"]) == {"code", "message"}


def test_an_unknown_claim_is_not_found(
    client: FlaskClient, seeded: Seeded, web_engine: Engine, tokens: dict[str, dict[str, str]]
) -> None:
    url = f"{API}/claims/999999/sources"

    posted = client.post(url, json={"url": "https://example.org/"}, headers=tokens["reviewer"])
    listed = client.get(url, headers=tokens["viewer"])

    assert posted.status_code == 404
    assert posted.get_json()["error"]["code"] == "not_found"
    assert listed.status_code == 404
    assert _requests(web_engine) == []


def test_a_viewer_token_may_list_but_not_attach(
    client: FlaskClient, seeded: Seeded, web_engine: Engine, tokens: dict[str, dict[str, str]]
) -> None:
    url = f"{API}/claims/{seeded.reviewed_id}/sources"

    posted = client.post(url, json={"url": "https://example.org/"}, headers=tokens["viewer"])

    assert posted.status_code == 403
    assert posted.get_json()["error"]["code"] == "forbidden"
    assert client.get(url, headers=tokens["viewer"]).get_json() == {"items": []}
    assert _requests(web_engine) == []


def test_a_reviewer_cannot_attach_to_a_claim_assigned_to_someone_else(
    client: FlaskClient, seeded: Seeded, web_engine: Engine, tokens: dict[str, dict[str, str]]
) -> None:
    with session_scope(web_engine) as session:
        reviewer1 = find_user(session, "reviewer1")
        assign_claims(session, [seeded.reviewed_id], reviewer1, by=reviewer1)

    posted = client.post(
        f"{API}/claims/{seeded.reviewed_id}/sources",
        json={"url": "https://example.org/"},
        headers=tokens["reviewer"],
    )

    assert posted.status_code == 403
    assert "assigned to reviewer1" in posted.get_json()["error"]["message"]
    with session_scope(web_engine) as session:
        assert session.scalar(select(func.count(EvidenceRequest.id))) == 0
