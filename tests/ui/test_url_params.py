"""Hostile URL parameters (`?id=²`, 20 digits, `-1`, `1e3`, `<script>`, a very long string, NUL) on every page:
no exception ever reaches the page, and the page answers with its own message ("there is no visit no. …",
"not a period…"). Every page reads its URL through crm/ui/url_params.py."""

import re

import pytest

from crm.i18n import t
from crm.models.kinds import KINDS
from tests.support.apptest import PAGES, ROOT, errors, open_page

HOSTILE = ["²", "99999999999999999999", "2147483648", "-1", "1e3", "<script>alert(1)</script>", "9" * 5000, "\x00",
           "１２", "0", "[link](https://example.org)"]
RECORD_PAGES = [p for p in PAGES if p in KINDS]
LIST_PARAMS = ("q", "period", "status", "country", "city", "kind", "sort", "asc", "page")
PAGE_PARAMS = {  # what the other pages read from their URL
    "audit": ("user", "kind", "action", "period", "record"),
    "briefings": ("id",),
    "dashboard": ("period",),
    "map": ("period",),
    "timeline": ("period", "q"),
    "report": ("period",),
}


def _head(key: str, lang: str, **params) -> str:
    """The message's text up to the refused value (which the page shows escaped and cut)."""
    return t(key, lang, **params, id="\0").split("\0")[0]


def _texts(elements) -> list[str]:
    return [e.value for e in elements]


def _is_period(value: str) -> bool:
    """Values that are no wrong period: "１２" (full-width digits) is the ROC year 12 (1923), and a NUL alone
    is cleaned away (no period given)."""
    return value in ("１２", "\x00")


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("page", RECORD_PAGES)
def test_a_record_page_answers_a_bad_id_with_no_such_record(sqlite_url, page, value):
    at = open_page(page, "en", query={"id": value})
    assert errors(at) == []
    head = _head("err.not_found", "en", kind=t(f"kind.{page}", "en"))
    assert any(e.startswith(head) for e in _texts(at.error)), _texts(at.error)


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_the_list_filters_ignore_or_refuse_bad_values(sqlite_url, value):
    for page in ("visits", "people"):
        at = open_page(page, "zh-TW", query=dict.fromkeys(LIST_PARAMS, value))
        assert errors(at) == [], page
        if not _is_period(value):
            assert t("list.bad_period", "zh-TW") in _texts(at.warning), page


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("page", sorted(set(PAGES) - set(RECORD_PAGES)))
def test_every_other_page_survives_bad_values_and_says_so(sqlite_url, page, value):
    names = PAGE_PARAMS.get(page, ("id", "period", "page", "q"))
    at = open_page(page, "en", query=dict.fromkeys(names, value))
    assert errors(at) == []
    warnings = _texts(at.warning)
    if "period" in names and page in PAGE_PARAMS and not _is_period(value):
        assert t("list.bad_period", "en") in warnings
    if page == "audit" and value != "\x00":  # a NUL alone is cleaned away: no record asked for
        assert t("audit.bad_record", "en") in warnings
    if page == "briefings":
        head = _head("err.not_found", "en", kind=t("kind.delegations", "en"))
        assert any(w.startswith(head) for w in warnings), warnings


def test_a_good_id_still_opens_its_record_and_a_good_period_still_applies(demo_url):
    at = open_page("cities", "en", query={"id": "1"})
    assert errors(at) == [] and not at.error and at.title[0].value
    at = open_page("visits", "en", query={"period": "2020H1"})
    assert errors(at) == [] and not at.warning


def test_pages_read_their_url_only_through_url_params():
    """One validator: no page, and no part of crm/ui but url_params, reads st.query_params by itself."""
    readers = re.compile(r"query_params\.get\(|query_params\[[^\]]+\](?!\s*=)|url\.get\(")
    found = []
    for path in [*(ROOT / "pages").glob("*.py"), *(ROOT / "crm" / "ui").glob("*.py")]:
        if path.name in ("url_params.py", "session.py", "shell.py", "login.py", "bench_worker.py"):
            continue  # session/shell/login: the language and sign-in flags, normalised where they are read
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if readers.search(line) and not line.strip().startswith("del "):  # writing or removing is fine
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []


def test_streamlit_shows_no_error_details_from_the_projects_config():
    """An uncaught exception shows a generic message only: the setting Streamlit resolves from .streamlit/config.toml."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=120)
    assert re.search(r'^showErrorDetails = "none"$', done.stdout, re.M), "client.showErrorDetails is not none"
