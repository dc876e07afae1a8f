"""The application factory of the review UI."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Response

from claims.config import Settings
from claims.db import get_engine, session_factory
from claims.models import ClaimStatus
from web.api import init_api
from web.auth import init_auth
from web.extensions import (
    AFTER_COMMIT_KEY,
    ENGINE_KEY,
    SESSIONS_KEY,
    SETTINGS_KEY,
    close_session,
    csrf,
)
from web.i18n import init_i18n, label
from web.views import register_blueprints
from web.views.forms import RATING_LABELS

# Scripts, styles and images come from this site only; no inline code runs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def relay_checks_after_commit(app: Flask, celery_app: Any) -> None:
    """Send the checks a request queued to the broker right after its commit.

    Without it they wait for a worker's relay round (a few seconds); with it, a broker that is
    down only leaves them in the outbox for that round.
    """
    from worker.outbox import relay_outbox

    engine = app.extensions[ENGINE_KEY]
    app.extensions[AFTER_COMMIT_KEY] = lambda: relay_outbox(engine, celery_app)


def create_app(settings: Settings | None = None) -> Flask:
    """Build the review app on `settings` (by default from the environment).

    It neither migrates the database nor starts workers: `claimtrack serve` does both first.
    """
    settings = settings or Settings.from_env().prepared()
    if not settings.secret_key:
        settings = settings.prepared()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.production,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=1_000_000,
        # A reviewer may keep a claim open for a long time before sending the verdict.
        WTF_CSRF_TIME_LIMIT=12 * 3600,
    )
    engine = get_engine(settings.database_url)
    app.extensions[SETTINGS_KEY] = settings
    app.extensions[ENGINE_KEY] = engine
    app.extensions[SESSIONS_KEY] = session_factory(engine)
    app.teardown_appcontext(close_session)

    # Sign-in first, so an anonymous POST is sent to the sign-in page rather than refused for
    # its missing CSRF token.
    init_auth(app)
    init_i18n(app)
    csrf.init_app(app)
    register_blueprints(app)
    init_api(app)
    _add_template_helpers(app)
    app.after_request(_security_headers)
    return app


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _status_label(status: ClaimStatus | str | None) -> str:
    return label(status)


def _status_labels() -> dict[str, str]:
    # For scripts that show a status they polled, in the page's language.
    return {status.value: label(status) for status in ClaimStatus}


def _format_time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def _add_template_helpers(app: Flask) -> None:
    app.add_template_filter(_status_label, "status_label")
    app.add_template_filter(_format_time, "utc")
    # Globals rather than a context processor, so imported macros see them too.
    app.add_template_global(list(ClaimStatus), "all_statuses")
    app.add_template_global(RATING_LABELS, "rating_labels")
    app.add_template_global(_status_labels, "status_labels")
