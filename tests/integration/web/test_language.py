"""The interface language a signed-in user chooses is kept on their account and follows them."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from claims.accounts import create_user
from claims.db import session_scope
from claims.models import User
from tests.integration.web.conftest import PASSWORD, Seeded, csrf_token, login

ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}


def _language(engine: Engine, username: str) -> str | None:
    with session_scope(engine) as session:
        return session.scalar(select(User.language).where(User.username == username))


def _choose(client: FlaskClient, language: str) -> None:
    page = client.get("/login" if language == "anonymous" else "/claims").text
    response = client.post(
        "/language", data={"language": language, "csrf_token": csrf_token(page), "next": "/"}
    )
    assert response.status_code == 302


def test_a_user_who_chose_french_gets_french_in_a_new_browser(
    client: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    assert login(client, "reviewer1").status_code == 302
    _choose(client, "fr")
    assert _language(web_engine, "reviewer1") == "fr"

    # Another browser: no cookie, and it prefers English.
    fresh = client.application.test_client()
    assert '<html lang="en">' in fresh.get("/login", headers=ENGLISH_BROWSER).text
    assert login(fresh, "reviewer1").status_code == 302
    assert fresh.get_cookie("claimtrack_lang") is None
    page = fresh.get("/claims", headers=ENGLISH_BROWSER).text

    assert '<html lang="fr">' in page
    assert "Affirmations" in page
    # Choosing English again is kept too.
    _choose(fresh, "en")
    assert _language(web_engine, "reviewer1") == "en"
    third = client.application.test_client()
    assert login(third, "reviewer1").status_code == 302
    assert '<html lang="en">' in third.get("/claims", headers={"Accept-Language": "fr"}).text


def test_an_anonymous_choice_stays_in_the_browser(
    client: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    page = client.get("/login").text
    response = client.post("/language", data={"language": "fr", "csrf_token": csrf_token(page)})

    assert response.status_code == 302
    assert '<html lang="fr">' in client.get("/login", headers=ENGLISH_BROWSER).text
    with session_scope(web_engine) as session:
        assert session.scalars(select(User.language)).all() == [None, None]


def test_an_unknown_language_changes_nothing(
    reviewer: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    page = reviewer.get("/claims").text
    response = reviewer.post("/language", data={"language": "xx", "csrf_token": csrf_token(page)})

    assert response.status_code == 302
    assert _language(web_engine, "reviewer1") is None
    assert reviewer.get_cookie("claimtrack_lang") is None


def test_an_account_made_with_a_language_starts_in_it(
    client: FlaskClient, seeded: Seeded, web_engine: Engine
) -> None:
    with session_scope(web_engine) as session:
        create_user(session, "reviewer_fr", PASSWORD, "reviewer", language="fr")

    assert login(client, "reviewer_fr").status_code == 302

    assert '<html lang="fr">' in client.get("/claims", headers=ENGLISH_BROWSER).text
