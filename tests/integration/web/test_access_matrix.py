"""Every route and method against every role, anonymous included.

The table below lists what each role gets. A route added to the app without a row here fails the
test, so nobody adds a page or an action without deciding who may use it.

Outcomes: "public" and "allowed" pass the access check (the request may still be refused for its
content, e.g. a 400 for an empty form); "login" sends to the sign-in page (401 for JSON);
"denied" is a 403; "token" is the JSON API, which answers 401 to a browser session without an
API token whatever its role.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from claims.accounts import create_user
from claims.db import session_scope
from claims.models import Evidence
from tests.integration.web.conftest import PASSWORD, Seeded, csrf_token, login

ROLES = ("anonymous", "viewer", "reviewer", "editor", "admin")
USERS = {"viewer": "viewer1", "reviewer": "reviewer1", "editor": "editor1", "admin": "admin1"}

PUBLIC = dict.fromkeys(ROLES, "public")
SIGNED_IN = {"anonymous": "login", "viewer": "allowed", "reviewer": "allowed"}
SIGNED_IN |= {"editor": "allowed", "admin": "allowed"}
REVIEWER = {**SIGNED_IN, "viewer": "denied"}
EDITOR = {**REVIEWER, "reviewer": "denied"}
TOKEN = dict.fromkeys(ROLES, "token")

EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    ("/", "GET"): SIGNED_IN,
    ("/login", "GET"): PUBLIC,
    ("/login", "POST"): PUBLIC,
    ("/logout", "POST"): SIGNED_IN,
    ("/language", "POST"): PUBLIC,
    ("/healthz", "GET"): PUBLIC,
    ("/static/<path:filename>", "GET"): PUBLIC,
    ("/claims", "GET"): SIGNED_IN,
    ("/claims/status.json", "GET"): SIGNED_IN,
    ("/claims/counts.json", "GET"): SIGNED_IN,
    ("/claims/bulk", "POST"): REVIEWER,
    ("/claims/<int:claim_id>", "GET"): SIGNED_IN,
    ("/claims/<int:claim_id>/verdict", "POST"): REVIEWER,
    ("/claims/<int:claim_id>/requeue", "POST"): REVIEWER,
    ("/claims/<int:claim_id>/assign", "POST"): REVIEWER,
    ("/claims/<int:claim_id>/dismiss", "POST"): REVIEWER,
    ("/claims/<int:claim_id>/priority", "POST"): REVIEWER,
    ("/claims/<int:claim_id>/comments", "POST"): REVIEWER,
    ("/claims/<int:claim_id>/evidence/<int:evidence_id>/mark", "POST"): REVIEWER,
    ("/claims/<int:claim_id>/sources", "POST"): REVIEWER,
    ("/claims/<int:claim_id>/library", "GET"): REVIEWER,
    ("/claims/<int:claim_id>/library", "POST"): REVIEWER,
    ("/claims/<int:claim_id>/publish", "POST"): EDITOR,
    ("/claims/<int:claim_id>/return", "POST"): EDITOR,
    ("/archive/<int:archive_id>", "GET"): SIGNED_IN,
    ("/documents", "GET"): SIGNED_IN,
    ("/documents", "POST"): REVIEWER,
    ("/documents/<int:document_id>", "GET"): SIGNED_IN,
    ("/documents/<int:document_id>/progress.json", "GET"): SIGNED_IN,
    ("/export", "GET"): SIGNED_IN,
    ("/api/v1/openapi.json", "GET"): PUBLIC,
    ("/api/v1/claims", "GET"): TOKEN,
    ("/api/v1/claims/<int:claim_id>", "GET"): TOKEN,
    ("/api/v1/claims/<int:claim_id>/status", "POST"): TOKEN,
    ("/api/v1/claims/<int:claim_id>/sources", "GET"): TOKEN,
    ("/api/v1/claims/<int:claim_id>/sources", "POST"): TOKEN,
    ("/api/v1/claims/<int:claim_id>/library", "GET"): TOKEN,
    ("/api/v1/claims/<int:claim_id>/evidence", "POST"): TOKEN,
    ("/api/v1/claims/<int:claim_id>/verdict", "PUT"): TOKEN,
    ("/api/v1/documents", "POST"): TOKEN,
    ("/api/v1/documents/<int:document_id>", "GET"): TOKEN,
    ("/api/v1/export", "GET"): TOKEN,
    ("/api/v1/tokens", "GET"): TOKEN,
    ("/api/v1/tokens", "POST"): TOKEN,
    ("/api/v1/tokens/<int:token_id>", "DELETE"): TOKEN,
    ("/api/v1/webhooks", "GET"): TOKEN,
    ("/api/v1/webhooks", "POST"): TOKEN,
    ("/api/v1/webhooks/<int:webhook_id>", "DELETE"): TOKEN,
    ("/api/v1/webhooks/<int:webhook_id>/deliveries", "GET"): TOKEN,
}


def routes(app: Flask) -> list[tuple[str, str]]:
    return sorted(
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method not in {"HEAD", "OPTIONS"}
    )


def outcome(response: TestResponse, path: str) -> str:
    if path == "/logout" and response.status_code == 302 and response.location == "/login":
        return "allowed"  # signed out, then sent to the sign-in page
    if response.status_code == 302 and response.location.startswith("/login"):
        return "login"
    if response.status_code == 401:
        return "token" if path.startswith("/api/") else "login"
    if response.status_code == 403:
        return "denied"
    return "allowed"


def test_every_route_is_in_the_table(app: Flask) -> None:
    assert sorted(set(routes(app)) - set(EXPECTED)) == [], "add the new routes to EXPECTED"
    assert sorted(set(EXPECTED) - set(routes(app))) == [], "remove the routes that are gone"


@pytest.fixture
def more_users(seeded: Seeded, web_engine: Engine) -> None:
    with session_scope(web_engine) as session:
        create_user(session, "editor1", PASSWORD, "editor")
        create_user(session, "admin1", PASSWORD, "admin")


def _caller(app: Flask, role: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    if role != "anonymous":
        assert login(client, USERS[role]).status_code == 302
    token = csrf_token(client.get("/login" if role == "anonymous" else "/claims").text)
    return client, token


def test_access_matrix(app: Flask, seeded: Seeded, more_users: None, web_engine: Engine) -> None:
    with Session(web_engine) as session:
        evidence_id = session.scalar(
            select(Evidence.id).where(Evidence.claim_id == seeded.reviewed_id)
        )
    values = {
        "claim_id": seeded.reviewed_id,
        "evidence_id": evidence_id,
        "document_id": seeded.document_id,
        "archive_id": 1,
        "token_id": 1,
        "webhook_id": 1,
        "filename": "style.css",
    }
    public = {"/login", "/healthz", "/static/<path:filename>", "/language"}
    got: dict[tuple[str, str], dict[str, str]] = {}
    for role in ROLES:
        client, token = _caller(app, role)
        # Signing out last, so the other requests run signed in.
        for rule, method in sorted(routes(app), key=lambda rm: rm[0] == "/logout"):
            path = rule
            for name, value in values.items():
                path = path.replace(f"<int:{name}>", str(value)).replace(
                    f"<path:{name}>", str(value)
                )
            send: Callable[..., TestResponse] = getattr(client, method.lower())
            data = {"csrf_token": token} if method != "GET" else None
            response = send(path, data=data, headers={"Accept": "text/html"})
            result = outcome(response, rule)
            response.close()
            if rule in public or rule == "/api/v1/openapi.json":
                result = "public" if result == "allowed" else result
            got.setdefault((rule, method), {})[role] = result
    wrong = {
        route: (got[route], EXPECTED[route])
        for route in got
        if route in EXPECTED and got[route] != EXPECTED[route]
    }
    assert wrong == {}
