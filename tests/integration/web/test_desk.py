"""The reviewer's desk: assignment, bulk triage, search and filters, publication under the
two-person rule, sending back, comments, evidence marks and the record of suggestions."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from claims.accounts import create_user
from claims.config import Settings
from claims.db import session_scope
from claims.models import (
    Claim,
    ClaimStatus,
    Comment,
    EvidenceMark,
    OutboxMessage,
    StatusChange,
    SuggestionOutcome,
)
from claims.workflow import change_status
from tests.integration.web.conftest import PASSWORD, Seeded, csrf_token, login
from web.app import create_app


def claim_ids_in(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-claim-id="(\d+)"', html)]


@pytest.fixture
def editors(seeded: Seeded, web_engine: Engine) -> None:
    with session_scope(web_engine) as session:
        create_user(session, "editor1", PASSWORD, "editor")
        create_user(session, "editor2", PASSWORD, "editor")
        create_user(session, "reviewer2", PASSWORD, "reviewer")


def post(client: FlaskClient, url: str, page: str = "/claims", **data: object):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get(page).text)
    return client.post(url, data={**data, "csrf_token": token})


def claim(engine: Engine, claim_id: int) -> Claim:
    with Session(engine) as session:
        row = session.get(Claim, claim_id)
        assert row is not None
        if row.assignee is not None:
            row.assignee.username  # noqa: B018  (loaded before the session closes)
        return row


def verdict(client: FlaskClient, claim_id: int, version: int = 1, **fields: object):  # type: ignore[no-untyped-def]
    data = {"rating": "false", "rationale": "The official figure is 9%.", "version": str(version)}
    data.update(fields)  # type: ignore[arg-type]
    return post(client, f"/claims/{claim_id}/verdict", f"/claims/{claim_id}", **data)


def test_assign_to_self_then_another_reviewer_cannot_review_it(
    app: Flask, seeded: Seeded, editors: None, web_engine: Engine
) -> None:
    reviewer1 = app.test_client()
    login(reviewer1, "reviewer1")
    response = post(reviewer1, f"/claims/{seeded.reviewed_id}/assign", assignee="me")
    assert response.status_code == 302
    assert claim(web_engine, seeded.reviewed_id).assignee_id is not None
    page = reviewer1.get(f"/claims/{seeded.reviewed_id}").text
    assert '<strong id="assignee">reviewer1</strong>' in page
    assert "assigned" in page  # in the history

    reviewer2 = app.test_client()
    login(reviewer2, "reviewer2")
    page = reviewer2.get(f"/claims/{seeded.reviewed_id}").text
    assert 'name="rationale"' not in page
    assert "This claim is assigned to reviewer1." in page
    response = verdict(reviewer2, seeded.reviewed_id, version=2)
    assert response.status_code == 403
    assert "assigned to reviewer1" in response.text
    response = post(reviewer2, f"/claims/{seeded.reviewed_id}/assign", assignee="me")
    assert response.status_code == 403
    assert claim(web_engine, seeded.reviewed_id).verdict is None

    # An editor reassigns it to reviewer2, who can now record the verdict.
    editor1 = app.test_client()
    login(editor1, "editor1")
    assert (
        post(editor1, f"/claims/{seeded.reviewed_id}/assign", assignee="reviewer2").status_code
        == 302
    )
    assert verdict(reviewer2, seeded.reviewed_id, version=3).status_code == 302
    stored = claim(web_engine, seeded.reviewed_id)
    assert stored.status == ClaimStatus.VERIFIED
    assert stored.assignee is not None and stored.assignee.username == "reviewer2"


def test_reviewer_cannot_assign_claims_to_others(
    reviewer: FlaskClient, seeded: Seeded, editors: None
) -> None:
    response = post(
        reviewer, "/claims/bulk", action="assign", assignee="reviewer2", ids=seeded.claim_ids
    )
    assert response.status_code == 403
    assert "needs the editor role" in response.text


def test_bulk_dismiss_needs_a_reason_and_changes_all_or_nothing(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    ids = [c for c in seeded.claim_ids if c != seeded.reviewed_id][:2]
    response = post(reviewer, "/claims/bulk", action="dismiss", ids=ids, reason="  ")
    assert response.status_code == 400
    assert "give a reason to dismiss claims" in response.text
    assert all(claim(web_engine, i).status == ClaimStatus.QUEUED for i in ids)

    response = post(reviewer, "/claims/bulk", action="dismiss", ids=[*ids, 99999], reason="dup")
    assert response.status_code == 404
    assert all(claim(web_engine, i).status == ClaimStatus.QUEUED for i in ids)

    response = post(
        reviewer,
        "/claims/bulk",
        action="dismiss",
        ids=ids,
        reason="opinion, not a fact",
        next="/claims?status=queued",
    )
    assert response.status_code == 302
    assert response.location == "/claims?status=queued"
    assert "2 claims dismissed." in reviewer.get(response.location).text
    with Session(web_engine) as session:
        for claim_id in ids:
            last = session.scalars(
                select(StatusChange)
                .where(StatusChange.claim_id == claim_id)
                .order_by(StatusChange.id.desc())
            ).first()
            assert last is not None
            assert (last.to_status, last.note, last.actor) == (
                ClaimStatus.DISMISSED,
                "opinion, not a fact",
                "reviewer1",
            )


def test_bulk_requeue_writes_one_outbox_row_per_claim_and_relays(
    app: Flask, reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    relayed: list[bool] = []
    app.extensions["claimtrack_after_commit"] = lambda: relayed.append(True)
    with Session(web_engine) as session:
        before = session.scalar(select(func.count(OutboxMessage.id)))
    response = post(
        reviewer, "/claims/bulk", action="requeue", ids=[seeded.reviewed_id, seeded.other_claim_id]
    )
    assert response.status_code == 302
    assert relayed == [True]
    with Session(web_engine) as session:
        assert session.scalar(select(func.count(OutboxMessage.id))) == before + 2
    assert claim(web_engine, seeded.other_claim_id).status == ClaimStatus.QUEUED


def test_priority_puts_a_claim_first_in_the_queue(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    last = claim_ids_in(reviewer.get("/claims").text)[-1]
    response = post(reviewer, "/claims/bulk", action="priority", ids=[last], priority="2")
    assert response.status_code == 302
    page = reviewer.get("/claims").text
    assert claim_ids_in(page)[0] == last
    assert 'class="priority priority-2">urgent<' in page
    assert claim(web_engine, last).priority == 2
    response = post(reviewer, "/claims/bulk", action="priority", ids=[last], priority="7")
    assert response.status_code == 400
    assert "unknown priority" in response.text


def test_queue_search_and_filters(reviewer: FlaskClient, seeded: Seeded) -> None:
    unemployment = next(c for c, t in seeded.claim_texts.items() if "unemployment" in t)
    assert claim_ids_in(reviewer.get("/claims?q=unemploy").text) == [unemployment]
    assert claim_ids_in(reviewer.get("/claims?q=UNEMPLOYMENT+2023").text) == [unemployment]
    assert claim_ids_in(reviewer.get("/claims?q=river+unemployment").text) == []
    assert claim_ids_in(reviewer.get("/claims?suggested=contradicted").text) == [seeded.reviewed_id]
    assert claim_ids_in(reviewer.get("/claims?language=en").text)
    assert claim_ids_in(reviewer.get("/claims?language=fr").text) == []
    assert claim_ids_in(reviewer.get("/claims?since=2000-01-01&until=2999-12-31").text)
    assert claim_ids_in(reviewer.get("/claims?until=2000-01-01").text) == []
    assert claim_ids_in(reviewer.get("/claims?assignee=me").text) == []
    assert len(claim_ids_in(reviewer.get("/claims?assignee=none").text)) == len(seeded.claim_texts)
    # The counts follow every filter but the status.
    page = reviewer.get("/claims?q=unemployment&status=verified").text
    assert re.search(r'all <span class="count"[^>]*>1<', page)
    assert "q=unemployment" in page  # the status links keep the search


def test_publication_follows_the_two_person_rule(
    app: Flask, seeded: Seeded, editors: None, web_engine: Engine
) -> None:
    editor1 = app.test_client()
    login(editor1, "editor1")
    assert verdict(editor1, seeded.reviewed_id).status_code == 302
    page = editor1.get(f"/claims/{seeded.reviewed_id}").text
    assert "Approve and publish" not in page
    assert "Two-person rule" in page
    response = post(editor1, f"/claims/{seeded.reviewed_id}/publish", version="2")
    assert response.status_code == 403
    assert "two-person rule" in response.text
    assert claim(web_engine, seeded.reviewed_id).status == ClaimStatus.VERIFIED

    editor2 = app.test_client()
    login(editor2, "editor2")
    stale = post(editor2, f"/claims/{seeded.reviewed_id}/publish", version="1")
    assert stale.status_code == 409
    response = post(editor2, f"/claims/{seeded.reviewed_id}/publish", version="2")
    assert response.status_code == 302
    stored = claim(web_engine, seeded.reviewed_id)
    assert stored.status == ClaimStatus.PUBLISHED
    assert stored.published_at is not None
    assert "Published by editor2" in editor2.get(f"/claims/{seeded.reviewed_id}").text


def test_the_rule_can_be_turned_off(
    web_settings: Settings, seeded: Seeded, editors: None, web_engine: Engine
) -> None:
    app = create_app(replace(web_settings, two_person_rule=False))
    editor1 = app.test_client()
    login(editor1, "editor1")
    assert verdict(editor1, seeded.reviewed_id).status_code == 302
    assert post(editor1, f"/claims/{seeded.reviewed_id}/publish", version="2").status_code == 302
    assert claim(web_engine, seeded.reviewed_id).status == ClaimStatus.PUBLISHED


def test_settings_read_the_two_person_rule(tmp_path: Path) -> None:
    base = {"CLAIMTRACK_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).two_person_rule is True
    off = Settings.from_env({**base, "CLAIMTRACK_TWO_PERSON_RULE": "off"})
    assert off.two_person_rule is False


def test_an_editor_sends_a_verdict_back_with_a_comment(
    app: Flask, reviewer: FlaskClient, seeded: Seeded, editors: None, web_engine: Engine
) -> None:
    assert verdict(reviewer, seeded.reviewed_id).status_code == 302
    editor1 = app.test_client()
    login(editor1, "editor1")
    empty = post(editor1, f"/claims/{seeded.reviewed_id}/return", comment=" ", version="2")
    assert empty.status_code == 400
    response = post(
        editor1,
        f"/claims/{seeded.reviewed_id}/return",
        comment="Cite the 2023 report.",
        version="2",
    )
    assert response.status_code == 302
    stored = claim(web_engine, seeded.reviewed_id)
    assert stored.status == ClaimStatus.IN_REVIEW
    assert stored.assignee is not None and stored.assignee.username == "reviewer1"
    page = reviewer.get(f"/claims/{seeded.reviewed_id}").text
    assert "Cite the 2023 report." in page
    assert "sent back" in page
    # A reviewer cannot publish or send back.
    assert post(reviewer, f"/claims/{seeded.reviewed_id}/publish").status_code == 403


def test_comments_are_shown_in_order_and_empty_ones_refused(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    url = f"/claims/{seeded.other_claim_id}/comments"
    assert post(reviewer, url, body="First look: the library timed out.").status_code == 302
    assert post(reviewer, url, body="Second note").status_code == 302
    assert post(reviewer, url, body="   ").status_code == 400
    page = reviewer.get(f"/claims/{seeded.other_claim_id}").text
    assert page.index("First look") < page.index("Second note")
    with Session(web_engine) as session:
        assert session.scalar(select(func.count(Comment.id))) == 2


def test_verdict_records_wording_sources_and_whether_the_suggestion_was_accepted(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    page = reviewer.get(f"/claims/{seeded.reviewed_id}").text
    evidence_id = int(re.search(r'name="sources" value="(\d+)"', page).group(1))  # type: ignore[union-attr]
    response = verdict(
        reviewer,
        seeded.reviewed_id,
        claim_reviewed="Unemployment fell by 12% in 2023",
        sources=str(evidence_id),
    )
    assert response.status_code == 302
    stored = claim(web_engine, seeded.reviewed_id)
    assert stored.claim_reviewed == "Unemployment fell by 12% in 2023"
    assert stored.verdict_sources == [
        {
            "evidence_id": evidence_id,
            "title": "Labour market statistics 2023",
            "url": "https://stats.example.org/labour?year=2023&q=1",
        }
    ]
    # A second verdict overrides the "contradicted" suggestion.
    assert verdict(reviewer, seeded.reviewed_id, version=2, rating="true").status_code == 302
    with Session(web_engine) as session:
        outcomes = session.scalars(select(SuggestionOutcome).order_by(SuggestionOutcome.id)).all()
        assert [(o.rating.value, o.accepted) for o in outcomes] == [
            ("false", True),
            ("true", False),
        ]
    page = reviewer.get(f"/claims/{seeded.reviewed_id}").text
    assert "accepted" in page
    assert "overridden" in page

    bad = verdict(reviewer, seeded.reviewed_id, version=3, sources="99999")
    assert bad.status_code == 400
    assert "does not belong to claim" in bad.text


def test_evidence_can_be_marked_decisive_then_cleared(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    page = reviewer.get(f"/claims/{seeded.reviewed_id}").text
    evidence_id = int(re.search(r'id="evidence-(\d+)"', page).group(1))  # type: ignore[union-attr]
    url = f"/claims/{seeded.reviewed_id}/evidence/{evidence_id}/mark"
    response = post(reviewer, url, mark="decisive")
    assert response.status_code == 302
    assert response.location.endswith(f"#evidence-{evidence_id}")
    assert (
        '<strong class="evidence-mark">decisive</strong>'
        in reviewer.get(f"/claims/{seeded.reviewed_id}").text
    )
    assert post(reviewer, url, mark="useful").status_code == 400
    assert post(reviewer, url, mark="").status_code == 302
    with Session(web_engine) as session:
        assert session.scalar(select(func.count(EvidenceMark.id))) == 0
    other = f"/claims/{seeded.other_claim_id}/evidence/{evidence_id}/mark"
    assert post(reviewer, other, mark="decisive").status_code == 400


def test_interface_in_french_by_choice(client: FlaskClient, seeded: Seeded) -> None:
    login(client, "reviewer1")
    page = client.get("/claims").text
    assert '<html lang="en">' in page
    response = post(client, "/language", language="fr", next="/claims?status=queued")
    assert response.status_code == 302
    assert response.location == "/claims?status=queued"
    assert "claimtrack_lang=fr" in response.headers["Set-Cookie"]
    page = client.get("/claims").text
    assert '<html lang="fr">' in page
    assert "Affirmations" in page
    assert "à vérifier" in page  # the status "needs review"
    # The browser's preference applies until the user chooses.
    fresh = client.application.test_client()
    assert '<html lang="fr">' in fresh.get("/login", headers={"Accept-Language": "fr-FR"}).text
    assert '<html lang="en">' in fresh.get("/login", headers={"Accept-Language": "de"}).text


def test_the_queue_counts_per_status_follow_changes_under_its_filters(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    page = reviewer.get(f"/claims?document={seeded.document_id}&status=queued").text
    # The bar asks for the counts under the page's filters, whatever status it shows.
    assert f'data-counts-url="/claims/counts.json?document={seeded.document_id}"' in page
    url = f"/claims/counts.json?document={seeded.document_id}"
    before = reviewer.get(url).get_json()
    queued = len(seeded.claim_ids) - 1
    assert before["counts"]["queued"] == queued
    assert before["counts"]["needs_review"] == 1
    assert before["counts"]["failed"] == 0  # the other document's claim is not counted
    assert before["total"] == len(seeded.claim_ids)

    with session_scope(web_engine) as session:
        change_status(
            session, session.get(Claim, seeded.claim_ids[1]), ClaimStatus.CHECKING, actor="worker"
        )
    after = reviewer.get(url).get_json()
    assert (after["counts"]["queued"], after["counts"]["checking"]) == (queued - 1, 1)
    assert after["total"] == before["total"]
    assert reviewer.get("/claims/counts.json").get_json()["counts"]["failed"] == 1
    assert reviewer.get("/claims/counts.json?status=nonsense").status_code == 400


def test_the_queue_gives_its_live_note_in_french(reviewer: FlaskClient, seeded: Seeded) -> None:
    page = reviewer.get("/claims").text
    assert 'data-changed-other="{count} claims changed status."' in page
    post(reviewer, "/language", language="fr")
    page = reviewer.get("/claims").text
    assert 'data-changed-one="{count} affirmation a changé de statut."' in page
    assert 'data-changed-other="{count} affirmations ont changé de statut."' in page
