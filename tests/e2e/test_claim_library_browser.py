"""In headless Chromium: a reviewer adds a passage of the source library to a claim from its page,
and pages follow a check as it finishes without anyone reloading them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.accounts import create_user
from claims.checking import check_claim, start_check
from claims.db import session_scope
from claims.models import ClaimEvent, EventKind, Evidence
from claims.workflow import get_claim, requeue_claim
from tests.e2e.conftest import PASSWORD, Desk
from tests.e2e.test_review_desk_browser import sign_in, wait_for, wait_for_flash

pytestmark = pytest.mark.browser
# Pages poll every 3 s; on a busy machine an answer may take a few more.
LIVE_TIMEOUT = 30


def wait_live(driver: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, LIVE_TIMEOUT).until(condition)


def test_a_reviewer_attaches_a_library_passage_from_the_claim_page(
    desk: Desk, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    driver = browser
    claim_id = desk.claim_ids[0]
    sign_in(driver, desk, "reviewer1")
    driver.get(f"{desk.url}/claims/{claim_id}")
    box = driver.find_element(By.ID, "library-q")
    box.send_keys("Kazakhstan 98000")
    box.submit()
    wait_for(driver, ec.presence_of_element_located((By.CSS_SELECTOR, ".library-results li")))
    assert "Add a source from the library" in driver.find_element(By.TAG_NAME, "h1").text

    # The first passage not yet evidence of the claim: its source's title, then attach it.
    item = next(
        li
        for li in driver.find_elements(By.CSS_SELECTOR, ".library-results li")
        if li.find_elements(By.CSS_SELECTOR, "button[type=submit]")
    )
    passage_id = int(item.get_attribute("id").removeprefix("passage-"))
    item.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    wait_for_flash(driver, "is attached as evidence")
    assert driver.current_url.split("#")[0] == f"{desk.url}/claims/{claim_id}"
    with Session(desk.engine) as session:
        rows = session.scalars(
            select(Evidence).where(Evidence.claim_id == claim_id, Evidence.passage_id == passage_id)
        ).all()
        assert [(e.provider, (e.details or {}).get("attached_by")) for e in rows] == [
            ("library-attached", "reviewer1")
        ]
        title, evidence_id = rows[0].title, rows[0].id
        assert session.scalar(
            select(ClaimEvent.id).where(
                ClaimEvent.claim_id == claim_id, ClaimEvent.kind == EventKind.EVIDENCE_ADDED
            )
        )
    attached = driver.find_element(By.ID, f"evidence-{evidence_id}").text
    assert title in attached
    assert "attached by reviewer1" in attached
    history = driver.find_element(By.CSS_SELECTOR, "table.history").text
    assert f"evidence added #{evidence_id} {title}" in history

    # The same passage found again is shown as evidence already, with no button.
    driver.back()
    driver.refresh()
    again = driver.find_element(By.ID, f"passage-{passage_id}")
    assert "Already evidence of this claim." in again.text
    assert again.find_elements(By.CSS_SELECTOR, "button") == []


def _start_checking(desk: Desk, claim_id: int) -> None:
    with session_scope(desk.engine) as session:
        requeue_claim(session, get_claim(session, claim_id), actor="test")
    with session_scope(desk.engine) as session:
        assert start_check(session, claim_id)


def _finish_check(desk: Desk, claim_id: int) -> None:
    with session_scope(desk.engine) as session:
        check_claim(session, claim_id)


def test_the_claim_page_shows_the_evidence_once_its_check_is_done(desk: Desk, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    driver = browser
    claim_id = desk.claim_ids[1]
    _start_checking(desk, claim_id)
    sign_in(driver, desk, "reviewer1")
    driver.get(f"{desk.url}/claims/{claim_id}")
    assert "checking" in driver.find_element(By.ID, "claim-status").text
    assert "a verdict can be recorded once its check is done" in driver.page_source
    driver.execute_script("window.notReloaded = true;")

    _finish_check(desk, claim_id)

    wait_live(driver, ec.text_to_be_present_in_element((By.ID, "claim-status"), "needs review"))
    # Reloaded by the page itself: the verdict form and the evidence are there now.
    wait_for(driver, ec.presence_of_element_located((By.ID, "verdict-title")))
    wait_live(driver, lambda d: d.execute_script("return window.notReloaded === undefined"))
    assert driver.find_elements(By.NAME, "rating")


def test_the_documents_list_follows_checks_in_the_users_language(desk: Desk, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    driver = browser
    claim_id = desk.claim_ids[2]
    sign_in(driver, desk, "viewer1")
    Select(driver.find_element(By.ID, "language")).select_by_value("fr")
    driver.find_element(By.CSS_SELECTOR, ".language-switcher button").click()
    wait_for(driver, ec.presence_of_element_located((By.CSS_SELECTOR, "html[lang=fr]")))
    _start_checking(desk, claim_id)
    driver.get(f"{desk.url}/documents")
    row = f"tr[data-progress-url='/documents/{desk.document_id}/progress.json']"
    counts = driver.find_element(By.CSS_SELECTOR, f"{row} .status-counts")
    assert "en vérification 1" in counts.text
    before = counts.text

    _finish_check(desk, claim_id)

    wait_live(
        driver, lambda d: d.find_element(By.CSS_SELECTOR, f"{row} .status-counts").text != before
    )
    after = driver.find_element(By.CSS_SELECTOR, f"{row} .status-counts").text
    assert "à vérifier" in after  # "needs review", in French, written by the script
    assert (
        driver.execute_script(
            f"return document.querySelector(\"{row}\").getAttribute('data-pending')"
        )
        == "0"
    )
    wait_for(driver, ec.presence_of_element_located((By.CSS_SELECTOR, f"{row} .status-counts a")))


def test_the_queue_counts_follow_a_check_made_elsewhere_in_french(desk: Desk, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    claim_id = desk.claim_ids[3]
    with session_scope(desk.engine) as session:
        create_user(session, "viewer_fr", PASSWORD, "viewer", language="fr")
        status = get_claim(session, claim_id).status.value
    sign_in(driver, desk, "viewer_fr")
    driver.get(f"{desk.url}/claims?document={desk.document_id}")

    def count(name: str) -> str:
        return driver.find_element(By.CSS_SELECTOR, f'.counts [data-count="{name}"]').text

    before = {name: int(count(name)) for name in ("all", status, "checking")}

    _start_checking(desk, claim_id)  # a worker takes the claim, outside this page

    wait_live(driver, lambda d: count("checking") == str(before["checking"] + 1))
    assert count(status) == str(before[status] - 1)
    assert count("all") == str(before["all"])
    badge = driver.find_element(By.CSS_SELECTOR, f'[data-claim-id="{claim_id}"]')
    assert badge.text == "en vérification"
    note = driver.find_element(By.ID, "live-status").get_attribute("textContent")
    assert note == "1 affirmation a changé de statut."

    _finish_check(desk, claim_id)

    wait_live(driver, lambda d: count("checking") == str(before["checking"]))
    assert {name: int(count(name)) for name in before} == before
