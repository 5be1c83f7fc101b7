"""Visits received: the life of a visit through the screens, search in both languages, validation."""

from datetime import date

from crm.records.matching import city_by_name
from crm.records.queries import list_records
from tests.support.apptest import errors, open_page
from tests.support.records_walk import create_via_form, list_count, messages, shown, walk


def test_a_visit_through_create_edit_postpone_delete_restore(demo_url):
    prague = city_by_name("Prague", "CZ")
    walk("visits", {"title_en": "Brno city council visit", "title_zh": "布爾諾市議會訪問團",
                    "start_on": date(2020, 3, 3), "end_on": date(2020, 3, 4), "origin_city_id": prague,
                    "country_code": "CZ", "headcount": 7, "status": "confirmed"},
         search="Brno city council", edit={"title_en": "Brno city council visit (edited)"}, city_id=prague,
         status=("postponed", {"reason": "COVID-19", "when": "2021-03-03"}))
    row = list_records("visits", q="brno").rows[0]
    assert row["start_on"] == date(2021, 3, 3) and row["status"] == "postponed" and row["headcount"] == 7


def test_search_finds_a_visit_in_chinese_english_and_without_accents(demo_url):
    at = create_via_form("visits", {"title_en": "Délégation de Québec", "title_zh": "魁北克市訪問團",
                                    "start_on": date(2020, 5, 5), "headcount": 4})
    assert shown(at) == []
    assert list_count("visits", "quebec") == "1 record"
    assert list_count("visits", "魁北克", "zh-TW") == "共 1 筆"
    assert list_count("visits", "DÉLÉGATION QUÉBEC") == "1 record"


def test_invalid_dates_are_explained_next_to_the_field_and_nothing_is_saved(demo_url):
    before = list_records("visits").total
    at = create_via_form("visits", {"title_zh": "日期錯誤的訪問團", "start_on": date(2020, 5, 5),
                                    "end_on": date(2020, 5, 1)}, lang="zh-TW")
    shown_now = messages(at)
    assert "「實際（目前）結束」：結束日期不可早於開始日期。" in shown_now  # names its field, beside it
    assert any("未儲存" in m for m in shown_now)
    assert list_records("visits").total == before
    at = create_via_form("visits", {"headcount": 3}, lang="en")
    assert "Enter Title (English) or Title (Chinese) (at least one)." in messages(at)
    assert list_records("visits").total == before


def test_the_list_filters_by_city_country_and_period_from_the_url(demo_url):
    seoul = city_by_name("Seoul", "KR")
    at = open_page("visits", "en", query={"city": str(seoul)})
    assert errors(at) == [] and any(c.value == "1 record" for c in at.caption)
    at = open_page("visits", "en", query={"country": "US", "period": "2020H1"})
    assert any(c.value == "3 records" for c in at.caption)
    frame = at.dataframe[0].value
    assert "United States" in set(frame["country_code"]) and "Charlottesville" in set(frame["origin_city_id"])


def test_leadership_sees_no_edit_controls(demo_url, leader):
    at = open_page("visits", "en", user="mayor")
    assert errors(at) == [] and at.dataframe
    assert not [b for b in at.button if b.key == "visits_new"]
    at = open_page("visits", "en", user="mayor", query={"id": "1"})
    assert errors(at) == []
    keys = [b.key or "" for b in at.button]
    assert not [k for k in keys if k.startswith(("delete", "f-", "st-", "revert", "undo", "restore"))], keys
    assert "Edit" not in [t.label for t in at.tabs]
    at = open_page("visits", "en", user="mayor", query={"new": "1"})
    assert not [b for b in at.button if (b.key or "").endswith("-save")]


def test_a_city_added_on_the_spot_is_picked_and_a_duplicate_is_offered(demo_url):
    at = open_page("visits", "en", query={"new": "1"})
    target = "f-visits-new-0-origin_city_id"
    at.text_input(key=f"{target}-add-name_en").set_value("Brno")
    at.selectbox(key=f"{target}-add-country_code").set_value("CZ")
    at.button(key=f"{target}-add-go").click().run()
    brno = city_by_name("Brno", "CZ")
    assert brno and at.selectbox(key=target).value == brno
    assert any("Added: Brno" in s.value for s in at.success)
    target = "f-visits-new-0-leader_person_id"
    at.text_input(key=f"{target}-add-name_zh").set_value("賀吉普")
    at.button(key=f"{target}-add-go").click().run()
    offered = [b for b in at.button if (b.key or "").startswith(f"{target}-add-use-")]
    assert offered, "the person on file is offered"
    offered[0].click().run()
    assert at.selectbox(key=target).value == int(offered[0].key.rsplit("-", 1)[1])
    assert list_records("people", q="賀吉普").total == 1


def test_the_export_gets_the_lists_filters(demo_url):
    from crm.documents.exports import list_export
    from crm.periods import parse_period

    data = list_export("visits", "csv", "en", q="seoul", period=parse_period("2020H1"), status=None, country=None,
                       city_id=None, extra={}, sort=None, descending=True)
    lines = data.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "Seoul" in lines[1]
