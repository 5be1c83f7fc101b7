"""Issue "forms write exactly what the user entered": reference pickers find 臺/台 alike and inside names, one
numeric date format per language on every screen, a child row without its required reference says so."""

import re
from datetime import UTC, date, datetime

import pytest
from streamlit.proto.SelectWidgetFilterMode_pb2 import SelectWidgetFilterMode

from crm.i18n import date_input_format, date_text, datetime_text
from crm.records.matching import city_by_name
from crm.ui.pickers import picker_label
from crm.ui.timefmt import local_time
from tests.support.apptest import errors, open_page
from tests.support.records_walk import links

DAY = {"zh-TW": re.compile(r"\b(19|20)\d\d/\d\d/\d\d\b"), "en": re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")}
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
LONG = re.compile(rf"\d年\d+月|\d ({MONTHS})\b|\b({MONTHS}) \d")  # 2020年1月13日, 13 January 2020


def contains(labels: dict, typed: str) -> list:
    """What the browser's "contains" filter of a select box offers for `typed` (case-insensitive substring)."""
    return [key for key, label in labels.items() if typed.lower() in label.lower()]


# --- 1. reference pickers ----------------------------------------------------------------------------------

def test_a_picker_label_carries_the_other_tai_spelling_before_the_country_code():
    assert picker_label("臺北市 (TW)") == "臺北市 (台北市) (TW)"
    assert picker_label("台中市 (TW)") == "台中市 (臺中市) (TW)"
    assert picker_label("新加坡駐台北商務辦事處") == "新加坡駐台北商務辦事處 (新加坡駐臺北商務辦事處)"
    assert picker_label("Prague (CZ)") == "Prague (CZ)" and picker_label("#3") == "#3"


@pytest.mark.parametrize("typed", ["台北", "臺北", "北", "taipei (tw"])
def test_either_spelling_or_a_part_of_the_name_finds_the_record(typed):
    labels = {1: picker_label("臺北 (TW)"), 2: picker_label("Taipei (TW)"), 3: picker_label("布拉格 (CZ)")}
    assert set(contains(labels, typed)) <= {1, 2} and contains(labels, typed)
    assert contains(labels, "拉格") == [3]


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_the_origin_city_picker_filters_by_substring_offers_both_spellings_and_keeps_the_id(demo_url, lang):
    at = open_page("visits", lang, query={"new": "1"})
    assert errors(at) == []
    key = "f-visits-new-0-origin_city_id"
    box = at.selectbox(key=key)
    assert box.proto.filter_mode == SelectWidgetFilterMode.FILTER_MODE_CONTAINS
    taipei = city_by_name("Taipei", "TW")
    if lang == "zh-TW":
        assert "臺北 (台北) (TW)" in box.options
    else:
        assert "Taipei (TW)" in box.options
    box.set_value(taipei).run()
    assert errors(at) == [] and at.selectbox(key=key).value == taipei  # the value is the id, as before


# --- 2. one date format ------------------------------------------------------------------------------------

def test_one_date_format_per_language():
    assert date_text(date(2021, 3, 5), "zh-TW") == "2021/03/05" and date_text(date(2021, 3, 5), "en") == "2021-03-05"
    assert date_text(None, "en") == ""
    moment = datetime(2021, 3, 5, 14, 7)
    assert datetime_text(moment, "zh-TW") == "2021/03/05 14:07" and datetime_text(moment, "en") == "2021-03-05 14:07"
    assert date_input_format("zh-TW") == "YYYY/MM/DD" and date_input_format("en") == "YYYY-MM-DD"
    from crm.ui.fields import DATE_INPUT_FORMAT

    assert DATE_INPUT_FORMAT == {"zh-TW": "YYYY/MM/DD", "en": "YYYY-MM-DD"}


def test_a_stored_utc_time_is_shown_in_taipei_in_the_format_of_the_language():
    stored = datetime(2021, 3, 5, 16, 30, tzinfo=UTC)
    assert local_time(stored, "zh-TW") == "2021/03/06 00:30"
    assert local_time(stored.replace(tzinfo=None), "en") == "2021-03-06 00:30"
    assert local_time(None, "en") == ""


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_a_record_list_shows_its_dates_in_the_one_format(demo_url, lang):
    at = open_page("agreements", lang)
    assert errors(at) == []
    frame = at.dataframe[0].value
    shown = [v for v in frame["signed_on"] if v]  # the list's columns are keyed by field (headings: column_config)
    assert shown and all(DAY[lang].fullmatch(v) for v in shown), shown
    changed = [v for v in frame["updated_at"] if v]  # "last changed": the same date format, with the time
    assert changed and all(DAY[lang].fullmatch(v[:10]) for v in changed), changed
    assert not any(LONG.search(str(v)) for column in frame.columns for v in frame[column])


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_the_dossier_shows_its_dates_in_the_one_format(demo_url, lang):
    at = open_page("cities", lang, query={"id": str(city_by_name("Prague", "CZ"))})
    assert errors(at) == []
    dated = [label for label in links(at) if DAY[lang].search(label)]
    assert len(dated) >= 3, links(at)
    other = "en" if lang == "zh-TW" else "zh-TW"
    shown = links(at) + [c.value for c in at.caption]
    assert not any(DAY[other].search(text) or LONG.search(text) for text in shown), shown


# --- 3. a child row's required reference -------------------------------------------------------------------

@pytest.mark.parametrize("lang, city, message", [("en", "City", "Fill in City before keeping the row."),
                                                 ("zh-TW", "城市", "請先填寫城市，再保留這一列。")])
def test_a_stop_without_its_city_is_not_kept_and_the_form_names_the_field(demo_url, lang, city, message):
    at = open_page("delegations", lang, query={"new": "1"})
    at.button(key="f-delegations-new-0-itinerary-add").click().run()
    at.text_input(key="f-delegations-new-0-itinerary-row1-purpose").set_value("Smart city forum")
    at.button(key="f-delegations-new-0-itinerary-row1-keep").click().run()
    assert errors(at) == []
    assert [w.value for w in at.warning] == [message]
    assert at.session_state["f-delegations-new-0-itinerary-rows"] == []  # not kept; the row form stays open
    assert at.text_input(key="f-delegations-new-0-itinerary-row1-purpose").value == "Smart city forum"
    assert not any("integer" in e.value or "整數" in e.value for e in at.error)
    prague = city_by_name("Prague", "CZ")
    at.selectbox(key="f-delegations-new-0-itinerary-row1-city_id").set_value(prague).run()
    at.button(key="f-delegations-new-0-itinerary-row1-keep").click().run()
    rows = at.session_state["f-delegations-new-0-itinerary-rows"]
    assert [(r["city_id"], r["purpose"]) for r in rows] == [(prague, "Smart city forum")]
    assert city in message
