"""The Celery application, built from the shared Settings."""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import worker_process_init
from kombu import Queue

from claims.config import Settings
from claims.db import dispose_engines, get_engine
from claims.evidence.web import FETCH_EVIDENCE_TASK
from claims.workflow import CHECK_TASK

CHECKS_QUEUE = "checks"
FETCH_QUEUE = "fetch"


class ClaimtrackCelery(Celery):
    """A Celery app that carries the claimtrack settings its tasks need."""

    settings: Settings

    def engine(self) -> Any:
        return get_engine(self.settings.database_url)


def create_celery(settings: Settings) -> ClaimtrackCelery:
    """Build the Celery app for `settings`: durable queues, late acks, no result backend."""
    app = ClaimtrackCelery("claimtrack", set_as_current=False)
    app.settings = settings
    transport_options: dict[str, Any] = {}
    if settings.embedded_queue:
        # kombu hands these options to create_engine: wait on SQLite's lock instead of failing.
        transport_options["connect_args"] = {"timeout": 30}
    else:
        # A message a worker took but never acknowledged comes back after this many seconds.
        transport_options["visibility_timeout"] = 3600
    app.conf.update(
        broker_url=settings.broker_url,
        broker_transport_options=transport_options,
        broker_connection_retry_on_startup=True,
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        task_default_queue=CHECKS_QUEUE,
        task_queues=(Queue(CHECKS_QUEUE), Queue(FETCH_QUEUE)),
        task_routes={
            CHECK_TASK: {"queue": CHECKS_QUEUE},
            FETCH_EVIDENCE_TASK: {"queue": FETCH_QUEUE},
        },
        task_serializer="json",
        accept_content=["json"],
        enable_utc=True,
        worker_cancel_long_running_tasks_on_connection_loss=True,
    )
    from worker.tasks import register_tasks

    register_tasks(app)
    return app


@worker_process_init.connect
def _dispose_after_fork(**_: Any) -> None:
    # Connections inherited from the parent process must not be shared with it.
    dispose_engines()
