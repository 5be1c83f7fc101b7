"""Real browser: no lost work. A half-filled visit form survives a reload (the browser asks first) and is offered
back; forms left for another record are kept as drafts and said so in the sidebar; a draft restored over a record
someone changed since puts back only the user's fields; report drafts are saved, listed, re-opened, never thrown
away by "regenerate" without asking, and one is issued read-only with its figures. Then the database is read."""

import json
import os
import re
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crm.i18n import t
from crm.ui.timefmt import local_time
from tests.support.browser import assert_only_local, choose_option, fill_date, screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser
MAIN = '[data-testid="stMain"]'
SIDEBAR = '[data-testid="stSidebar"]'


@pytest.fixture(scope="module")
def app_db(demo_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("drafts") / "liaison.db"
    shutil.copy(demo_template, path)
    with start_app(path) as base:
        yield base, path


def _rows(path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, args).fetchall()


def _drafts(db) -> dict[tuple[str, int], dict]:
    """(kind, record id) → the draft's data (record id 0: the create form)."""
    return {(kind, rid): json.loads(data) for kind, rid, data in _rows(db, "select kind, record_id, data from formdraft")}


def _saved_at(db, kind: str, record_id: int, lang: str) -> str:
    (stamp,) = _rows(db, "select saved_at from formdraft where kind = ? and record_id = ?", kind, record_id)[0]
    return local_time(datetime.fromisoformat(stamp).replace(tzinfo=UTC), lang)


def _type(page, label: str, text: str, scope=None) -> None:
    box = (scope or page).get_by_label(label, exact=True)
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)  # what an IME hands the page, Chinese included
    box.press("Enter")
    wait_for_app(page)


def _dialogs(page, stay: list[str] | None = None) -> list[str]:
    """Answer every dialog the browser raises ("leave this page?", "leave this form?"), remembering its type and
    message; the next message of `stay` (when given) is answered "stay", the others "leave"."""
    seen: list[str] = []

    def answer(dialog) -> None:
        seen.append(dialog.type)
        if stay and dialog.type == "confirm":
            stay.pop(0)
            dialog.dismiss()
        else:
            dialog.accept()

    page.on("dialog", answer)
    return seen


def test_a_half_filled_visit_survives_a_reload_and_forms_left_behind_are_kept(app_db, browser_page):
    base, db = app_db
    page = browser_page
    stay: list[str] = []
    asked = _dialogs(page, stay)
    main = page.locator(MAIN)
    page.goto(f"{base}/visits?lang=en")
    wait_for_app(page)
    page.get_by_role("button", name="New visit").click()
    wait_for_app(page)
    assert _drafts(db) == {}, "opening an empty form keeps no draft"
    _type(page, "Title (English)", "Draft journey visit")
    _type(page, "Title (Chinese)", "草稿測試來訪團")
    fill_date(page, "Start (actual)", "20200521")
    _type(page, "People", "12")
    choose_option(page, "From city", "Jakarta")
    page.get_by_text("Not saved yet — your changes are kept as a draft").wait_for()
    jakarta = _rows(db, "select id from city where name_en = 'Jakarta'")[0][0]
    typed = {"title_en": "Draft journey visit", "title_zh": "草稿測試來訪團", "start_on": "2020-05-21", "headcount": 12,
             "origin_city_id": jakarta, "country_code": "ID"}  # the country came from the city chosen (issue 16)
    assert _drafts(db) == {("visits", 0): {"fields": typed}}

    page.reload()  # the browser asks before leaving; the person says "leave"
    wait_for_app(page)
    assert asked == ["beforeunload"]
    offer = f"You have an unsaved draft of this form from {_saved_at(db, 'visits', 0, 'en')}"
    page.get_by_text(offer).wait_for()
    assert page.get_by_label("Title (English)", exact=True).input_value() == ""  # the form is empty until restored
    screenshot(page, "drafts-offered-after-reload-en", main)
    page.get_by_role("button", name="Restore draft").click()
    wait_for_app(page)
    assert page.get_by_label("Title (Chinese)", exact=True).input_value() == "草稿測試來訪團"
    assert page.get_by_label("People", exact=True).input_value() == "12"
    assert "2020-05-21" in [e.input_value() for e in main.locator('[data-testid="stDateInput"] input').all()]
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Draft journey visit").wait_for()
    wait_for_app(page)
    assert _rows(db, "select title_en, title_zh, start_on, headcount, origin_city_id, country_code from visit "
                 "where title_en = ?",
                 "Draft journey visit") == [tuple(typed.values())]
    assert _drafts(db) == {}, "a save deletes the draft"
    visit = _rows(db, "select id from visit where title_en = ?", "Draft journey visit")[0][0]

    # the visit's edit form changed, then left for its city's dossier and a conference there: both kept as drafts
    page.get_by_role("tab", name="Edit").click()
    wait_for_app(page)
    _type(page, "People", "15")
    _type(page, "Purpose", "Smart-city study tour")
    page.get_by_role("tab", name="Record").click()
    wait_for_app(page)
    stay.append("first time")  # asked "leave this form?", the user stays: the click is cancelled
    main.get_by_role("link", name="Jakarta (ID)").first.click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload", "confirm"] and "/visits?" in page.url and f"id={visit}" in page.url and not stay
    main.get_by_role("link", name="Jakarta (ID)").first.click()  # asked again: this time the user leaves
    page.wait_for_url("**/cities?id=*")
    wait_for_app(page)
    sidebar = page.locator(SIDEBAR)
    assert "Unsaved changes — kept as drafts" in sidebar.inner_text() and "Draft journey visit" in sidebar.inner_text()
    main.get_by_role("link", name=re.compile("UCLG ASPAC meeting")).first.click()
    page.wait_for_url("**/conferences?id=*")
    wait_for_app(page)
    conference = int(re.search(r"id=(\d+)", page.url).group(1))
    conference_zh = _rows(db, "select title_zh from conference where id = ?", conference)
    page.get_by_role("tab", name="Edit").click()
    wait_for_app(page)
    _type(page, "Title (Chinese)", "亞太區會議（草稿）")
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Cities", exact=True).click()  # the sidebar
    page.wait_for_url("**/cities*")
    wait_for_app(page)
    assert _drafts(db) == {("visits", visit): {"fields": {"headcount": 15, "purpose": "Smart-city study tour"}},
                           ("conferences", conference): {"fields": {"title_zh": "亞太區會議（草稿）"}}}
    screenshot(page, "drafts-left-behind-sidebar-en", sidebar)
    assert asked == ["beforeunload", "confirm", "confirm", "confirm"], "each link out of a changed form asks"

    # back to the visit through the sidebar: the record tab says a draft waits; restored in the edit tab, saved
    sidebar.get_by_role("link", name="Draft journey visit").click()
    page.wait_for_url(f"**/visits?id={visit}*")
    wait_for_app(page)
    page.get_by_text("You have an unsaved draft of this record from").wait_for()
    page.get_by_role("tab", name="Edit").click()
    wait_for_app(page)
    page.get_by_role("button", name="Restore draft").click()
    wait_for_app(page)
    assert page.get_by_label("People", exact=True).input_value() == "15"
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    wait_for_app(page)
    # the conference's draft is discarded instead
    page.locator(SIDEBAR).get_by_role("link", name=re.compile("UCLG ASPAC meeting")).click()
    page.wait_for_url(f"**/conferences?id={conference}*")
    wait_for_app(page)
    page.get_by_role("tab", name="Edit").click()
    wait_for_app(page)
    page.get_by_role("button", name="Discard draft").click()
    wait_for_app(page)
    page.get_by_text("Draft discarded.").wait_for()
    assert "Unsaved changes — kept as drafts" not in page.locator(SIDEBAR).inner_text()
    assert _drafts(db) == {}
    assert _rows(db, "select headcount, purpose from visit where id = ?", visit) == [(15, "Smart-city study tour")]
    assert _rows(db, "select title_zh from conference where id = ?", conference) == conference_zh
    history = _rows(db, "select action from auditentry where kind = 'visits' and record_id = ?", visit)
    assert sorted(a for (a,) in history) == ["create", "update"]
    assert asked == ["beforeunload", "confirm", "confirm", "confirm"]  # nothing asked once the forms were clean
    assert_only_local(page.requests)


def _write_as_colleague(db, record_id: int, data: dict) -> None:
    """Another member of staff saves the record meanwhile (through the write path, as the app would)."""
    from crm.accounts.users import actor_by_name, add_user, ensure_local_user
    from crm.store import writes
    from crm.store.engine import _engine_for

    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    try:
        if not _rows(db, "select id from user where username = 'colleague'"):
            add_user(ensure_local_user(), "colleague", "staff", "brass compass winter 42")
        (version,) = _rows(db, "select version from visit where id = ?", record_id)[0]
        writes.update(actor_by_name("colleague"), "visits", record_id, data, version)  # the version it read
    finally:
        _engine_for.cache_clear()
        if old is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = old


def test_a_draft_restored_over_a_record_changed_since_keeps_the_colleagues_change_zh(app_db, browser_page):
    base, db = app_db
    page = browser_page
    asked = _dialogs(page)
    main = page.locator(MAIN)
    rid = _rows(db, "select id from visit where title_en = 'Ambassador of Honduras'")[0][0]
    page.goto(f"{base}/visits?id={rid}&lang=zh-TW")
    wait_for_app(page)
    page.get_by_role("tab", name="編輯").click()
    wait_for_app(page)
    _type(page, "中文名稱", "宏都拉斯大使拜會市長（草稿）")
    _type(page, "人數", "4")
    page.get_by_text("尚未儲存——您的修改已暫存為草稿").wait_for()
    _write_as_colleague(db, rid, {"purpose": "同仁補充：討論疫苗合作"})
    page.reload()
    wait_for_app(page)
    assert asked == ["beforeunload"]
    page.get_by_text(f"您有此筆紀錄 {_saved_at(db, 'visits', rid, 'zh-TW')} 未儲存的草稿").wait_for()
    page.get_by_role("tab", name="編輯").click()
    wait_for_app(page)
    page.get_by_text("此筆紀錄之後已有變更").wait_for()
    screenshot(page, "drafts-offer-record-changed-zh-TW", main)
    page.get_by_role("button", name="還原草稿").click()
    wait_for_app(page)
    assert page.get_by_label("中文名稱", exact=True).input_value() == "宏都拉斯大使拜會市長（草稿）"
    assert page.get_by_label("目的", exact=True).input_value() == "同仁補充：討論疫苗合作"
    page.get_by_role("button", name="儲存").click()
    page.get_by_text("已儲存。").wait_for()
    wait_for_app(page)
    screenshot(page, "drafts-restored-and-saved-zh-TW", main)
    assert _rows(db, "select title_zh, headcount, purpose, version from visit where id = ?", rid) == [
        ("宏都拉斯大使拜會市長（草稿）", 4, "同仁補充：討論疫苗合作", 3)]
    assert ("visits", rid) not in _drafts(db)
    assert_only_local(page.requests)


def _type_at_end(page, area, text: str) -> None:
    area.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.insert_text(text)


def _confirm(page, button: str) -> None:
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    dialog.get_by_role("button", name=button, exact=True).click()
    wait_for_app(page)
    dialog.wait_for(state="detached")
    wait_for_app(page)


def test_report_drafts_saved_listed_reopened_and_one_issued(app_db, browser_page):
    from playwright.sync_api import expect

    from crm.documents.report.data import report_text
    from crm.documents.report.drafts import report_counts
    from crm.periods import parse_period

    base, db = app_db
    page = browser_page
    asked = _dialogs(page)
    main = page.locator(MAIN)
    page.goto(f"{base}/report?period=2020H1&lang=en")
    wait_for_app(page)
    area = page.get_by_label("Report text (editable)", exact=True)
    first = "Added by hand: the six offices' joint call was arranged by phone."
    _type_at_end(page, area, first)
    _type(page, "Draft name", "2020 H1 for the director")  # leaving the text box applies it
    page.get_by_role("button", name="Save as new draft").click()
    wait_for_app(page)
    page.get_by_text("Saved as “2020 H1 for the director”.").wait_for()
    listed = main.locator('[class*="st-key-rep-2020H1_en-row"]')
    assert listed.count() == 1 and "2020 H1 for the director · admin" in listed.first.inner_text()

    # more typing, then "regenerate": asked first; cancelled, the text stays; confirmed, it is the records' again
    _type_at_end(page, area, "A sentence not saved yet.")
    page.get_by_role("button", name="Regenerate from the records").click()
    wait_for_app(page)
    assert "Your edits since the last save will be replaced" in page.get_by_role("dialog").inner_text()
    screenshot(page, "report-regenerate-asked-en", page.get_by_role("dialog"))
    _confirm(page, "Cancel")
    assert "A sentence not saved yet." in area.input_value()
    page.get_by_role("button", name="Regenerate from the records").click()
    wait_for_app(page)
    _confirm(page, "Regenerate, drop my edits")
    generated = area.input_value()
    assert first not in generated and "A sentence not saved yet." not in generated
    # re-opened from the list (no unsaved edits now: nothing to ask), then issued
    listed.first.get_by_role("button", name="Open").click()
    wait_for_app(page)
    expect(area).to_have_value(re.compile(re.escape(first) + "$"))  # the box takes the draft on its next draw
    assert "A sentence not saved yet." not in area.input_value()
    page.get_by_role("button", name="Mark as issued").click()
    wait_for_app(page)
    _confirm(page, "Mark as issued")
    page.get_by_text("Marked as issued: this version is now read-only.").wait_for()
    issued = page.get_by_label("Report text (issued, read-only)", exact=True)
    assert issued.is_disabled() and issued.input_value().endswith(first)
    assert page.get_by_role("button", name="Save as new draft").count() == 0
    assert page.get_by_role("button", name="Mark as issued").count() == 0
    assert "Figures this report was built from" in main.inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download text").click()
    assert Path(download.value.path()).read_text(encoding="utf-8").endswith(first)
    screenshot(page, "report-issued-read-only-en", main)
    row = _rows(db, "select name, username, period, lang, text, counts, issued_at, issued_by from reportdraft")
    assert len(row) == 1
    name, user, period, lang, text, counts, issued_at, issued_by = row[0]
    assert (name, user, period, lang, issued_by) == ("2020 H1 for the director", "admin", "2020H1", "en", "admin")
    assert text.endswith(first) and issued_at is not None
    h1 = parse_period("2020H1")
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    try:
        assert json.loads(counts) == report_counts(h1) and json.loads(counts)["visits_groups"] > 0
        assert text == report_text(h1, "en") + "\n" + first
    finally:
        del os.environ["DATABASE_URL"]
    assert _rows(db, "select action, kind, username from auditentry where kind = 'report'") == [
        ("issue", "report", "admin")]

    # in Chinese (switched in the sidebar, no reload): a draft typed with the IME, listed, regenerated, re-opened
    page.locator(SIDEBAR).get_by_role("combobox", name="Language").click()
    page.get_by_role("option", name="繁體中文").click()
    wait_for_app(page)
    area = page.get_by_label("報告內容（可修改）", exact=True)
    chinese = "承辦人補充：六國駐華代表係以電話聯繫安排拜會。"
    _type_at_end(page, area, chinese)
    _type(page, "草稿名稱", "109 年上半年草稿（科長版）")
    page.get_by_role("button", name="另存為新草稿").click()
    wait_for_app(page)
    page.get_by_text("已儲存為「109 年上半年草稿（科長版）」。").wait_for()
    page.get_by_role("button", name="依紀錄重新產生").click()  # saved: nothing to ask
    wait_for_app(page)
    for _ in range(50):  # the box takes the regenerated text on its next draw
        if chinese not in area.input_value():
            break
        page.wait_for_timeout(200)
    assert chinese not in area.input_value()
    listed = main.locator('[class*="st-key-rep-2020H1_zh-TW-row"]')
    assert listed.count() == 1 and "109 年上半年草稿（科長版） · admin" in listed.first.inner_text()
    listed.first.get_by_role("button", name="開啟").click()
    wait_for_app(page)
    expect(area).to_have_value(re.compile(re.escape(chinese) + "$"))
    screenshot(page, "report-draft-reopened-zh-TW", main)
    assert _rows(db, "select name, lang, issued_at from reportdraft where lang = 'zh-TW'") == [
        ("109 年上半年草稿（科長版）", "zh-TW", None)]
    assert [r[0] for r in _rows(db, "select text from reportdraft where lang = 'zh-TW'")][0].endswith(chinese)
    assert asked == [], "no reload here: the browser never asked"
    assert_only_local(page.requests)


def test_typing_not_yet_applied_is_asked_about_before_a_reload(app_db, browser_page):
    """A box still showing "Press Enter to apply" holds typing the server has not seen: the browser asks."""
    base, _ = app_db
    page = browser_page
    asked = _dialogs(page)
    page.goto(f"{base}/visits?new=1&lang=en")
    wait_for_app(page)
    page.get_by_label("Title (English)", exact=True).click()
    page.keyboard.type("Typed, not applied")
    page.locator('[data-testid="InputInstructions"]').wait_for()
    page.reload()
    wait_for_app(page)
    assert asked == ["beforeunload"]
    assert t("draft.restore", "en") not in page.locator(MAIN).inner_text()  # never reached the server: no draft
