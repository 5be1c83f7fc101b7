"""The timeline: items per kind, spans and points, periods, search, grouping, postponed/cancelled styling."""

import json
from datetime import date

import pytest

from crm.periods import parse_period
from crm.store import writes
from crm.views.timeline import latest_year, timeline_figure, timeline_items
from tests.support.apptest import errors, open_page


@pytest.fixture
def activity(engine, admin):
    prague = writes.create(admin, "cities", {"name_en": "Prague", "name_zh": "布拉格", "country_code": "CZ"})
    lima = writes.create(admin, "cities", {"name_en": "Lima", "name_zh": "利馬", "country_code": "PE"})
    taipei = writes.create(admin, "cities", {"name_en": "Taipei", "name_zh": "臺北", "country_code": "TW"})
    ids = {
        "trip": writes.create(admin, "delegations", {
            "title_en": "Europe trip", "title_zh": "歐洲行", "status": "held", "start_on": date(2020, 6, 28),
            "end_on": date(2020, 7, 3), "itinerary": [{"city_id": prague}]}),
        "visit": writes.create(admin, "visits", {"title_en": "Lima mayor", "title_zh": "利馬市長", "status": "held",
                                                 "start_on": date(2020, 2, 5), "origin_city_id": lima}),
        "dropped": writes.create(admin, "visits", {"title_en": "Dropped visit", "status": "cancelled",
                                                   "start_on": date(2020, 3, 20), "origin_city_id": lima}),
        "call": writes.create(admin, "conferences", {"title_en": "Video call", "status": "held",
                                                     "start_on": date(2020, 4, 10)}),
        "mou": writes.create(admin, "agreements", {"title_en": "Zoo MOU", "status": "signed",
                                                   "signed_on": date(2020, 1, 13), "counterpart_city_id": prague}),
        "draft": writes.create(admin, "agreements", {"title_en": "Draft MOU", "status": "draft",
                                                     "signed_on": date(2020, 1, 14)}),
        "pact": writes.create(admin, "partnerships", {
            "city_id": lima, "status": "active", "established_on": date(2020, 2, 25), "signings": [
                {"signed_on": date(2020, 2, 10), "place_city_id": taipei, "party": "home", "mode": "remote"},
                {"signed_on": date(2020, 2, 25), "place_city_id": lima, "party": "partner", "mode": "remote"}]}),
        "exchange": writes.create(admin, "exchanges", {"title_en": "Staff exchange", "status": "planned",
                                                       "start_on": date(2020, 4, 1), "end_on": date(2020, 9, 30)}),
    }
    writes.change_status(admin, "exchanges", ids["exchange"], "postponed", 1, reason="COVID-19")
    return ids


def test_items_of_every_kind_with_spans_and_points(activity):
    items, total = timeline_items(period=parse_period("2020"))
    kinds = sorted(i.kind for i in items)
    assert total == len(items) == 8
    assert kinds == ["agreements", "conferences", "delegations", "exchanges", "signings", "signings", "visits", "visits"]
    trip = next(i for i in items if i.kind == "delegations")
    assert trip.is_span and trip.country_code == "CZ" and trip.page == "delegations"
    signings = [i for i in items if i.kind == "signings"]
    assert [s.start for s in signings] == [date(2020, 2, 10), date(2020, 2, 25)]  # a remote signing: two dates
    assert {s.page for s in signings} == {"partnerships"} and signings[0].title_zh == "利馬"


def test_period_overlap_and_search(activity):
    first = {i.kind for i in timeline_items(period=parse_period("2020H1"))[0]}
    second = {i.kind for i in timeline_items(period=parse_period("2020H2"))[0]}
    assert "delegations" in first and "delegations" in second  # 28 June – 3 July spans both halves
    assert second == {"delegations", "exchanges"}
    assert [i.title_en for i in timeline_items(q="利馬")[0] if i.kind == "visits"] == ["Lima mayor", "Dropped visit"]
    assert [i.kind for i in timeline_items(q="prague")[0]] == ["agreements", "delegations"]
    assert timeline_items(kinds=("conferences",))[1] == 1


def test_postponed_and_cancelled_are_shown_as_such(activity):
    items, _ = timeline_items()
    fig = timeline_figure(items, "en")
    buckets = {tr.meta["bucket"]: tr for tr in fig.data}
    assert buckets["cancelled"].name == "Cancelled" and buckets["cancelled"].marker.symbol == ("x",)
    assert buckets["postponed"].name == "Postponed" and buckets["postponed"].type == "bar"
    assert buckets["cancelled"].marker.color != buckets["visits"].marker.color
    assert [list(c) for c in buckets["cancelled"].customdata] == [["visits", activity["dropped"]]]
    assert buckets["visits"].y == ("Visits received",)
    assert [list(c) for c in buckets["signings"].customdata] == [["partnerships", activity["pact"]]] * 2
    delegation = buckets["delegations"]
    assert delegation.type == "bar" and delegation.base == ("2020-06-28",) and delegation.x == (6 * 86_400_000,)


def test_grouping_by_country_in_chinese(activity):
    items, _ = timeline_items(period=parse_period("2020"))
    fig = timeline_figure(items, "zh-TW", by="country", period=parse_period("2020"))
    groups = set(fig.layout.yaxis.categoryarray)
    assert {"捷克", "秘魯", "本市（無外國地點）"} <= groups
    names = {tr.name for tr in fig.data}
    assert {"出訪團", "外賓來訪", "延期", "取消"} <= names
    assert fig.layout.xaxis.range[0].startswith("2019-12-29")


def test_latest_year(activity):
    assert latest_year(today=date(2026, 11, 27)) == 2020
    assert latest_year(today=date(2020, 5, 1)) == 2020


@pytest.mark.parametrize("lang, title, legend", [("en", "Timeline", "Visits received"), ("zh-TW", "時間軸", "外賓來訪")])
def test_timeline_page_opens_on_the_latest_year(demo_url, lang, title, legend):
    at = open_page("timeline", lang)
    assert errors(at) == [] and at.title[0].value == title
    assert at.selectbox(key="tl_period").value == "2020"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert legend in {tr["name"] for tr in spec["data"]}
    assert sum(len(tr["customdata"]) for tr in spec["data"]) == 33


def test_timeline_page_period_from_url(demo_url):
    at = open_page("timeline", "en", query={"period": "2020H2"})
    assert errors(at) == []
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {tr["meta"]["bucket"] for tr in spec["data"]} == {"forums", "postponed"}


def test_the_pages_chart_is_kept_and_drawn_from_the_same_items(activity):
    from crm.views.charts import KeptFigure
    from crm.views.timeline import timeline_chart

    period = parse_period("2020")
    chart = timeline_chart("en", period=period, kinds=("visits", "delegations"))
    assert isinstance(chart, KeptFigure) and timeline_chart("en", period=period, kinds=("visits", "delegations")) is chart
    items, _ = timeline_items(period=period, kinds=("visits", "delegations"))
    assert chart.to_dict() == timeline_figure(items, "en", period=period).to_dict()


def test_titles_are_text_in_the_hover(activity, admin):
    hostile = '<a href="http://127.0.0.2:9/">x</a><b>b</b>%{x}'
    writes.update(admin, "visits", activity["visit"], {"title_en": hostile}, 1)
    items, _ = timeline_items(period=parse_period("2020"))
    fig = timeline_figure(items, "en", period=parse_period("2020"))
    hovers = [h for tr in fig.data for h in (tr.hovertext or ())]
    assert any("&lt;a href=&quot;http://127.0.0.2:9/&quot;&gt;x&lt;/a&gt;&lt;b&gt;b&lt;/b&gt;%{x}" in h for h in hovers)
    assert not any("<a " in h for h in hovers) and all(hostile not in (tr.hovertemplate or "") for tr in fig.data)
