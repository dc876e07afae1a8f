"""The API blueprint's plumbing: token authentication, roles per route, the error shape, JSON
bodies and If-Match versions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from claims.api_tokens import authenticate_token
from claims.errors import (
    ClaimtrackError,
    ConflictError,
    FetchError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from claims.models import ApiToken, Role, User
from web.extensions import db

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api/v1")

P = ParamSpec("P")
R = TypeVar("R")

# The role each endpoint needs; None for the public ones. The OpenAPI document is checked
# against this table and the URL map.
ROUTE_ROLES: dict[str, Role | None] = {}
HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
}


class ApiError(Exception):
    """An error answered with `status` and the one error shape."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or HTTP_CODES.get(status, "error")


def error_body(status: int, code: str, message: str) -> ResponseReturnValue:
    """Return the one error shape: {"error": {"code", "message"}} with `status`."""
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="claimtrack"'
    return response


def _domain_status(exc: ClaimtrackError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ConflictError):
        return 409
    if isinstance(exc, PermissionDeniedError):
        return 403
    if isinstance(exc, FetchError):
        # The address the caller gave cannot be fetched: their input, not our failure.
        return 422
    if isinstance(exc, InvalidInputError):
        return 400
    return 400


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> ResponseReturnValue:
    return error_body(exc.status, exc.code, str(exc))


@bp.errorhandler(ClaimtrackError)
def _domain_error(exc: ClaimtrackError) -> ResponseReturnValue:
    return error_body(_domain_status(exc), exc.code, str(exc))


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    status = exc.code or 500
    message = exc.description or exc.name
    if status == 413:
        message = "the request body is too large"
    return error_body(status, HTTP_CODES.get(status, "error"), message)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception) -> ResponseReturnValue:
    log.exception("API request failed", exc_info=exc)
    return error_body(500, "internal_error", "something went wrong on our side")


def requires(role: Role | None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a view as needing a token whose role allows `role` (None: public)."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        ROUTE_ROLES[f"{bp.name}.{view.__name__}"] = role

        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if role is not None:
                token = current_token()
                if not token.role.allows(role):
                    raise ApiError(403, f"this needs a token with the {role.value} role or higher")
            return view(*args, **kwargs)

        return wrapper

    return decorate


MAX_ID = 2**31 - 1


@bp.url_value_preprocessor
def _check_ids(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """An id no row can have (beyond a 32-bit integer) is simply not found."""
    for name, value in (values or {}).items():
        if isinstance(value, int) and value > MAX_ID:
            raise ApiError(404, f"no {name.removesuffix('_id')} with id {value}")


@bp.before_request
def _authenticate() -> None:
    """Find the bearer token of the request, if any; routes that need one check it."""
    g.api_token = None
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        g.api_token = authenticate_token(db(), value.strip())
        if g.api_token is None:
            raise ApiError(401, "the token is unknown or revoked")
        # Record the token's last use even when the request only reads.
        db().commit()
    elif header:
        raise ApiError(401, "use an Authorization: Bearer <token> header")


def current_token() -> ApiToken:
    """Return the request's token, or raise a 401."""
    token: ApiToken | None = g.get("api_token")
    if token is None:
        raise ApiError(401, "this needs an Authorization: Bearer <token> header")
    return token


def current_user_row() -> User:
    """Return the account the request's token acts as."""
    return current_token().user


def json_body() -> dict[str, Any]:
    """Return the request's JSON object; 415 unless it is JSON, 400 if it is malformed."""
    if not request.is_json:
        raise ApiError(415, "send a JSON body with Content-Type: application/json")
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "the body is not well-formed JSON", "malformed_json")
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object", "malformed_json")
    return data


def field(
    data: dict[str, Any], name: str, kind: type | tuple[type, ...], *, required: bool = True
) -> Any:
    """Return `data[name]` if it has type `kind`; 400 naming the field otherwise."""
    value = data.get(name)
    if value is None:
        if required:
            raise ApiError(400, f"the field {name!r} is required", "invalid_input")
        return None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # JSON true is a Python bool, which is an int: refuse it where a number is asked for.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise ApiError(400, f"the field {name!r} has the wrong type", "invalid_input")
    return value


def expected_version() -> int:
    """Return the claim version named by If-Match; 428 when it is missing, 400 if unreadable."""
    raw = request.headers.get("If-Match")
    if raw is None:
        raise ApiError(428, "send If-Match with the claim's version (its ETag) to change it")
    value = raw.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isdigit() or len(value) > 9:
        raise ApiError(400, f'If-Match must be a claim version such as "3", not {raw!r}')
    return int(value)


def check_if_match(current_version: int, expected: int, claim_id: int) -> None:
    """Answer 412 when the claim is no longer at the version the caller saw."""
    if current_version != expected:
        raise ApiError(
            412,
            f"claim {claim_id} is at version {current_version}, not {expected}; "
            "read it again and retry",
        )
