"""The documents list and a document's text with its claims marked."""

from __future__ import annotations

import io
import re
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from claims.config import Settings
from claims.models import Document
from tests.integration.web.conftest import Seeded, csrf_token, login
from web.app import create_app


def test_documents_list_counts_claims_by_status(reviewer: FlaskClient, seeded: Seeded) -> None:
    page = reviewer.get("/documents")
    assert page.status_code == 200
    text = page.text
    assert "Budget debate in the Assembly" in text
    assert "River report" in text
    # Newest first
    assert text.index("River report") < text.index("Budget debate in the Assembly")
    queued = len(seeded.claim_ids) - 1
    assert (
        f'href="/claims?document={seeded.document_id}&amp;status=queued">queued {queued}</a>'
    ) in text
    assert (
        f'href="/claims?document={seeded.document_id}&amp;status=needs_review">needs review 1</a>'
    ) in text
    assert (
        f'href="/claims?document={seeded.other_document_id}&amp;status=failed">failed 1</a>'
    ) in text
    assert f'<a href="/claims?document={seeded.document_id}">{len(seeded.claim_ids)}</a>' in text


def test_document_page_marks_every_claim_with_its_status(
    reviewer: FlaskClient, seeded: Seeded
) -> None:
    page = reviewer.get(f"/documents/{seeded.document_id}")
    assert page.status_code == 200
    marks = re.findall(
        r'<a class="claim-mark status-(\w+)" href="/claims/(\d+)" id="claim-\d+">(.*?)</a>',
        page.text,
        re.S,
    )
    assert sorted(int(m[1]) for m in marks) == sorted(seeded.claim_ids)
    statuses = {int(m[1]): m[0] for m in marks}
    assert statuses[seeded.reviewed_id] == "needs_review"
    assert all(s == "queued" for cid, s in statuses.items() if cid != seeded.reviewed_id)
    assert "&lt;b&gt;this year&lt;/b&gt;" in page.text
    assert "<b>" not in page.text
    assert "<p>Budget debate in the Assembly</p>" in page.text
    assert f"#{seeded.reviewed_id} needs review" in page.text


def test_document_page_keeps_text_around_the_claims(reviewer: FlaskClient, seeded: Seeded) -> None:
    page = reviewer.get(f"/documents/{seeded.other_document_id}").text
    assert "<p>Intro line.</p>" in page
    assert (
        f'<p><a class="claim-mark status-failed" href="/claims/{seeded.other_claim_id}" '
        f'id="claim-{seeded.other_claim_id}">The river is 120 km long, officials said.</a>'
    ) in page


def test_unknown_document_is_a_404(reviewer: FlaskClient, seeded: Seeded) -> None:
    response = reviewer.get("/documents/99999")
    assert response.status_code == 404
    assert "no document with id 99999" in response.text


ARTICLE_TEXT = (
    "Budget news\n\nThe minister said that unemployment fell by 12% in 2023.\n\n"
    "Crime rose by 40 percent since 2019, according to the mayor.\n"
)


def _add(client: FlaskClient, **fields: object):  # type: ignore[no-untyped-def]
    token = csrf_token(client.get("/documents").text)
    return client.post("/documents", data={**fields, "csrf_token": token})


def test_a_pasted_document_is_stored_queued_and_shows_its_progress(
    app: Flask, reviewer: FlaskClient, web_engine: Engine
) -> None:
    relayed: list[bool] = []
    app.extensions["claimtrack_after_commit"] = lambda: relayed.append(True)
    response = _add(reviewer, text=ARTICLE_TEXT, title="Pasted budget news", language="en")
    assert response.status_code == 302
    assert relayed == [True]
    document_id = int(response.location.rsplit("/", 1)[1])
    page = reviewer.get(response.location).text
    assert "Pasted budget news" in page
    assert "claims queued for checking" in page
    assert 'data-progress-url="/documents/' in page
    progress = reviewer.get(f"/documents/{document_id}/progress.json").get_json()
    assert progress["total"] >= 2
    assert progress["pending"] == progress["total"]
    assert progress["counts"]["queued"] == progress["total"]
    with Session(web_engine) as session:
        document = session.get(Document, document_id)
        assert document is not None
        assert document.origin == "pasted"
    # The same text again is recognised, not stored twice.
    again = _add(reviewer, text=ARTICLE_TEXT)
    assert again.location == response.location
    assert "already added as document" in reviewer.get(again.location).text


def test_an_uploaded_file_is_stored(reviewer: FlaskClient, web_engine: Engine) -> None:
    upload = (io.BytesIO(ARTICLE_TEXT.encode()), "budget-news.txt")
    response = _add(reviewer, file=upload)
    assert response.status_code == 302
    with Session(web_engine) as session:
        origins = session.scalars(select(Document.origin)).all()
    assert "budget-news.txt" in origins


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "give exactly one of"),
        ({"text": "x", "url": "https://example.org/"}, "give exactly one of"),
        ({"url": "ftp://example.org/a.txt"}, "is not an http(s) address"),
        ({"file": (io.BytesIO(b"\x00\x01binary"), "x.bin")}, "looks like a binary file"),
        ({"url": "http://127.0.0.1:9/article"}, "private"),
    ],
)
def test_bad_submissions_are_a_400_and_store_nothing(
    reviewer: FlaskClient, web_engine: Engine, fields: dict[str, object], message: str
) -> None:
    with Session(web_engine) as session:
        before = session.scalar(select(func.count(Document.id)))
    response = _add(reviewer, **fields)
    assert response.status_code == 400
    assert message in response.text
    with Session(web_engine) as session:
        assert session.scalar(select(func.count(Document.id))) == before


def test_a_document_is_fetched_from_a_url(
    web_settings: Settings, seeded: Seeded, web_engine: Engine
) -> None:
    class Article(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = ARTICLE_TEXT.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = create_app(replace(web_settings, allow_private_urls=True)).test_client()
        login(client, "reviewer1")
        url = f"http://127.0.0.1:{server.server_port}/article.txt"
        response = _add(client, url=url)
        assert response.status_code == 302
    finally:
        server.shutdown()
        server.server_close()
    with Session(web_engine) as session:
        assert url in session.scalars(select(Document.origin)).all()


def test_a_viewer_cannot_add_documents(viewer: FlaskClient) -> None:
    page = viewer.get("/documents").text
    assert 'enctype="multipart/form-data"' not in page
    response = viewer.post("/documents", data={"text": "x", "csrf_token": csrf_token(page)})
    assert response.status_code == 403


def test_progress_of_an_unknown_document_is_a_404(reviewer: FlaskClient) -> None:
    response = reviewer.get("/documents/99999/progress.json")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
