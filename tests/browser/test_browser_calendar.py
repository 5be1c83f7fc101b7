"""Real browser: the calendar page on the demo data — the month draws January 2020's events, week and agenda views,
a country filter kept in the URL, a click opens the record, the page in Chinese (weekdays, ROC year), a private
feed created on the page and fetched over HTTP from the same server; nothing leaves 127.0.0.1."""

import shutil
import urllib.request

import pytest
from icalendar import Calendar

from crm.i18n import t
from tests.support.browser import assert_only_local, choose_option, screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app(demo_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("calendar") / "liaison.db"
    shutil.copy(demo_template, path)
    with start_app(path, env={"LIAISON_TODAY": "2020-01-10"}) as base:  # the demo's half-year is "now"
        yield base


def _events(page) -> list[str]:
    return page.locator("a.cal-event").evaluate_all("els => els.map(e => e.title)")


def test_calendar_journey(app, browser_page):
    page = browser_page
    page.goto(f"{app}/calendar?day=2020-01-13&lang=en")
    wait_for_app(page)
    grid = page.locator('table.cal-grid[data-view="month"]')
    grid.wait_for()
    shown = _events(page)
    assert "Mayor's visit to Europe 2020" in shown and "Seoul National University delegation" in shown
    assert shown.count("Mayor's visit to Europe 2020") == 11  # 12 to 22 January, one link a day
    assert page.get_by_text("January 2020", exact=True).count() == 1
    screenshot(page, "calendar-month-en")

    page.locator('[data-testid="stButtonGroup"] button', has_text="Week").click()
    wait_for_app(page)
    page.locator('table.cal-grid[data-view="week"]').wait_for()
    assert page.locator("td.cal-day").count() == 7 and "view=week" in page.url
    page.locator('[data-testid="stButtonGroup"] button', has_text="Agenda").click()
    wait_for_app(page)
    assert page.locator('[data-testid="stDataFrame"]').count() == 1 and page.locator("table.cal-grid").count() == 0
    page.locator('[data-testid="stButtonGroup"] button', has_text="Month").click()
    wait_for_app(page)
    page.get_by_role("button", name="Next").click()
    wait_for_app(page)
    assert "day=2020-02-13" in page.url and page.get_by_text("February 2020", exact=True).count() == 1
    page.get_by_role("button", name="Previous").click()
    wait_for_app(page)

    choose_option(page, "Country", "Czech")
    assert "country=CZ" in page.url
    shown = _events(page)
    assert "Mayor's visit to Europe 2020" in shown and "Seoul National University delegation" not in shown

    page.locator("a.cal-event", has_text="Mayor's visit to Europe 2020").first.click()
    page.wait_for_url("**/delegations?id=*")
    wait_for_app(page)
    assert page.locator("h1", has_text="Mayor's visit to Europe 2020").count() == 1

    page.goto(f"{app}/calendar?day=2020-01-13&lang=zh-TW&roc=1")
    wait_for_app(page)
    page.locator('table.cal-grid[data-view="month"]').wait_for()
    assert page.get_by_text("民國 109 年 1 月", exact=True).count() == 1
    assert page.locator("table.cal-grid th", has_text="週一").count() == 1
    screenshot(page, "calendar-month-zh")

    page.get_by_text(t("cal.feed.title", "zh-TW")).click()
    page.get_by_role("button", name=t("cal.feed.create", "zh-TW")).click()
    wait_for_app(page)
    address = page.locator('[data-testid="stCode"] code').inner_text().strip()
    assert address.startswith(app + "/calendar/feed/") and address.endswith(".ics")
    with urllib.request.urlopen(address, timeout=30) as answer:
        assert answer.headers["Content-Type"].startswith("text/calendar")
        cal = Calendar.from_ical(answer.read())
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert any(s.startswith(t("kind.delegations", "zh-TW") + ": ") for s in summaries)
    assert "布拉格姊妹市締約 1 週年" in summaries  # 2021-01-13: the first anniversary, inside the two years ahead
    assert_only_local(page.requests)
