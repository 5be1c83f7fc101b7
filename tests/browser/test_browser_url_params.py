"""Real browser: a forged link (`/visits?id=²`, an id of 20 digits) shows the page's own "no such record" message
and never a traceback or a server path (crm/ui/url_params.py; `client.showErrorDetails = "none"`)."""

import shutil
from urllib.parse import quote

import pytest

from crm.i18n import t
from tests.support.browser import start_app, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app(demo_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("url-params") / "liaison.db"
    shutil.copy(demo_template, path)
    with start_app(path) as base:
        yield base


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "<script>alert(1)</script>"])
def test_a_forged_id_shows_no_such_record_and_no_traceback(app, browser_page, value):
    page = browser_page
    page.goto(f"{app}/visits?lang=en&id={quote(value)}")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    shown = main.inner_text()
    head = t("err.not_found", "en", kind=t("kind.visits", "en"), id="\0").split("\0")[0]
    assert head in shown
    assert page.locator('[data-testid="stException"]').count() == 0
    for leak in ("Traceback", 'File "/', "ValueError", "OverflowError", ".py"):
        assert leak not in page.content(), leak
