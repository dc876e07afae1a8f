"""The report export of the review UI: GET /export?format=...&document=...&status=... for anyone
signed in, answered as a file download."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from typing import IO

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue

from claims.errors import InvalidInputError
from claims.reports import BINARY_FORMATS, EXTENSIONS, MEDIA_TYPES, check_format, export_report
from claims.reports.claimreview import Publisher
from claims.reports.rows import parse_status
from claims.workflow import get_document
from web.extensions import db, get_engine, get_settings

bp = Blueprint("export", __name__)


def publisher() -> Publisher:
    """The ClaimReview publisher of this deployment."""
    settings = get_settings()
    return Publisher(settings.org_name, settings.org_url, settings.public_url)


@bp.get("/export")
def export() -> ResponseReturnValue:
    fmt = check_format(request.args.get("format", "csv").strip())
    document_raw = request.args.get("document", "").strip()
    document_id = None
    if document_raw:
        if not document_raw.isdigit() or len(document_raw) > 9:
            raise InvalidInputError(f"document must be a whole number, not {document_raw!r}")
        document_id = int(document_raw)
        get_document(db(), document_id)
    status = parse_status(request.args.get("status", "").strip() or None)
    return export_response(fmt, document_id, status.value if status else None, publisher())


def export_response(
    fmt: str, document_id: int | None, status: str | None, who: Publisher
) -> Response:
    """Write a report to a temporary file, then send it in chunks.

    The file keeps memory flat however large the export, and an export that fails its checks (a
    ClaimReview breaking the rules) is answered with an error rather than half a file.
    """
    from claims.db import session_factory

    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
    try:
        with session_factory(get_engine())() as session:
            if fmt in BINARY_FORMATS:
                export_report(
                    session, spool, fmt=fmt, document_id=document_id, status=status, publisher=who
                )
            else:
                text = io.TextIOWrapper(spool, encoding="utf-8", newline="", write_through=True)
                export_report(
                    session, text, fmt=fmt, document_id=document_id, status=status, publisher=who
                )
                text.detach()
        size = spool.tell()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = Response(_chunks(spool), direct_passthrough=True)
    response.headers["Content-Type"] = MEDIA_TYPES[fmt]
    response.headers["Content-Length"] = str(size)
    name = f"claimtrack-report{f'-document-{document_id}' if document_id else ''}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{EXTENSIONS[fmt]}"'
    if fmt == "html":
        # The report carries its own styles and inline SVG charts; it runs nothing.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        )
    return response


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    # The file is closed when the body is sent, or when the response is dropped unread.
    try:
        while chunk := spool.read(64 * 1024):
            yield chunk
    finally:
        spool.close()
