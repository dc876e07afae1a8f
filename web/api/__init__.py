"""The JSON API under /api/v1: bearer tokens with roles, one error shape, an OpenAPI document.

It is exempt from CSRF (no cookies are used: every call carries its token) and from the sign-in
page of the review UI.
"""

from __future__ import annotations

from flask import Flask

from web.api.base import bp
from web.extensions import csrf


def init_api(app: Flask) -> None:
    """Register the API blueprint on `app`."""
    from web.api import views  # noqa: F401  (the routes register themselves on the blueprint)

    csrf.exempt(bp)
    app.register_blueprint(bp)
