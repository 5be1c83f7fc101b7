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

from tests.support.browser import assert_only_local, choose_option, fill_date, screenshot, start_app, wait_for_app

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


# Three records of each of three kinds, one after another in one session, then each edit form opened twice
# (through a city the record names and that city's dossier), one field changed and saved each time.

MAIN = '[data-testid="stMain"]'


def _link(kind: str, rid: int) -> str:
    return f'a[href$="{kind}?id={rid}"], a[href*="{kind}?id={rid}&"]'


def _reopen(page, kind: str, rid: int, via_city: int) -> None:
    """Without a reload: the open record's Record tab → a city it names → that city's dossier → the record
    `rid` of `kind` → its Edit tab."""
    main = page.locator(MAIN)
    page.get_by_role("tab", name=re.compile("^(Record|內容)$")).click()
    wait_for_app(page)
    main.locator(_link("cities", via_city)).first.click()
    page.wait_for_url(re.compile(rf"/cities\?id={via_city}(&|$)"))
    wait_for_app(page)
    main.locator(_link(kind, rid)).first.click()
    page.wait_for_url(re.compile(rf"/{kind}\?id={rid}(&|$)"))
    wait_for_app(page)
    page.get_by_role("tab", name=re.compile("^(Edit|編輯)$")).click()
    wait_for_app(page)


def _save(page, label: str, done) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    done.wait_for()
    wait_for_app(page)


def _history(db, kind: str, rid: int) -> tuple[list[str], list[tuple]]:
    """(the record's audit actions, its status changes (from, to)) as stored."""
    actions = sorted(a for (a,) in _rows(db, "select action from auditentry where kind = ? and record_id = ?", kind, rid))
    return actions, _rows(db, "select from_status, to_status from statuschange where kind = ? and record_id = ? "
                              "order by id", kind, rid)


def _city(db, name: str) -> int:
    return _rows(db, "select id from city where name_en = ?", name)[0][0]


def _person(db, name: str) -> int:
    return _rows(db, "select id from person where name_en = ?", name)[0][0]


def test_three_delegations_with_four_stops_each_reopened_twice_zh(app_db, browser_page):
    base, db = app_db
    page = browser_page
    page.goto(f"{base}/delegations?lang=zh-TW")
    wait_for_app(page)
    main = page.locator(MAIN)
    trips = {"表單出訪團甲": [("新加坡", "智慧國家參訪"), ("雅加達", "會晤省長"), ("馬卡蒂", "城市論壇"),
                              ("上海", "雙城論壇")],
             "表單出訪團乙": [("新加坡", "轉機"), ("笠間市", "陶藝交流"), ("布拉提斯拉瓦", "簽署備忘錄"),
                              ("巴塞隆納", "智慧城市博覽會")],
             "表單出訪團丙": [("新加坡", "水資源管理"), ("里加", "會晤市長"), ("塔林", "電子政府"), ("赫爾辛基", "圖書館")]}
    for number, (title, stops) in enumerate(trips.items(), 1):
        page.get_by_role("button", name="新增出訪團", exact=True).click()
        page.get_by_role("heading", name="新增出訪團").wait_for()
        wait_for_app(page)
        assert set(_inputs(page)["dates"]) == {""} and "尚無資料列" in main.inner_text(), f"form {number} not empty"
        _type(page, "中文名稱", title)
        for index, (city, purpose) in enumerate(stops):
            page.get_by_role("button", name=re.compile("新增一列：行程")).click()
            wait_for_app(page)
            form = page.locator('[class*="-itinerary-rowform"]')
            choose_option(page, "城市", city, scope=form)
            if index == 0:
                fill_date(page, "抵達", f"2019090{number}", scope=form)
            _type(page, "目的", purpose, scope=form)
            form.get_by_role("button", name="加入此列").click()
            wait_for_app(page)
        assert all(purpose in main.inner_text() for _, purpose in stops), main.inner_text()[-1500:]
        _save(page, "儲存", page.get_by_role("heading", name=title))
        if number < 3:
            page.get_by_role("button", name=re.compile("^回到")).click()
            wait_for_app(page)
    ids = {t: _rows(db, "select id from delegation where title_zh = ?", t)[0][0] for t in trips}
    singapore = _city(db, "Singapore")
    for number, title in enumerate(trips, 1):
        for attempt in range(2):
            _reopen(page, "delegations", ids[title], singapore)
            assert page.get_by_label("中文名稱", exact=True).input_value() == title
            assert page.get_by_label("英文名稱", exact=True).input_value() == ("" if attempt == 0 else f"Form trip {number}")
            assert set(_inputs(page)["numbers"]) == {""}, _inputs(page)
            assert trips[title][-1][1] in main.inner_text()
            if attempt == 0:
                _type(page, "英文名稱", f"Form trip {number}")
            else:
                _type(page, "人數", str(5 + number))
            _save(page, "儲存", page.get_by_text("已儲存。"))
    screenshot(page, "forms-three-delegations-zh-TW", main)
    for number, (title, stops) in enumerate(trips.items(), 1):
        rid = ids[title]
        assert _rows(db, "select title_en, status, status_reason, planned_start, planned_end, start_on, end_on, headcount, "
                         "dignitaries_count, officials_count, business_count, press_count, postponed_to, leader_person_id "
                         "from delegation where id = ?", rid) == [
            (f"Form trip {number}", "planned", "", None, None, None, None, 5 + number, None, None, None, None, None, None)]
        cities = {zh: cid for cid, zh in _rows(db, "select id, name_zh from city")}
        assert _rows(db, "select city_id, arrive_on, depart_on, purpose from delegationstop where delegation_id = ? "
                         "order by seq", rid) == [(cities[c], f"2019-09-0{number}" if i == 0 else None, None, p)
                                                  for i, (c, p) in enumerate(stops)]
        assert _history(db, "delegations", rid) == (["create", "update", "update"], [("", "planned")])
    assert_only_local(page.requests)


def test_three_visits_with_members_reopened_twice_zh(app_db, browser_page):
    base, db = app_db
    page = browser_page
    page.goto(f"{base}/visits?lang=zh-TW")
    wait_for_app(page)
    main = page.locator(MAIN)
    groups = {"表單來訪團甲": ["柯文哲", "賀吉普"], "表單來訪團乙": ["Jorge Muñoz Wells", "楊一模"],
              "表單來訪團丙": ["楊一模", "柯文哲", "賀吉普"]}
    for number, (title, people) in enumerate(groups.items(), 1):
        page.get_by_role("button", name="新增來訪團", exact=True).click()
        page.get_by_role("heading", name="新增來訪團").wait_for()
        wait_for_app(page)
        assert _inputs(page) == {"dates": ["", "", "", ""], "numbers": [""]} and "尚無資料列" in main.inner_text()
        _type(page, "中文名稱", title)
        choose_option(page, "來自城市", "雅加達")
        for person in people:
            page.get_by_role("button", name=re.compile("新增一列：來訪成員")).click()
            wait_for_app(page)
            form = page.locator('[class*="-people-rowform"]')
            choose_option(page, "人員", person, scope=form)
            form.get_by_role("button", name="加入此列").click()
            wait_for_app(page)
        _save(page, "儲存", page.get_by_role("heading", name=title))
        if number < 3:
            page.get_by_role("button", name=re.compile("^回到")).click()
            wait_for_app(page)
    ids = {t: _rows(db, "select id from visit where title_zh = ?", t)[0][0] for t in groups}
    jakarta = _city(db, "Jakarta")
    for number, (title, people) in enumerate(groups.items(), 1):
        for attempt in range(2):
            _reopen(page, "visits", ids[title], jakarta)
            shown = _inputs(page)
            assert set(shown["dates"]) == {""} and shown["numbers"] == ["" if attempt == 0 else str(10 + number)], shown
            assert page.get_by_label("中文名稱", exact=True).input_value() == title
            assert all(p in main.inner_text() for p in people), main.inner_text()[-1500:]
            if attempt == 0:
                _type(page, "人數", str(10 + number))
            else:
                _type(page, "英文名稱", f"Form group {number}")
            _save(page, "儲存", page.get_by_text("已儲存。"))
    screenshot(page, "forms-three-visits-members-zh-TW", main)
    names = {"柯文哲": "Ko Wen-je", "賀吉普": "Zdeněk Hřib", "楊一模": "Yang Il-mo"}
    for number, (title, people) in enumerate(groups.items(), 1):
        rid = ids[title]
        assert _rows(db, "select title_en, status, start_on, end_on, planned_start, planned_end, headcount, origin_city_id, "
                         "country_code, organisation_id, leader_person_id, postponed_to from visit where id = ?", rid) == [
            (f"Form group {number}", "planned", None, None, None, None, 10 + number, jakarta, "ID", None, None, None)]
        # the country came from the city chosen (issue 16: "choosing a city fills its country")
        assert [p for (p,) in _rows(db, "select person_id from visitperson where visit_id = ? order by seq", rid)] \
            == [_person(db, names.get(p, p)) for p in people]
        assert _history(db, "visits", rid) == (["create", "update", "update"], [("", "planned")])
    assert_only_local(page.requests)


def test_three_partnerships_with_both_signatories_reopened_twice(app_db, browser_page):
    base, db = app_db
    page = browser_page
    page.goto(f"{base}/partnerships?lang=en")
    wait_for_app(page)
    main = page.locator(MAIN)
    cities = {"Bratislava": ("布拉提斯拉瓦市長", "1"), "Barcelona": ("巴塞隆納市長", "2"), "Kasama": ("笠間市長", "3")}
    for city, (signer, day) in cities.items():
        page.get_by_role("button", name="New partnership").click()
        page.get_by_role("heading", name="New partnership").wait_for()
        wait_for_app(page)
        assert set(_inputs(page)["dates"]) == {""} and "No rows yet." in main.inner_text(), f"{city}: not empty"
        choose_option(page, "City", city)
        choose_option(page, "Kind", "sister city")
        fill_date(page, "Established", f"2021042{day}")
        _signing_row(page, {"Partner's signatory": signer},  # Chinese, as the IME delivers it
                     {"Party": "Taipei", "Mode": "remotely", "Signed in": "Taipei",
                      "Taipei signatory (on file)": "Ko Wen-je"}, f"2021041{day}")
        _signing_row(page, {"Taipei signatory": f"Deputy Mayor {day}"},
                     {"Party": "Partner", "Mode": "remotely", "Signed in": city,
                      "Partner's signatory (on file)": "Zdeněk Hřib", "Delegation": "Mayor's visit"}, f"2021042{day}")
        assert signer in main.inner_text() and f"Deputy Mayor {day}" in main.inner_text()
        _save(page, "Save", page.get_by_role("heading", name=re.compile(city)).first)
        if city != "Kasama":
            page.get_by_role("button", name=re.compile("^Back to")).click()
            wait_for_app(page)
    ids = {c: _rows(db, "select p.id from partnership p join city c on c.id = p.city_id where c.name_en = ?", c)[0][0]
           for c in cities}
    taipei = _city(db, "Taipei")  # every first signing was signed in Taipei: its dossier lists all three
    for city, (signer, day) in cities.items():
        for attempt in range(2):
            _reopen(page, "partnerships", ids[city], taipei)
            assert _inputs(page)["dates"][:3] == ["", f"2021-04-2{day}", ""]  # council approval, established, ended
            assert signer in main.inner_text() and f"Deputy Mayor {day}" in main.inner_text()
            assert page.get_by_label("Title (English)", exact=True).input_value() == ("" if attempt == 0 else f"{city} 1")
            if attempt == 0:
                _type(page, "Title (English)", f"{city} 1")
            else:
                _type(page, "Title (Chinese)", f"臺北–{signer[:-2]}姊妹市")
            _save(page, "Save", page.get_by_text("Saved."))
    screenshot(page, "forms-three-partnerships-en", main)
    ko, hrib = _person(db, "Ko Wen-je"), _person(db, "Zdeněk Hřib")
    trip = _rows(db, "select id from delegation where title_en = ?", "Mayor's visit to Europe 2020")[0][0]
    for city, (signer, day) in cities.items():
        pid = ids[city]
        assert _rows(db, "select kind, status, council_approved_on, established_on, established_year, ended_on, title_en, "
                         "title_zh, notes from partnership where id = ?", pid) == [
            ("sister", "proposed", None, f"2021-04-2{day}", None, None, f"{city} 1", f"臺北–{signer[:-2]}姊妹市", "")]
        assert _rows(db, "select signed_on, party, mode, place_city_id, signatory, signatory_person_id, partner_signatory, "
                         "partner_signatory_person_id, delegation_id from signing where partnership_id = ? order by seq",
                     pid) == [(f"2021-04-1{day}", "home", "remote", taipei, "", ko, signer, None, None),
                              (f"2021-04-2{day}", "partner", "remote", _city(db, city), f"Deputy Mayor {day}", None, "",
                               hrib, trip)]
        assert _history(db, "partnerships", pid) == (["create", "update", "update"], [("", "proposed")])
    assert_only_local(page.requests)


def test_a_cohort_postponed_to_a_roc_year_in_its_row_form_zh(app_db, browser_page):
    base, db = app_db
    page = browser_page
    page.goto(f"{base}/exchanges?new=1&lang=zh-TW")
    wait_for_app(page)
    main = page.locator(MAIN)
    _type(page, "中文名稱", "表單人才交流梯次")
    page.get_by_role("button", name=re.compile("新增一列：梯次")).click()
    wait_for_app(page)
    form = page.locator('[class*="-cohorts-rowform"]')
    assert form.get_by_label("延期至（年、年月或日期）", exact=True).count() == 0  # asked only once postponed
    _type(page, "參與者", "交通局同仁", scope=form)
    choose_option(page, "狀態", "延期", scope=form)
    _type(page, "延期至（年、年月或日期）", "民國一一〇年", scope=form)  # not a date: the row stays open
    form.get_by_role("button", name="加入此列").click()
    wait_for_app(page)
    assert "無法辨識日期" in form.inner_text()
    _type(page, "延期至（年、年月或日期）", "110 年", scope=form)
    form.get_by_text("2021 年（民國 110 年）").wait_for()  # how the row reads it, drawn once the app has answered
    form.get_by_role("button", name="加入此列").click()
    wait_for_app(page)
    assert "2021 年（民國 110 年）" in main.inner_text()
    _save(page, "儲存", page.get_by_role("heading", name="表單人才交流梯次"))
    rid = _rows(db, "select id from exchangeprogramme where title_zh = ?", "表單人才交流梯次")[0][0]
    page.get_by_role("tab", name="編輯").click()
    wait_for_app(page)
    main.locator('[class*="-cohorts-e0"] button').locator("visible=true").first.click()  # the row's pencil
    wait_for_app(page)
    form = page.locator('[class*="-cohorts-rowform"]')
    assert form.get_by_label("延期至（年、年月或日期）", exact=True).input_value() == "2021"
    _type(page, "參與人數", "2", scope=form)
    form.get_by_role("button", name="保留修改").click()
    wait_for_app(page)
    _save(page, "儲存", page.get_by_text("已儲存。"))
    screenshot(page, "forms-cohort-postponed-year-zh-TW", main)
    assert _rows(db, "select participants, participants_count, status, postponed_to, postponed_to_precision, "
                     "planned_start from cohort where programme_id = ?", rid) == [
        ("交通局同仁", 2, "postponed", "2021-01-01", "year", None)]
    assert _history(db, "exchanges", rid)[0] == ["create", "update"]
    assert_only_local(page.requests)
