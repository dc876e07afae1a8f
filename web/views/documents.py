"""The documents: a list with their claims counted by status and a form to add one (pasted text,
an uploaded file or a URL), and each text with its claims marked and the progress of its checks."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from claims.documents import DocumentInput, decode_text, document_from_page
from claims.errors import InvalidInputError
from claims.models import ClaimStatus, Role
from claims.review import get_document_for_review, list_documents
from claims.workflow import ACTIVE_STATUSES, count_by_status, get_document, ingest_document
from web.auth import role_required
from web.extensions import commit, db, get_settings
from web.views.forms import IngestForm
from web.views.markup import mark_spans

bp = Blueprint("documents", __name__, url_prefix="/documents")


def _render_index(form: IngestForm, status: int = 200) -> ResponseReturnValue:
    return (
        render_template(
            "documents/list.html",
            rows=list_documents(db()),
            statuses=list(ClaimStatus),
            form=form if current_user.allows(Role.REVIEWER) else None,
        ),
        status,
    )


@bp.get("")
def index() -> ResponseReturnValue:
    return _render_index(IngestForm(formdata=None))


def _read_submission(form: IngestForm) -> DocumentInput:
    """Turn the one filled-in source of the form into document text."""
    settings = get_settings()
    limit = settings.max_document_bytes
    upload = form.file.data
    has_file = upload is not None and getattr(upload, "filename", "")
    given = [bool((form.text.data or "").strip()), bool(has_file), bool(form.url.data)]
    if sum(given) != 1:
        raise InvalidInputError("give exactly one of: pasted text, a file or a URL")
    if given[0]:
        text = form.text.data.replace("\r\n", "\n")
        return DocumentInput(
            decode_text(text.encode(), "the pasted text", max_bytes=limit), "pasted"
        )
    if given[1]:
        name = upload.filename[:200]
        data = upload.read(limit + 1)
        return DocumentInput(decode_text(data, name, max_bytes=limit), name)
    url = form.url.data.strip()
    if not url.startswith(("http://", "https://")):
        raise InvalidInputError(f"{url!r} is not an http(s) address")
    from claims.fetch import fetch_page

    page = fetch_page(url, settings)
    return document_from_page(page, max_bytes=limit)


@bp.post("")
@role_required(Role.REVIEWER)
def add() -> ResponseReturnValue:
    form = IngestForm()
    if not form.validate_on_submit():
        return _render_index(form, 400)
    try:
        submitted = _read_submission(form)
    except InvalidInputError as exc:
        form.form_errors.append(str(exc))
        return _render_index(form, 400)
    session = db()
    result = ingest_document(
        session,
        submitted.text,
        submitted.origin,
        language=form.language.data or None,
        title=(form.title.data or "").strip() or submitted.title,
        user=current_user.row,
        mode=get_settings().segment_mode,
    )
    document_id, claims = result.document.id, len(result.document.claims)
    commit(queued_checks=result.created)
    if result.created:
        flash(
            _("Document %(id)d added: %(n)d claims queued for checking.", id=document_id, n=claims),
            "success",
        )
    else:
        flash(_("This text was already added as document %(id)d.", id=document_id), "info")
    return redirect(url_for("documents.detail", document_id=document_id))


@bp.get("/<int:document_id>")
def detail(document_id: int) -> ResponseReturnValue:
    document = get_document_for_review(db(), document_id)
    paragraphs = mark_spans(document.text, [(c.start, c.end, c) for c in document.claims])
    counts = count_by_status(db(), document.id)
    return render_template(
        "documents/detail.html",
        document=document,
        paragraphs=paragraphs,
        counts=counts,
        pending=sum(counts[s.value] for s in ACTIVE_STATUSES),
        total=sum(counts.values()),
    )


@bp.get("/<int:document_id>/progress.json")
def progress(document_id: int) -> ResponseReturnValue:
    """How far the checks of a document's claims are: counts per status, done and pending."""
    get_document(db(), document_id)
    counts = count_by_status(db(), document_id)
    pending = sum(counts[s.value] for s in ACTIVE_STATUSES)
    total = sum(counts.values())
    return jsonify({"counts": counts, "total": total, "pending": pending, "done": total - pending})
