"""Real browser, sign-in mode (no LIAISON_USER): the session survives a reload and a new tab, a record link opens
that record after signing in, sign-out ends it on the server (a replayed cookie gets the sign-in screen), an idle
session ends, and two app servers on one PostgreSQL share a session."""

import shutil
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlmodel import Session

from crm import models as m
from crm.accounts.sessions import COOKIE
from crm.i18n import t
from tests.support.browser import assert_only_local, screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser
SIGN_IN = t("auth.title", "en")


def _engine(url: str):
    from crm.store.engine import get_engine

    return get_engine(url)


def _prepare(url: str) -> tuple[int, str]:
    """A password for the demo's admin and a clerk; the id and English title of a visit to link to."""
    import os

    from crm.accounts.users import actor_by_name, add_user, set_password

    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        admin = actor_by_name("admin")
        set_password(admin, admin.id, "granite tea kettle 58")
        add_user(admin, "clerk", "staff", "orchid ferry seven 1976")
        with Session(_engine(url)) as s:
            visit = s.scalars(select(m.Visit).where(m.Visit.title_en != "").order_by(m.Visit.id.desc())).first()
            return (visit.id, visit.title_en) if visit else (0, "")
    finally:
        if old is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = old


def _sign_in(page, name: str, password: str) -> None:
    page.get_by_label(t("auth.username", "en"), exact=True).fill(name)
    page.get_by_label(t("auth.password", "en"), exact=True).fill(password)
    page.get_by_role("button", name=t("auth.sign_in", "en")).click()
    page.wait_for_url(lambda url: "/session/start" not in url, timeout=30_000)
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=30_000)
    wait_for_app(page)


def _h1(page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


@pytest.fixture
def signin_app(demo_template, tmp_path):
    path = tmp_path / "liaison.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    visit = _prepare(url)
    with start_app(path, user="", env={"LIAISON_IDLE_MINUTES": "30"}) as base:
        yield base, url, visit


def test_a_session_survives_reload_and_new_tab_and_ends_on_sign_out(signin_app, browser_page):
    base, url, (visit_id, title) = signin_app
    page = browser_page
    link = f"{base}/visits?id={visit_id}&lang=en"
    page.goto(link)  # a link from an e-mail, before signing in
    wait_for_app(page)
    assert _h1(page) == SIGN_IN
    _sign_in(page, "clerk", "orchid ferry seven 1976")
    assert page.url == link and title in _h1(page)  # landed on exactly that record, in English
    cookie = next(c for c in page.context.cookies() if c["name"] == COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert page.evaluate("document.cookie").find(COOKIE) == -1  # page scripts cannot read it
    page.reload()
    wait_for_app(page)
    assert page.url == link and title in _h1(page) and "clerk" in page.inner_text('[data-testid="stSidebar"]')
    tab = page.context.new_page()
    tab.goto(f"{base}/cities?lang=zh-TW")  # a new tab, another page, the other language
    wait_for_app(tab)
    assert _h1(tab) == t("page.cities", "zh-TW")
    screenshot(tab, "session-new-tab-zh-TW")
    tab.close()

    page.get_by_role("button", name=t("auth.sign_out", "en")).click()
    page.wait_for_url(lambda u: "/session/end" not in u, timeout=30_000)
    wait_for_app(page)
    assert _h1(page) == SIGN_IN
    assert not any(c["name"] == COOKIE for c in page.context.cookies())  # the route dropped it

    replay = page.context.browser.new_context()
    replay.add_cookies([cookie])  # someone kept a copy of the cookie
    other = replay.new_page()
    other.goto(link)
    wait_for_app(other)
    assert _h1(other) == SIGN_IN
    replay.close()
    with Session(_engine(url)) as s:
        refused = s.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "session_refused")).all()
        ended = s.scalars(select(m.WebSession).where(m.WebSession.end_reason == "signed_out")).all()
    assert [e.username for e in refused] == ["clerk"] and len(ended) == 1
    assert_only_local(page.requests)


def test_an_idle_session_ends_on_the_next_click_and_an_admin_sees_sessions(signin_app, browser_page):
    base, url, _ = signin_app
    page = browser_page
    page.goto(f"{base}/?lang=en")
    wait_for_app(page)
    _sign_in(page, "clerk", "orchid ferry seven 1976")
    with Session(_engine(url)) as s:  # the clerk leaves the desk for an hour
        s.execute(update(m.WebSession).values(last_seen_at=datetime.now(UTC) - timedelta(minutes=61)))
        s.commit()
    page.get_by_role("link", name=t("page.visits", "en")).first.click()
    wait_for_app(page)
    assert _h1(page) == SIGN_IN
    assert "30 minutes" in page.inner_text('[data-testid="stMain"]')

    _sign_in(page, "admin", "granite tea kettle 58")
    page.goto(f"{base}/users?lang=en")
    wait_for_app(page)
    page.get_by_role("combobox", name=t("users.choose", "en")).click()
    page.get_by_role("option", name=f"clerk ({t('role.staff', 'en')})").click()
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    assert t("users.sessions", "en", user="clerk") in main.inner_text()
    assert main.locator('[data-testid="stDataFrame"]').count() == 2  # the accounts, and the clerk's sessions
    screenshot(page, "users-sessions-en")
    with Session(_engine(url)) as s:
        clerk = s.scalars(select(m.User).where(m.User.username == "clerk")).one()
        reasons = s.scalars(select(m.WebSession.end_reason).where(m.WebSession.user_id == clerk.id)).all()
    assert reasons == ["idle"]  # ended on the server from its last-seen time


def _pg_database():
    from tests.conftest import _pg_connect, _pg_url

    try:
        conn = _pg_connect()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable: {str(exc).splitlines()[0]}")
    name = f"liaison_two_{uuid.uuid4().hex[:8]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    return conn, name, _pg_url(name)


def test_two_app_servers_on_one_postgresql_share_a_session(tmp_path, browser_page):
    from crm.accounts.users import ensure_local_user
    from crm.store.engine import _engine_for, ensure_ready

    conn, name, url = _pg_database()
    try:
        ensure_ready(_engine(url))
        import os

        os.environ["DATABASE_URL"] = url
        try:
            ensure_local_user()
        finally:
            del os.environ["DATABASE_URL"]
        _prepare(url)
        with start_app(tmp_path / "a.db", user="", database_url=url) as first, \
                start_app(tmp_path / "b.db", user="", database_url=url) as second:
            page = browser_page
            page.goto(f"{first}/?lang=en")
            wait_for_app(page)
            _sign_in(page, "clerk", "orchid ferry seven 1976")
            page.goto(f"{second}/visits?lang=en")  # the proxy sent this click to the other server
            wait_for_app(page)
            assert _h1(page) == t("page.visits", "en") and "clerk" in page.inner_text('[data-testid="stSidebar"]')
            page.get_by_role("button", name=t("auth.sign_out", "en")).click()  # signed out on the second
            page.wait_for_url(lambda u: "/session/end" not in u, timeout=30_000)
            wait_for_app(page)
            page.goto(f"{first}/visits?lang=en")
            wait_for_app(page)
            assert _h1(page) == SIGN_IN  # … is signed out on the first
    finally:
        _engine_for.cache_clear()
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def test_a_click_inside_a_fragment_after_the_account_is_disabled_shows_the_sign_in_screen(signin_app, browser_page):
    import os

    from crm.accounts.users import actor_by_name, set_active

    base, url, _ = signin_app
    page = browser_page
    page.goto(f"{base}/?lang=en")
    wait_for_app(page)
    _sign_in(page, "clerk", "orchid ferry seven 1976")
    assert _h1(page) == t("page.dashboard", "en")
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:  # an administrator disables the clerk while the dashboard is open
        set_active(actor_by_name("admin"), actor_by_name("clerk").id, False)
    finally:
        if old is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = old
    page.get_by_text(t("dash.days", "en", n=90), exact=True).click()  # reruns only the "coming up" fragment
    wait_for_app(page)
    assert _h1(page) == SIGN_IN
    assert t("auth.signed_out_disabled", "en") in page.inner_text('[data-testid="stMain"]')
