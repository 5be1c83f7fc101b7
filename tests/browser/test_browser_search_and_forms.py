"""Real browser, one session (issue 16, forms part): the global search box finds Prague as 布拉格, prague and Praha
from three different pages (opened with "/" and Ctrl+K) and opens it; on the visit form the first field has the
cursor, Tab goes across each row (a date one stop) and Enter in a field saves nothing; after switching to Chinese,
a quick edit of a visit's status on its page says which field is missing, then saves — and the database agrees."""

import re
import shutil
import sqlite3

import pytest

from tests.support.browser import assert_only_local, choose_option, screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser

FOCUSED_LABEL = """(() => { const a = document.activeElement; if (!a) return null;
  const box = a.closest('[data-testid="stElementContainer"]'); const label = box && box.querySelector('label');
  return label ? label.innerText.trim() : a.tagName; })()"""


@pytest.fixture(scope="module")
def app_db(demo_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "liaison.db"
    shutil.copy(demo_template, path)
    with start_app(path) as base:
        yield base, path


def _one(path, sql: str, *args):
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, args).fetchone()


def _search(page, key: str, text: str) -> None:
    page.keyboard.press(key)  # the shortcut puts the cursor in the sidebar's box, its text selected
    page.keyboard.insert_text(text)
    page.keyboard.press("Enter")
    wait_for_app(page)


def _nav(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
    wait_for_app(page)


def test_search_from_anywhere_then_the_visit_form_then_a_quick_edit(app_db, browser_page):
    base, db = app_db
    page = browser_page
    prague = _one(db, "SELECT id FROM city WHERE name_en = 'Prague'")[0]
    sidebar = page.locator('[data-testid="stSidebar"]')
    page.goto(f"{base}/?lang=en")
    wait_for_app(page)
    for page_title, key, typed in (("Audit log", "/", "布拉格"), ("Visits received", "Control+k", "prague"),
                                   ("Merge duplicates", "/", "PRAHA")):
        _nav(page, page_title)
        page.locator('[data-testid="stMain"] h1').first.click()  # the cursor in no box: "/" is the shortcut
        _search(page, key, typed)
        sidebar.get_by_role("link", name="Prague (CZ)").click()
        page.wait_for_url(f"**/cities?id={prague}*")
        wait_for_app(page)
        assert re.search(rf"/cities\?id={prague}\b", page.url), (typed, page.url)
        assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Prague"
    screenshot(page, "global-search", sidebar)

    _nav(page, "Visits received")
    visits = _one(db, "SELECT count(*) FROM visit")[0]
    page.get_by_role("button", name="New visit").click()
    wait_for_app(page)
    page.wait_for_function("document.activeElement && document.activeElement.getAttribute('aria-label') "
                           "=== 'Title (Chinese)'")  # the first field has the cursor
    assert page.get_by_label("Title (Chinese)", exact=True).get_attribute("aria-required") == "true"
    order = []
    for _ in range(7):
        order.append(page.evaluate(FOCUSED_LABEL))
        page.keyboard.press("Tab")
    assert order == ["Title (Chinese)", "Title (English)", "Status", "Planned start", "Planned end",
                     "Start (actual)", "End (actual)"]  # across each row, a date one stop
    page.get_by_label("Title (English)", exact=True).click()
    page.keyboard.insert_text("Typed, then Enter")
    page.keyboard.press("Enter")
    wait_for_app(page)
    assert _one(db, "SELECT count(*) FROM visit")[0] == visits  # Enter applied the field, saved nothing
    assert page.get_by_label("Title (English)", exact=True).input_value() == "Typed, then Enter"
    screenshot(page, "visit-form-rows")

    choose_option(page, "Language", "繁體中文")
    visit_id, title = _one(db, "SELECT id, title_zh FROM visit WHERE status = 'held' ORDER BY id LIMIT 1")
    page.locator('[data-testid="stMain"] h1').first.click()
    _search(page, "/", title)
    asked: list[str] = []
    page.on("dialog", lambda d: (asked.append(d.message), d.accept()))
    sidebar.get_by_role("link", name=title).click()  # away from the unsaved form: the leave guard asks first
    page.wait_for_url(f"**/visits?id={visit_id}*")
    wait_for_app(page)
    assert re.search(rf"/visits\?id={visit_id}\b", page.url) and asked
    page.get_by_role("button", name="快速修改").click()  # the quick-edit popover on the record's page
    wait_for_app(page)
    quick = page.locator('[class*="st-key-qe-visits"]')
    choose_option(page, "狀態", "延期", scope=quick)
    quick.get_by_role("button", name="套用").click()
    wait_for_app(page)
    assert quick.get_by_text("「狀態原因」為必填。").is_visible()  # names its field, in Chinese, beside it
    assert _one(db, "SELECT status FROM visit WHERE id = ?", visit_id) == ("held",)
    quick.get_by_label("原因（延期或取消時必填）", exact=True).click()
    page.keyboard.insert_text("颱風")
    page.keyboard.press("Enter")
    wait_for_app(page)
    quick.get_by_role("button", name="套用").click()
    wait_for_app(page)
    assert _one(db, "SELECT status, status_reason FROM visit WHERE id = ?", visit_id) == ("postponed", "颱風")
    assert _one(db, "SELECT action FROM auditentry WHERE kind = 'visits' AND record_id = ? ORDER BY id DESC LIMIT 1",
                visit_id) == ("status",)
    screenshot(page, "quick-edit-saved")
    assert_only_local(page.requests)
