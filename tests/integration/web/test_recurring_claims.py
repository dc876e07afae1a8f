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


def _seen_in(html: str) -> str:
    start = html.index('id="seen-in"')
    return html[start : html.index("</details>", start)]


def test_a_claim_seen_in_many_documents_lists_the_latest_20_and_counts_the_rest(
    client: FlaskClient, web_engine: Engine
) -> None:
    text = "Unemployment in the region rose to 7.4% in 2023, the statistics office said."
    claim_ids = []
    with session_scope(web_engine) as session:
        create_user(session, "reviewer1", PASSWORD, "reviewer")
        token = create_token(session, "reports", Role.VIEWER, created_by="test").token
        for number in range(26):
            document = ingest_document(
                session, f"Report {number}\n\n{text}", f"report-{number}.txt", language="en"
            ).document
            claim_ids.append(document.claims[0].id)
    first, others = claim_ids[0], claim_ids[1:]
    latest, left_out = others[::-1][:20], others[:5]
    assert login(client, "reviewer1").status_code == 302

    seen = _seen_in(client.get(f"/claims/{first}").text)
    assert "Seen in 26 documents" in seen
    assert seen.count('href="/claims/') == 20
    assert seen.index(f'href="/claims/{latest[0]}"') < seen.index(f'href="/claims/{latest[-1]}"')
    assert not any(f'href="/claims/{claim_id}"' in seen for claim_id in left_out)
    assert "and 5 more" in seen
    french = client.get(f"/claims/{first}", headers={"Accept-Language": "fr"}).text
    assert "et 5 autres" in _seen_in(french)

    body = client.get(
        f"/api/v1/claims/{first}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert [s["claim_id"] for s in body["seen_in"]] == latest
    assert body["seen_in_more"] == 5


def test_evidence_copied_from_an_earlier_check_says_on_which_claim_it_was_attached(
    client: FlaskClient, web_engine: Engine
) -> None:
    from claims import checking
    from claims.evidence.attached import attach_passage
    from claims.library import load_source_directory
    from claims.models import Evidence, User
    from tests.conftest import ROOT

    with session_scope(web_engine) as session:
        load_source_directory(session, ROOT / "seeds" / "sources")
        reviewer1 = create_user(session, "reviewer1", PASSWORD, "reviewer")
        create_user(session, "reviewer2", PASSWORD, "reviewer")
        token = create_token(session, "reports", Role.VIEWER, created_by="test").token
        first = ingest_document(session, SEED, "seed.txt").document
        original = next(c for c in first.claims if "98 000" in c.text).id
    with session_scope(web_engine) as session:
        checking.start_check(session, original)
        checking.check_claim(session, original)
    with session_scope(web_engine) as session:
        passage_id = session.scalar(
            select(Evidence.passage_id).where(
                Evidence.claim_id == original, Evidence.passage_id.is_not(None)
            )
        )
        assert passage_id is not None
        attach_passage(session, original, passage_id, by=reviewer1)
        second = ingest_document(
            session, "Republié\n\n" + SEED.replace("98 000", "98,000"), "again.txt"
        ).document
        repeat = next(c for c in second.claims if "98,000" in c.text).id
    with session_scope(web_engine) as session:
        checking.start_check(session, repeat)
        checking.check_claim(session, repeat)

    assert login(client, "reviewer1").status_code == 302
    page = client.get(f"/claims/{repeat}").text
    assert f'attached by reviewer1 on <a href="/claims/{original}">claim #{original}</a>' in page
    assert "attached by reviewer1</span>" not in page
    own = client.get(f"/claims/{original}").text
    assert "attached by reviewer1</span>" in own
    body = client.get(
        f"/api/v1/claims/{repeat}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    attached = [e for e in body["evidence"] if e["attached_by"]]
    assert [(e["attached_by"], e["reused_from_claim_id"]) for e in attached] == [
        ("reviewer1", original)
    ]

    # Attaching it on the repeat makes it that reviewer's, on this claim.
    with session_scope(web_engine) as session:
        reviewer2 = session.scalars(select(User).where(User.username == "reviewer2")).one()
        _, added = attach_passage(session, repeat, passage_id, by=reviewer2)
        assert added is True
    page = client.get(f"/claims/{repeat}").text
    assert "attached by reviewer2</span>" in page and "attached by reviewer1" not in page
