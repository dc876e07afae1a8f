"""Adding a source from the library to a claim: from its review page and through the JSON API."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from claims.accounts import create_user
from claims.checking import check_claim, start_check
from claims.db import session_scope
from claims.desk import assign_claims, find_user
from claims.library import add_source, source_draft
from claims.models import ClaimEvent, EventKind, Evidence, Stance
from claims.workflow import get_claim, requeue_claim
from tests.integration.web.api_helpers import bearer, make_token
from tests.integration.web.conftest import PASSWORD, Seeded, csrf_token, login

API = "/api/v1"
BULLETIN = "Statistics office bulletin"


@pytest.fixture
def bulletin(seeded: Seeded, web_engine: Engine) -> int:
    """A source of the library that states the reviewed claim's figures; its passage's id."""
    assert "12%" in seeded.claim_texts[seeded.reviewed_id]
    with session_scope(web_engine) as session:
        source, _ = add_source(
            session,
            source_draft(
                "Unemployment fell by 12% in 2023, the statistics office reported on Monday.",
                title=BULLETIN,
                language="en",
                url="https://stats.example.org/bulletin",
            ),
        )
        return source.passages[0].id


def _seeded_passage(engine: Engine, claim_id: int) -> int:
    with session_scope(engine) as session:
        passage_id = session.scalar(
            select(Evidence.passage_id).where(Evidence.claim_id == claim_id)
        )
        assert passage_id is not None
        return passage_id


def _evidence(engine: Engine, claim_id: int) -> list[tuple[int | None, str, Stance]]:
    with session_scope(engine) as session:
        rows = session.scalars(select(Evidence).where(Evidence.claim_id == claim_id))
        return sorted((e.passage_id, e.provider, e.stance) for e in rows)


def test_a_reviewer_finds_a_passage_and_attaches_it_once(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine, bulletin: int
) -> None:
    claim_id = seeded.reviewed_id
    page = reviewer.get(f"/claims/{claim_id}")
    assert f'action="/claims/{claim_id}/library"' in page.text

    found = reviewer.get(f"/claims/{claim_id}/library", query_string={"q": "unemployment 2023"})

    assert found.status_code == 200
    assert BULLETIN in found.text
    assert "Unemployment fell by 12% in 2023, the statistics office reported" in found.text
    # The passage the check found is shown as evidence already, with no button.
    assert "Labour market statistics 2023" in found.text
    assert found.text.count("Already evidence of this claim.") == 1
    assert f'name="passage" value="{bulletin}"' in found.text

    attached = reviewer.post(
        f"/claims/{claim_id}/library",
        data={"passage": str(bulletin), "csrf_token": csrf_token(found.text)},
    )

    assert attached.status_code == 302
    assert attached.location.startswith(f"/claims/{claim_id}#evidence-")
    shown = reviewer.get(f"/claims/{claim_id}").text
    assert f"The passage of “{BULLETIN}” is attached as evidence." in shown
    assert "attached by reviewer1" in shown
    assert "evidence added" in shown
    (row,) = [e for e in _evidence(web_engine, claim_id) if e[0] == bulletin]
    assert row == (bulletin, "library-attached", Stance.SUPPORTS)
    with session_scope(web_engine) as session:
        evidence = session.scalar(select(Evidence).where(Evidence.passage_id == bulletin))
        assert evidence is not None
        assert evidence.number_match is not None and evidence.number_match["match"] is True
        events = session.scalars(
            select(ClaimEvent).where(
                ClaimEvent.claim_id == claim_id, ClaimEvent.kind == EventKind.EVIDENCE_ADDED
            )
        ).all()
        assert [(e.actor, e.detail["source"]) for e in events] == [("reviewer1", BULLETIN)]
        # The suggestion is made again with the new evidence, as after an attached web page.
        assert "library-attached" in get_claim(session, claim_id).suggestion.providers

    again = reviewer.post(
        f"/claims/{claim_id}/library",
        data={"passage": str(bulletin), "csrf_token": csrf_token(found.text)},
    )

    assert again.status_code == 302
    told = reviewer.get(again.location).text
    assert f"This passage is already evidence of claim {claim_id}." in told
    assert [e for e in _evidence(web_engine, claim_id) if e[0] == bulletin] == [row]
    relisted = reviewer.get(f"/claims/{claim_id}/library", query_string={"q": "unemployment"})
    assert relisted.text.count("Already evidence of this claim.") == 2


def test_without_a_search_the_page_offers_what_a_check_ranks_highest(
    reviewer: FlaskClient, seeded: Seeded, bulletin: int
) -> None:
    page = reviewer.get(f"/claims/{seeded.reviewed_id}/library")

    assert page.status_code == 200
    assert BULLETIN in page.text
    assert "the passages a check ranks highest for this claim" in page.text


def test_a_passage_a_check_found_becomes_attached_and_checks_keep_both(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine, bulletin: int
) -> None:
    claim_id = seeded.reviewed_id
    found_by_check = _seeded_passage(web_engine, claim_id)
    token = csrf_token(reviewer.get(f"/claims/{claim_id}").text)
    for passage_id in (found_by_check, bulletin):
        response = reviewer.post(
            f"/claims/{claim_id}/library", data={"passage": str(passage_id), "csrf_token": token}
        )
        assert response.status_code == 302

    assert _evidence(web_engine, claim_id) == sorted(
        [
            (found_by_check, "library-attached", Stance.REFUTES),
            (bulletin, "library-attached", Stance.SUPPORTS),
        ]
    )
    # A fresh check replaces what the providers found but keeps what a person attached, and
    # does not add an attached passage a second time.
    with session_scope(web_engine) as session:
        requeue_claim(session, get_claim(session, claim_id), actor="test")
    with session_scope(web_engine) as session:
        assert start_check(session, claim_id)
        check_claim(session, claim_id)
    passages = [row[0] for row in _evidence(web_engine, claim_id) if row[0] is not None]
    assert sorted(passages) == sorted({*passages})
    assert {found_by_check, bulletin} <= set(passages)


@pytest.mark.parametrize(
    ("passage", "status", "message"),
    [
        ("", 400, "choose a passage of the library to attach"),
        ("abc", 400, "passage must be a positive whole number"),
        ("999999", 404, "no library passage with id 999999"),
    ],
)
def test_a_bad_passage_is_refused_and_nothing_changes(
    reviewer: FlaskClient,
    seeded: Seeded,
    web_engine: Engine,
    passage: str,
    status: int,
    message: str,
) -> None:
    before = _evidence(web_engine, seeded.reviewed_id)
    token = csrf_token(reviewer.get(f"/claims/{seeded.reviewed_id}").text)

    response = reviewer.post(
        f"/claims/{seeded.reviewed_id}/library", data={"passage": passage, "csrf_token": token}
    )

    assert response.status_code == status
    assert message in response.text
    assert _evidence(web_engine, seeded.reviewed_id) == before


def test_a_search_without_words_says_so(reviewer: FlaskClient, seeded: Seeded) -> None:
    response = reviewer.get(f"/claims/{seeded.reviewed_id}/library", query_string={"q": "?!"})

    assert response.status_code == 400
    assert "search with at least one word or number" in response.text


def test_an_unknown_claim_is_not_found(reviewer: FlaskClient, seeded: Seeded) -> None:
    assert reviewer.get("/claims/999999/library").status_code == 404


def test_viewers_and_other_reviewers_cannot_attach(
    viewer: FlaskClient,
    seeded: Seeded,
    web_engine: Engine,
    bulletin: int,
) -> None:
    claim_id = seeded.reviewed_id
    page = viewer.get(f"/claims/{claim_id}")
    assert "/library" not in page.text
    assert viewer.get(f"/claims/{claim_id}/library").status_code == 403
    denied = viewer.post(
        f"/claims/{claim_id}/library",
        data={"passage": str(bulletin), "csrf_token": csrf_token(page.text)},
    )
    assert denied.status_code == 403
    # A claim assigned to another reviewer is theirs: same rule as attaching a web page.
    with session_scope(web_engine) as session:
        other = create_user(session, "reviewer3", PASSWORD, "reviewer")
        assign_claims(session, [claim_id], other, by=other)
    reviewer1 = viewer.application.test_client()
    assert login(reviewer1, "reviewer1").status_code == 302
    assert reviewer1.get(f"/claims/{claim_id}/library").status_code == 403
    token = csrf_token(reviewer1.get(f"/claims/{claim_id}").text)
    refused = reviewer1.post(
        f"/claims/{claim_id}/library", data={"passage": str(bulletin), "csrf_token": token}
    )
    assert refused.status_code == 403
    assert "assigned to reviewer3" in refused.text
    assert bulletin not in [row[0] for row in _evidence(web_engine, claim_id)]


@pytest.fixture
def tokens(seeded: Seeded, web_engine: Engine) -> dict[str, dict[str, str]]:
    return {
        role: bearer(make_token(web_engine, f"{role}-bot", role)) for role in ("viewer", "reviewer")
    }


def test_the_api_searches_the_library_and_attaches_a_passage_once(
    client: FlaskClient,
    seeded: Seeded,
    web_engine: Engine,
    bulletin: int,
    tokens: dict[str, dict[str, str]],
) -> None:
    claim_id = seeded.reviewed_id
    searched = client.get(
        f"{API}/claims/{claim_id}/library",
        query_string={"q": "unemployment"},
        headers=tokens["viewer"],
    )
    assert searched.status_code == 200
    items = {item["passage_id"]: item for item in searched.get_json()["items"]}
    assert items[bulletin]["source"] == BULLETIN
    assert items[bulletin]["attached"] is False
    assert items[_seeded_passage(web_engine, claim_id)]["attached"] is True

    url = f"{API}/claims/{claim_id}/evidence"
    refused = client.post(url, json={"passage_id": bulletin}, headers=tokens["viewer"])
    assert refused.status_code == 403
    created = client.post(url, json={"passage_id": bulletin}, headers=tokens["reviewer"])

    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["passage_id"], body["source"], body["stance"]) == (bulletin, BULLETIN, "supports")
    assert body["attached_by"] == "reviewer-bot"
    assert body["number_match"]["match"] is True
    assert created.headers["Location"] == f"{API}/claims/{claim_id}"
    again = client.post(url, json={"passage_id": bulletin}, headers=tokens["reviewer"])
    assert again.status_code == 200
    assert again.get_json()["id"] == body["id"]
    claim = client.get(f"{API}/claims/{claim_id}", headers=tokens["viewer"]).get_json()
    assert [e["id"] for e in claim["evidence"]].count(body["id"]) == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 400),
        ({"passage_id": "7"}, 400),
        ({"passage_id": True}, 400),
        ({"passage_id": 0}, 400),
        ({"passage_id": 7.5}, 400),
        ({"passage_id": 999999.0}, 404),
        ({"passage_id": 999999}, 404),
    ],
)
def test_the_api_refuses_a_bad_passage(
    client: FlaskClient,
    seeded: Seeded,
    web_engine: Engine,
    tokens: dict[str, dict[str, str]],
    body: dict[str, object],
    status: int,
) -> None:
    before = _evidence(web_engine, seeded.reviewed_id)

    response = client.post(
        f"{API}/claims/{seeded.reviewed_id}/evidence", json=body, headers=tokens["reviewer"]
    )

    assert response.status_code == status
    assert set(response.get_json()["error"]) == {"code", "message"}
    assert _evidence(web_engine, seeded.reviewed_id) == before


def test_the_api_keeps_a_claim_assigned_to_someone_else_to_them(
    client: FlaskClient,
    seeded: Seeded,
    web_engine: Engine,
    bulletin: int,
    tokens: dict[str, dict[str, str]],
) -> None:
    with session_scope(web_engine) as session:
        reviewer1 = find_user(session, "reviewer1")
        assign_claims(session, [seeded.reviewed_id], reviewer1, by=reviewer1)

    response = client.post(
        f"{API}/claims/{seeded.reviewed_id}/evidence",
        json={"passage_id": bulletin},
        headers=tokens["reviewer"],
    )

    assert response.status_code == 403
    assert response.get_json()["error"]["message"] == (
        f"claim {seeded.reviewed_id} is assigned to reviewer1"
    )
