"""The dashboard: figures against hand-counted fixtures (30 June / 1 July, postponed, cancelled),
coming up, reminders, charts, and the page in both languages."""

import re
from datetime import date, timedelta
from html import unescape

import pytest

from crm.config import today as office_today
from crm.periods import parse_period
from crm.store import writes
from crm.views import dashboard as dash
from tests.support.apptest import errors, open_page

TODAY = date(2026, 11, 27)


@pytest.fixture
def counted(engine, admin):
    """A hand-counted set of records around 2020 H1.

    2020 H1 held visits: 1 Jan (3 people), 30 Jun (5)            -> 2 groups, 8 people
    2020 H2: 1 Jul (7)                                          -> 1 group, 7 people
    2019 H2 (previous half): 15 Jul 2019 (2)                    -> 1 group, 2 people
    2019 H1 (same half last year): 1 Mar 2019 (4), 30 Jun 2019 (6) -> 2 groups, 10 people
    Not held in 2020 H1: cancelled 1 Mar (9), postponed 1 Apr (4), planned 2 May (1).
    """
    prague = writes.create(admin, "cities", {"name_en": "Prague", "name_zh": "布拉格", "country_code": "CZ"})
    riga = writes.create(admin, "cities", {"name_en": "Riga", "name_zh": "里加", "country_code": "LV"})
    for day, people, status in ((date(2020, 1, 1), 3, "held"), (date(2020, 6, 30), 5, "held"),
                                (date(2020, 7, 1), 7, "held"), (date(2019, 7, 15), 2, "held"),
                                (date(2019, 3, 1), 4, "held"), (date(2019, 6, 30), 6, "held"),
                                (date(2020, 3, 1), 9, "cancelled"), (date(2020, 5, 2), 1, "planned")):
        writes.create(admin, "visits", {"title_en": f"g{day}", "start_on": day, "headcount": people, "status": status})
    late = writes.create(admin, "visits", {"title_en": "postponed group", "start_on": date(2020, 4, 1), "headcount": 4,
                                           "status": "planned"})
    writes.change_status(admin, "visits", late, "postponed", 1, reason="COVID-19")
    writes.create(admin, "delegations", {"title_en": "Europe", "status": "held", "start_on": date(2020, 6, 30),
                                         "end_on": date(2020, 7, 8), "headcount": 12, "dignitaries_count": 4,
                                         "itinerary": [{"city_id": prague}, {"city_id": riga}]})
    writes.create(admin, "delegations", {"title_en": "Cancelled trip", "status": "cancelled",
                                         "start_on": date(2020, 2, 1), "headcount": 30, "itinerary": [{"city_id": riga}]})
    writes.create(admin, "conferences", {"title_en": "call", "status": "held", "start_on": date(2020, 6, 30)})
    writes.create(admin, "conferences", {"title_en": "call 2", "status": "held", "start_on": date(2020, 7, 1)})
    writes.create(admin, "conferences", {"title_en": "dropped call", "status": "cancelled", "start_on": date(2020, 5, 5)})
    writes.create(admin, "partnerships", {"city_id": prague, "status": "active", "established_on": date(2020, 1, 13)})
    writes.create(admin, "agreements", {"title_en": "MOU", "signed_on": date(2020, 6, 30), "status": "signed"})
    writes.create(admin, "agreements", {"title_en": "Draft MOU", "signed_on": date(2020, 3, 1), "status": "draft"})
    return {"prague": prague, "riga": riga}


def _values(period: str, field: str = "value") -> dict[str, int]:
    return {m.key: getattr(m, field) for m in dash.comparison(parse_period(period))}


def test_half_year_figures_match_hand_counts(counted):
    now = _values("2020H1")
    assert now == {"visits_groups": 2, "visits_people": 8, "delegations": 1, "delegation_people": 12,
                   "delegation_cities": 2, "delegation_countries": 2, "conferences": 1, "new_partnerships": 1,
                   "agreements_signed": 1, "dignitaries_met": 4}
    previous = _values("2020H1", "previous")
    assert (previous["visits_groups"], previous["visits_people"], previous["delegations"]) == (1, 2, 0)
    last_year = _values("2020H1", "year_before")
    assert (last_year["visits_groups"], last_year["visits_people"]) == (2, 10)
    second = _values("2020H2")
    assert (second["visits_groups"], second["visits_people"], second["conferences"], second["delegations"]) == (1, 7, 1, 0)


def test_period_picker_and_url(counted):
    choices = dash.period_choices(TODAY)
    assert choices[0] == "2026H2" and "2020H1" in choices and "2019H1" in choices
    assert choices.index("2020H2") < choices.index("2020H1")
    assert dash.resolve_period("2020H1", TODAY).label_code == "2020H1"
    assert dash.resolve_period("109H1", TODAY).label_code == "2020H1"
    assert dash.resolve_period("nonsense", TODAY).label_code == "2026H2"
    assert dash.resolve_period(None, TODAY).label_code == "2026H2"


def test_coming_up_in_30_and_90_days(engine, admin):
    soon, later = TODAY + timedelta(days=10), TODAY + timedelta(days=60)
    writes.create(admin, "visits", {"title_en": "Soon", "start_on": soon, "status": "confirmed"})
    writes.create(admin, "delegations", {"title_en": "Later", "start_on": later, "status": "planned"})
    writes.create(admin, "meetings", {"title_en": "Meeting", "start_on": soon, "status": "planned"})
    writes.create(admin, "visits", {"title_en": "Dropped", "start_on": soon, "status": "cancelled"})
    writes.create(admin, "visits", {"title_en": "Past", "start_on": TODAY - timedelta(days=1), "status": "planned"})
    assert [r["title_en"] for r in dash.upcoming(30, today=TODAY)] == ["Meeting", "Soon"]
    assert [r["title_en"] for r in dash.upcoming(90, today=TODAY)] == ["Meeting", "Soon", "Later"]


def test_anniversary_rule():
    assert [n for n in range(1, 81) if dash.is_round_anniversary(n)] == [5, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80]


def test_reminders(engine, admin):
    cities = {name: writes.create(admin, "cities", {"name_en": name, "country_code": "JP"})
              for name in ("Ten", "TwentyFive", "Fifteen", "Past", "Twenty", "Ended")}
    for name, data in (("Ten", {"established_on": date(2017, 1, 15)}), ("TwentyFive", {"established_year": 2002}),
                       ("Fifteen", {"established_on": date(2012, 12, 1)}), ("Past", {"established_on": date(2016, 10, 1)}),
                       ("Twenty", {"established_year": 2006}), ("Ended", {"established_year": 2016})):
        writes.create(admin, "partnerships", {"city_id": cities[name], "status": "ended" if name == "Ended" else "active",
                                              **data})
    found = [(a["name_en"], a["years"], a["on"]) for a in dash.anniversaries(today=TODAY)]
    assert found == [("Twenty", 20, None), ("Ten", 10, date(2027, 1, 15)), ("TwentyFive", 25, None)]
    for title, until, status in (("Soon", TODAY + timedelta(days=100), "signed"),
                                 ("Late", TODAY + timedelta(days=300), "signed"),
                                 ("Gone", TODAY - timedelta(days=3), "signed"),
                                 ("Ended", TODAY + timedelta(days=20), "terminated")):
        writes.create(admin, "agreements", {"title_en": title, "signed_on": date(2020, 1, 1), "valid_until": until,
                                            "status": status})
    assert [a["title_en"] for a in dash.expiring_agreements(today=TODAY)] == ["Soon"]
    undated = writes.create(admin, "exchanges", {"title_en": "Undated", "start_on": date(2026, 4, 1)})
    writes.change_status(admin, "exchanges", undated, "postponed", 1, reason="COVID-19")
    moved = writes.create(admin, "visits", {"title_en": "Moved", "start_on": date(2026, 10, 1)})
    writes.change_status(admin, "visits", moved, "postponed", 1, reason="weather", new_start=date(2027, 3, 1))
    assert [r["title_en"] for r in dash.postponed_without_date(today=TODAY)] == ["Undated"]


def test_charts(counted):
    activity = dash.activity_chart("en")
    by_kind = {tr.meta["kind"]: dict(zip(tr.x, tr.y, strict=True)) for tr in activity.data}
    assert by_kind["visits"] == {"2019": 3, "2020": 3}
    assert by_kind["conferences"] == {"2019": 0, "2020": 2}
    assert by_kind["agreements"]["2020"] == 1  # the draft is not counted
    assert {tr.name for tr in activity.data} >= {"Visits received", "Video conferences"}
    regions = dash.regions_chart("zh-TW")
    assert list(regions.data[0].y) == ["歐洲"] and list(regions.data[0].x) == [1]
    assert regions.data[0].name == "姊妹市"
    assert dash.regions_chart("en").data[0].name == "Sister city"


def test_demo_dashboard_figures_match_the_report(demo_url):
    now = _values("2020H1")
    assert (now["visits_groups"], now["visits_people"]) == (14, 94)
    assert (now["delegations"], now["delegation_people"], now["delegation_cities"], now["delegation_countries"]) == (
        1, 53, 4, 4)
    assert (now["conferences"], now["new_partnerships"], now["agreements_signed"], now["dignitaries_met"]) == (6, 2, 4, 30)


def _cards(at) -> dict[str, str]:
    """The dashboard's figure cards (one st.html block): label → figure."""
    if not at.html:
        return {}
    card = r'class="lz-label">(.*?)</div><div class="lz-value"><span class="lz-number">([\d,]+)'
    found = re.findall(card, at.html[0].proto.body)
    return {unescape(label): value for label, value in found}


@pytest.mark.parametrize("lang, label, value", [("en", "Visiting groups", "14"), ("zh-TW", "來訪團數", "14")])
def test_dashboard_page_with_period_in_url(demo_url, lang, label, value):
    at = open_page("dashboard", lang, query={"period": "2020H1"})
    assert errors(at) == []
    metrics = _cards(at)
    assert metrics[label] == value
    assert len(metrics) == 10
    assert len(at.get("plotly_chart")) == 2


def test_dashboard_page_opens_on_the_current_half_year_and_offers_the_latest(demo_url):
    at = open_page("dashboard", "en")
    assert errors(at) == []
    assert at.selectbox(key="dash_period").value == dash.default_period().label_code
    assert _cards(at) == {} and "2020" in at.info[0].value
    at.button(key="dash_show_latest").click().run()
    assert errors(at) == []
    assert at.selectbox(key="dash_period").value == "2020H1"
    assert _cards(at)["Visitors"] == "94"


def test_the_pages_coming_up_list_is_one_table_of_every_item_and_a_row_opens_its_record(engine, admin):
    from crm.ui.views import chosen_target

    today = office_today()
    ids = [writes.create(admin, "visits", {"title_en": f"Guest {n}", "start_on": today + timedelta(days=n + 1),
                                           "status": "confirmed"}) for n in range(9)]
    at = open_page("dashboard", "en")
    assert errors(at) == []
    table = at.dataframe[0].value
    assert list(table["Title"]) == [f"Guest {n}" for n in range(9)] and set(table["Kind"]) == {"Visits received"}
    assert not at.get("page_link")  # fewer than the 50 read: no link to the timeline for the rest
    targets = [("visits", i) for i in ids]
    assert chosen_target({"selection": {"rows": [2], "columns": []}}, targets) == ("visits", ids[2])
    assert chosen_target({"selection": {"rows": [], "columns": []}}, targets) is None
    assert chosen_target(None, targets) is None


def test_a_full_coming_up_list_links_all_of_it_on_the_timeline(engine, admin):
    today = office_today()
    for n in range(dash.UPCOMING_LIMIT + 2):
        writes.create(admin, "meetings", {"title_en": f"Meeting {n}", "start_on": today + timedelta(days=1 + n % 28),
                                          "status": "planned"})
    at = open_page("dashboard", "en")
    assert errors(at) == [] and len(at.dataframe[0].value) == dash.UPCOMING_LIMIT
    link = at.get("page_link")[0].proto
    period = f"{today.isoformat()}..{(today + timedelta(days=30)).isoformat()}"
    assert f"period={period}" in link.query_string
    timeline = open_page("timeline", "en", query={"period": period})
    assert errors(timeline) == []
    assert any(c.value.startswith(f"{dash.UPCOMING_LIMIT + 2} items") for c in timeline.caption)  # all of them


def test_figure_cards_escape_their_text_and_show_the_change():
    from crm.ui.cards import Card, cards_html

    html = cards_html([Card("<b>Visitors</b>", 1234, -5, "previous 1,239 · last year 0"), Card("Groups", 3, 0, "")],
                      delta_label="Change")
    assert "&lt;b&gt;Visitors&lt;/b&gt;" in html and "<b>" not in html
    assert "1,234" in html and "↓ 5" in html and html.count("lz-delta ") == 1  # no chip when nothing changed
