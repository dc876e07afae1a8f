"""Thin tasks: take ids, open a session, call one function in claims/, commit."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from celery import Celery, Task
from sqlalchemy.exc import OperationalError

from claims import checking
from claims.db import session_scope
from claims.errors import FetchError, InvalidInputError, NotFoundError
from claims.evidence import evidence_config, web
from claims.fetch import fetch_page
from claims.workflow import CHECK_TASK

log = logging.getLogger(__name__)

MAX_RETRIES = 5
BACKOFF_BASE = 2.0
BACKOFF_CAP = 300.0


def _backoff(retries: int) -> float:
    """Exponential backoff with full jitter, capped."""
    return random.uniform(0, min(BACKOFF_CAP, BACKOFF_BASE * 2**retries))  # noqa: S311


def _is_transient(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) or (isinstance(exc, FetchError) and exc.transient)


def check_claim(self: Task, claim_id: int, fresh: bool = False) -> None:
    """Check one claim: attach evidence and a suggested verdict, move it to needs_review;
    `fresh` asks the providers even when a repeat of the claim was checked recently."""
    engine = self.app.engine()
    settings = self.app.settings
    try:
        with session_scope(engine) as session:
            if not checking.start_check(session, claim_id):
                return
        with session_scope(engine) as session:
            checking.check_claim(
                session,
                claim_id,
                evidence_config(settings),
                fresh=fresh,
                recheck_after=timedelta(days=settings.recheck_after_days),
            )
    except NotFoundError:
        log.warning("claim %s no longer exists; nothing to check", claim_id)
    except Exception as exc:
        if _is_transient(exc) and self.request.retries < MAX_RETRIES:
            raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
        log.exception("check of claim %s failed", claim_id)
        with session_scope(engine) as session:
            checking.fail_check(session, claim_id, f"{type(exc).__name__}: {exc}")


def fetch_evidence(self: Task, request_id: int) -> None:
    """Fetch a web page asked for as evidence, archive it and attach it to its claim."""
    engine = self.app.engine()
    settings = self.app.settings
    with session_scope(engine) as session:
        url = web.pending_url(session, request_id)
    if url is None:
        return
    try:
        # No transaction stays open while the page is fetched.
        page = fetch_page(url, settings)
        with session_scope(engine) as session:
            web.attach_web_evidence(session, request_id, page, max_bytes=settings.http_max_bytes)
    except (FetchError, InvalidInputError, OperationalError) as exc:
        if _is_transient(exc) and self.request.retries < MAX_RETRIES:
            raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
        log.warning("evidence request %s failed: %s", request_id, exc)
        with session_scope(engine) as session:
            web.fail_web_evidence(session, request_id, str(exc))


def register_tasks(app: Celery) -> None:
    """Register the tasks on `app` (bound to it, so that each task finds the app's settings)."""
    options = {"bind": True, "shared": False, "acks_late": True, "reject_on_worker_lost": True}
    app.task(name=CHECK_TASK, max_retries=MAX_RETRIES, **options)(check_claim)
    app.task(name=web.FETCH_EVIDENCE_TASK, max_retries=MAX_RETRIES, **options)(fetch_evidence)
    from worker.webhooks import register_webhook_tasks

    register_webhook_tasks(app)
