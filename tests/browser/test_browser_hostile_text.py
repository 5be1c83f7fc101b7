"""Real browser: names that are HTML, Markdown, KaTeX, colour and icon directives, image links, very long, with
direction overrides and zero-width characters, shown on every page as typed — no element, request or dialog."""

import os
import re
import shutil
from datetime import date

import pytest

from crm.views.navigation import all_pages
from tests.support.browser import app_scripts, assert_only_local, screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser

HOST = "127.0.0.2:9"  # a loopback address the app never uses: any request to it came from a name
HTML = f"<img src=http://{HOST}/h.png onerror=alert(1)><script>alert(2)</script>"
MARKDOWN = f"**bold** *italic* [link](http://{HOST}/l) ![img](http://{HOST}/i.png)"
DIRECTIVES = ":red[redtext] $x^2$ :material/home: <b>btag</b>"
INVISIBLE = "Ev\u202eil\u200bname\x00"  # the write path strips the override, the zero-width space and the NUL
LONG = "Long " + "x" * 4995


def _seed(path) -> dict:
    """Hostile records through the write path (in 2020 H1, the demo's period: dashboard, map and timeline show them)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    try:
        from crm.accounts import settings as app_settings
        from crm.accounts.users import add_user, ensure_local_user
        from crm.records.queries import get_record
        from crm.store import writes

        admin = ensure_local_user()
        cid = writes.create(admin, "cities", {"name_en": MARKDOWN, "name_zh": HTML, "name_native": DIRECTIVES,
                                              "country_code": "CZ", "latitude": 50.1, "longitude": 14.4,
                                              "notes": LONG})
        oid = writes.create(admin, "organisations", {"name_en": DIRECTIVES, "name_zh": HTML, "city_id": cid})
        pid = writes.create(admin, "people", {"name_en": MARKDOWN, "name_zh": HTML, "title_en": DIRECTIVES,
                                              "city_id": cid, "organisation_id": oid, "protocol_notes": LONG})
        vid = writes.create(admin, "visits", {"title_en": MARKDOWN, "title_zh": HTML, "start_on": date(2020, 3, 2),
                                              "origin_city_id": cid, "status": "held", "leader_name": DIRECTIVES})
        did = writes.create(admin, "delegations", {"title_en": MARKDOWN, "title_zh": HTML, "status": "held",
                                                   "start_on": date(2020, 4, 1), "end_on": date(2020, 4, 5),
                                                   "purposes": DIRECTIVES, "itinerary": [
                                                       {"city_id": cid, "arrive_on": date(2020, 4, 2),
                                                        "purpose": MARKDOWN}],
                                                   "people": [{"person_id": pid, "role": "met"}]})
        writes.create(admin, "partnerships", {"city_id": cid, "kind": "partner", "status": "active",
                                              "title_en": MARKDOWN, "title_zh": HTML})
        writes.change_status(admin, "visits", vid, "cancelled", 1, reason=MARKDOWN)
        odd = writes.create(admin, "cities", {"name_en": INVISIBLE, "country_code": "CZ"})
        assert get_record("cities", odd)["name_en"] == "Evilname"  # refused characters are dropped, not stored
        add_user(admin, "hostile", "staff", "granite tea kettle 58", display_name=MARKDOWN)
        app_settings.save(admin, app_settings.ORGANISATION_EN, DIRECTIVES)
    finally:
        os.environ.pop("DATABASE_URL", None)
    return {"cities": cid, "people": pid, "visits": vid, "delegations": did, "organisations": oid}


@pytest.fixture(scope="module")
def hostile_app(demo_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "liaison.db"
    shutil.copy(demo_template, path)
    ids = _seed(path)
    with start_app(path) as base:
        yield base, ids


def _made_from_names(page, where: str) -> list[str]:
    """What was drawn from the names: an image, link, script, formula, bold or coloured text made of them."""
    app = page.locator('[data-testid="stApp"]')
    found = []
    pointing = app.locator(f"[src*='{HOST}'], [href*='{HOST}']")
    found += [e.evaluate("n => n.outerHTML.slice(0, 200)") for e in pointing.all()]
    if [s for s in app.locator("script").all_text_contents() if s.strip() not in app_scripts()]:
        found.append("a script")
    if app.locator(".katex, math").count():
        found.append("a formula")
    made = app.locator("strong, em, b, i, span[style*='color']")
    found += [f"<{t}>" for t in made.all_text_contents() if re.search(r"bold|italic|btag|redtext", t)]
    if page.locator('[data-testid="stException"]').count():
        found.append("an exception")
    return [f"{where}: {f}" for f in found]


def _check(page, where: str, problems: list[str]) -> str:
    wait_for_app(page)
    problems += _made_from_names(page, where)
    return page.locator('[data-testid="stMain"]').inner_text().replace("\u2060", "")  # plain()'s invisible joiner


def test_every_page_shows_hostile_names_as_typed(hostile_app, browser_page):
    base, ids = hostile_app
    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    problems: list[str] = []
    page.goto(f"{base}/?lang=zh-TW")
    for lang in ("zh-TW", "en"):
        wait_for_app(page)
        links = page.locator('[data-testid="stSidebarNav"] a')
        assert links.count() == len(all_pages())
        for index in range(links.count()):  # every page of the navigation, as a person clicks through them
            links.nth(index).click()
            _check(page, f"{lang} page {index}", problems)
        names = {"zh-TW": HTML, "en": MARKDOWN}[lang]
        for kind in ("cities", "people", "visits", "delegations", "organisations"):  # record pages, the city's dossier
            page.goto(f"{base}/{kind}?id={ids[kind]}&lang={lang}")
            _check(page, f"{lang} {kind}", problems)
            title = page.locator('[data-testid="stMain"] h1').first.inner_text().strip().replace("\u2060", "")
            assert title == (DIRECTIVES if kind == "organisations" and lang == "en" else names), (kind, title)
        page.get_by_role("tab").last.click()  # the organisation's history
        _check(page, f"{lang} history", problems)
        for source in ("delegations", "cities"):  # a briefing generated, its city opened
            page.goto(f"{base}/briefings?source={source}&id={ids[source]}&lang={lang}")
            shown = _check(page, f"{lang} briefing {source}", problems)
            assert names in shown, (source, shown[:500])
            page.locator('[data-testid="stExpander"] summary').first.click()
            _check(page, f"{lang} briefing {source} city", problems)
        screenshot(page, f"hostile-briefing-{lang}")
        if lang == "zh-TW":
            page.get_by_role("combobox", name="語言").click()
            page.get_by_role("option", name="English").click()
    assert problems == [], "\n".join(problems)
    assert dialogs == []
    assert_only_local(page.requests)  # 127.0.0.2, where the names point, is not the app's own host
