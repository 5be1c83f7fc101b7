"""Real browser (Debian Chromium): the journeys of an office that signs in (issue 8).

One server in log-in mode (no `LIAISON_USER`) on its own copy of the demo data, with a staff and a
leadership account: staff record a visit and find it on the map and on the city's dossier; staff
import a spreadsheet; leadership open the dashboard, map and timeline (read-only); anyone switches
language. Every journey asserts that no request leaves 127.0.0.1. (Staff building and downloading a
briefing is the journey of tests/browser/test_browser_briefing.py.)
"""

import os
import re
import shutil
import sqlite3

import pytest

from crm.config import today as office_today
from crm.i18n import t
from tests.support.browser import assert_only_local, choose_option, fill_date, screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser
PASSWORD = "journey-pass-2026"
VISIT = "Lima youth orchestra visit"
UPCOMING = "Seoul city council delegation"


@pytest.fixture(scope="module")
def office(demo_template, tmp_path_factory):
    """(base URL, database path) of a server that asks who you are, with users `clerk` (staff) and `mayor`."""
    from crm.accounts.users import add_user, get_user, set_password
    from crm.store.engine import get_engine
    from crm.store.writes import SYSTEM_ACTOR

    path = tmp_path_factory.mktemp("office") / "liaison.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        set_password(SYSTEM_ACTOR, get_user("admin").id, PASSWORD)  # the demo's administrator: no first-run form
        add_user(SYSTEM_ACTOR, "clerk", "staff", PASSWORD)
        add_user(SYSTEM_ACTOR, "mayor", "leadership", PASSWORD)
        from datetime import timedelta

        from crm.store.writes import create
        create(SYSTEM_ACTOR, "visits", {"title_en": UPCOMING, "title_zh": "首爾市議會訪團", "status": "confirmed",
                                        "start_on": office_today() + timedelta(days=5), "headcount": 6})
    finally:
        get_engine(url).dispose()
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old
    with start_app(path, user="") as base:
        yield base, path


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0


def _main(page):
    return page.locator('[data-testid="stMain"]')


def _sign_in(page, base: str, user: str, lang: str = "en") -> None:
    _open(page, f"{base}/?lang={lang}")
    assert _main(page).locator("h1").first.inner_text().strip() == t("auth.title", lang)
    page.get_by_label(t("auth.username", lang), exact=True).fill(user)
    page.get_by_label(t("auth.password", lang), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("auth.sign_in", lang)).click()
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').wait_for()
    assert f"{user}" in page.locator('[data-testid="stSidebar"]').inner_text()


def _type(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    wait_for_app(page)




def _pill(page, label: str) -> None:
    page.locator('[data-testid="stButtonGroup"]').get_by_role("button", name=label, exact=True).first.click()
    wait_for_app(page)


def _go(page, title: str) -> None:
    """Open a page from the sidebar (in the same session: a reload would sign the user out)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
    wait_for_app(page)
    assert _main(page).locator("h1").first.inner_text().strip() == title
    assert page.locator('[data-testid="stException"]').count() == 0


def _hover_points(page, marker: str) -> str:
    """Hover each marker of the map until one's text holds `marker`; that text ('' if none)."""
    points = page.locator('[data-testid="stPlotlyChart"] .scattergeo path.point')
    for i in range(points.count()):
        box = points.nth(i).bounding_box()
        if not box:
            continue
        page.mouse.move(5, 5)  # away first, so the previous hover label goes
        page.wait_for_selector(".hoverlayer .hovertext", state="detached", timeout=5_000)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            page.wait_for_selector(".hoverlayer .hovertext", timeout=2_000)
        except Exception:  # noqa: BLE001 - hidden under another marker: try the next one
            continue
        text = page.locator(".hoverlayer").text_content() or ""
        if marker in text:
            return text
    return ""


def test_staff_record_a_visit_and_find_it_on_the_map_and_the_dossier(office, browser_page):
    base, _ = office
    page = browser_page
    _sign_in(page, base, "clerk")
    _go(page, t("page.visits", "en"))
    page.get_by_role("button", name=t("rec.new", "en", kind=t("kind.visits", "en"))).click()
    wait_for_app(page)
    _type(page, "Title (English)", VISIT)
    _type(page, "Title (Chinese)", "利馬青年管弦樂團來訪")
    fill_date(page, "Start (actual)", "20250412")
    choose_option(page, "From city", "Lima")
    _type(page, "People", "23")
    page.get_by_role("button", name="Save").click()
    wait_for_app(page)
    page.get_by_role("heading", name=VISIT).wait_for()
    assert "Saved." in _main(page).inner_text()
    screenshot(page, "journey-staff-visit-saved", _main(page))

    # Lima's dossier (the visit's link to its city) lists the visit, and its link leads back
    page.get_by_role("link", name=re.compile(r"^Lima")).first.click()
    page.wait_for_url("**/cities?id=*", timeout=20_000)
    wait_for_app(page)
    link = page.get_by_role("link", name=re.compile(re.escape(VISIT)))
    link.wait_for()
    screenshot(page, "journey-staff-lima-dossier", _main(page))
    link.click()
    page.wait_for_url("**/visits?id=*", timeout=20_000)
    wait_for_app(page)
    assert page.get_by_role("heading", name=VISIT).count() == 1

    # the map's visits layer: Lima (no visit before this one) shows one group of 23
    _go(page, t("page.map", "en"))
    _pill(page, t("map.layer.visits", "en"))
    _pill(page, t("map.layer.partnerships", "en"))
    page.wait_for_selector('[data-testid="stPlotlyChart"] .scattergeo path.point', timeout=20_000)
    hover = _hover_points(page, "Lima")
    assert t("map.visits_hover", "en", groups=1, people=23) in hover, hover
    screenshot(page, "journey-staff-visit-on-map", _main(page))
    assert_only_local(page.requests)


def test_staff_import_a_city_list(office, browser_page, tmp_path):
    base, path = office
    page = browser_page
    _sign_in(page, base, "clerk", "zh-TW")
    _go(page, t("page.import", "zh-TW"))
    with sqlite3.connect(path) as conn:
        cities_before = conn.execute("SELECT count(*) FROM city").fetchone()[0]
    from tests.support.hostile_files import worst  # a hostile workbook first: refused, with the reason, in Chinese

    hostile = tmp_path / "合併儲存格.xlsx"
    hostile.write_bytes(next(data for name, _, data in worst(small=True) if name == "merged-A1:GR1048576"))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(hostile))
    wait_for_app(page)
    refusal = _main(page).locator('[data-testid="stAlertContentError"]')
    refusal.wait_for()
    assert "A1:GR1048576" in refusal.inner_text() and "未匯入任何資料" in refusal.inner_text()
    screenshot(page, "journey-import-refused-zh", _main(page))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM city").fetchone()[0] == cities_before
    upload = tmp_path / "姊妹市名單.csv"
    upload.write_text("城市 City,國家 Country,備註 Notes\nKaunas,立陶宛,\nTartu,EE,\nPRAGUE ,CZ,\n",
                      encoding="utf-8-sig")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
    wait_for_app(page)
    main = _main(page)
    page.get_by_role("heading", name=t("import.preview", "zh-TW"), exact=True).wait_for()
    main.locator('[data-testid="stMetricValue"]').nth(2).wait_for()  # new, duplicates, invalid
    wait_for_app(page)
    metrics = main.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert metrics[:3] == ["2", "1", "0"], metrics  # Kaunas and Tartu new; Prague already on file
    screenshot(page, "journey-import-preview-zh", main)
    page.get_by_role("button", name=t("import.commit", "zh-TW", n=2)).click()
    wait_for_app(page)
    page.get_by_text(t("import.done", "zh-TW")).wait_for()
    screenshot(page, "journey-import-done-zh", main)
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name_en FROM city WHERE name_en IN ('Kaunas', 'Tartu')")}
    assert names == {"Kaunas", "Tartu"}
    assert_only_local(page.requests)


def test_leadership_open_the_dashboard_map_and_timeline_read_only(office, browser_page):
    base, _ = office
    page = browser_page
    _sign_in(page, base, "mayor", "zh-TW")
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert t("page.dashboard", "zh-TW") in nav and t("page.import", "zh-TW") not in nav
    page.locator('[data-testid="stPlotlyChart"]').nth(1).wait_for()  # the dashboard's two charts
    screenshot(page, "journey-leadership-dashboard-zh", _main(page))
    # coming up: one table; clicking its row opens the visit
    grid = _main(page).locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 38 + 17)  # the first row's selection box, under the header
    page.wait_for_url(re.compile(r"/visits\?id=\d+"), timeout=20_000)
    wait_for_app(page)
    assert _main(page).get_by_text("首爾市議會訪團").first.is_visible()
    _go(page, t("page.map", "zh-TW"))
    page.wait_for_selector('[data-testid="stPlotlyChart"] .scattergeo path.point', timeout=20_000)
    screenshot(page, "journey-leadership-map-zh", _main(page))
    _go(page, t("page.timeline", "zh-TW"))
    page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=20_000)
    screenshot(page, "journey-leadership-timeline-zh", _main(page))
    _go(page, t("page.visits", "zh-TW"))  # read-only: no way to add a record
    assert page.get_by_role("button", name=t("rec.new", "zh-TW", kind=t("kind.visits", "zh-TW"))).count() == 0
    assert_only_local(page.requests)


def test_switching_language_in_the_sidebar_follows_across_pages(office, browser_page):
    base, _ = office
    page = browser_page
    _sign_in(page, base, "mayor", "zh-TW")
    assert _main(page).locator("h1").first.inner_text().strip() == t("page.dashboard", "zh-TW")
    sidebar = page.locator('[data-testid="stSidebar"]')
    language = page.get_by_text(t("app.language", "zh-TW"), exact=True)
    sidebar.locator('[data-testid="stSelectbox"]').filter(has=language).click()
    page.get_by_role("option", name="English").click()
    wait_for_app(page)
    assert _main(page).locator("h1").first.inner_text().strip() == t("page.dashboard", "en")
    assert "lang=en" in page.url
    _go(page, t("page.timeline", "en"))
    assert t("page.visits", "en") in sidebar.inner_text()
    screenshot(page, "journey-language-en", page.locator('[data-testid="stApp"]'))
    assert_only_local(page.requests)
