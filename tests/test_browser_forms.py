"""Real browser: forms write exactly what was typed, many records in one session without reloads (issue 12).

One Chromium session creates records one after another, reopens each edit form (after going elsewhere),
changes one field, saves, types child rows with the keyboard (Chinese as the IME delivers it), postpones
a plan to a year only, and then the database is read: every field as typed, untouched optional fields
NULL, no history entry the user did not make.
"""

import re
import shutil
import sqlite3

import pytest

from tests.browser import assert_only_local, choose_option, fill_date, screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_db(demo_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("forms") / "liaison.db"
    shutil.copy(demo_template, path)
    with start_app(path) as base:
        yield base, path


def _type(page, label: str, text: str, scope=None) -> None:
    box = (scope or page).get_by_label(label, exact=True)
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)  # what an IME hands the page, Chinese included
    box.press("Enter")
    wait_for_app(page)


def _inputs(page) -> dict[str, list[str]]:
    main = page.locator('[data-testid="stMain"]')
    return {"dates": [e.input_value() for e in main.locator('[data-testid="stDateInput"] input').all()],
            "numbers": [e.input_value() for e in main.locator('[data-testid="stNumberInput"] input').all()]}


def _rows(path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, args).fetchall()


def test_records_one_after_another_save_what_was_typed(app_db, browser_page):
    base, db = app_db
    page = browser_page
    page.goto(f"{base}/visits?lang=en")
    wait_for_app(page)
    titles = ["Form journey visit 1", "Form journey visit 2", "Form journey visit 3"]
    for number, title in enumerate(titles, 1):
        page.get_by_role("button", name="New visit").click()
        wait_for_app(page)
        assert _inputs(page) == {"dates": ["", "", "", ""], "numbers": [""]}, f"form {number} did not start empty"
        _type(page, "Title (English)", title)
        fill_date(page, "Start (actual)", f"2020052{number}")
        _type(page, "People", str(10 + number))
        page.get_by_role("button", name="Save").click()
        page.get_by_role("heading", name=title).wait_for()
        wait_for_app(page)
        page.get_by_role("button", name=re.compile("^Back to")).click()
        wait_for_app(page)
    # the last visit: its edit form reopened twice through its city's dossier, one field changed each time
    page.get_by_role("button", name="New visit").click()
    wait_for_app(page)
    _type(page, "Title (English)", "Form journey visit 4")
    choose_option(page, "From city", "Prague")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Form journey visit 4").wait_for()
    wait_for_app(page)
    for attempt in range(2):
        page.get_by_role("tab", name="Record").click()
        wait_for_app(page)
        page.get_by_role("link", name="Prague (CZ)").first.click()
        page.wait_for_url("**/cities?id=*")
        wait_for_app(page)
        page.get_by_role("link", name=re.compile("Form journey visit 4")).first.click()
        page.wait_for_url("**/visits?id=*")
        wait_for_app(page)
        page.get_by_role("tab", name="Edit").click()
        wait_for_app(page)
        shown = _inputs(page)  # the edit tab's dates and the status tab's new dates: all empty, as stored
        assert set(shown["dates"]) == {""} and shown["numbers"] == ["" if attempt == 0 else "40"], shown
        assert page.get_by_label("Title (English)", exact=True).input_value() == "Form journey visit 4"
        _type(page, "People", str(40 + attempt * 2) if attempt else "40")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Saved.").wait_for()
        wait_for_app(page)
    titles.append("Form journey visit 4")
    screenshot(page, "forms-journey-list-en", page.locator('[data-testid="stMain"]'))
    stored = _rows(db, "select title_en, start_on, end_on, planned_start, planned_end, headcount, origin_city_id "
                       "from visit where title_en like 'Form journey visit %' order by title_en")
    prague = _rows(db, "select id from city where name_en = 'Prague'")[0][0]
    assert stored == [(t, f"2020-05-2{n}", None, None, None, 10 + n, None) for n, t in enumerate(titles[:3], 1)] + [
        ("Form journey visit 4", None, None, None, None, 42, prague)]
    ids = [r[0] for r in _rows(db, "select id from visit where title_en like 'Form journey visit %'")]
    marks = ",".join("?" * len(ids))
    history = _rows(db, f"select action from auditentry where kind = 'visits' and record_id in ({marks})", *ids)
    assert sorted(a for (a,) in history) == ["create"] * 4 + ["update"] * 2, "no history entry the user did not make"
    assert_only_local(page.requests)


def test_child_rows_typed_with_the_keyboard_and_a_year_only_postponement(app_db, browser_page):
    base, db = app_db
    page = browser_page
    page.goto(f"{base}/delegations?new=1&lang=zh-TW")
    wait_for_app(page)
    _type(page, "中文名稱", "表單測試出訪團")
    stops = [("布拉格", "締結姐妹市"), ("里加", "會晤市長"), ("塔林", "參訪智慧城市"), ("赫爾辛基", "圖書館")]
    for city, purpose in stops:
        page.get_by_role("button", name=re.compile("新增一列：行程")).click()
        wait_for_app(page)
        form = page.locator('[class*="-itinerary-rowform"]')
        choose_option(page, "城市", city, scope=form)
        _type(page, "目的", purpose, scope=form)
        form.get_by_role("button", name="加入此列").click()
        wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    page.get_by_text(stops[-1][1]).first.wait_for()
    assert all(purpose in main.inner_text() for _, purpose in stops), main.inner_text()[-1500:]
    screenshot(page, "forms-itinerary-rows-zh-TW", main)
    page.get_by_role("button", name="儲存").click()
    page.get_by_role("heading", name="表單測試出訪團").wait_for()
    wait_for_app(page)
    rid = _rows(db, "select id from delegation where title_zh = ?", "表單測試出訪團")[0][0]
    assert [p for (p,) in _rows(db, "select purpose from delegationstop where delegation_id = ? order by seq", rid)] \
        == [p for _, p in stops]
    assert _rows(db, "select headcount, start_on, planned_start from delegation where id = ?", rid) == [(None, None, None)]

    # postponed to a year only, then only the reason corrected: one status change in the history
    page.get_by_role("tab", name="狀態").click()
    wait_for_app(page)
    choose_option(page, "新狀態", "延期", scope=main)
    _type(page, "原因", "疫情")
    _type(page, "新日期（年、年月或日期）", "110 年")
    page.get_by_role("button", name="變更狀態").click()
    wait_for_app(page)
    page.get_by_text("延期至 2021 年（民國 110 年）").wait_for()
    choose_option(page, "新狀態", "目前狀態", scope=main)
    _type(page, "原因", "疫情，兩市同意延後")
    page.get_by_role("button", name="儲存更正").click()
    wait_for_app(page)
    screenshot(page, "forms-postponed-year-zh-TW", main)
    assert _rows(db, "select status, status_reason, postponed_to, postponed_to_precision, start_on from delegation "
                     "where id = ?", rid) == [("postponed", "疫情，兩市同意延後", "2021-01-01", "year", None)]
    changes = _rows(db, "select from_status, to_status, new_precision from statuschange where kind = 'delegations' "
                        "and record_id = ? order by id", rid)
    assert changes == [("", "planned", ""), ("planned", "postponed", "year")]
    assert_only_local(page.requests)


def _signing_row(page, fields: dict[str, str], pickers: dict[str, str], digits: str) -> None:
    """Open the signings row form, fill it as a person does (date typed, pickers chosen, text typed), keep it."""
    page.get_by_role("button", name=re.compile("^(Add to Signings|新增一列：簽署紀錄)")).click()
    wait_for_app(page)
    form = page.locator('[class*="-signings-rowform"]')
    fill_date(page, "Signed on", digits, scope=form)
    for label, text in pickers.items():
        choose_option(page, label, text, scope=form)
    for label, text in fields.items():
        _type(page, label, text, scope=form)
    form.get_by_role("button", name=re.compile("^(Add row|加入此列)$")).click()
    wait_for_app(page)


def test_partner_cities_with_two_signings_each_and_a_visit_created_postponed(app_db, browser_page):
    base, db = app_db
    page = browser_page
    page.goto(f"{base}/partnerships?lang=en")
    wait_for_app(page)
    for city, signer, day in (("Tallinn", "Mayor of Tallinn", "0"), ("Helsinki", "Mayor of Helsinki", "1")):
        page.get_by_role("button", name="New partnership").click()
        page.get_by_role("heading", name="New partnership").wait_for()
        wait_for_app(page)
        assert set(_inputs(page)["dates"]) == {""}, f"the {city} form did not start empty"
        choose_option(page, "City", city)
        choose_option(page, "Kind", "partner city")
        fill_date(page, "Established", f"2020031{day}")
        _signing_row(page, {}, {"Party": "Taipei", "Mode": "remotely", "Signed in": "Taipei",
                                "Taipei signatory (on file)": "Ko Wen-je"}, f"2020030{5 + int(day)}")
        _signing_row(page, {"Partner's signatory": signer}, {"Party": "Partner", "Mode": "remotely", "Signed in": city},
                     f"2020031{day}")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("heading", name=re.compile(city)).first.wait_for()
        wait_for_app(page)
        if city == "Tallinn":
            page.get_by_role("button", name=re.compile("^Back to")).click()
            wait_for_app(page)
    # Helsinki's edit form opened twice through its city's dossier: what is stored; one field changed each time
    for title in ("Taipei-Helsinki partnership", "Taipei–Helsinki city partnership"):
        page.get_by_role("tab", name="Record").click()
        wait_for_app(page)
        page.get_by_role("link", name="Helsinki (FI)").first.click()
        page.wait_for_url("**/cities?id=*")
        wait_for_app(page)
        page.locator('[data-testid="stMain"] a[href*="partnerships?id="]').first.click()
        page.wait_for_url("**/partnerships?id=*")
        wait_for_app(page)
        page.get_by_role("tab", name="Edit").click()
        wait_for_app(page)
        dates = _inputs(page)["dates"]
        assert dates[:3] == ["", "2020-03-11", ""], dates  # council approval, established, ended
        assert "Mayor of Helsinki" in page.locator('[data-testid="stMain"]').inner_text()
        _type(page, "Title (English)", title)
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Saved.").wait_for()
        wait_for_app(page)
    screenshot(page, "forms-partnership-signings-en", page.locator('[data-testid="stMain"]'))
    pid = _rows(db, "select p.id from partnership p join city c on c.id = p.city_id where c.name_en = 'Helsinki'")[0][0]
    assert _rows(db, "select kind, council_approved_on, established_on, established_year, ended_on, title_en "
                     "from partnership where id = ?", pid) == [
        ("partner", None, "2020-03-11", None, None, "Taipei–Helsinki city partnership")]
    ko = _rows(db, "select id from person where name_en = 'Ko Wen-je'")[0][0]
    taipei, city = (_rows(db, "select id from city where name_en = ?", n)[0][0] for n in ("Taipei", "Helsinki"))
    assert _rows(db, "select signed_on, party, mode, place_city_id, signatory, signatory_person_id, partner_signatory, "
                     "partner_signatory_person_id, delegation_id from signing where partnership_id = ? order by seq",
                 pid) == [("2020-03-06", "home", "remote", taipei, "", ko, "", None, None),
                          ("2020-03-11", "partner", "remote", city, "", None, "Mayor of Helsinki", None, None)]
    history = _rows(db, "select action from auditentry where kind = 'partnerships' and record_id = ?", pid)
    assert sorted(a for (a,) in history) == ["create", "update", "update"]

    # in Chinese: a visit created directly as postponed, to a month only, with its reason
    page.goto(f"{base}/visits?new=1&lang=zh-TW")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    _type(page, "中文名稱", "延期的市長來訪")
    choose_option(page, "狀態", "延期", scope=main)
    reason = page.get_by_label("狀態原因", exact=True)  # a text area: Ctrl+Enter applies it, Enter is a new line
    reason.click()
    page.keyboard.insert_text("疫情")
    reason.press("Control+Enter")
    wait_for_app(page)
    _type(page, "延期至（年、年月或日期）", "110/3")
    screenshot(page, "forms-created-postponed-zh-TW", main)
    page.get_by_role("button", name="儲存").click()
    page.get_by_role("heading", name="延期的市長來訪").wait_for()
    wait_for_app(page)
    assert _rows(db, "select status, status_reason, postponed_to, postponed_to_precision, start_on, headcount "
                     "from visit where title_zh = ?", "延期的市長來訪") == [
        ("postponed", "疫情", "2021-03-01", "month", None, None)]
    assert_only_local(page.requests)
