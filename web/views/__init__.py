"""The blueprints of the review UI, one per feature."""

from __future__ import annotations

from flask import Flask

from web.views import claims, documents, errors, export, health


def register_blueprints(app: Flask) -> None:
    """Attach every feature blueprint and the error pages to `app`."""
    app.register_blueprint(health.bp)
    app.register_blueprint(claims.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(export.bp)
    errors.register_error_handlers(app)
