"""What a reviewer sees of a claim seen again: the queue row, the claim page, the API and the
CSV report."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from claims.accounts import create_user
from claims.api_tokens import create_token
from claims.db import session_scope, utcnow
from claims.models import Claim, ClaimStatus, Rating, Role, Suggestion
from claims.workflow import ingest_document
from tests.conftest import SEED_ARTICLE
from tests.integration.web.conftest import PASSWORD, login

SEED = SEED_ARTICLE.read_text(encoding="utf-8")


def _two_sightings(engine: Engine) -> tuple[int, int]:
    """Ingest the seed article, publish a verdict on its lead claim, then ingest it again under
    another title; return the lead claim of each."""
    with session_scope(engine) as session:
        create_user(session, "reviewer1", PASSWORD, "reviewer")
        first = ingest_document(session, SEED, "seed.txt").document
        lead = next(c for c in first.claims if "98 000" in c.text)
        lead.status, lead.verdict, lead.published_at = (
            ClaimStatus.PUBLISHED,
            Rating.MOSTLY_TRUE,
            utcnow(),
        )
        second = ingest_document(
            session, "Republié\n\n" + SEED.replace("98 000", "98,000"), "again.txt", title="Again"
        ).document
        repeat = next(c for c in second.claims if "98,000" in c.text)
        session.add(
            Suggestion(
                claim_id=repeat.id,
                method="library-rules",
                method_version="test",
                verdict="supported",
                confidence=0.8,
                rationale="The interior ministry states 98,000.",
                checked_at=lead.created_at,
                reused_from_claim_id=lead.id,
            )
        )
        return lead.id, repeat.id


def test_the_claim_page_and_the_queue_show_where_a_claim_was_seen(
    client: FlaskClient, web_engine: Engine
) -> None:
    lead, repeat = _two_sightings(web_engine)
    assert login(client, "reviewer1").status_code == 302

    page = client.get(f"/claims/{repeat}")
    assert page.status_code == 200
    assert "Seen in 2 documents" in page.text
    assert f'href="/claims/{lead}"' in page.text
    assert "Already fact-checked:" in page.text and "Mostly true" in page.text
    assert f"claim #{lead}" in page.text
    assert "Reused from the check of" in page.text

    queue = client.get("/claims").text
    assert queue.count("seen in 2 documents") >= 2

    french = client.get(f"/claims/{repeat}", headers={"Accept-Language": "fr"}).text
    assert "Vue dans 2 documents" in french and "Déjà vérifiée" in french


def test_the_api_and_the_csv_report_carry_the_recurrence(
    client: FlaskClient, web_engine: Engine
) -> None:
    lead, repeat = _two_sightings(web_engine)
    with session_scope(web_engine) as session:
        token = create_token(session, "reports", Role.VIEWER, created_by="test").token
    headers = {"Authorization": f"Bearer {token}"}

    body = client.get(f"/api/v1/claims/{repeat}", headers=headers).get_json()
    assert body["recurrence"] == 2
    assert [s["claim_id"] for s in body["seen_in"]] == [lead]
    assert body["seen_in"][0]["url"] == f"/api/v1/claims/{lead}"
    assert body["already_fact_checked"]["claim_id"] == lead
    assert body["already_fact_checked"]["rating"] == "mostly-true"
    assert body["suggestion"]["reused_from_claim_id"] == lead

    exported = client.get("/api/v1/export?format=csv", headers=headers)
    assert exported.status_code == 200
    rows = {int(r["claim_id"]): r for r in csv.DictReader(io.StringIO(exported.text))}
    assert rows[repeat]["recurrence"] == rows[lead]["recurrence"] == "2"
    assert rows[repeat]["suggestion_reused_from"] == str(lead)
    with session_scope(web_engine) as session:
        once = session.scalars(select(Claim).where(Claim.recurrence == 1)).all()
    assert all(rows[c.id]["recurrence"] == "1" for c in once)
