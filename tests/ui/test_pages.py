"""Every page renders without exception in both languages, on an empty database and on the demo data."""

import pytest

from tests.support.apptest import PAGES, errors, open_page, rerun_through_main


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_demo_data(demo_url, page, lang):
    at = open_page(page, lang)
    assert errors(at) == []
    assert at.title, f"{page} shows no title"


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_an_empty_database(sqlite_url, page, lang):
    at = open_page(page, lang)
    assert errors(at) == []


def test_language_follows_the_url_and_persists_across_pages(demo_url):
    at = open_page(None, "en")
    assert at.title[0].value == "Dashboard"
    at.switch_page("pages/visits.py")
    at.run()
    assert at.title[0].value == "Visits received"
    assert at.session_state["lang"] == "en"
    assert open_page("visits", "zh-TW").title[0].value == "外賓來訪"


def test_the_shell_reuses_its_pages_and_a_language_switch_applies_within_the_run(demo_url, monkeypatch):
    from crm.ui import shell

    rerun_through_main(monkeypatch)  # streamlit_app.py on every rerun, as on a server
    shell._NAV_PAGES.clear()
    at = open_page("visits", "en")
    assert at.title[0].value == "Visits received" and len(shell._NAV_PAGES) == 1
    at.run()
    assert at.title[0].value == "Visits received" and len(shell._NAV_PAGES) == 1 and errors(at) == []
    at.selectbox(key="_lang_choice").set_value("zh-TW").run()
    assert at.title[0].value == "外賓來訪" and at.session_state["lang"] == "zh-TW" and len(shell._NAV_PAGES) == 2
    assert at.query_params["lang"] in ("zh-TW", ["zh-TW"])


def test_demo_data_is_marked_in_the_app(demo_url, sqlite_template):
    at = open_page(None, "en")
    assert any("Demo data" in box.value for box in at.sidebar.info)
    assert any(c.value == "15 records" for c in open_page("visits", "en").caption)


def test_list_search_and_filters_come_from_the_url(demo_url):
    at = open_page("visits", "en", query={"q": "seoul", "period": "2020H1"})
    assert any(c.value == "1 record" for c in at.caption)
    at = open_page("visits", "zh-TW", query={"status": "cancelled"})
    assert any(c.value == "共 1 筆" for c in at.caption)
