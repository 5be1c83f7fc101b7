"""Real browser (Debian Chromium): record a visit through the form, find it in the list and on its city's dossier."""

import re

import pytest

from tests.support.browser import assert_only_local, choose_option, fill_date, screenshot, wait_for_app

pytestmark = pytest.mark.browser
TITLE = "Brno students' visit"


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0


def _type(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    wait_for_app(page)




def test_a_visit_recorded_in_the_browser_is_found_in_the_list_and_on_the_city(live_app, browser_page):
    page = browser_page
    _open(page, f"{live_app}/?lang=en")
    _open(page, f"{live_app}/visits?new=1&lang=en")
    assert page.get_by_role("heading", name="New visit").count() == 1
    _type(page, "Title (English)", TITLE)
    _type(page, "Title (Chinese)", "布爾諾學生訪問團")
    fill_date(page, "Start (actual)", "20200520")
    choose_option(page, "From city", "Prague")
    _type(page, "People", "12")
    screenshot(page, "records-visit-form-en", page.locator('[data-testid="stMain"]'))
    page.get_by_role("button", name="Save").click()
    wait_for_app(page)
    page.get_by_role("heading", name=TITLE).wait_for()
    main = page.locator('[data-testid="stMain"]')
    assert "Saved." in main.inner_text() and "12" in main.inner_text()
    record_url = page.url  # the record's own URL (?id=), to send to a colleague
    assert re.search(r"/visits\?.*id=\d+", record_url), record_url
    screenshot(page, "records-visit-detail-en", main)

    # the list finds it by its Chinese name (search and filters travel in the URL)
    _open(page, f"{live_app}/visits?lang=zh-TW&q=布爾諾&period=2020H1")
    assert "共 1 筆" in page.locator('[data-testid="stMain"]').inner_text()

    # its city's dossier shows it, and the link leads back to the visit
    _open(page, record_url)
    page.get_by_role("link", name="Prague (CZ)").first.click()
    page.wait_for_url("**/cities?id=*", timeout=20_000)
    wait_for_app(page)
    link = page.get_by_role("link", name=re.compile(re.escape(TITLE)))
    link.wait_for()
    screenshot(page, "records-prague-dossier-en", page.locator('[data-testid="stMain"]'))
    link.click()
    page.wait_for_url("**/visits?id=*", timeout=20_000)
    wait_for_app(page)
    assert page.get_by_role("heading", name=TITLE).count() == 1

    # delete, confirmed in the dialog, then undone from the history
    page.get_by_role("button", name="Delete").click()
    wait_for_app(page)
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    page.get_by_text("This record is deleted").wait_for()
    wait_for_app(page)
    page.get_by_role("tab", name="History").click()
    page.get_by_role("button", name="Undo delete").click()
    page.get_by_text("Restored.").wait_for()
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Restored." in main and "This record is deleted" not in main
    assert_only_local(page.requests)

