"""The calendar's sources and views: events by kind with the lists' filters, a source that adds itself, the month
and week grids (links to the records, user text escaped, names from the catalog), the agenda; both engines."""

from datetime import date

from crm.calendar import grid, sources
from crm.calendar.sources import CalEvent, Filters, Source, events
from crm.periods import Period
from crm.store import writes

JAN = grid.month_period(date(2020, 1, 13))


def test_events_filters_and_views(engine, staff):
    prague = writes.create(staff, "cities", {"name_en": "Prague", "country_code": "CZ"})
    lima = writes.create(staff, "cities", {"name_en": "Lima", "country_code": "PE"})
    writes.create(staff, "partnerships", {"city_id": prague, "kind": "sister", "status": "active",
                                          "established_on": date(2010, 1, 13)})
    trip = writes.create(staff, "delegations", {"title_en": "Europe <trip>", "start_on": date(2020, 1, 12),
                                                "end_on": date(2020, 1, 22), "status": "held",
                                                "itinerary": [{"city_id": prague}]})
    visit = writes.create(staff, "visits", {"title_en": "Lima guests", "start_on": date(2020, 1, 16),
                                            "origin_city_id": lima, "status": "planned"})
    writes.create(staff, "agreements", {"title_en": "Zoo MOU", "signed_on": date(2015, 1, 1), "status": "signed",
                                        "valid_until": date(2020, 1, 31), "counterpart_city_id": prague})
    writes.create(staff, "visits", {"title_en": "Gone", "start_on": date(2020, 1, 17)})
    writes.delete(staff, "visits", visit + 1, 1)

    found = events(JAN, lang="en")
    assert [(e.source, e.title, e.start) for e in found] == [
        ("delegations", "Europe <trip>", date(2020, 1, 12)),
        ("anniversaries", "10th anniversary of the Prague pact", date(2020, 1, 13)),
        ("visits", "Lima guests", date(2020, 1, 16)),
        ("expiries", "Expires: Zoo MOU", date(2020, 1, 31))]
    assert [e.title for e in events(JAN, ("visits", "expiries"), lang="en")] == ["Lima guests", "Expires: Zoo MOU"]
    assert [e.title for e in events(JAN, filters=Filters(country="CZ"), lang="en")] == [
        "Europe <trip>", "10th anniversary of the Prague pact", "Expires: Zoo MOU"]
    assert [e.title for e in events(JAN, filters=Filters(statuses=("planned",)), lang="en")] == ["Lima guests"]
    zh = events(JAN, ("anniversaries",), lang="zh-TW")
    assert [e.title for e in zh] == ["Prague姊妹市締約 10 週年"]  # no Chinese name on file: the English one

    html = grid.grid_html("month", date(2020, 1, 13), found, "en", date(2020, 1, 16))
    assert html.count('class="cal-event"') == 11 + 1 + 1 + 1  # the trip on each of its 11 days
    assert f'href="delegations?id={trip}&amp;lang=en"' in html and f'href="visits?id={visit}&amp;lang=en"' in html
    assert "Europe &lt;trip&gt;" in html and "<trip>" not in html
    assert "<th" in html and ">Mon<" in html and ">Sun<" in html
    week = grid.grid_html("week", date(2020, 1, 16), found, "zh-TW", date(2020, 1, 16))
    assert week.count('class="cal-day"') == 7 and "週一" in week and "(planned)" not in week
    cells, targets = grid.agenda_rows(found, "zh-TW", roc=True)
    assert cells[0][0] == "民國 109 年 1 月 12 日（週日） – 民國 109 年 1 月 22 日（週三）"
    assert targets[0] == ("delegations", trip) and targets[1][0] == "partnerships"


def test_titles_steps_and_a_new_source():
    assert grid.title("month", date(2020, 1, 13), "en") == "January 2020"
    assert grid.title("month", date(2020, 1, 13), "zh-TW") == "2020 年 1 月"
    assert grid.title("month", date(2020, 1, 13), "zh-TW", roc=True) == "民國 109 年 1 月"
    assert grid.step("month", date(2020, 1, 31), True) == date(2020, 2, 29)
    assert grid.step("agenda", date(2020, 1, 15), False) == date(2019, 12, 15)
    assert grid.step("week", date(2020, 1, 15), True) == date(2020, 1, 22)
    assert (JAN.start, JAN.end) == (date(2019, 12, 30), date(2020, 2, 2))

    def tasks(period: Period, filters: Filters, lang: str) -> list[CalEvent]:
        return [CalEvent("tasks", "visits", 1, "Send the briefing", period.start, period.start, "planned", "#123456")]

    sources.register(Source("tasks", "#123456", tasks, ("planned",)))
    try:
        assert "tasks" in sources.source_names() and "planned" in sources.status_choices(("tasks",))
        assert [e.title for e in events.uncached(JAN, ("tasks",), lang="en")] == ["Send the briefing"]
        assert "#123456" in grid.legend_html(("tasks",), "en")
    finally:
        del sources.SOURCES["tasks"]
