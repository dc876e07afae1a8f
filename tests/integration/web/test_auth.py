"""Signing in and out, the login requirement, and the failed-login limit."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.engine import Engine

from claims.models import User
from tests.integration.web.conftest import PASSWORD, Seeded, csrf_token, login


def test_login_page_has_a_labelled_form(client: FlaskClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert '<label for="username">Username</label>' in page.text
    assert 'name="username"' in page.text
    assert 'name="password"' in page.text
    assert 'type="password"' in page.text
    assert 'name="csrf_token"' in page.text


def test_pages_need_a_login_and_return_there_after(client: FlaskClient, seeded: Seeded) -> None:
    response = client.get("/claims?status=queued")
    assert response.status_code == 302
    assert response.location == "/login?next=/claims?status%3Dqueued"

    response = login(client, "reviewer1", next="/claims?status=queued")
    assert response.status_code == 302
    assert response.location == "/claims?status=queued"
    page = client.get(response.location)
    assert page.status_code == 200
    assert "Signed in as reviewer1." in page.text
    assert "reviewer1" in page.text
    assert "(reviewer)" in page.text


def test_login_ignores_a_next_address_on_another_site(client: FlaskClient, seeded: Seeded) -> None:
    response = login(client, "reviewer1", next="//evil.example.org/")
    assert response.status_code == 302
    assert response.location == "/claims"


def test_wrong_password_is_refused(client: FlaskClient, seeded: Seeded) -> None:
    response = login(client, "reviewer1", "not the password")
    assert response.status_code == 401
    assert "Wrong username or password." in response.text
    assert client.get("/claims").status_code == 302

    response = login(client, "nobody", PASSWORD)
    assert response.status_code == 401
    assert "Wrong username or password." in response.text


def test_login_without_csrf_token_is_refused(client: FlaskClient, seeded: Seeded) -> None:
    response = client.post("/login", data={"username": "reviewer1", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/claims").status_code == 302


def test_logout_is_a_post_with_a_token(client: FlaskClient, seeded: Seeded) -> None:
    login(client, "reviewer1")
    page = client.get("/claims")
    assert "Sign out" in page.text
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token: still signed in
    assert client.get("/claims").status_code == 200

    response = client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302
    assert response.location == "/login"
    assert "Signed out." in client.get("/login").text
    assert client.get("/claims").status_code == 302


def test_failed_logins_are_limited_per_address_and_username(
    app: Flask, client: FlaskClient, seeded: Seeded
) -> None:
    for _ in range(10):
        assert login(client, "reviewer1", "wrong password").status_code == 401
    # Even the right password is refused until the window has passed.
    response = login(client, "REVIEWER1", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert "Try again in 5 minutes" in response.text
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/claims").status_code == 302

    # Another account from the same address is not locked out.
    assert login(client, "viewer1").status_code == 302


def test_a_deactivated_user_is_signed_out(
    client: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    login(client, "reviewer1")
    assert client.get("/claims").status_code == 200
    with web_engine.begin() as connection:
        connection.execute(update(User).where(User.username == "reviewer1").values(active=False))
    assert client.get("/claims").status_code == 302
