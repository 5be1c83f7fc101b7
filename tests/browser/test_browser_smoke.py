"""Real-browser smoke test (issue 2): the app as the README starts it shows its home page, offline."""

import pytest

from crm.i18n import t
from tests.support.browser import assert_only_local, screenshot, wait_for_app

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_home_page_shows_in_each_language_and_nothing_leaves_the_machine(live_app, browser_page, lang):
    page = browser_page
    page.goto(f"{live_app}/?lang={lang}")
    wait_for_app(page)
    heading = page.locator('[data-testid="stMain"] h1').first
    assert heading.inner_text().strip() == t("page.dashboard", lang)
    assert page.locator('[data-testid="stException"]').count() == 0
    nav = page.locator('[data-testid="stSidebarNav"]')
    assert t("page.visits", lang) in nav.inner_text()
    screenshot(page, f"home-{lang}")
    assert_only_local(page.requests)
