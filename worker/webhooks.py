"""The webhook delivery task: one signed POST per run, retried with backoff when transient."""

from __future__ import annotations

import logging
import random

from celery import Celery, Task

from claims import webhooks
from claims.db import session_scope
from claims.models import DeliveryState
from worker.app import FETCH_QUEUE

log = logging.getLogger(__name__)

BACKOFF_BASE = 2.0
BACKOFF_CAP = 600.0


def _backoff(retries: int) -> float:
    """Exponential backoff with jitter (half fixed, half random), capped."""
    delay = min(BACKOFF_CAP, BACKOFF_BASE * 2**retries)
    return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311


def deliver_webhook(self: Task, delivery_id: int) -> str:
    """Send one webhook delivery; retry later on a 5xx, a 429 or no answer."""
    engine = self.app.engine()
    settings = self.app.settings
    with session_scope(engine) as session:
        prepared = webhooks.prepare_attempt(session, delivery_id)
    if prepared is None:
        return "nothing to do"
    outcome = webhooks.send_delivery(
        prepared, timeout=settings.http_timeout, allow_private=settings.allow_private_urls
    )
    final = self.request.retries >= webhooks.MAX_ATTEMPTS - 1
    with session_scope(engine) as session:
        state = webhooks.record_attempt(session, prepared, outcome, final=final)
    if state == DeliveryState.PENDING:
        log.info("webhook delivery %s failed (%s); retrying", delivery_id, outcome.error)
        raise self.retry(countdown=_backoff(self.request.retries))
    if state == DeliveryState.FAILED:
        log.warning("webhook delivery %s failed for good: %s", delivery_id, outcome.error)
    return state.value


def register_webhook_tasks(app: Celery) -> None:
    """Register the delivery task on `app`, routed to the network queue."""
    routes = dict(app.conf.task_routes or {})
    routes[webhooks.DELIVER_TASK] = {"queue": FETCH_QUEUE}
    app.conf.task_routes = routes
    app.task(
        name=webhooks.DELIVER_TASK,
        bind=True,
        shared=False,
        acks_late=True,
        reject_on_worker_lost=True,
        max_retries=webhooks.MAX_ATTEMPTS - 1,
    )(deliver_webhook)
