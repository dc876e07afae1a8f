"""The outbox relay: sends the tasks that committed transactions asked for.

Rows are written in the same transaction as the claims they concern, so a broker that is down
at that moment delays the checks but loses none. Sending twice is harmless: tasks are idempotent.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from celery import Celery
from sqlalchemy import select
from sqlalchemy.engine import Engine

from claims.db import session_scope, utcnow
from claims.models import OutboxMessage
from claims.workflow import requeue_stale_claims

log = logging.getLogger(__name__)

BATCH = 500


def relay_outbox(
    engine: Engine, app: Celery, *, min_age: timedelta = timedelta(0), limit: int = BATCH
) -> int:
    """Send pending outbox messages older than `min_age`; return how many were sent."""
    sent = 0
    with session_scope(engine) as session:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.created_at <= utcnow() - min_age)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for message in session.scalars(query):
            try:
                app.send_task(message.task, args=message.args, retry=False)
            except Exception as exc:  # the broker is down: keep the row for the next round
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                log.warning("broker unavailable, %s kept in the outbox: %s", message.task, exc)
                break
            message.sent_at = utcnow()
            sent += 1
    return sent


def requeue_stale(engine: Engine, *, older_than: timedelta) -> int:
    """Queue again the claims stuck queued or checking for too long; return how many."""
    with session_scope(engine) as session:
        return requeue_stale_claims(session, older_than=older_than)


class OutboxRelay(threading.Thread):
    """A background thread that relays the outbox every few seconds and requeues stale claims."""

    def __init__(
        self, engine: Engine, app: Celery, *, stale_after: float, interval: float = 2.0
    ) -> None:
        super().__init__(name="claimtrack-outbox", daemon=True)
        self.engine, self.app, self.interval = engine, app, interval
        self.stale_after = timedelta(seconds=stale_after)
        # Look for stale claims a few times per staleness period, at most once a minute.
        self.stale_every = min(60.0, stale_after / 3)
        self.stopped = threading.Event()

    def run(self) -> None:
        last_sweep = 0.0
        while not self.stopped.is_set():
            try:
                # Messages younger than a few seconds are normally sent by whoever wrote them.
                relay_outbox(self.engine, self.app, min_age=timedelta(seconds=self.interval))
                if time.monotonic() - last_sweep >= self.stale_every:
                    last_sweep = time.monotonic()
                    if requeue_stale(self.engine, older_than=self.stale_after):
                        relay_outbox(self.engine, self.app)
            except Exception:
                log.exception("outbox relay round failed")
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)
