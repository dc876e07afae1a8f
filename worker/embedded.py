"""A Celery worker running inside another process (the web server or the CLI), for the embedded
default where no separate worker runs."""

from __future__ import annotations

import logging
import socket
import threading
from typing import Any

from worker.app import ClaimtrackCelery
from worker.outbox import OutboxRelay

log = logging.getLogger(__name__)


class EmbeddedWorker:
    """A real Celery worker (thread pool) and the outbox relay, in background threads."""

    def __init__(self, app: ClaimtrackCelery, *, concurrency: int = 2) -> None:
        self.app = app
        self.concurrency = concurrency
        self._controller: Any = None
        self._thread: threading.Thread | None = None
        self._relay: OutboxRelay | None = None

    def start(self) -> EmbeddedWorker:
        self.app.finalize()
        # The thread pool runs tasks through the current app, so this app must be it.
        self.app.set_current()
        self.app.set_default()
        self._controller = self.app.WorkController(
            hostname=f"embedded-{threading.get_native_id()}@{socket.gethostname()}",
            pool_cls="threads",
            concurrency=self.concurrency,
            loglevel=logging.WARNING,
            without_heartbeat=True,
            without_mingle=True,
            without_gossip=True,
            ready_callback=None,
        )
        self._thread = threading.Thread(
            target=self._controller.start, name="claimtrack-worker", daemon=True
        )
        self._thread.start()
        self._relay = OutboxRelay(
            self.app.engine(), self.app, stale_after=self.app.settings.stale_check_seconds
        )
        self._relay.start()
        return self

    def stop(self) -> None:
        if self._relay is not None:
            self._relay.stop()
        if self._controller is not None:
            self._controller.stop(in_sighandler=False)
        if self._thread is not None:
            self._thread.join(timeout=15)

    def __enter__(self) -> EmbeddedWorker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
