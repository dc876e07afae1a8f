"""The routes of /api/v1: documents, claims (list, read, verdict, status, web sources, library
passages), export, tokens and webhooks. Thin: validate, call claims/, commit, answer JSON."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from claims import api_tokens, desk, webhooks, workflow
from claims.documents import decode_text, document_from_page
from claims.evidence.attached import LibraryMatch, attach_passage, search_library_for_claim
from claims.evidence.web import list_web_requests, request_web_evidence
from claims.fetch import fetch_page
from claims.models import Claim, ClaimStatus, Document, Evidence, EvidenceRequest, Role, User
from claims.recurrence import recurrence_summary
from claims.reports import check_format
from claims.reports.rows import evidence_source, parse_status
from claims.review import get_claim_for_review
from claims.workflow import change_status, get_document, ingest_document, requeue_claim
from web.api.base import (
    ApiError,
    bp,
    check_if_match,
    current_token,
    current_user_row,
    expected_version,
    field,
    json_body,
    requires,
)
from web.api.openapi import openapi_document
from web.extensions import commit, db, get_settings
from web.views.export import export_response, publisher

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def claim_summary(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "document_id": claim.document_id,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "speaker": claim.speaker,
        "time": claim.time,
        "language": claim.language,
        "checkworthiness": round(claim.checkworthiness, 4),
        "recurrence": claim.recurrence,
        "status": claim.status.value,
        "version": claim.version,
        "verdict": claim.verdict.value if claim.verdict else None,
        "url": url_for("api.get_claim", claim_id=claim.id),
    }


def claim_detail(claim: Claim) -> dict[str, Any]:
    suggestion = claim.suggestion
    return {
        **claim_summary(claim),
        "sentence": claim.sentence,
        "quantities": claim.quantities,
        "hedged": claim.hedged,
        "claim_type": claim.claim_type,
        "error": claim.error,
        "verdict_rationale": claim.verdict_rationale,
        "claim_reviewed": getattr(claim, "claim_reviewed", None),
        "reviewer": claim.verdict_by.username if claim.verdict_by else None,
        "verdict_at": _time(claim.verdict_at),
        "suggestion": (
            {
                "verdict": suggestion.verdict.value,
                "confidence": suggestion.confidence,
                "rationale": suggestion.rationale,
                "method": suggestion.method,
                "checked_at": _time(suggestion.checked_at),
                "reused_from_claim_id": suggestion.reused_from_claim_id,
            }
            if suggestion
            else None
        ),
        "evidence": [
            {
                "id": e.id,
                **evidence_source(e),
                "snippet": e.snippet,
                "stance": e.stance.value,
                "score": e.score,
                "number_match": e.number_match,
                "attached_by": (e.details or {}).get("attached_by"),
                "reused_from_claim_id": e.reused_from_claim_id,
            }
            for e in claim.evidence
        ],
        "history": [
            {
                "from": h.from_status.value if h.from_status else None,
                "to": h.to_status.value,
                "actor": h.actor,
                "note": h.note,
                "at": _time(h.at),
            }
            for h in claim.history
        ],
        "document": {
            "id": claim.document.id,
            "title": claim.document.title,
            "origin": claim.document.origin,
        },
    }


def _claim_response(claim_id: int, status: int = 200) -> ResponseReturnValue:
    session = db()
    session.expire_all()
    claim = get_claim_for_review(session, claim_id)
    body = {**claim_detail(claim), **recurrence_summary(session, claim_id)}
    for seen in body["seen_in"]:
        seen["url"] = url_for("api.get_claim", claim_id=seen["claim_id"])
    response = jsonify(body)
    response.status_code = status
    response.headers["ETag"] = f'"{claim.version}"'
    return response


def document_body(document: Document) -> dict[str, Any]:
    return {
        "id": document.id,
        "title": document.title,
        "origin": document.origin,
        "language": document.language,
        "date": document.date,
        "created_at": _time(document.created_at),
        "claims": [claim_summary(c) for c in document.claims],
        "url": url_for("api.read_document", document_id=document.id),
    }


@bp.get("/openapi.json")
@requires(None)
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())


@bp.post("/documents")
@requires(Role.REVIEWER)
def submit_document() -> ResponseReturnValue:
    data = json_body()
    text = field(data, "text", str, required=False)
    url = field(data, "url", str, required=False)
    title = field(data, "title", str, required=False)
    language = field(data, "language", str, required=False)
    mode = field(data, "mode", str, required=False)
    if (text is None) == (url is None):
        raise ApiError(400, "send either 'text' or 'url'", "invalid_input")
    settings = get_settings()
    # Checked before a URL is fetched: a request that will be refused costs no fetch.
    mode = workflow.check_segment_mode(settings.segment_mode if mode is None else mode)
    if url is not None:
        page = fetch_page(url, settings)
        document = document_from_page(page, max_bytes=settings.max_document_bytes)
        text, origin, title = document.text, document.origin, title or document.title
    else:
        text = decode_text(text.encode(), "the text", max_bytes=settings.max_document_bytes)
        origin = "api"
    user = current_user_row()
    result = ingest_document(
        db(),
        text,
        origin,
        language=language,
        title=title,
        actor=user.username,
        user=user,
        mode=mode,
    )
    document_id = result.document.id
    commit(queued_checks=result.created)
    session = db()
    session.expire_all()
    body = {
        "created": result.created,
        "document": document_body(get_document(session, document_id)),
    }
    response = jsonify(body)
    response.status_code = 201 if result.created else 200
    response.headers["Location"] = url_for("api.read_document", document_id=document_id)
    return response


@bp.get("/documents/<int:document_id>")
@requires(Role.VIEWER)
def read_document(document_id: int) -> ResponseReturnValue:
    return jsonify(document_body(get_document(db(), document_id)))


def _encode_cursor(claim_id: int) -> str:
    # The position after which the next page starts; callers pass it back unchanged.
    return str(claim_id)


def _decode_cursor(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 9:
        raise ApiError(400, "the cursor is not one this API gave out", "invalid_cursor")
    return int(raw)


def _int_arg(name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 9 or not low <= int(raw) <= high:
        raise ApiError(400, f"{name} must be a whole number from {low} to {high}", "invalid_input")
    return int(raw)


@bp.get("/claims")
@requires(Role.VIEWER)
def list_claims() -> ResponseReturnValue:
    limit = _int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT) or DEFAULT_LIMIT
    document_id = _int_arg("document", None, 1, 999_999_999)
    status = parse_status(request.args.get("status", "").strip() or None)
    cursor = request.args.get("cursor", "").strip()
    query = (
        select(Claim)
        .options(selectinload(Claim.document).load_only(Document.id))
        .order_by(Claim.id)
        .limit(limit + 1)
    )
    if cursor:
        query = query.where(Claim.id > _decode_cursor(cursor))
    if document_id is not None:
        query = query.where(Claim.document_id == document_id)
    if status is not None:
        query = query.where(Claim.status == status)
    claims = list(db().scalars(query))
    more = len(claims) > limit
    claims = claims[:limit]
    return jsonify(
        {
            "items": [claim_summary(c) for c in claims],
            "next_cursor": _encode_cursor(claims[-1].id) if more else None,
        }
    )


@bp.get("/claims/<int:claim_id>")
@requires(Role.VIEWER)
def get_claim(claim_id: int) -> ResponseReturnValue:
    return _claim_response(claim_id)


def _locked_claim(claim_id: int) -> Claim:
    """The claim, locked for this transaction where the database can (PostgreSQL)."""
    claim = db().get(Claim, claim_id, with_for_update=True)
    if claim is None:
        raise ApiError(404, f"no claim with id {claim_id}", "not_found")
    return claim


@bp.put("/claims/<int:claim_id>/verdict")
@requires(Role.REVIEWER)
def set_verdict(claim_id: int) -> ResponseReturnValue:
    data = json_body()
    version = expected_version()
    claim = _locked_claim(claim_id)
    check_if_match(claim.version, version, claim_id)
    cited = field(data, "cited_evidence", list, required=False) or []
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in cited):
        raise ApiError(400, "cited_evidence is a list of evidence ids", "invalid_input")
    desk.record_review(
        db(),
        claim_id,
        rating=field(data, "rating", str),
        rationale=field(data, "rationale", str),
        user=current_user_row(),
        expected_version=version,
        claim_reviewed=field(data, "claim_reviewed", str, required=False),
        cited_evidence_ids=cited,
    )
    commit()
    return _claim_response(claim_id)


@bp.post("/claims/<int:claim_id>/status")
@requires(Role.REVIEWER)
def set_status(claim_id: int) -> ResponseReturnValue:
    data = json_body()
    version = expected_version()
    target = parse_status(field(data, "status", str))
    note = field(data, "note", str, required=False)
    session = db()
    claim = _locked_claim(claim_id)
    check_if_match(claim.version, version, claim_id)
    user = current_user_row()
    queued = False
    if target == ClaimStatus.PUBLISHED:
        if not current_token().role.allows(Role.EDITOR):
            raise ApiError(403, "publishing needs a token with the editor role or higher")
        desk.publish_verdict(
            session,
            claim_id,
            by=user,
            expected_version=version,
            two_person_rule=get_settings().two_person_rule,
        )
        queued = bool(webhooks.enqueue_publication(session, claim, publisher()))
    elif target == ClaimStatus.QUEUED:
        requeue_claim(session, claim, actor=user.username, user=user)
        claim.version += 1
        queued = True
    elif target is not None:
        desk.require_work_on(user, claim)
        if change_status(session, claim, target, actor=user.username, user=user, note=note):
            claim.version += 1
    commit(queued_checks=queued)
    return _claim_response(claim_id)


def source_body(row: EvidenceRequest) -> dict[str, Any]:
    return {
        "id": row.id,
        "claim_id": row.claim_id,
        "url": row.url,
        "status": row.status.value,
        "error": row.error,
        "requested_by": row.requested_by,
        "created_at": _time(row.created_at),
        "finished_at": _time(row.finished_at),
        "claim_url": url_for("api.get_claim", claim_id=row.claim_id),
    }


@bp.post("/claims/<int:claim_id>/sources")
@requires(Role.REVIEWER)
def attach_source(claim_id: int) -> ResponseReturnValue:
    data = json_body()
    url = field(data, "url", str)
    session = db()
    user = current_user_row()
    # The review page offers the form only to those who may work on the claim.
    desk.require_work_on(user, workflow.get_claim(session, claim_id))
    row = request_web_evidence(session, claim_id, url, user=user, actor=user.username)
    body = source_body(row)
    commit(queued_checks=True)
    response = jsonify(body)
    response.status_code = 202
    response.headers["Location"] = body["claim_url"]
    return response


@bp.get("/claims/<int:claim_id>/sources")
@requires(Role.VIEWER)
def list_sources(claim_id: int) -> ResponseReturnValue:
    session = db()
    workflow.get_claim(session, claim_id)
    return jsonify({"items": [source_body(r) for r in list_web_requests(session, claim_id)]})


def library_match_body(match: LibraryMatch) -> dict[str, Any]:
    source = match.passage.source
    return {
        "passage_id": match.passage.id,
        "source": source.title,
        "url": source.url,
        "published": source.published,
        "language": source.language,
        "text": match.passage.text,
        "rank": match.rank,
        "attached": match.attached,
    }


@bp.get("/claims/<int:claim_id>/library")
@requires(Role.VIEWER)
def search_library(claim_id: int) -> ResponseReturnValue:
    limit = _int_arg("limit", 20, 1, 50) or 20
    session = db()
    claim = workflow.get_claim(session, claim_id)
    query = request.args.get("q", "")
    matches = search_library_for_claim(session, claim, query, limit=limit)
    return jsonify({"items": [library_match_body(m) for m in matches]})


def evidence_body(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.id,
        "claim_id": evidence.claim_id,
        "passage_id": evidence.passage_id,
        **evidence_source(evidence),
        "snippet": evidence.snippet,
        "stance": evidence.stance.value,
        "score": evidence.score,
        "number_match": evidence.number_match,
        "attached_by": (evidence.details or {}).get("attached_by"),
        "reused_from_claim_id": evidence.reused_from_claim_id,
        "claim_url": url_for("api.get_claim", claim_id=evidence.claim_id),
    }


@bp.post("/claims/<int:claim_id>/evidence")
@requires(Role.REVIEWER)
def attach_library_passage(claim_id: int) -> ResponseReturnValue:
    data = json_body()
    raw = field(data, "passage_id", (int, float))
    # JSON does not tell 7 from 7.0; both name passage 7 (NaN and infinities name none).
    passage_id = int(raw) if isinstance(raw, int) or raw.is_integer() else 0
    if not 1 <= passage_id <= 2**31 - 1:
        raise ApiError(400, "passage_id must be a positive whole number", "invalid_input")
    evidence, added = attach_passage(db(), claim_id, passage_id, by=current_user_row())
    body = evidence_body(evidence)
    commit()
    response = jsonify(body)
    response.status_code = 201 if added else 200
    response.headers["Location"] = body["claim_url"]
    return response


@bp.get("/export")
@requires(Role.VIEWER)
def export() -> ResponseReturnValue:
    fmt = check_format(request.args.get("format", "json").strip())
    document_id = _int_arg("document", None, 1, 999_999_999)
    status = parse_status(request.args.get("status", "").strip() or None)
    if document_id is not None:
        get_document(db(), document_id)
    return export_response(fmt, document_id, status.value if status else None, publisher())


@bp.post("/tokens")
@requires(Role.ADMIN)
def create_token() -> ResponseReturnValue:
    data = json_body()
    username = field(data, "user", str, required=False)
    user = None
    if username is not None:
        user = db().scalar(select(User).where(User.username == username))
        if user is None:
            raise ApiError(404, f"no user named {username!r}", "not_found")
    issued = api_tokens.create_token(
        db(),
        field(data, "name", str),
        field(data, "role", str),
        created_by=current_user_row().username,
        user=user,
    )
    body = {**token_body(issued.row), "token": issued.token}
    commit()
    return jsonify(body), 201


def token_body(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "role": row.role.value,
        "user": row.user.username,
        "prefix": row.prefix,
        "created_by": row.created_by,
        "created_at": _time(row.created_at),
        "last_used_at": _time(row.last_used_at),
        "revoked_at": _time(row.revoked_at),
    }


@bp.get("/tokens")
@requires(Role.ADMIN)
def list_tokens() -> ResponseReturnValue:
    return jsonify({"items": [token_body(t) for t in api_tokens.list_tokens(db())]})


@bp.delete("/tokens/<int:token_id>")
@requires(Role.ADMIN)
def revoke_token(token_id: int) -> ResponseReturnValue:
    row = api_tokens.revoke_token(db(), token_id)
    body = token_body(row)
    commit()
    return jsonify(body)


def webhook_body(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "active": row.active,
        "created_by": row.created_by,
        "created_at": _time(row.created_at),
    }


@bp.post("/webhooks")
@requires(Role.ADMIN)
def add_webhook() -> ResponseReturnValue:
    data = json_body()
    registered = webhooks.add_webhook(
        db(), field(data, "url", str), created_by=current_user_row().username
    )
    body = {**webhook_body(registered.row), "secret": registered.secret}
    commit()
    return jsonify(body), 201


@bp.get("/webhooks")
@requires(Role.ADMIN)
def list_webhooks() -> ResponseReturnValue:
    return jsonify({"items": [webhook_body(w) for w in webhooks.list_webhooks(db())]})


@bp.delete("/webhooks/<int:webhook_id>")
@requires(Role.ADMIN)
def remove_webhook(webhook_id: int) -> ResponseReturnValue:
    row = webhooks.deactivate_webhook(db(), webhook_id)
    body = webhook_body(row)
    commit()
    return jsonify(body)


@bp.get("/webhooks/<int:webhook_id>/deliveries")
@requires(Role.ADMIN)
def list_deliveries(webhook_id: int) -> ResponseReturnValue:
    rows = webhooks.list_deliveries(db(), webhook_id)
    return jsonify({"items": [webhooks.delivery_to_dict(d) for d in rows]})
