"""Flask extensions and the request-scoped database session shared by the blueprints."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import current_app, g
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from claims.config import Settings

log = logging.getLogger(__name__)

login_manager = LoginManager()
csrf = CSRFProtect()

SETTINGS_KEY = "claimtrack"
ENGINE_KEY = "claimtrack_engine"
SESSIONS_KEY = "claimtrack_sessions"
AFTER_COMMIT_KEY = "claimtrack_after_commit"


def get_settings() -> Settings:
    """Return the settings the current app was built with."""
    settings: Settings = current_app.extensions[SETTINGS_KEY]
    return settings


def get_engine() -> Engine:
    """Return the current app's engine."""
    engine: Engine = current_app.extensions[ENGINE_KEY]
    return engine


def db() -> Session:
    """Return this request's session, opening it on first use; it is closed on teardown."""
    session: Session | None = g.get("db_session")
    if session is None:
        factory: sessionmaker[Session] = current_app.extensions[SESSIONS_KEY]
        session = g.db_session = factory()
    return session


def close_session(_exc: BaseException | None = None) -> None:
    """Close the request's session; anything not committed is rolled back."""
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()


def commit(*, queued_checks: bool = False) -> None:
    """Commit the request's work once; then, if checks were queued, run the after-commit hook.

    The hook relays the task outbox. Its failure is logged, not raised: the commit stands and the
    outbox rows are sent by the next relay round.
    """
    db().commit()
    if not queued_checks:
        return
    hook: Callable[[], Any] | None = current_app.extensions.get(AFTER_COMMIT_KEY)
    if hook is None:
        return
    try:
        hook()
    except Exception:
        log.exception("after-commit hook failed; the outbox keeps the queued checks")
