"""The documents list and a document's text with its claims marked."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.integration.web.conftest import Seeded


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
