"""Real browser (Debian Chromium): the country picker finds a country by either name or its code, and a reference
picker a city by either spelling or a part of its name, 臺 and 台 alike."""

import re

import pytest

from tests.support.browser import assert_only_local, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _select(page, label: str):
    return page.locator('[data-testid="stSelectbox"]').filter(
        has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))).locator("visible=true").first


def _offered(page, label: str, typed: str) -> list[str]:
    """Open the visible select box labelled `label`, type `typed`; the options the browser's filter leaves."""
    _select(page, label).click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Backspace")
    page.keyboard.type(typed)
    page.wait_for_timeout(300)  # the list filters as one types, in the browser (no script run)
    return [o.strip() for o in page.locator('[role="option"]').all_inner_texts()]


def test_the_country_picker_finds_either_name_and_the_code(live_app, browser_page):
    page = browser_page
    page.goto(f"{live_app}/visits?new=1&lang=en")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0

    assert _offered(page, "Country", "捷克") == ["Czechia · 捷克 · CZ"]
    assert _offered(page, "Country", "Czech") == ["Czechia · 捷克 · CZ"]
    assert _offered(page, "Country", "台") == ["Taiwan · 台灣 (臺灣) · TW"]
    assert _offered(page, "Country", "臺") == ["Taiwan · 台灣 (臺灣) · TW"]
    screenshot(page, "pickers-country-tai-en", page.locator('[data-testid="stMain"]'))
    page.keyboard.press("Escape")

    page.goto(f"{live_app}/visits?new=1&lang=zh-TW")
    wait_for_app(page)
    assert _offered(page, "國家", "CZ") == ["捷克 · Czechia · CZ"]
    page.keyboard.press("Enter")  # picked: the box shows the label, the form keeps the code
    wait_for_app(page)
    assert _select(page, "國家").locator("input").input_value() == "捷克 · Czechia · CZ"
    assert_only_local(page.requests)


def test_a_reference_picker_finds_a_city_by_either_spelling_and_inside_its_name(live_app, browser_page):
    page = browser_page
    page.goto(f"{live_app}/visits?new=1&lang=zh-TW")
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0

    taipei = "臺北 (台北) (TW)"  # stored as 臺北
    assert taipei in _offered(page, "來自城市", "台北")
    assert taipei in _offered(page, "來自城市", "臺北")
    inside = _offered(page, "來自城市", "拉格")  # a part inside the name, not only its start
    assert "布拉格 (CZ)" in inside and taipei not in inside
    offered = _offered(page, "來自城市", "台")
    assert taipei in offered
    screenshot(page, "pickers-city-tai-zh", page.locator('[data-testid="stMain"]'))
    _offered(page, "來自城市", "台北")
    page.get_by_role("option", name=taipei, exact=True).click()  # picked: the box shows the label
    wait_for_app(page)
    assert _select(page, "來自城市").locator("input").input_value() == taipei
    assert_only_local(page.requests)
