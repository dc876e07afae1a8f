"""Attaching a web page to a claim from its review page."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from claims.db import session_scope
from claims.models import EvidenceRequest, OutboxMessage
from tests.integration.web.conftest import Seeded, csrf_token


def test_a_reviewer_attaches_a_page_from_the_claim_page(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    page = reviewer.get(f"/claims/{seeded.reviewed_id}")
    assert f'action="/claims/{seeded.reviewed_id}/sources"' in page.text
    response = reviewer.post(
        f"/claims/{seeded.reviewed_id}/sources",
        data={"url": "https://example.org/report", "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    shown = reviewer.get(f"/claims/{seeded.reviewed_id}").text
    assert '<span class="url">https://example.org/report</span>: pending' in shown
    bad = reviewer.post(
        f"/claims/{seeded.reviewed_id}/sources",
        data={"url": "javascript:alert(1)", "csrf_token": csrf_token(page.text)},
    )
    assert bad.status_code == 400
    with session_scope(web_engine) as session:
        (request,) = session.scalars(select(EvidenceRequest)).all()
        assert request.requested_by == "reviewer1"
        # The fetch waits in the outbox until it is sent to a worker.
        tasks = session.scalars(select(OutboxMessage.task)).all()
        assert "claimtrack.fetch_evidence" in tasks


def test_a_viewer_cannot_attach_pages(viewer: FlaskClient, seeded: Seeded) -> None:
    page = viewer.get(f"/claims/{seeded.reviewed_id}")
    assert "/sources" not in page.text
    response = viewer.post(
        f"/claims/{seeded.reviewed_id}/sources",
        data={"url": "https://example.org/report", "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 403


def test_the_page_to_attach_is_announced_in_french(reviewer: FlaskClient, seeded: Seeded) -> None:
    page = reviewer.get(f"/claims/{seeded.reviewed_id}").text
    reviewer.post("/language", data={"language": "fr", "csrf_token": csrf_token(page)})
    page = reviewer.get(f"/claims/{seeded.reviewed_id}").text
    response = reviewer.post(
        f"/claims/{seeded.reviewed_id}/sources",
        data={"url": " https://example.org/rapport ", "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert (
        "La page https://example.org/rapport sera récupérée, archivée et ajoutée comme preuve."
        in response.text
    )
