"""The world map and the itinerary map: points, arcs, layers, periods, labels, offline config."""

import json
from datetime import date

import pytest

from crm.geo.map_geometry import ROTATION, arc_path, edge_crossed, label_box, overlaps, place_labels
from crm.periods import parse_period
from crm.store import writes
from crm.views.map import MAP_CONFIG, itinerary_figure, map_figure
from crm.views.map_data import MapFilters, activity_by_city, home_city, partner_cities, recent_activity
from tests.support.apptest import errors, open_page

H1, H2 = parse_period("2020H1"), parse_period("2020H2")


@pytest.fixture
def places(engine, admin):
    """Taipei, three placed partner cities, one without coordinates, and a few activities."""
    def city(en, zh, cc, lat, lon):
        return writes.create(admin, "cities", {"name_en": en, "name_zh": zh, "country_code": cc,
                                               "latitude": lat, "longitude": lon})

    ids = {
        "taipei": city("Taipei", "臺北", "TW", 25.05, 121.53), "prague": city("Prague", "布拉格", "CZ", 50.08, 14.42),
        "asuncion": city("Asunción", "亞松森", "PY", -25.3, -57.6), "perth": city("Perth", "伯斯", "AU", -31.95, 115.86),
        "lyon": city("Lyon", "里昂", "FR", 45.76, 4.83), "nowhere": city("Nowhere", "無處", "FR", None, None),
    }
    writes.create(admin, "partnerships", {"city_id": ids["prague"], "kind": "sister", "status": "active",
                                          "established_on": date(2020, 1, 13)})
    writes.create(admin, "partnerships", {"city_id": ids["asuncion"], "kind": "sister", "status": "active",
                                          "established_year": 1990})
    writes.create(admin, "partnerships", {"city_id": ids["perth"], "kind": "friendship", "status": "dormant",
                                          "established_year": 1999})
    writes.create(admin, "partnerships", {"city_id": ids["nowhere"], "kind": "partner", "status": "active"})
    for day, people, status, origin in ((date(2020, 6, 30), 5, "held", "prague"), (date(2020, 7, 1), 7, "held", "prague"),
                                        (date(2020, 3, 1), 9, "cancelled", "asuncion")):
        writes.create(admin, "visits", {"title_en": f"Group {day}", "title_zh": f"訪團 {day}", "start_on": day,
                                        "headcount": people, "status": status, "origin_city_id": ids[origin]})
    ids["trip"] = writes.create(admin, "delegations", {
        "title_en": "Europe trip", "title_zh": "歐洲行", "status": "held", "start_on": date(2020, 1, 12),
        "end_on": date(2020, 1, 22), "itinerary": [{"city_id": ids["prague"]}, {"city_id": ids["lyon"]}]})
    writes.create(admin, "conferences", {"title_en": "Perth call", "status": "held", "start_on": date(2020, 5, 1),
                                         "organiser_city_id": ids["perth"]})
    return ids


def _traces(fig, layer):
    return [tr for tr in fig.data if (tr.meta or {}).get("layer") == layer]


def _points(fig, layer):
    return [cd[0] for tr in _traces(fig, layer) for cd in tr.customdata]


def test_partner_cities_arcs_and_offline_layout(places):
    fig = map_figure(MapFilters(period=H1), "en")
    assert sorted(_points(fig, "partnerships")) == sorted([places["prague"], places["asuncion"], places["perth"]])
    arcs = _traces(fig, "arcs")
    assert sum(list(tr.lat).count(None) + 1 for tr in arcs) == 3  # one arc per placed partner city
    assert all(tr.mode == "lines" and tr.type == "scattergeo" for tr in arcs)
    geo = fig.layout.geo
    assert geo.fitbounds is False and geo.projection.rotation.lon == ROTATION == 150
    assert MAP_CONFIG["topojsonURL"] == "app/static/topojson/"
    home = _traces(fig, "home")[0]
    assert home.customdata[0][0] == places["taipei"] and home.text == ("Taipei",)
    assert not any(tr.type == "scattermap" or tr.type == "scattermapbox" for tr in fig.data)


def test_colour_by_kind_status_and_size_by_activity(places):
    fig = map_figure(MapFilters(period=H1), "en")
    by_kind = {(tr.meta["kind"], tr.meta["status"]): tr for tr in _traces(fig, "partnerships")}
    assert set(by_kind) == {("sister", "active"), ("friendship", "dormant")}
    assert by_kind["sister", "active"].marker.color != by_kind["friendship", "dormant"].marker.color
    assert by_kind["friendship", "dormant"].name == "Friendship city · dormant"
    sister = by_kind["sister", "active"]
    sizes = dict(zip([c[0] for c in sister.customdata], sister.marker.size, strict=True))
    assert sizes[places["prague"]] > sizes[places["asuncion"]]  # Prague: a visit on 30 June and a trip stop
    assert activity_by_city(H1)[places["prague"]] == 2
    assert activity_by_city(H2)[places["prague"]] == 1  # the visit of 1 July
    assert places["asuncion"] not in activity_by_city(H1)  # a cancelled visit is no activity


@pytest.mark.parametrize("lang, prague, since, relation", [("en", "Prague", "since 2020", "sister city"),
                                                            ("zh-TW", "布拉格", "2020 年締結", "姊妹市")])
def test_labels_and_hover_in_each_language(places, lang, prague, since, relation):
    fig = map_figure(MapFilters(period=H1), lang)
    labels = [text for tr in _traces(fig, "partnerships") for text in tr.text if text]
    assert sorted(labels) == sorted([prague, "Perth" if lang == "en" else "伯斯"])  # Asunción: no activity, hover only
    sister = next(tr for tr in _traces(fig, "partnerships") if tr.meta["kind"] == "sister")
    hover = sister.hovertext[[c[0] for c in sister.customdata].index(places["prague"])]
    assert "布拉格" in hover and "Prague" in hover and since in hover and relation in hover
    assert ("Europe trip" if lang == "en" else "歐洲行") in hover  # recent activity


def test_layers_visits_delegations_conferences_by_period(places):
    layers = ("visits", "delegations", "conferences")
    first = map_figure(MapFilters(layers=layers, period=H1), "en")
    visits = _traces(first, "visits")[0]
    assert [c[0] for c in visits.customdata] == [places["prague"]]
    assert "Visits received: 1 groups, 5 people" in visits.hovertext[0]
    legs = _traces(first, "legs")[0]
    assert legs.meta["legs"] == 3  # Taipei → Prague → Lyon → Taipei
    assert sorted(_points(first, "delegations")) == sorted([places["prague"], places["lyon"]])
    assert _points(first, "conferences") == [places["perth"]]
    assert _traces(first, "partnerships") == []
    second = map_figure(MapFilters(layers=layers, period=H2), "en")
    assert "Visits received: 1 groups, 7 people" in _traces(second, "visits")[0].hovertext[0]
    assert _traces(second, "legs") == [] and _traces(second, "conferences") == []


def test_kind_and_region_filters(places):
    assert [c.name_en for c in partner_cities(MapFilters(kinds=("friendship",)))] == ["Perth"]
    assert [c.name_en for c in partner_cities(MapFilters(region="EU"))] == ["Prague"]
    assert [c.name_en for c in partner_cities(MapFilters(region="SA"))] == ["Asunción"]
    assert _points(map_figure(MapFilters(layers=("visits",), region="SA"), "en"), "visits") == []


def test_recent_activity_is_latest_first(places):
    recent = recent_activity([places["prague"]], per_city=2)[places["prague"]]
    assert [r["day"] for r in recent] == [date(2020, 7, 1), date(2020, 6, 30)]


def test_home_city_comes_from_the_setting(places, admin):
    assert home_city().id == places["taipei"]
    writes.set_setting(admin, "home_city_id", str(places["prague"]))
    assert home_city().id == places["prague"]
    writes.set_setting(admin, "home_city_id", "not a number")
    assert home_city().id == places["taipei"]


def test_no_arc_crosses_the_map_edge():
    taipei = (25.05, 121.53)
    for target in ((-25.3, -57.6), (14.7, -17.4), (-33.9, 18.4), (33.7, -84.4), (50.08, 14.42), (-34.6, -58.4)):
        lats, lons = arc_path(taipei, target)
        assert not edge_crossed(lons, ROTATION), target
        assert (round(lats[0], 3), round(lons[0], 3)) == taipei
        assert (round(lats[-1], 3), round(lons[-1], 3)) == target


def test_itinerary_figure(places):
    fig = itinerary_figure(places["trip"], "zh-TW")
    stops = _traces(fig, "delegations")[0]
    assert list(stops.text) == ["1. 布拉格", "2. 里昂"]
    assert _traces(fig, "legs")[0].meta["legs"] == 3
    assert fig.layout.geo.fitbounds is False
    empty = itinerary_figure(999_999, "en")
    assert _traces(empty, "legs") == []


def test_demo_map_has_every_partner_city(demo_url):
    fig = map_figure(MapFilters(), "en")
    assert len(_points(fig, "partnerships")) == 54
    assert sum(list(tr.lat).count(None) + 1 for tr in _traces(fig, "arcs")) == 54
    fig = map_figure(MapFilters(layers=("visits",), period=H1), "en")
    groups = sum(int(h.split("<br>")[-1].split()[2]) for h in _traces(fig, "visits")[0].hovertext)
    assert groups == 14  # the report's 14 groups; the cancelled Manila visit is not drawn


@pytest.mark.parametrize("lang, title", [("en", "World map"), ("zh-TW", "世界地圖")])
def test_map_page_passes_the_offline_config(demo_url, lang, title):
    at = open_page("map", lang)
    assert errors(at) == [] and at.title[0].value == title
    chart = at.get("plotly_chart")[0].proto
    assert json.loads(chart.config)["topojsonURL"] == "app/static/topojson/"
    spec = json.loads(chart.spec)
    assert spec["layout"]["geo"]["fitbounds"] is False
    assert sum(len(tr.get("customdata", [])) for tr in spec["data"]
               if (tr.get("meta") or {}).get("layer") == "partnerships") == 54


def test_labels_do_not_overlap():
    points = [(56.9, 24.1, "Riga", 2.0), (54.7, 25.3, "Vilnius", 2.0), (52.2, 21.0, "Warsaw", 2.0),
              (50.1, 14.4, "Prague", 4.0)]
    positions = place_labels(points)
    boxes = [label_box(lat, lon, text, pos, r) for (lat, lon, text, r), pos in zip(points, positions, strict=True)]
    assert not any(overlaps(box, boxes[:i]) for i, box in enumerate(boxes))
    assert positions[0] == "top center"


def test_delegation_legs_are_aggregated(places, admin):
    from crm.views.map_data import delegation_legs

    writes.create(admin, "delegations", {"title_en": "Prague again", "status": "held", "start_on": date(2020, 3, 1),
                                         "itinerary": [{"city_id": places["prague"]}, {"city_id": places["nowhere"]}]})
    legs, cities = delegation_legs(MapFilters(period=H1))
    trips = {c.name_en: (c.extra["trips"], c.extra["stops"]) for c in cities}
    assert trips == {"Prague": (2, 2), "Lyon": (1, 1)}  # a stop without coordinates is left out
    totals: dict = {}
    for a, b, n in legs:
        totals[(a, b)] = totals.get((a, b), 0) + n
    assert totals == {(None, places["prague"]): 2, (places["prague"], places["lyon"]): 1, (places["lyon"], None): 1,
                      (places["prague"], None): 1}
    fig = map_figure(MapFilters(layers=("delegations",), period=H1), "en")
    assert _traces(fig, "legs")[0].meta["legs"] == 3  # Taipei–Prague drawn once for both trips


def test_names_are_text_in_every_label_and_hover(places, admin):
    """Plotly draws <b>, <a href>, <br> in text and hover: a name with HTML shows escaped, never as a tag."""
    hostile = '<a href="http://127.0.0.2:9/">x</a><b>b</b>%{lat}'
    writes.update(admin, "cities", places["prague"], {"name_en": hostile}, 1)
    writes.update(admin, "delegations", places["trip"], {"title_en": hostile}, 1)
    layers = ("partners", "visits", "delegations", "conferences")
    for fig in (map_figure(MapFilters(layers=layers, period=H1), "en"), itinerary_figure(places["trip"], "en")):
        shown = [str(s) for tr in fig.data for s in [*(tr.text or ()), *(tr.hovertext or ())]]
        assert any("&lt;a href=" in s for s in shown), shown
        assert not any("<a " in s or "<b>b" in s for s in shown), shown
        assert all(hostile not in (tr.hovertemplate or "") for tr in fig.data)  # a template holds no data
