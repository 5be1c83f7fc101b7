"""Real browser (Debian Chromium): the leadership views draw offline, and a click on the map opens a dossier."""

import csv

import pytest

from crm.i18n import t
from tests.support.browser import ROOT, assert_only_local, screenshot, wait_for_app

pytestmark = pytest.mark.browser

with open(ROOT / "data" / "partner-cities.csv", encoding="utf-8") as _f:
    PARTNER_CITIES = sum(1 for _ in csv.DictReader(_f))


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0


def _marker_counts(page) -> list[int]:
    traces = page.locator('[data-testid="stPlotlyChart"] .scattergeo')
    return [traces.nth(i).locator("path.point").count() for i in range(traces.count())]


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_map_draws_outlines_and_one_marker_per_partner_city(live_app, browser_page, lang):
    page = browser_page
    _open(page, f"{live_app}/map?lang={lang}")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .geo .countries path', timeout=20_000)
    assert page.locator('[data-testid="stPlotlyChart"] .geo .countries path').count() >= 1
    counts = _marker_counts(page)
    # partner traces (sister 52, partner 1, friendship 1) and the home city's star; arcs and labels draw no points
    assert sum(counts) == PARTNER_CITIES + 1
    assert sorted(c for c in counts if c)[-1] == 52
    labels = page.locator('[data-testid="stPlotlyChart"] .scattergeo text').all_text_contents()
    assert ("布拉格" if lang == "zh-TW" else "Prague") in labels
    screenshot(page, f"map-{lang}", page.locator('[data-testid="stMain"]'))
    assert_only_local(page.requests)


def test_clicking_a_city_opens_its_dossier(live_app, browser_page):
    page = browser_page
    _open(page, f"{live_app}/map?lang=en")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .scattergeo path.point')
    counts = _marker_counts(page)
    sisters = page.locator('[data-testid="stPlotlyChart"] .scattergeo').nth(counts.index(max(counts)))
    points = sisters.locator("path.point")
    boxes = [points.nth(i).bounding_box() for i in range(points.count())]
    biggest = max(boxes, key=lambda b: b["width"])  # Prague: the most activity on record
    x, y = biggest["x"] + biggest["width"] / 2, biggest["y"] + biggest["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_selector(".hoverlayer .hovertext")
    assert "Prague" in page.locator(".hoverlayer").text_content()
    page.mouse.click(x, y)
    page.wait_for_url("**/cities?id=*", timeout=20_000)
    wait_for_app(page)
    assert "Prague" in page.locator('[data-testid="stMain"]').inner_text()
    assert_only_local(page.requests)


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_timeline_and_dashboard_draw_offline(live_app, browser_page, lang):
    page = browser_page
    _open(page, f"{live_app}/timeline?lang={lang}")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .point', timeout=20_000)
    text = page.locator('[data-testid="stPlotlyChart"]').inner_text()
    postponed = t("status.postponed", lang)
    assert t("timeline.kind.visits", lang) in text and postponed[:1].upper() + postponed[1:] in text
    screenshot(page, f"timeline-{lang}", page.locator('[data-testid="stMain"]'))
    _open(page, f"{live_app}/?period=2020H1&lang={lang}")
    page.locator(".lz-card .lz-number").nth(9).wait_for()  # the ten figure cards (one HTML block)
    values = page.locator(".lz-card .lz-number").all_inner_texts()
    assert values[:2] == ["14", "94"] and len(values) == 10
    # plotly's chunk loads lazily after the script run: wait for both charts to be drawn, not just for the run
    page.wait_for_function("[...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
                           ".filter(c => c.querySelector('.main-svg')).length >= 2", timeout=20_000)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 2
    screenshot(page, f"dashboard-{lang}", page.locator('[data-testid="stMain"]'))
    assert_only_local(page.requests)


def test_clicking_a_timeline_item_opens_it(live_app, browser_page):
    page = browser_page
    _open(page, f"{live_app}/timeline?lang=en&period=2020")
    bar = page.locator('[data-testid="stPlotlyChart"] .barlayer path').first  # the mayor's trip (a span)
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**/delegations?id=*", timeout=20_000)
    wait_for_app(page)
    assert "Mayor's visit to Europe 2020" in page.locator('[data-testid="stMain"] h1').first.inner_text()
    assert_only_local(page.requests)
