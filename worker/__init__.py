"""Celery side of claimtrack: the app, its thin tasks, the outbox relay and the embedded worker."""
