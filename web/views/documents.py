"""The documents: a list with their claims counted by status, and each text with its claims."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from claims.models import ClaimStatus
from claims.review import get_document_for_review, list_documents
from claims.workflow import count_by_status
from web.extensions import db
from web.views.markup import mark_spans

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.get("")
def index() -> ResponseReturnValue:
    return render_template(
        "documents/list.html", rows=list_documents(db()), statuses=list(ClaimStatus)
    )


@bp.get("/<int:document_id>")
def detail(document_id: int) -> ResponseReturnValue:
    document = get_document_for_review(db(), document_id)
    paragraphs = mark_spans(document.text, [(c.start, c.end, c) for c in document.claims])
    return render_template(
        "documents/detail.html",
        document=document,
        paragraphs=paragraphs,
        counts=count_by_status(db(), document.id),
    )
