"""The review queue, a claim's page, verdicts, conflicts and re-checks."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from claims.models import Claim, ClaimStatus, OutboxMessage, Rating, StatusChange
from tests.integration.web.conftest import Seeded, csrf_token


def claim_ids_in(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-claim-id="(\d+)"', html)]


def test_queue_lists_claims_most_checkworthy_first(reviewer: FlaskClient, seeded: Seeded) -> None:
    page = reviewer.get("/claims")
    assert page.status_code == 200
    ids = claim_ids_in(page.text)
    assert set(ids) == {*seeded.claim_ids, seeded.other_claim_id}
    assert ids[0] == seeded.reviewed_id
    # 0.6 sits between the article's 0.7 and 0.5
    assert ids.index(seeded.other_claim_id) == 2
    assert "Budget debate in the Assembly" in page.text
    assert "River report" in page.text
    assert "contradicted" in page.text  # the suggested verdict
    assert "0.90" in page.text


def test_counts_bar_counts_every_status_and_links_to_filters(
    reviewer: FlaskClient, seeded: Seeded
) -> None:
    page = reviewer.get("/claims").text
    queued = len(seeded.claim_ids) - 1
    assert re.search(
        rf'href="/claims\?status=queued"\s*>\s*queued <span class="count"[^>]*>{queued}<', page
    )
    assert re.search(
        r'href="/claims\?status=failed"\s*>\s*failed <span class="count"[^>]*>1<', page
    )
    assert re.search(
        r'href="/claims\?status=verified"\s*>\s*verified <span class="count"[^>]*>0<', page
    )
    total = len(seeded.claim_ids) + 1
    assert re.search(rf'all <span class="count"[^>]*>{total}<', page)


def test_queue_filters_by_status_and_document(reviewer: FlaskClient, seeded: Seeded) -> None:
    page = reviewer.get("/claims?status=needs_review")
    assert page.status_code == 200
    assert claim_ids_in(page.text) == [seeded.reviewed_id]

    page = reviewer.get(f"/claims?document={seeded.other_document_id}")
    assert claim_ids_in(page.text) == [seeded.other_claim_id]
    # The counts follow the document filter, and their links keep it.
    assert f'href="/claims?status=failed&amp;document={seeded.other_document_id}"' in page.text

    page = reviewer.get(f"/claims?document={seeded.document_id}&status=failed")
    assert claim_ids_in(page.text) == []
    assert "No claims match these filters." in page.text

    page = reviewer.get("/claims?status=&document=")  # an empty filter form
    assert page.status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=bogus", "unknown status &#39;bogus&#39;"),
        ("document=abc", "document must be a positive whole number"),
        ("document=99999", "no document with id 99999"),
        ("after=bogus", "is not a position in the queue"),
        ("after=1_nan_3", "is not a position in the queue"),
        ("since=yesterday", "since must be a date"),
        ("since=2026-02-01&until=2026-01-01", "the date range ends before it starts"),
        ("suggested=maybe", "unknown suggested verdict"),
        ("assignee=nobody-here", "no active user"),
        ("q=%2B%2B%2B", "the search has no words"),
    ],
)
def test_bad_filters_get_a_400_page(reviewer: FlaskClient, query: str, message: str) -> None:
    page = reviewer.get(f"/claims?{query}")
    assert page.status_code == 400
    assert message in page.text
    assert '<nav aria-label="Main">' in page.text


def _next_link(html: str) -> str | None:
    match = re.search(r'<a rel="next" href="([^"]+)"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_queue_pages_by_50_with_a_cursor(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    with Session(web_engine) as session, session.begin():
        for i in range(60):
            session.add(
                Claim(
                    document_id=seeded.other_document_id,
                    text=f"Filler claim {i}.",
                    start=100 + i,
                    end=101 + i,
                    sentence="x",
                    language="en",
                    checkworthiness=0.01,
                )
            )
    first = reviewer.get(f"/claims?document={seeded.other_document_id}")
    assert len(claim_ids_in(first.text)) == 50
    assert "61 claims" in first.text
    next_url = _next_link(first.text)
    assert next_url is not None
    assert f"document={seeded.other_document_id}" in next_url  # the filters are kept
    second = reviewer.get(next_url)
    assert len(claim_ids_in(second.text)) == 11
    assert not set(claim_ids_in(first.text)) & set(claim_ids_in(second.text))
    assert _next_link(second.text) is None
    assert "First page" in second.text
    # Ties on priority and score are broken by id, newest first, across the page boundary.
    ids = claim_ids_in(first.text) + claim_ids_in(second.text)
    assert ids[0] == seeded.other_claim_id
    assert ids[1:] == sorted(ids[1:], reverse=True)


def test_status_json_reports_current_statuses(reviewer: FlaskClient, seeded: Seeded) -> None:
    ids = f"{seeded.reviewed_id},{seeded.other_claim_id},99999"
    response = reviewer.get(f"/claims/status.json?ids={ids}")
    assert response.status_code == 200
    assert response.get_json() == {
        str(seeded.reviewed_id): "needs_review",
        str(seeded.other_claim_id): "failed",
    }
    assert reviewer.get("/claims/status.json?ids=").get_json() == {}

    bad = reviewer.get("/claims/status.json?ids=1,x")
    assert bad.status_code == 400
    assert bad.get_json()["error"]["code"] == "invalid_input"


def test_status_json_needs_a_login(client: FlaskClient) -> None:
    response = client.get("/claims/status.json?ids=1")
    assert response.status_code == 401
    assert response.get_json() == {"error": {"code": "unauthenticated", "message": "sign in first"}}


def test_claim_page_highlights_the_sentence_in_the_document(
    reviewer: FlaskClient, seeded: Seeded
) -> None:
    quote_id = next(cid for cid, text in seeded.claim_texts.items() if "schools" in text)
    page = reviewer.get(f"/claims/{quote_id}").text
    marked = re.search(r'<mark id="claim" class="status-queued">(.*?)</mark>', page, re.S)
    assert marked
    assert "&lt;b&gt;this year&lt;/b&gt;" in marked.group(1)
    assert "<b>" not in page
    # The rest of the document is there too, split into paragraphs.
    assert "<p>Budget debate in the Assembly</p>" in page
    assert page.count('<mark id="claim"') == 1
    assert "Jane Doe" in page


def test_claim_page_shows_evidence_suggestion_and_history(
    reviewer: FlaskClient, seeded: Seeded
) -> None:
    page = reviewer.get(f"/claims/{seeded.reviewed_id}")
    assert page.status_code == 200
    text = page.text
    assert (
        '<a href="https://stats.example.org/labour?year=2023&amp;q=1" '
        'rel="noopener noreferrer nofollow">Labour market statistics 2023</a>'
    ) in text
    assert "Unemployment fell by 9% in 2023." in text
    assert "refutes" in text
    assert "score 0.82" in text
    assert re.search(
        r"claimed <q>12%</q>, source says <q>9%</q>:\s*<strong class=\"differs\">differs by -25 %",
        text,
    )
    assert "contradicted</strong>, confidence 74 %" in text
    assert "The official figure is 9%, not 12%." in text
    assert "Providers: library (ok)" in text
    # Check-worthiness reasons, quantities and the history of the claim
    assert "<li>states a number</li>" in text
    assert "<q>12%</q> = 12 %" in text
    assert text.count("<td>worker</td>") == 2
    assert "ingested" in text
    # A reviewer gets the verdict form with the claim's version
    assert 'name="rationale"' in text
    assert '<option value="mostly-true">Mostly true</option>' in text
    assert '<option selected value="">Choose a rating…</option>' in text
    assert '<input id="version" name="version" type="hidden" value="1">' in text


def test_claim_page_shows_a_recorded_failure(reviewer: FlaskClient, seeded: Seeded) -> None:
    page = reviewer.get(f"/claims/{seeded.other_claim_id}").text
    assert "The last check failed" in page
    assert "library unavailable: timed out" in page


def test_queued_claim_offers_no_verdict_form(reviewer: FlaskClient, seeded: Seeded) -> None:
    queued = next(c for c in seeded.claim_ids if c != seeded.reviewed_id)
    page = reviewer.get(f"/claims/{queued}").text
    assert 'name="rationale"' not in page
    assert "a verdict can be recorded once its check is done" in page
    assert "Check again" in page


def _verdict(client: FlaskClient, claim_id: int, **fields: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get(f"/claims/{claim_id}").text)
    data = {"rating": "false", "rationale": "The official figure is 9%.", "version": "1"}
    data.update(fields)
    return client.post(f"/claims/{claim_id}/verdict", data={**data, "csrf_token": token})


def test_verdict_is_stored_with_history_then_redirects(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    response = _verdict(reviewer, seeded.reviewed_id)
    assert response.status_code == 302
    assert response.location == f"/claims/{seeded.reviewed_id}"

    with Session(web_engine) as session:
        claim = session.get(Claim, seeded.reviewed_id)
        assert claim is not None
        assert claim.verdict == Rating.FALSE
        assert claim.verdict_rationale == "The official figure is 9%."
        assert claim.status == ClaimStatus.VERIFIED
        assert claim.version == 2
        assert claim.verdict_by is not None
        assert claim.verdict_by.username == "reviewer1"
        last = claim.history[-1]
        assert last.from_status == ClaimStatus.NEEDS_REVIEW
        assert last.to_status == ClaimStatus.VERIFIED
        assert last.actor == "reviewer1"
        assert last.note == "verdict: false"

    page = reviewer.get(response.location).text
    assert "Verdict “false” recorded" in page
    assert '<strong class="verdict verdict-false">False</strong>' in page
    assert "by reviewer1" in page


def test_stale_version_is_a_409_and_overwrites_nothing(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    assert _verdict(reviewer, seeded.reviewed_id).status_code == 302
    # A second reviewer's page was opened at version 1, before the first verdict.
    response = _verdict(
        reviewer, seeded.reviewed_id, rating="true", rationale="Looks right to me.", version="1"
    )
    assert response.status_code == 409
    text = response.text
    assert "Your verdict was not saved" in text
    assert "changed by someone else" in text
    assert "The official figure is 9%." in text  # the stored one
    assert "Looks right to me." in text  # the submitted one
    # The offered retry carries the current version.
    assert 'value="2"' in text

    with Session(web_engine) as session:
        claim = session.get(Claim, seeded.reviewed_id)
        assert claim is not None
        assert claim.verdict == Rating.FALSE
        assert claim.version == 2
        assert claim.verdict_rationale == "The official figure is 9%."


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rationale": "  "}, "a rationale is required"),
        ({"rating": "sort-of-true"}, "Not a valid choice"),
        ({"rating": ""}, "Choose a rating."),
        ({"version": "abc"}, "The form is damaged"),
    ],
)
def test_bad_verdict_form_is_a_400_and_stores_nothing(
    reviewer: FlaskClient,
    seeded: Seeded,
    web_engine: Engine,
    fields: dict[str, str],
    message: str,
) -> None:
    response = _verdict(reviewer, seeded.reviewed_id, **fields)
    assert response.status_code == 400
    assert message in response.text
    with Session(web_engine) as session:
        claim = session.get(Claim, seeded.reviewed_id)
        assert claim is not None
        assert claim.verdict is None


def test_verdict_on_a_claim_being_checked_is_a_conflict(
    reviewer: FlaskClient, seeded: Seeded
) -> None:
    queued = next(c for c in seeded.claim_ids if c != seeded.reviewed_id)
    response = _verdict(reviewer, queued)
    assert response.status_code == 409
    assert "wait for its check" in response.text


def test_verdict_without_csrf_token_is_refused(reviewer: FlaskClient, seeded: Seeded) -> None:
    response = reviewer.post(
        f"/claims/{seeded.reviewed_id}/verdict",
        data={"rating": "false", "rationale": "x", "version": "1"},
    )
    assert response.status_code == 400
    assert "The form expired" in response.text


def test_viewer_sees_no_forms_and_cannot_post(
    viewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    page = viewer.get(f"/claims/{seeded.reviewed_id}")
    assert page.status_code == 200
    assert 'name="rationale"' not in page.text
    assert "Check again" not in page.text
    token = csrf_token(page.text)  # the sign-out form's
    response = viewer.post(
        f"/claims/{seeded.reviewed_id}/verdict",
        data={"rating": "true", "rationale": "x", "version": "1", "csrf_token": token},
    )
    assert response.status_code == 403
    assert "needs the reviewer role" in response.text
    response = viewer.post(f"/claims/{seeded.reviewed_id}/requeue", data={"csrf_token": token})
    assert response.status_code == 403
    with Session(web_engine) as session:
        claim = session.get(Claim, seeded.reviewed_id)
        assert claim is not None
        assert claim.verdict is None
        assert claim.status == ClaimStatus.NEEDS_REVIEW


def test_requeue_queues_a_fresh_check_and_relays(
    app: Flask, reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    relayed: list[bool] = []
    app.extensions["claimtrack_after_commit"] = lambda: relayed.append(True)
    with Session(web_engine) as session:
        before = session.scalar(select(func.count(OutboxMessage.id)))

    token = csrf_token(reviewer.get(f"/claims/{seeded.other_claim_id}").text)
    response = reviewer.post(f"/claims/{seeded.other_claim_id}/requeue", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.location == f"/claims/{seeded.other_claim_id}"
    assert relayed == [True]
    with Session(web_engine) as session:
        claim = session.get(Claim, seeded.other_claim_id)
        assert claim is not None
        assert claim.status == ClaimStatus.QUEUED
        assert claim.error is None
        assert session.scalar(select(func.count(OutboxMessage.id))) == before + 1
        change = session.scalars(
            select(StatusChange).where(StatusChange.claim_id == claim.id)
        ).all()[-1]
        assert (change.from_status, change.to_status, change.actor) == (
            ClaimStatus.FAILED,
            ClaimStatus.QUEUED,
            "reviewer1",
        )
    assert "A fresh check of claim" in reviewer.get(response.location).text


def test_requeue_failing_hook_keeps_the_commit(
    app: Flask, reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    def broken() -> None:
        raise ConnectionError("broker down")

    app.extensions["claimtrack_after_commit"] = broken
    token = csrf_token(reviewer.get(f"/claims/{seeded.other_claim_id}").text)
    response = reviewer.post(f"/claims/{seeded.other_claim_id}/requeue", data={"csrf_token": token})
    assert response.status_code == 302
    with Session(web_engine) as session:
        claim = session.get(Claim, seeded.other_claim_id)
        assert claim is not None
        assert claim.status == ClaimStatus.QUEUED


def test_requeue_of_a_verified_claim_is_a_conflict(reviewer: FlaskClient, seeded: Seeded) -> None:
    assert _verdict(reviewer, seeded.reviewed_id).status_code == 302
    token = csrf_token(reviewer.get(f"/claims/{seeded.reviewed_id}").text)
    response = reviewer.post(f"/claims/{seeded.reviewed_id}/requeue", data={"csrf_token": token})
    assert response.status_code == 409
    assert "cannot go from verified to queued" in response.text


def test_unknown_claim_is_a_404(reviewer: FlaskClient, seeded: Seeded) -> None:
    response = reviewer.get("/claims/99999")
    assert response.status_code == 404
    assert "no claim with id 99999" in response.text
    token = csrf_token(reviewer.get("/claims").text)
    response = reviewer.post("/claims/99999/verdict", data={"csrf_token": token})
    assert response.status_code == 404
    assert reviewer.get("/nowhere").status_code == 404


def test_root_redirects_to_the_queue(reviewer: FlaskClient) -> None:
    response = reviewer.get("/")
    assert response.status_code == 302
    assert response.location == "/claims"


def test_claim_page_shows_the_time_the_claim_refers_to(
    reviewer: FlaskClient, seeded: Seeded
) -> None:
    unemployment_id = next(cid for cid, t in seeded.claim_texts.items() if "12%" in t)
    page = reviewer.get(f"/claims/{unemployment_id}").text
    assert '<q class="claim-time">2023</q> = 2023' in page
    # A claim naming no time shows its document's date, here unknown.
    river = reviewer.get(f"/claims/{seeded.other_claim_id}").text
    assert "claim-time" not in river
