"""Error pages and JSON errors: domain errors and HTTP errors mapped to fitting statuses."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from claims.errors import (
    ClaimtrackError,
    ConflictError,
    FetchError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)

log = logging.getLogger(__name__)

DOMAIN_STATUS: dict[type[ClaimtrackError], int] = {
    InvalidInputError: 400,
    NotFoundError: 404,
    ConflictError: 409,
    PermissionDeniedError: 403,
}
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "too_many_requests",
    500: "internal_error",
}


def _wants_json() -> bool:
    return (
        request.path.endswith(".json")
        or request.path.startswith("/api/")
        or request.accept_mimetypes.best == "application/json"
    )


def error_response(status: int, code: str, message: str) -> ResponseReturnValue:
    """Render an error as the one JSON shape or as the HTML error page."""
    if _wants_json():
        return jsonify({"error": {"code": code, "message": message}}), status
    return render_template("error.html", status=status, message=message), status


def _domain_status(exc: ClaimtrackError) -> int:
    if isinstance(exc, FetchError):
        # The remote failed (502), or the address itself cannot be used (400).
        return 502 if exc.transient else 400
    for cls in type(exc).__mro__:
        if cls in DOMAIN_STATUS:
            return DOMAIN_STATUS[cls]
    return 400


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on `app`."""

    @app.errorhandler(ClaimtrackError)
    def domain_error(exc: ClaimtrackError) -> ResponseReturnValue:
        return error_response(_domain_status(exc), exc.code, str(exc))

    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError) -> ResponseReturnValue:
        return error_response(
            400, "csrf", "The form expired or was not sent from this site; reload and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        status = exc.code or 500
        if status < 400:
            return exc
        code = _HTTP_CODES.get(status, "error")
        message = exc.description or exc.name
        if status == 404:
            message = "There is nothing at this address."
        return error_response(status, code, message)

    @app.errorhandler(InternalServerError)
    def server_error(_exc: InternalServerError) -> ResponseReturnValue:
        return error_response(500, "internal_error", "Something went wrong on our side.")
