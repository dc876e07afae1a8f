"""The OpenAPI 3.1 document of /api/v1, written by hand; a test checks it against the URL map."""

from __future__ import annotations

from functools import cache
from typing import Any

from claims.config import SEGMENT_MODES
from claims.evidence.web import MAX_URL
from claims.models import ClaimStatus, Rating, RequestStatus, Role
from claims.reports import FORMATS

API_VERSION = "1.0.0"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS = {
    "400": "The request is malformed: a bad field, parameter, cursor or JSON body.",
    "401": "No token, or an unknown or revoked one.",
    "403": "The token's role does not allow this.",
    "404": "No such object.",
    "409": "The change collides with the claim's state.",
    "412": "If-Match names a version the claim is no longer at.",
    "413": "The body is too large.",
    "415": "The body is not JSON.",
    "422": "The URL given cannot be fetched.",
    "428": "If-Match is missing on a write.",
}


def _operation(
    summary: str,
    role: Role | None,
    responses: dict[str, Any],
    *,
    errors: tuple[str, ...] = (),
    body: dict[str, Any] | None = None,
    parameters: list[dict[str, Any]] | None = None,
    operation_id: str,
) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "operationId": operation_id}
    if role is None:
        operation["security"] = []
    else:
        operation["x-required-role"] = role.value
        operation["description"] = f"Needs a token with the {role.value} role or higher."
        errors = ("401", "403", *errors)
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
        errors = ("400", "413", "415", *errors)
    all_responses = dict(responses)
    for code in sorted(set(errors)):
        all_responses[code] = {"$ref": f"#/components/responses/E{code}"}
    operation["responses"] = all_responses
    return operation


def _path_id(name: str, what: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": f"The {what}'s id.",
        "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
    }


_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": 'The claim version the change is based on, as its ETag gives it ("3").',
    "schema": {"type": "string", "pattern": '^(W/)?"?[0-9]{1,9}"?$'},
}


def _schemas() -> dict[str, Any]:
    nullable_str = {"type": ["string", "null"]}
    nullable_time = {"type": ["string", "null"], "format": "date-time"}
    claim_summary = {
        "type": "object",
        "required": ["id", "document_id", "text", "status", "version", "verdict", "url"],
        "properties": {
            "id": {"type": "integer"},
            "document_id": {"type": "integer"},
            "text": {"type": "string"},
            "start": {"type": "integer"},
            "end": {"type": "integer"},
            "speaker": nullable_str,
            # The time the claim refers to as written, and the ISO 8601 date, month, year or
            # week it resolves to (value null when unresolved); null when the claim names none.
            "time": {
                "type": ["object", "null"],
                "required": ["text", "value"],
                "properties": {
                    "text": {"type": "string"},
                    "start": {"type": "integer"},
                    "end": {"type": "integer"},
                    "value": nullable_str,
                },
            },
            "language": {"type": "string"},
            "checkworthiness": {"type": "number"},
            # In how many documents the same claim was seen (a repeat joins the earlier group).
            "recurrence": {"type": "integer", "minimum": 1},
            "status": {"enum": [s.value for s in ClaimStatus]},
            "version": {"type": "integer"},
            "verdict": {"enum": [*(r.value for r in Rating), None]},
            "url": {"type": "string"},
        },
    }
    return {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                }
            },
        },
        "ClaimSummary": claim_summary,
        "Claim": {
            "allOf": [
                _ref("ClaimSummary"),
                {
                    "type": "object",
                    "required": [
                        "evidence",
                        "history",
                        "suggestion",
                        "document",
                        "seen_in",
                        "seen_in_more",
                        "already_fact_checked",
                    ],
                    "properties": {
                        "sentence": {"type": "string"},
                        "verdict_rationale": nullable_str,
                        "claim_reviewed": nullable_str,
                        "reviewer": nullable_str,
                        "verdict_at": nullable_time,
                        "error": nullable_str,
                        "suggestion": {
                            "type": ["object", "null"],
                            "properties": {
                                "verdict": {"type": "string"},
                                "confidence": {"type": "number"},
                                "rationale": {"type": "string"},
                                "method": {"type": "string"},
                                # When the sources were asked; for a check reused from an
                                # earlier claim saying the same thing, that claim's check.
                                "checked_at": nullable_time,
                                "reused_from_claim_id": {"type": ["integer", "null"]},
                            },
                        },
                        "seen_in": {
                            "type": "array",
                            "description": "The latest other claims saying the same thing, "
                            "newest first, at most 20.",
                            "items": {
                                "type": "object",
                                "required": ["claim_id", "document_id", "url"],
                                "properties": {
                                    "claim_id": {"type": "integer"},
                                    "document_id": {"type": "integer"},
                                    "document_title": nullable_str,
                                    "url": {"type": "string"},
                                },
                            },
                        },
                        "seen_in_more": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "How many other claims saying the same thing "
                            "`seen_in` leaves out.",
                        },
                        "already_fact_checked": {
                            "type": ["object", "null"],
                            "description": "A verdict published on another claim saying the "
                            "same thing; this claim's own verdict is still the reviewer's.",
                            "required": ["claim_id", "rating"],
                            "properties": {
                                "claim_id": {"type": "integer"},
                                "rating": {"enum": [r.value for r in Rating]},
                                "published_at": nullable_time,
                            },
                        },
                        "evidence": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["id", "source", "stance", "snippet"],
                                "properties": {
                                    "id": {"type": "integer"},
                                    "source": {"type": "string"},
                                    "url": nullable_str,
                                    "path": nullable_str,
                                    "snippet": {"type": "string"},
                                    "stance": {"type": "string"},
                                    "score": {"type": "number"},
                                    "attached_by": nullable_str,
                                    # Copied from that claim's check (with who attached it
                                    # there, if anyone), not found or attached on this one.
                                    "reused_from_claim_id": {"type": ["integer", "null"]},
                                },
                            },
                        },
                        "history": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["from", "to", "actor", "at"],
                                "properties": {
                                    "from": nullable_str,
                                    "to": {"type": "string"},
                                    "actor": {"type": "string"},
                                    "note": nullable_str,
                                    "at": {"type": "string", "format": "date-time"},
                                },
                            },
                        },
                        "document": {"type": "object"},
                    },
                },
            ]
        },
        "ClaimPage": {
            "type": "object",
            "required": ["items", "next_cursor"],
            "properties": {
                "items": {"type": "array", "items": _ref("ClaimSummary")},
                "next_cursor": {
                    "type": ["string", "null"],
                    "description": "Pass as `cursor` for the next page; null on the last.",
                },
            },
        },
        "Document": {
            "type": "object",
            "required": ["id", "origin", "language", "claims", "url"],
            "properties": {
                "id": {"type": "integer"},
                "title": nullable_str,
                "origin": {"type": "string"},
                "language": {"type": "string"},
                "date": nullable_str,
                "created_at": {"type": "string", "format": "date-time"},
                "claims": {"type": "array", "items": _ref("ClaimSummary")},
                "url": {"type": "string"},
            },
        },
        "Submitted": {
            "type": "object",
            "required": ["created", "document"],
            "properties": {"created": {"type": "boolean"}, "document": _ref("Document")},
        },
        "SourceRequest": {
            "type": "object",
            "required": ["id", "claim_id", "url", "status", "error", "created_at", "claim_url"],
            "properties": {
                "id": {"type": "integer"},
                "claim_id": {"type": "integer"},
                "url": {"type": "string"},
                "status": {"enum": [s.value for s in RequestStatus]},
                "error": {
                    "type": ["string", "null"],
                    "description": "Why the page could not be attached, once it failed.",
                },
                "requested_by": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"},
                "finished_at": nullable_time,
                "claim_url": {"type": "string"},
            },
        },
        "LibraryPassage": {
            "type": "object",
            "required": ["passage_id", "source", "text", "attached"],
            "properties": {
                "passage_id": {"type": "integer"},
                "source": {"type": "string", "description": "The source's title."},
                "url": nullable_str,
                "published": nullable_str,
                "language": {"type": "string"},
                "text": {"type": "string"},
                "rank": {"type": "number"},
                "attached": {
                    "type": "boolean",
                    "description": "Whether the passage is already evidence of the claim.",
                },
            },
        },
        "AttachedEvidence": {
            "type": "object",
            "required": ["id", "claim_id", "passage_id", "source", "stance", "snippet"],
            "properties": {
                "id": {"type": "integer"},
                "claim_id": {"type": "integer"},
                "passage_id": {"type": ["integer", "null"]},
                "source": {"type": "string"},
                "url": nullable_str,
                "path": nullable_str,
                "snippet": {"type": "string"},
                "stance": {"type": "string"},
                "score": {"type": "number"},
                "number_match": {"type": ["object", "null"]},
                "attached_by": nullable_str,
                "reused_from_claim_id": {"type": ["integer", "null"]},
                "claim_url": {"type": "string"},
            },
        },
        "Token": {
            "type": "object",
            "required": ["id", "name", "role", "user", "prefix"],
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "role": {"enum": [r.value for r in Role]},
                "user": {"type": "string"},
                "prefix": {"type": "string"},
                "created_by": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"},
                "last_used_at": nullable_time,
                "revoked_at": nullable_time,
                "token": {"type": "string", "description": "Only in the answer to its creation."},
            },
        },
        "Webhook": {
            "type": "object",
            "required": ["id", "url", "active"],
            "properties": {
                "id": {"type": "integer"},
                "url": {"type": "string"},
                "active": {"type": "boolean"},
                "created_by": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"},
                "secret": {
                    "type": "string",
                    "description": "The HMAC-SHA256 signing secret; only in the answer to its "
                    "registration.",
                },
            },
        },
        "Delivery": {
            "type": "object",
            "required": ["id", "claim_id", "event", "state", "attempts"],
            "properties": {
                "id": {"type": "integer"},
                "webhook_id": {"type": "integer"},
                "claim_id": {"type": "integer"},
                "claim_version": {"type": "integer"},
                "event": {"type": "string"},
                "state": {"enum": ["pending", "delivered", "failed"]},
                "attempts": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "number": {"type": "integer"},
                            "at": {"type": "string", "format": "date-time"},
                            "status_code": {"type": ["integer", "null"]},
                            "error": nullable_str,
                            "duration_ms": {"type": "integer"},
                        },
                    },
                },
                "created_at": {"type": "string", "format": "date-time"},
                "delivered_at": nullable_time,
            },
        },
    }


def _items(name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": _ref(name)}},
    }


@cache
def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of the API."""
    claim_id = _path_id("claim_id", "claim")
    claim_ok = {
        "200": {
            "description": "The claim, with its evidence and history; ETag is its version.",
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": _ref("Claim")}},
        }
    }
    filters = [
        {
            "name": "status",
            "in": "query",
            "required": False,
            "schema": {"enum": [s.value for s in ClaimStatus]},
        },
        {
            "name": "document",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
        },
    ]
    report_types = {
        "text/csv": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "array"}},
        "application/jsonl": {"schema": {"type": "string"}},
        "application/ld+json": {"schema": {"type": "array"}},
        "text/html": {"schema": {"type": "string"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    }
    paths: dict[str, Any] = {
        "/openapi.json": {
            "get": _operation(
                "This document",
                None,
                {"200": _json({"type": "object"}, "The OpenAPI document.")},
                operation_id="openapi",
            )
        },
        "/documents": {
            "post": _operation(
                "Submit a document (text or URL); its claims are queued for checking",
                Role.REVIEWER,
                {
                    "201": _json(_ref("Submitted"), "Stored, claims queued."),
                    "200": _json(_ref("Submitted"), "The same text was stored before."),
                },
                errors=("422",),
                body={
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "pattern": "[A-Za-z]{3}"},
                        "url": {
                            "type": "string",
                            "pattern": "^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/\\S*)?$",
                        },
                        "title": {"type": "string"},
                        "language": {"type": "string"},
                        "mode": {
                            "enum": list(SEGMENT_MODES),
                            "description": "How claims are found (see `claimtrack segment "
                            "--mode`); by default the server's CLAIMTRACK_SEGMENT_MODE.",
                        },
                    },
                    "oneOf": [{"required": ["text"]}, {"required": ["url"]}],
                },
                operation_id="submitDocument",
            )
        },
        "/documents/{document_id}": {
            "get": _operation(
                "A document with its claims",
                Role.VIEWER,
                {"200": _json(_ref("Document"), "The document.")},
                errors=("404",),
                parameters=[_path_id("document_id", "document")],
                operation_id="readDocument",
            )
        },
        "/claims": {
            "get": _operation(
                "List claims, filtered, a page at a time (cursor pagination, by id)",
                Role.VIEWER,
                {"200": _json(_ref("ClaimPage"), "A page of claims.")},
                errors=("400",),
                parameters=[
                    *filters,
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 200},
                    },
                    {
                        "name": "cursor",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "pattern": "^[0-9]{1,9}$"},
                    },
                ],
                operation_id="listClaims",
            )
        },
        "/claims/{claim_id}": {
            "get": _operation(
                "A claim with its evidence, suggestion and history",
                Role.VIEWER,
                claim_ok,
                errors=("404",),
                parameters=[claim_id],
                operation_id="getClaim",
            )
        },
        "/claims/{claim_id}/verdict": {
            "put": _operation(
                "Record the reviewer's verdict (the claim becomes verified)",
                Role.REVIEWER,
                claim_ok,
                errors=("404", "409", "412", "428"),
                parameters=[claim_id, _IF_MATCH],
                body={
                    "type": "object",
                    "required": ["rating", "rationale"],
                    "properties": {
                        "rating": {"enum": [r.value for r in Rating]},
                        "rationale": {"type": "string", "pattern": "\\S"},
                        "claim_reviewed": {"type": "string", "maxLength": 500},
                        "cited_evidence": {"type": "array", "items": {"type": "integer"}},
                    },
                },
                operation_id="setVerdict",
            )
        },
        "/claims/{claim_id}/status": {
            "post": _operation(
                "Move a claim to another status; publishing needs the editor role",
                Role.REVIEWER,
                claim_ok,
                errors=("404", "409", "412", "428"),
                parameters=[claim_id, _IF_MATCH],
                body={
                    "type": "object",
                    "required": ["status"],
                    "properties": {
                        "status": {"enum": [s.value for s in ClaimStatus]},
                        "note": {"type": "string"},
                    },
                },
                operation_id="setStatus",
            )
        },
        "/claims/{claim_id}/sources": {
            "get": _operation(
                "The web pages asked for as evidence of a claim, with their state",
                Role.VIEWER,
                {"200": _json(_items("SourceRequest"), "Every request, newest first.")},
                errors=("404",),
                parameters=[claim_id],
                operation_id="listSources",
            ),
            "post": _operation(
                "Ask for a web page to be fetched, archived and attached as evidence",
                Role.REVIEWER,
                {
                    "202": {
                        "description": "Queued; Location is the claim, where the evidence "
                        "appears once fetched.",
                        "headers": {"Location": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": _ref("SourceRequest")}},
                    }
                },
                errors=("404",),
                parameters=[claim_id],
                body={
                    "type": "object",
                    "required": ["url"],
                    "properties": {
                        "url": {
                            "type": "string",
                            "maxLength": MAX_URL,
                            "pattern": "^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/\\S*)?$",
                        }
                    },
                },
                operation_id="attachSource",
            ),
        },
        "/claims/{claim_id}/library": {
            "get": _operation(
                "Search the source library for passages to attach to a claim; without q, the "
                "passages a check ranks highest for it",
                Role.VIEWER,
                {"200": _json(_items("LibraryPassage"), "Matching passages, best first.")},
                errors=("400", "404"),
                parameters=[
                    claim_id,
                    {
                        "name": "q",
                        "in": "query",
                        "required": False,
                        "description": "Words or figures; a passage matching any of them counts.",
                        "schema": {"type": "string", "maxLength": 500, "pattern": "[A-Za-z0-9]"},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50},
                    },
                ],
                operation_id="searchLibrary",
            )
        },
        "/claims/{claim_id}/evidence": {
            "post": _operation(
                "Attach a passage of the source library to a claim as evidence (once per passage)",
                Role.REVIEWER,
                {
                    "201": {
                        "description": "Attached, with its stance and number comparison; "
                        "Location is the claim.",
                        "headers": {"Location": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": _ref("AttachedEvidence")}},
                    },
                    "200": _json(_ref("AttachedEvidence"), "The passage was attached before."),
                },
                errors=("404",),
                parameters=[claim_id],
                body={
                    "type": "object",
                    "required": ["passage_id"],
                    "properties": {
                        "passage_id": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
                    },
                },
                operation_id="attachLibraryPassage",
            )
        },
        "/export": {
            "get": _operation(
                "Export the verdict report",
                Role.VIEWER,
                {"200": {"description": "The report, as a file.", "content": report_types}},
                errors=("400", "404"),
                parameters=[
                    {
                        "name": "format",
                        "in": "query",
                        "required": False,
                        "schema": {"enum": list(FORMATS), "default": "json"},
                    },
                    *filters,
                ],
                operation_id="exportReport",
            )
        },
        "/tokens": {
            "get": _operation(
                "List API tokens",
                Role.ADMIN,
                {"200": _json(_items("Token"), "Every token, newest first.")},
                operation_id="listTokens",
            ),
            "post": _operation(
                "Create an API token (the token is shown only in this answer)",
                Role.ADMIN,
                {"201": _json(_ref("Token"), "The new token, with `token`.")},
                errors=("404", "409"),
                body={
                    "type": "object",
                    "required": ["name", "role"],
                    "properties": {
                        "name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"},
                        "role": {"enum": [r.value for r in Role]},
                        "user": {"type": "string", "description": "Act as this existing user."},
                    },
                },
                operation_id="createToken",
            ),
        },
        "/tokens/{token_id}": {
            "delete": _operation(
                "Revoke an API token",
                Role.ADMIN,
                {"200": _json(_ref("Token"), "The revoked token.")},
                errors=("404",),
                parameters=[_path_id("token_id", "token")],
                operation_id="revokeToken",
            )
        },
        "/webhooks": {
            "get": _operation(
                "List webhooks",
                Role.ADMIN,
                {"200": _json(_items("Webhook"), "Every webhook, newest first.")},
                operation_id="listWebhooks",
            ),
            "post": _operation(
                "Register a webhook for published verdicts (the secret is shown only here)",
                Role.ADMIN,
                {"201": _json(_ref("Webhook"), "The webhook, with `secret`.")},
                body={
                    "type": "object",
                    "required": ["url"],
                    "properties": {
                        "url": {"type": "string", "pattern": "^https?://[A-Za-z0-9.-]+(:[0-9]+)?/"}
                    },
                },
                operation_id="addWebhook",
            ),
        },
        "/webhooks/{webhook_id}": {
            "delete": _operation(
                "Stop a webhook (its delivery log is kept)",
                Role.ADMIN,
                {"200": _json(_ref("Webhook"), "The stopped webhook.")},
                errors=("404",),
                parameters=[_path_id("webhook_id", "webhook")],
                operation_id="removeWebhook",
            )
        },
        "/webhooks/{webhook_id}/deliveries": {
            "get": _operation(
                "The delivery log of a webhook",
                Role.ADMIN,
                {"200": _json(_items("Delivery"), "The latest deliveries, newest first.")},
                errors=("404",),
                parameters=[_path_id("webhook_id", "webhook")],
                operation_id="listDeliveries",
            )
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "claimtrack API",
            "version": API_VERSION,
            "description": "Claims, verdicts, reports and webhooks of claimtrack. Every error "
            'answers {"error": {"code", "message"}}.',
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(),
            "responses": {f"E{code}": _json(_ref("Error"), text) for code, text in _ERRORS.items()},
        },
    }
