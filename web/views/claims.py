"""The review queue, a claim's review page, verdicts and re-checks."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from claims.errors import ConflictError, InvalidInputError
from claims.models import Claim, ClaimStatus, Role
from claims.review import (
    document_exists,
    get_claim_for_review,
    list_claims,
    statuses_of,
)
from claims.workflow import (
    ACTIVE_STATUSES,
    count_by_status,
    get_claim,
    record_verdict,
    requeue_claim,
)
from web.auth import role_required
from web.extensions import commit, db
from web.views.forms import VerdictForm
from web.views.markup import mark_spans

bp = Blueprint("claims", __name__)

MAX_STATUS_IDS = 500


def _positive_int(raw: str, name: str) -> int:
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        raise InvalidInputError(f"{name} must be a positive whole number, not {raw!r}")
    return int(raw)


def _queue_filters(args: Mapping[str, str]) -> tuple[ClaimStatus | None, int | None, int]:
    status_raw = args.get("status", "").strip()
    document_raw = args.get("document", "").strip()
    page_raw = args.get("page", "").strip()
    status = None
    if status_raw:
        try:
            status = ClaimStatus(status_raw)
        except ValueError:
            choices = ", ".join(s.value for s in ClaimStatus)
            raise InvalidInputError(
                f"unknown status {status_raw!r}; choose one of {choices}"
            ) from None
    document_id = _positive_int(document_raw, "document") if document_raw else None
    if document_id is not None and not document_exists(db(), document_id):
        raise InvalidInputError(f"no document with id {document_id}")
    page = _positive_int(page_raw, "page") if page_raw else 1
    return status, document_id, page


@bp.get("/")
def index() -> ResponseReturnValue:
    return redirect(url_for("claims.queue"))


@bp.get("/claims")
def queue() -> ResponseReturnValue:
    status, document_id, page = _queue_filters(request.args)
    result = list_claims(db(), status=status, document_id=document_id, page=page)
    return render_template(
        "claims/list.html",
        result=result,
        counts=count_by_status(db(), document_id),
        status=status,
        document_id=document_id,
    )


@bp.get("/claims/status.json")
def statuses() -> ResponseReturnValue:
    raw = [part.strip() for part in request.args.get("ids", "").split(",") if part.strip()]
    if len(raw) > MAX_STATUS_IDS:
        raise InvalidInputError(f"ask for at most {MAX_STATUS_IDS} ids at once")
    ids = [_positive_int(part, "each id") for part in raw]
    return jsonify({str(i): status.value for i, status in statuses_of(db(), ids).items()})


def _verdict_form_for(claim: Claim) -> VerdictForm:
    return VerdictForm(
        formdata=None,
        data={
            "rating": claim.verdict.value if claim.verdict else "",
            "rationale": claim.verdict_rationale or "",
            "version": str(claim.version),
        },
    )


def _render_claim(claim: Claim, form: VerdictForm | None, status: int = 200) -> ResponseReturnValue:
    reviewer = current_user.allows(Role.REVIEWER)
    paragraphs = mark_spans(claim.document.text, [(claim.start, claim.end, claim)])
    return (
        render_template(
            "claims/detail.html",
            claim=claim,
            paragraphs=paragraphs,
            suggestion=claim.suggestion,
            form=(form or _verdict_form_for(claim)) if reviewer else None,
            can_review=reviewer,
            checking=claim.status in ACTIVE_STATUSES,
        ),
        status,
    )


@bp.get("/claims/<int:claim_id>")
def detail(claim_id: int) -> ResponseReturnValue:
    return _render_claim(get_claim_for_review(db(), claim_id), None)


@bp.post("/claims/<int:claim_id>/verdict")
@role_required(Role.REVIEWER)
def verdict(claim_id: int) -> ResponseReturnValue:
    session = db()
    claim = get_claim_for_review(session, claim_id)
    form = VerdictForm()
    if not form.validate_on_submit():
        return _render_claim(claim, form, 400)
    try:
        record_verdict(
            session,
            claim_id,
            rating=form.rating.data,
            rationale=form.rationale.data,
            user=current_user.row,
            expected_version=int(form.version.data),
        )
    except ConflictError as exc:
        session.rollback()
        claim = get_claim_for_review(session, claim_id)
        retry = _verdict_form_for(claim)
        retry.rating.data = form.rating.data
        retry.rationale.data = form.rationale.data
        return (
            render_template(
                "claims/conflict.html",
                claim=claim,
                message=str(exc),
                submitted_rating=form.rating.data,
                submitted_rationale=form.rationale.data,
                form=retry,
                checking=claim.status in ACTIVE_STATUSES,
            ),
            409,
        )
    except InvalidInputError as exc:
        session.rollback()
        form.form_errors.append(str(exc))
        return _render_claim(get_claim_for_review(session, claim_id), form, 400)
    commit()
    flash(f"Verdict “{form.rating.data}” recorded on claim {claim_id}.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id))


@bp.post("/claims/<int:claim_id>/requeue")
@role_required(Role.REVIEWER)
def requeue(claim_id: int) -> ResponseReturnValue:
    session = db()
    claim = get_claim(session, claim_id)
    requeue_claim(session, claim, actor=current_user.username, user=current_user.row)
    commit(queued_checks=True)
    flash(f"A fresh check of claim {claim_id} is queued.", "success")
    return redirect(url_for("claims.detail", claim_id=claim_id))
