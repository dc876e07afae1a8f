"""The JSON API on a real SQLite database: tokens and roles, the error shape, If-Match, cursors,
the OpenAPI document, and the round trip of the seed article through review and every export."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from claims.config import Settings
from claims.db import session_scope
from claims.models import Claim, ClaimStatus, Document, OutboxMessage, WebhookDelivery
from claims.reports.claimreview import claim_review_problems
from claims.webhooks import DELIVER_TASK, prepare_attempt, record_attempt, send_delivery
from claims.workflow import change_status
from tests.conftest import SEED_ARTICLE
from tests.integration.web.api_helpers import bearer, make_token, webhook_receiver
from tests.integration.web.conftest import engine_for
from web.app import create_app

API = "/api/v1"


@pytest.fixture
def api_settings(tmp_path: Path) -> Settings:
    return Settings.from_env(
        {
            "CLAIMTRACK_DATA_DIR": str(tmp_path),
            "CLAIMTRACK_ALLOW_PRIVATE_URLS": "1",
            "CLAIMTRACK_PUBLIC_URL": "https://factcheck.example.org",
            "CLAIMTRACK_ORG_NAME": "Example Fact Desk",
            "CLAIMTRACK_ORG_URL": "https://example.org/",
        }
    ).prepared()


@pytest.fixture
def api_engine(api_settings: Settings) -> Iterator[Engine]:
    yield from engine_for(api_settings)


@pytest.fixture
def api_app(api_settings: Settings, api_engine: Engine) -> Flask:
    app = create_app(api_settings)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def api(api_app: Flask) -> FlaskClient:
    return api_app.test_client()


@pytest.fixture
def tokens(api_engine: Engine) -> dict[str, dict[str, str]]:
    return {
        role: bearer(make_token(api_engine, f"{role}-bot", role))
        for role in ("viewer", "reviewer", "editor", "admin")
    }


def _error(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message"}, body
    return body["error"]


def _submit_seed(api: FlaskClient, token: dict[str, str]) -> dict:
    response = api.post(
        f"{API}/documents",
        json={"text": SEED_ARTICLE.read_text(encoding="utf-8"), "title": "Seed article"},
        headers=token,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["document"]


def _checked(engine: Engine, document_id: int) -> None:
    """Stand in for the worker: move every claim of the document to needs_review."""
    with session_scope(engine) as session:
        for claim in session.scalars(select(Claim).where(Claim.document_id == document_id)):
            change_status(session, claim, ClaimStatus.CHECKING, actor="worker")
            change_status(session, claim, ClaimStatus.NEEDS_REVIEW, actor="worker")


# --- authentication, roles and the error shape ---------------------------------------------


def test_calls_without_a_valid_token_get_401_in_the_error_shape(
    api: FlaskClient, tokens: dict[str, dict[str, str]]
) -> None:
    missing = api.get(f"{API}/claims")
    assert missing.status_code == 401
    assert _error(missing)["code"] == "unauthenticated"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = api.get(f"{API}/claims", headers=bearer("ct_not-a-real-token"))
    assert wrong.status_code == 401
    basic = api.get(f"{API}/claims", headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert basic.status_code == 401
    # The OpenAPI document is public.
    assert api.get(f"{API}/openapi.json").status_code == 200


def test_roles_are_checked_on_every_route(
    api: FlaskClient, tokens: dict[str, dict[str, str]]
) -> None:
    assert api.get(f"{API}/claims", headers=tokens["viewer"]).status_code == 200
    submit = api.post(f"{API}/documents", json={"text": "x"}, headers=tokens["viewer"])
    assert submit.status_code == 403
    assert _error(submit)["code"] == "forbidden"
    assert api.get(f"{API}/tokens", headers=tokens["editor"]).status_code == 403
    assert api.get(f"{API}/webhooks", headers=tokens["reviewer"]).status_code == 403
    assert api.get(f"{API}/tokens", headers=tokens["admin"]).status_code == 200


def test_http_errors_share_the_one_shape(
    api: FlaskClient, tokens: dict[str, dict[str, str]], api_app: Flask
) -> None:
    headers = tokens["admin"]
    not_found = api.get(f"{API}/nothing-here", headers=headers)
    assert not_found.status_code == 404
    assert _error(not_found)["code"] == "not_found"
    assert _error(api.get(f"{API}/claims/987654", headers=headers))["code"] == "not_found"
    wrong_method = api.delete(f"{API}/claims", headers=headers)
    assert wrong_method.status_code == 405
    assert _error(wrong_method)["code"] == "method_not_allowed"
    form = api.post(f"{API}/documents", data={"text": "hello"}, headers=headers)
    assert form.status_code == 415
    assert _error(form)["code"] == "unsupported_media_type"
    broken = api.post(
        f"{API}/documents",
        data="{not json",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert _error(broken)["code"] == "malformed_json"
    too_big = api.post(
        f"{API}/documents",
        data=json.dumps({"text": "a" * (api_app.config["MAX_CONTENT_LENGTH"] + 10)}),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert too_big.status_code == 413
    assert _error(too_big)["code"] == "too_large"
    neither = api.post(f"{API}/documents", json={"title": "no text"}, headers=headers)
    assert neither.status_code == 400
    bad_cursor = api.get(f"{API}/claims?cursor=%%%", headers=headers)
    assert _error(bad_cursor)["code"] == "invalid_cursor"
    bad_status = api.get(f"{API}/claims?status=maybe", headers=headers)
    assert bad_status.status_code == 400
    assert "maybe" in _error(bad_status)["message"]


def test_tokens_are_stored_hashed_shown_once_and_revocable(
    api: FlaskClient, tokens: dict[str, dict[str, str]], api_engine: Engine
) -> None:
    created = api.post(
        f"{API}/tokens", json={"name": "newsroom-cms", "role": "viewer"}, headers=tokens["admin"]
    )
    assert created.status_code == 201
    token = created.get_json()["token"]
    listed = api.get(f"{API}/tokens", headers=tokens["admin"]).get_json()["items"]
    assert all("token" not in t for t in listed)
    from claims.models import ApiToken

    with session_scope(api_engine) as session:
        row = session.scalar(select(ApiToken).where(ApiToken.name == "newsroom-cms"))
        assert row is not None
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in {row.token_hash, row.prefix}
    assert api.get(f"{API}/claims", headers=bearer(token)).status_code == 200
    duplicate = api.post(
        f"{API}/tokens", json={"name": "newsroom-cms", "role": "viewer"}, headers=tokens["admin"]
    )
    assert duplicate.status_code == 409
    token_id = created.get_json()["id"]
    assert api.delete(f"{API}/tokens/{token_id}", headers=tokens["admin"]).status_code == 200
    assert api.get(f"{API}/claims", headers=bearer(token)).status_code == 401


# --- claims: pagination, If-Match ------------------------------------------------------------


def test_claims_are_listed_a_page_at_a_time_with_cursors(
    api: FlaskClient, tokens: dict[str, dict[str, str]]
) -> None:
    document = _submit_seed(api, tokens["reviewer"])
    expected = [c["id"] for c in document["claims"]]
    assert len(expected) >= 5
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        query = {"limit": 2, "document": document["id"], **({"cursor": cursor} if cursor else {})}
        page = api.get(f"{API}/claims", query_string=query, headers=tokens["viewer"]).get_json()
        seen += [c["id"] for c in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(expected)
    assert pages == -(-len(expected) // 2)
    queued = api.get(
        f"{API}/claims", query_string={"status": "verified"}, headers=tokens["viewer"]
    ).get_json()
    assert queued == {"items": [], "next_cursor": None}


def test_writes_need_if_match_and_a_stale_version_answers_412(
    api: FlaskClient, tokens: dict[str, dict[str, str]], api_engine: Engine
) -> None:
    document = _submit_seed(api, tokens["reviewer"])
    _checked(api_engine, document["id"])
    claim_id = document["claims"][0]["id"]
    read = api.get(f"{API}/claims/{claim_id}", headers=tokens["viewer"])
    etag = read.headers["ETag"]
    verdict = {"rating": "true", "rationale": "Matches the ministry's count."}
    url = f"{API}/claims/{claim_id}/verdict"
    no_match = api.put(url, json=verdict, headers=tokens["reviewer"])
    assert no_match.status_code == 428
    assert _error(no_match)["code"] == "precondition_required"
    first = api.put(url, json=verdict, headers={**tokens["reviewer"], "If-Match": etag})
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["status"] == "verified"
    assert first.headers["ETag"] != etag
    # A second editor who read the same version is told it changed, and nothing is lost.
    stale = api.put(
        url,
        json={"rating": "false", "rationale": "x"},
        headers={**tokens["editor"], "If-Match": etag},
    )
    assert stale.status_code == 412
    assert _error(stale)["code"] == "precondition_failed"
    now = api.get(f"{API}/claims/{claim_id}", headers=tokens["viewer"]).get_json()
    assert now["verdict"] == "true"
    assert now["reviewer"] == "reviewer-bot"
    # A transition that makes no sense is a conflict, with the current version.
    bad = api.post(
        f"{API}/claims/{claim_id}/status",
        json={"status": "checking"},
        headers={**tokens["editor"], "If-Match": first.headers["ETag"]},
    )
    assert bad.status_code == 409
    assert _error(bad)["code"] == "conflict"


def test_only_an_editor_other_than_the_reviewer_publishes(
    api: FlaskClient, tokens: dict[str, dict[str, str]], api_engine: Engine
) -> None:
    document = _submit_seed(api, tokens["reviewer"])
    _checked(api_engine, document["id"])
    claim_id = document["claims"][0]["id"]
    etag = api.get(f"{API}/claims/{claim_id}", headers=tokens["viewer"]).headers["ETag"]
    done = api.put(
        f"{API}/claims/{claim_id}/verdict",
        json={"rating": "mostly-true", "rationale": "Close to the official figure."},
        headers={**tokens["reviewer"], "If-Match": etag},
    )
    etag = done.headers["ETag"]
    status_url = f"{API}/claims/{claim_id}/status"
    by_reviewer = api.post(
        status_url, json={"status": "published"}, headers={**tokens["reviewer"], "If-Match": etag}
    )
    assert by_reviewer.status_code == 403
    published = api.post(
        status_url, json={"status": "published"}, headers={**tokens["editor"], "If-Match": etag}
    )
    assert published.status_code == 200, published.get_json()
    body = published.get_json()
    assert body["status"] == "published"
    assert [h["to"] for h in body["history"]][-2:] == ["verified", "published"]


# --- webhooks ------------------------------------------------------------------------------


def _deliver_now(engine: Engine, delivery_id: int, *, final: bool = False) -> str:
    """Run one delivery attempt as the task does (prepare, send, record)."""
    with session_scope(engine) as session:
        prepared = prepare_attempt(session, delivery_id)
    assert prepared is not None
    outcome = send_delivery(prepared, timeout=5, allow_private=True)
    with session_scope(engine) as session:
        return record_attempt(session, prepared, outcome, final=final).value


def test_a_published_verdict_is_posted_signed_to_each_webhook_with_retries_logged(
    api: FlaskClient, tokens: dict[str, dict[str, str]], api_engine: Engine
) -> None:
    document = _submit_seed(api, tokens["reviewer"])
    _checked(api_engine, document["id"])
    claim_id = document["claims"][0]["id"]
    with webhook_receiver(statuses=[503]) as receiver:
        added = api.post(f"{API}/webhooks", json={"url": receiver.url}, headers=tokens["admin"])
        assert added.status_code == 201
        secret = added.get_json()["secret"]
        webhook_id = added.get_json()["id"]
        etag = api.get(f"{API}/claims/{claim_id}", headers=tokens["viewer"]).headers["ETag"]
        etag = api.put(
            f"{API}/claims/{claim_id}/verdict",
            json={"rating": "false", "rationale": "The decree says otherwise."},
            headers={**tokens["reviewer"], "If-Match": etag},
        ).headers["ETag"]
        assert (
            api.post(
                f"{API}/claims/{claim_id}/status",
                json={"status": "published"},
                headers={**tokens["editor"], "If-Match": etag},
            ).status_code
            == 200
        )
        with session_scope(api_engine) as session:
            delivery = session.scalar(select(WebhookDelivery))
            assert delivery is not None
            delivery_id = delivery.id
            outbox = session.scalars(
                select(OutboxMessage).where(OutboxMessage.task == DELIVER_TASK)
            ).all()
            assert [m.args for m in outbox] == [[delivery_id]]
        # The receiver first fails with a 503 (retried), then accepts.
        assert _deliver_now(api_engine, delivery_id) == "pending"
        assert _deliver_now(api_engine, delivery_id) == "delivered"
        assert len(receiver.requests) == 2
        headers, body = receiver.requests[-1]
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Claimtrack-Signature"] == expected
        assert headers["X-Claimtrack-Timestamp"].isdigit()
        review = json.loads(body)
        assert review["@type"] == "ClaimReview"
        assert review["reviewRating"]["ratingValue"] == 1
        assert review["url"] == f"https://factcheck.example.org/claims/{claim_id}"
        assert claim_review_problems(review) == []
    log = api.get(f"{API}/webhooks/{webhook_id}/deliveries", headers=tokens["admin"]).get_json()
    attempts = log["items"][0]["attempts"]
    assert log["items"][0]["state"] == "delivered"
    assert [a["status_code"] for a in attempts] == [503, 200]
    # A delivery already made is not sent again when the task runs twice.
    with session_scope(api_engine) as session:
        assert prepare_attempt(session, delivery_id) is None


def test_a_webhook_that_answers_4xx_fails_without_retries(
    api: FlaskClient, tokens: dict[str, dict[str, str]], api_engine: Engine
) -> None:
    document = _submit_seed(api, tokens["reviewer"])
    _checked(api_engine, document["id"])
    claim_id = document["claims"][1]["id"]
    with webhook_receiver(statuses=[410]) as receiver:
        api.post(f"{API}/webhooks", json={"url": receiver.url}, headers=tokens["admin"])
        etag = api.get(f"{API}/claims/{claim_id}", headers=tokens["viewer"]).headers["ETag"]
        etag = api.put(
            f"{API}/claims/{claim_id}/verdict",
            json={"rating": "unverifiable", "rationale": "No source says."},
            headers={**tokens["reviewer"], "If-Match": etag},
        ).headers["ETag"]
        api.post(
            f"{API}/claims/{claim_id}/status",
            json={"status": "published"},
            headers={**tokens["editor"], "If-Match": etag},
        )
        with session_scope(api_engine) as session:
            delivery_id = session.scalars(select(WebhookDelivery.id)).one()
        assert _deliver_now(api_engine, delivery_id) == "failed"
        review = json.loads(receiver.requests[0][1])
        # Unverifiable keeps its textual rating and carries no ratingValue.
        assert review["reviewRating"]["alternateName"] == "Unverifiable"
        assert "ratingValue" not in review["reviewRating"]


def test_a_webhook_url_must_be_http(api: FlaskClient, tokens: dict[str, dict[str, str]]) -> None:
    response = api.post(
        f"{API}/webhooks", json={"url": "file:///etc/passwd"}, headers=tokens["admin"]
    )
    assert response.status_code == 400
    assert "http" in _error(response)["message"]


# --- the round trip ------------------------------------------------------------------------

RATINGS = ["true", "mostly-true", "mixed", "mostly-false", "false", "unverifiable"]


def test_round_trip_ingest_review_and_export_every_format(
    api: FlaskClient, tokens: dict[str, dict[str, str]], api_engine: Engine, tmp_path: Path
) -> None:
    document = _submit_seed(api, tokens["reviewer"])
    again = api.post(
        f"{API}/documents",
        json={"text": SEED_ARTICLE.read_text(encoding="utf-8")},
        headers=tokens["reviewer"],
    )
    assert again.status_code == 200
    assert again.get_json()["created"] is False
    _checked(api_engine, document["id"])
    claims = document["claims"]
    verdicts: dict[int, tuple[str, str]] = {}
    for index, claim in enumerate(claims[:-1]):  # the last claim stays without a verdict
        rating = RATINGS[index % len(RATINGS)]
        rationale = f"=cmd|' /C calc'!A0 rationale {index}" if index == 0 else f"Reason {index}."
        etag = api.get(f"{API}/claims/{claim['id']}", headers=tokens["viewer"]).headers["ETag"]
        response = api.put(
            f"{API}/claims/{claim['id']}/verdict",
            json={"rating": rating, "rationale": rationale},
            headers={**tokens["reviewer"], "If-Match": etag},
        )
        assert response.status_code == 200, response.get_json()
        verdicts[claim["id"]] = (rating, rationale)

    def export(fmt: str) -> bytes:
        response = api.get(
            f"{API}/export",
            query_string={"format": fmt, "document": document["id"]},
            headers=tokens["viewer"],
        )
        assert response.status_code == 200, response.data[:300]
        assert "attachment" in response.headers["Content-Disposition"]
        data = response.data
        response.close()  # as a WSGI server does: closes the spooled report
        return data

    as_json = json.loads(export("json"))
    assert [r["claim_id"] for r in as_json] == [c["id"] for c in claims]
    assert {
        r["claim_id"]: (r["verdict"], r["verdict_rationale"]) for r in as_json if r["verdict"]
    } == verdicts

    as_jsonl = [json.loads(line) for line in export("jsonl").decode().splitlines()]
    assert as_jsonl == as_json

    table = list(csv.DictReader(io.StringIO(export("csv").decode())))
    assert [int(r["claim_id"]) for r in table] == [c["id"] for c in claims]
    first = table[0]
    # The formula is neutralised for spreadsheets, and the value is otherwise intact.
    assert first["verdict_rationale"] == "'" + verdicts[claims[0]["id"]][1]
    assert {int(r["claim_id"]): r["verdict"] for r in table if r["verdict"]} == {
        k: v[0] for k, v in verdicts.items()
    }

    reviews = json.loads(export("claimreview"))
    assert len(reviews) == len(verdicts)
    for review, (claim_id, (rating, _)) in zip(reviews, verdicts.items(), strict=True):
        assert claim_review_problems(review) == []
        assert review["url"] == f"https://factcheck.example.org/claims/{claim_id}"
        assert review["author"] == {
            "@type": "Organization",
            "name": "Example Fact Desk",
            "url": "https://example.org/",
        }
        value = review["reviewRating"].get("ratingValue")
        assert value == {
            "true": 5,
            "mostly-true": 4,
            "mixed": 3,
            "mostly-false": 2,
            "false": 1,
        }.get(rating)
        item = review["itemReviewed"]
        assert item["firstAppearance"] == item["appearance"][0]
        assert item["appearance"][0]["url"].endswith(f"/documents/{document['id']}")
        assert item["datePublished"] == "2022-09"

    html = export("html").decode()
    for claim in claims:
        assert f'id="claim-{claim["id"]}"' in html
    assert html.count("<svg") == 2
    assert "reviewer-bot" in html
    assert "Verdicts by speaker" in html

    pdf = export("pdf")
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    _assert_first_page_not_blank(path)


def _assert_first_page_not_blank(pdf: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", str(pdf), str(pdf.with_suffix(""))],
        check=True,
    )
    page = next(pdf.parent.glob(pdf.stem + "*.pgm"))
    data = page.read_bytes()
    # A binary PGM: "P5\n<width> <height>\n<max>\n" then one byte per pixel.
    header_end = 0
    for _ in range(3):
        header_end = data.index(b"\n", header_end) + 1
    pixels = data[header_end:]
    mean = sum(pixels) / len(pixels)
    variance = sum((p - mean) ** 2 for p in pixels[::7]) / len(pixels[::7])
    dark = sum(1 for p in pixels if p < 128)
    assert variance > 100, "the rendered page is blank"
    assert dark > 500, "the rendered page has almost no ink"


def test_the_web_export_serves_every_format_to_signed_in_users(
    reviewer: FlaskClient, seeded
) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("csv", "json", "jsonl", "claimreview", "html"):
        response = reviewer.get("/export", query_string={"format": fmt})
        assert response.status_code == 200, (fmt, response.data[:200])
        response.close()
    response = reviewer.get("/export", query_string={"format": "xml"})
    assert response.status_code == 400
    page = reviewer.get("/claims")
    assert "/export?format=claimreview" in page.text


def test_a_claim_carries_the_time_it_refers_to(
    api: FlaskClient, tokens: dict[str, dict[str, str]]
) -> None:
    document = _submit_seed(api, tokens["reviewer"])
    summary = next(c for c in document["claims"] if "98 000" in c["text"])
    assert summary["time"]["text"] == "mardi"
    claim = api.get(summary["url"], headers=tokens["viewer"]).get_json()
    # The article is dated to the month only, too coarse to resolve a weekday.
    assert claim["time"] == {**summary["time"], "value": None}


POST = (
    "Officials said 4,300 households lost power after the storm on Tuesday. "
    "Thinking of everyone affected tonight!\n"
)


def test_a_document_is_segmented_in_the_mode_the_client_asks_for(
    api: FlaskClient, tokens: dict[str, dict[str, str]], api_engine: Engine
) -> None:
    headers = tokens["reviewer"]
    bogus = api.post(
        f"{API}/documents", json={"text": POST, "language": "en", "mode": "bogus"}, headers=headers
    )
    assert bogus.status_code == 400
    assert _error(bogus)["code"] == "invalid_input"
    assert "'bogus'" in _error(bogus)["message"]
    with session_scope(api_engine) as session:
        assert session.scalar(select(func.count(Document.id))) == 0
    social = api.post(
        f"{API}/documents", json={"text": POST, "language": "en", "mode": "social"}, headers=headers
    )
    assert social.status_code == 201, social.get_json()
    with session_scope(api_engine) as session:
        reasons = [claim.reasons for claim in session.scalars(select(Claim))]
    assert reasons
    assert all(claim[0].startswith("model (social): ") for claim in reasons)
