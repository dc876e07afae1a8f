"""The WSGI entry point for servers such as gunicorn (`web.wsgi:app`).

The app sends the checks a request queues right after its commit; the workers' relay remains
the safety net. Migrations are not run here: `claimtrack db upgrade` does that before start.
"""

from web.app import create_app, relay_checks_after_commit
from web.extensions import SETTINGS_KEY
from worker.app import create_celery

app = create_app()
relay_checks_after_commit(app, create_celery(app.extensions[SETTINGS_KEY]))
