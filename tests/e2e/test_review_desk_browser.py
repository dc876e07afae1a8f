"""The review desk in headless Chromium, as a reviewer, an editor and a viewer use it.

Set CLAIMTRACK_SCREENSHOTS=docs/screenshots to (re)write the screenshots of the main pages
(`pytest -m slow tests/e2e -k screenshots`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from claims.checking import check_claim, start_check
from claims.db import session_scope
from claims.desk import record_review
from claims.models import Claim, ClaimStatus, User
from claims.workflow import ingest_document
from tests.e2e.conftest import PASSWORD, Desk, new_browser

pytestmark = pytest.mark.browser
TIMEOUT = 10


def wait_for(driver: Any, condition: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, TIMEOUT).until(condition)


def sign_in(driver: Any, desk: Desk, username: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    driver.get(f"{desk.url}/login")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(driver, ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".flashes"), username))


def press(driver: Any, keys: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(keys).perform()


def wait_for_flash(driver: Any, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    wait_for(driver, ec.text_to_be_present_in_element((By.CSS_SELECTOR, ".flashes"), text))


def stored(desk: Desk, claim_id: int) -> Claim:
    with Session(desk.engine) as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        if claim.assignee is not None:
            claim.assignee.username  # noqa: B018  (loaded before the session closes)
        return claim


def test_reviewer_triages_with_the_keyboard_and_records_a_verdict(desk: Desk, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    driver = browser
    sign_in(driver, desk, "reviewer1")
    driver.get(f"{desk.url}/claims?document={desk.document_id}")
    assert "Keyboard shortcuts" in driver.page_source
    first, second = desk.claim_ids[0], desk.claim_ids[1]

    # j moves to the first claim, a assigns it to me.
    press(driver, "j")
    focused = driver.switch_to.active_element
    assert focused.get_attribute("href").endswith(f"/claims/{first}")
    press(driver, "a")
    wait_for_flash(driver, "1 claims assigned to you.")
    assert stored(desk, first).assignee.username == "reviewer1"

    # Back on the same row after the reload; j then d asks for a reason, Enter dismisses.
    wait_for(
        driver,
        lambda d: (d.switch_to.active_element.get_attribute("href") or "").endswith(
            f"/claims/{first}"
        ),
    )
    press(driver, "j")
    press(driver, "d")
    reason = driver.switch_to.active_element
    assert reason.get_attribute("id") == "bulk-reason"
    reason.send_keys("not a factual claim", Keys.ENTER)
    wait_for_flash(driver, "1 claims dismissed.")
    assert stored(desk, second).status == ClaimStatus.DISMISSED

    # o opens the first claim; the verdict form records a verdict.
    driver.get(f"{desk.url}/claims?document={desk.document_id}&assignee=me")
    press(driver, "j")
    press(driver, "o")
    wait_for(driver, ec.url_contains(f"/claims/{first}"))
    Select(driver.find_element(By.ID, "rating")).select_by_value("mostly-true")
    driver.find_element(By.ID, "claim_reviewed").send_keys("About 98,000 Russians entered")
    driver.find_element(By.ID, "rationale").send_keys("Kazakh officials gave this figure.")
    driver.find_element(By.CSS_SELECTOR, "#verdict-form button[type=submit]").click()
    wait_for_flash(driver, "recorded on claim")
    claim = stored(desk, first)
    assert claim.status == ClaimStatus.VERIFIED
    assert claim.claim_reviewed == "About 98,000 Russians entered"


def test_a_stale_verdict_shows_both_versions_and_a_viewer_gets_no_forms(
    desk: Desk, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    driver = browser
    target = desk.claim_ids[2]
    sign_in(driver, desk, "editor1")
    driver.get(f"{desk.url}/claims/{target}")
    Select(driver.find_element(By.ID, "rating")).select_by_value("false")
    driver.find_element(By.ID, "rationale").send_keys("My reading of the sources.")

    # Meanwhile a colleague records a verdict on the same claim.
    with Session(desk.engine) as session:
        reviewer1 = session.query(User).filter_by(username="reviewer1").one()
        record_review(
            session,
            target,
            rating="true",
            rationale="Their verdict, saved first.",
            user=reviewer1,
            expected_version=None,
        )
        session.commit()

    driver.find_element(By.CSS_SELECTOR, "#verdict-form button[type=submit]").click()
    title = wait_for(driver, ec.presence_of_element_located((By.ID, "conflict-title")))
    assert title.text == "Your verdict was not saved"
    assert "Their verdict, saved first." in driver.find_element(By.ID, "stored-version").text
    assert "My reading of the sources." in driver.find_element(By.ID, "your-version").text
    assert stored(desk, target).verdict_rationale == "Their verdict, saved first."

    viewer = new_browser(Path(driver.capabilities["chrome"]["userDataDir"]).parent / "viewer")
    try:
        sign_in(viewer, desk, "viewer1")
        viewer.get(f"{desk.url}/claims/{target}")
        assert not viewer.find_elements(By.ID, "verdict-form")
        assert not viewer.find_elements(By.CSS_SELECTOR, "form[action$='/assign']")
        viewer.get(f"{desk.url}/claims?document={desk.document_id}")
        assert not viewer.find_elements(By.CSS_SELECTOR, "input[name=ids]")
        assert not viewer.find_elements(By.ID, "bulk-action")
        viewer.get(f"{desk.url}/documents")
        assert not viewer.find_elements(By.CSS_SELECTOR, "form[enctype='multipart/form-data']")
    finally:
        viewer.quit()


def repeat_in_a_later_document(desk: Desk, claim_id: int) -> int:
    """Ingest and check a later article repeating the claim's sentence; return its document."""
    with session_scope(desk.engine) as session:
        sentence = session.get(Claim, claim_id).sentence
        text = f"Kazakhstan: the border a week later\n\n{sentence}\n"
        document = ingest_document(session, text, "follow-up.txt", actor="system").document
        document_id, ids = document.id, [c.id for c in document.claims]
    for repeat in ids:
        with session_scope(desk.engine) as session:
            if start_check(session, repeat):
                check_claim(session, repeat)
    return document_id


@pytest.mark.slow
def test_screenshots_of_the_main_pages(desk: Desk, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    out = Path(os.environ.get("CLAIMTRACK_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    # The first claim recurs: its page shows the documents it was seen in.
    repeat_in_a_later_document(desk, desk.claim_ids[0])
    driver = browser
    driver.get(f"{desk.url}/login")
    driver.save_screenshot(str(out / "login.png"))
    sign_in(driver, desk, "editor1")
    pages = {
        "queue": f"/claims?document={desk.document_id}",
        "claim": f"/claims/{desk.claim_ids[0]}",
        "library": f"/claims/{desk.claim_ids[0]}/library",
        "documents": "/documents",
        "document": f"/documents/{desk.document_id}",
    }
    for name, path in pages.items():
        driver.get(desk.url + path)
        if name == "claim":
            assert "Seen in 2 documents" in driver.find_element(By.ID, "seen-in").text
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1280, min(max(900, height), 2400))
        driver.save_screenshot(str(out / f"{name}.png"))
    driver.set_window_size(820, 1180)  # a tablet
    driver.get(f"{desk.url}/claims?document={desk.document_id}")
    driver.save_screenshot(str(out / "queue-tablet.png"))
    assert all((out / f"{name}.png").stat().st_size > 10_000 for name in pages)
