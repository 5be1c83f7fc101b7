"""Log-in: passwords, lock-out with a growing delay (logged), first administrator, idle time-out, SSO mapping,
and the app's log-in screen (the role always comes from the database, never from session state)."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from crm import models as m
from crm.accounts import auth
from crm.accounts.users import add_user, get_user, set_active, set_role
from crm.errors import PermissionDenied, ValidationFailed
from crm.store.writes import Actor
from tests.support.apptest import AUTH_KEY, as_read, errors, open_page, rerun_through_main

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _login_mode(monkeypatch):
    rerun_through_main(monkeypatch)
    monkeypatch.delenv("LIAISON_USER", raising=False)
    monkeypatch.delenv("LIAISON_SSO_DEFAULT_ROLE", raising=False)


def _log(engine, action: str) -> list[m.AuditEntry]:
    with Session(engine) as s:
        return s.exec(select(m.AuditEntry).where(m.AuditEntry.action == action).order_by(m.AuditEntry.id)).scalars().all()


def test_password_log_in_and_failures_are_logged(engine, admin):
    add_user(admin, "clerk", "staff", "correct horse")
    me = auth.authenticate("clerk", "correct horse", now=T0)
    assert (me.username, me.role) == ("clerk", "staff")
    with pytest.raises(auth.LoginRefused):
        auth.authenticate("clerk", "wrong password", now=T0)
    with pytest.raises(auth.LoginRefused):
        auth.authenticate("nobody", "whatever1", now=T0)
    failed = _log(engine, "login_failed")
    nobody = "unknown:" + hashlib.sha256(b"nobody").hexdigest()[:12]  # the name field may hold a password
    assert [e.username for e in failed] == ["clerk", nobody]
    assert [e.username for e in _log(engine, "login")] == ["clerk"]
    assert get_user("clerk").last_login_at is not None
    assert auth.LoginRefused("auth.bad_credentials").message("zh-TW") == "帳號或密碼錯誤。"


def test_repeated_failures_lock_out_with_a_growing_delay(engine, admin):
    add_user(admin, "clerk", "staff", "correct horse")
    for _ in range(auth.FREE_FAILURES - 1):
        with pytest.raises(auth.LoginRefused):
            auth.authenticate("clerk", "bad guess!", now=T0)
    with pytest.raises(auth.LockedOut) as first:
        auth.authenticate("clerk", "bad guess!", now=T0)
    assert first.value.params["seconds"] == auth.BASE_DELAY
    # while locked, even the right password is refused (and logged)
    with pytest.raises(auth.LockedOut):
        auth.authenticate("clerk", "correct horse", now=T0 + timedelta(seconds=5))
    later = T0 + timedelta(seconds=auth.BASE_DELAY + 1)
    with pytest.raises(auth.LockedOut) as second:
        auth.authenticate("clerk", "bad guess!", now=later)
    assert second.value.params["seconds"] == 2 * auth.BASE_DELAY
    assert _failures("clerk") == auth.FREE_FAILURES + 1
    much_later = later + timedelta(seconds=2 * auth.BASE_DELAY + 1)
    assert auth.authenticate("clerk", "correct horse", now=much_later).username == "clerk"
    assert _failures("clerk") == 0
    # every attempt is counted in the audit log, one entry per name per minute
    assert sum(e.after["attempts"] for e in _log(engine, "login_failed")) == auth.FREE_FAILURES + 2
    assert [auth.lock_delay(n) for n in (0, 2, 3, 4, 5, 50)] == [0, 0, 30, 60, 120, auth.MAX_DELAY]


def _failures(name: str) -> int:
    from crm.accounts import throttle
    from crm.store.writes import unit

    with unit(None) as s:
        return throttle.state(s, [name], T0).get(name, (0, None))[0]


def test_guessing_unknown_names_is_slowed_down_too(engine, admin):
    for _ in range(auth.FREE_FAILURES - 1):
        with pytest.raises(auth.LoginRefused):
            auth.authenticate("ghost", "guess-guess")
    with pytest.raises(auth.LockedOut):
        auth.authenticate("ghost", "guess-guess")


def test_disabled_account_and_role_change_take_effect_at_once(engine, admin):
    uid = add_user(admin, "clerk", "staff", "correct horse")
    assert auth.current_actor("clerk").role == "staff"
    set_role(admin, uid, "leadership")
    assert auth.current_actor("clerk").role == "leadership"
    set_active(admin, uid, False)
    assert auth.current_actor("clerk") is None
    with pytest.raises(auth.LoginRefused):
        auth.authenticate("clerk", "correct horse")


def test_first_administrator_only_while_none_can_sign_in_and_only_with_the_setup_code(engine, admin):
    from crm.accounts import setup

    assert auth.needs_first_admin()  # the local admin has no password yet
    code = setup.issue_code()
    with pytest.raises(PermissionDenied) as wrong:
        auth.create_first_admin("boss", "amber lantern quietly 19", "AAAA-BBBB-CCCC")
    assert wrong.value.key == "auth.bad_setup_code" and get_user("boss") is None
    with pytest.raises(ValidationFailed) as taken:  # the password-less "admin" of `crm init` cannot be claimed
        auth.create_first_admin("admin", "amber lantern quietly 19", code)
    assert "username" in taken.value.errors and get_user("admin").password_hash == ""
    with pytest.raises(ValidationFailed):
        auth.create_first_admin("x", "short", code)
    me = auth.create_first_admin("boss", "amber lantern quietly 19", code.lower().replace("-", " "))  # as typed
    assert me.role == "admin" and not auth.needs_first_admin()
    assert auth.authenticate("boss", "amber lantern quietly 19").username == "boss"
    with pytest.raises(PermissionDenied):
        auth.create_first_admin("mallory", "another plum orbit 85", setup.issue_code())
    assert get_user("mallory") is None
    assert not setup.is_valid(code)  # used up


def test_an_account_that_can_sign_in_ends_the_first_run(engine, admin):
    from crm.accounts.users import set_password

    add_user(admin, "clerk", "staff", "orchid ferry seven 1976")  # not an administrator, but it can sign in
    assert not auth.needs_first_admin()
    set_password(admin, admin.id, "granite tea kettle 58")
    assert not auth.needs_first_admin()


# ------------------------------------------------------------------ single sign-on mapping

CLAIMS = {"iss": "https://idp.example.gov.tw", "sub": "a1b2", "email": "Lin@Example.gov.tw", "name": "Lin",
          "email_verified": True}


def test_sso_maps_a_verified_email_to_the_account_and_binds_the_subject(engine, admin):
    add_user(admin, "lin@example.gov.tw", "leadership")
    me = auth.sso_actor(CLAIMS)
    assert (me.username, me.role) == ("lin@example.gov.tw", "leadership")
    assert get_user("lin@example.gov.tw").sso_subject == "https://idp.example.gov.tw|a1b2"
    # later the subject decides, even if the e-mail changed at the provider
    assert auth.sso_actor({**CLAIMS, "email": "new@example.gov.tw"}).username == "lin@example.gov.tw"
    assert [e.summary for e in _log(engine, "login")] == ["sso", "sso"]


def test_sso_refuses_unknown_unverified_rebinding_and_disabled(engine, admin, monkeypatch):
    with pytest.raises(PermissionDenied):
        auth.sso_actor(CLAIMS)
    uid = add_user(admin, "lin@example.gov.tw", "staff")
    with pytest.raises(PermissionDenied):
        auth.sso_actor({**CLAIMS, "email_verified": False})
    auth.sso_actor(CLAIMS)
    with pytest.raises(PermissionDenied):  # another identity with the same e-mail may not take the account
        auth.sso_actor({**CLAIMS, "sub": "other"})
    set_active(admin, uid, False)
    with pytest.raises(PermissionDenied):
        auth.sso_actor(CLAIMS)
    with pytest.raises(PermissionDenied):
        auth.sso_actor({"email": "x@y"})
    monkeypatch.setenv("LIAISON_SSO_DEFAULT_ROLE", "leadership")
    me = auth.sso_actor({"iss": "i", "sub": "new", "email": "guest@example.gov.tw", "email_verified": True})
    assert (me.username, me.role) == ("guest@example.gov.tw", "leadership")
    monkeypatch.setenv("LIAISON_SSO_DEFAULT_ROLE", "admin")  # never hands out admin
    with pytest.raises(PermissionDenied):
        auth.sso_actor({"iss": "i", "sub": "new2", "email": "boss@example.gov.tw"})


# ------------------------------------------------------------------ the app


def _texts(at) -> str:
    parts = [e.value for e in (*at.title, *at.info, *at.warning, *at.error, *at.success, *at.caption)]
    return " ".join(as_read(p) for p in parts)


def test_first_run_screen_explains_how_to_create_the_administrator(sqlite_url):
    at = open_page(None, "en", anonymous=True)
    assert errors(at) == []
    assert at.title[0].value == "Sign in to Liaison"
    assert "first run" in _texts(at) and "users add" in at.code[0].value
    assert [w.label for w in at.text_input] == ["Setup code", "User name", "Password", "Repeat the password"]
    at.text_input[0].set_value("WRONG-CODE-0000")
    at.text_input[1].set_value("boss")
    at.text_input[2].set_value("velvet monsoon harbor 33")
    at.text_input[3].set_value("velvet monsoon harbor 33")
    at.button[0].click().run()
    assert "Setup code: wrong or expired" in _texts(at) and get_user("boss") is None


def test_log_in_screen_runs_no_page_before_log_in(engine, admin):
    from crm.accounts.users import set_password

    set_password(admin, admin.id, "granite tea kettle 58")
    at = open_page("visits", "zh-TW", anonymous=True)
    assert errors(at) == []
    assert [t.value for t in at.title] == ["登入 Liaison"]
    # the sign-in form, then "change my password" (user name, current, new and repeated password)
    assert [w.label for w in at.text_input] == ["帳號", "密碼", "您的帳號", "目前的密碼", "新密碼", "再次輸入新密碼"]


def test_idle_session_is_signed_out(engine, admin, monkeypatch):
    from crm.accounts import sessions

    monkeypatch.setenv("LIAISON_IDLE_MINUTES", "30")
    stale = {"token": sessions.start(admin, now=datetime.now(UTC) - timedelta(minutes=31))}
    at = open_page(None, "en", anonymous=True, session={AUTH_KEY: stale})
    assert at.title[0].value == "Sign in to Liaison"
    assert "30 minutes" in _texts(at)
    assert [e.summary.split(";")[0] for e in _log(engine, "session_refused")] == ["idle"]


def test_crafted_session_state_grants_nothing(engine, admin, leader):
    # a session claiming an admin actor is ignored: the role is read from the database
    at = open_page("users", "en", user="mayor", session={"actor": Actor("mayor", "admin", None),
                                                          "role": "admin"})
    assert errors(at) == []
    assert not any(t.value == "Users" for t in at.title)
    for crafted in ({"user": "admin", "seen": 9e18}, {"token": "made-up"}, {"token": "x" * 10_000}):
        at = open_page(None, "en", anonymous=True, session={AUTH_KEY: crafted})
        assert errors(at) == [] and at.title[0].value == "Sign in to Liaison"


def test_role_change_and_disabling_apply_on_the_next_rerun(engine, admin, staff):
    at = open_page(None, "en", user="clerk")
    assert any("Staff" in c.value or "staff" in c.value for c in at.sidebar.caption)
    set_role(admin, staff.id, "leadership")
    at.run()
    assert any("Leadership" in c.value or "leadership" in c.value.lower() for c in at.sidebar.caption)
    set_active(admin, staff.id, False)
    at.run()
    assert at.title[0].value == "Sign in to Liaison"
    assert "disabled" in _texts(at)
    set_active(admin, staff.id, True)  # enabling again does not bring the ended session back
    at.run()
    assert at.title[0].value == "Sign in to Liaison"


def test_the_account_is_read_once_per_run_and_again_on_the_next(engine, admin, staff, monkeypatch):
    from crm.accounts import sessions

    reads = []
    real = sessions.resolve

    def counted(token, **kw):
        found = real(token, **kw)
        reads.append(found.actor.username if found.actor else None)
        return found

    monkeypatch.setattr(sessions, "resolve", counted)
    at = open_page("visits", "en", user="clerk")  # the shell and the list page both ask who is acting
    assert errors(at) == [] and reads == ["clerk"]
    assert any(b.label.startswith("New") for b in at.button)  # staff may add a visit
    set_role(admin, staff.id, "leadership")
    at.run()
    assert reads == ["clerk", "clerk"]
    assert not any(b.label.startswith("New") for b in at.button)  # leadership reads only: the next run knew


def test_local_mode_acts_without_log_in(sqlite_url, monkeypatch):
    monkeypatch.setenv("LIAISON_USER", "desk")
    at = open_page(None, "en", anonymous=True)
    assert errors(at) == []
    assert at.title[0].value == "Dashboard"
    assert get_user("desk").role == "admin"


# ------------------------------------------------------------------ in a real browser


@pytest.fixture
def login_app(sqlite_template, tmp_path):
    """A server that requires log-in (no LIAISON_USER), on a fresh database with demo data."""
    import shutil

    from tests.support.browser import start_app

    path = tmp_path / "liaison.db"
    shutil.copy(sqlite_template, path)
    from crm.accounts import setup
    from crm.store.engine import get_engine

    engine = get_engine(f"sqlite:///{path}")
    with Session(engine) as s:
        code = setup.issue_code(session=s)
        s.commit()
    with start_app(path, env={"LIAISON_USER": "", "LIAISON_IDLE_MINUTES": "30"}) as base:
        yield base, path, code


def _fill(page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).fill(value)


@pytest.mark.browser
def test_first_run_log_in_lock_out_and_sign_out_in_a_browser(login_app, browser_page):
    from tests.support.browser import assert_only_local, screenshot, wait_for_app

    base, _, code = login_app
    page = browser_page
    page.goto(base + "/visits?lang=en")  # the first request of a fresh server: no page may run before log-in
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "Sign in to Liaison"
    assert "first run" in page.inner_text('[data-testid="stMain"]')
    screenshot(page, "login-first-run-en")
    _fill(page, "Setup code", code)
    _fill(page, "User name", "boss")
    _fill(page, "Password", "velvet monsoon harbor 33")
    _fill(page, "Repeat the password", "velvet monsoon harbor 33")
    page.get_by_role("button", name="Create the administrator and sign in").click()
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "Visits received"  # the link survives log-in
    assert "boss" in page.inner_text('[data-testid="stSidebar"]')
    page.get_by_role("button", name="Sign out").click()
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "Sign in to Liaison"
    for attempt in range(auth.FREE_FAILURES):
        _fill(page, "User name", "boss")
        _fill(page, "Password", f"wrong {attempt}")
        page.get_by_role("button", name="Sign in").click()
        wait_for_app(page)
    assert "Too many failed attempts" in page.inner_text('[data-testid="stMain"]')
    page.goto(base + "/?lang=zh-TW")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "登入 Liaison"
    screenshot(page, "login-zh-TW")
    assert_only_local(page.requests)
    failed = [e for e in _log(_engine_for_path(login_app[1]), "login_failed") if e.username == "boss"]
    assert sum(e.after["attempts"] for e in failed) == auth.FREE_FAILURES


def _engine_for_path(path):
    from crm.store.engine import get_engine

    return get_engine(f"sqlite:///{path}")


def _redeem(at) -> str:
    """Follow the sign-in link the screen shows through the app's own route; the session cookie it sets."""
    from crm.accounts.sessions import COOKIE
    from tests.support import routes

    link = at.get("link_button")[0].proto.url
    assert link.startswith("/session/start?ticket=")
    answer = routes.get(link)
    assert answer.status == 303
    return answer.cookies[COOKIE]


def test_log_in_form_signs_in_and_refuses_bad_passwords(engine, admin):
    from crm.accounts.users import set_password

    set_password(admin, admin.id, "granite tea kettle 58")
    at = open_page("visits", "en", anonymous=True)
    at.text_input[0].set_value("admin")
    at.text_input[1].set_value("wrong one")
    at.button[0].click().run()
    assert "Wrong user name or password." in _texts(at)
    assert not at.get("link_button")
    at.text_input[1].set_value("granite tea kettle 58")
    at.button[0].click().run()
    assert errors(at) == []
    token = _redeem(at)
    at = open_page("visits", "en", anonymous=True, session={AUTH_KEY: {"token": token}})
    assert at.title[0].value == "Visits received"  # the page the link named survives log-in


# ------------------------------------------------------------------ leadership reads, never writes

def _regenerates_the_report(key: str | None) -> bool:
    """The report page's "regenerate" (rep-<period>_<lang>-regen): redraws the text on screen, stores nothing."""
    return bool(key) and key.startswith("rep-") and key.endswith("-regen")


READ_ONLY_KEYS = {"back", "dash_show_latest", "report_regen", "_sign_out",
                  "FormSubmitter:my_pw-Change my password",  # one's own password: an account, not a record
                  "cal_prev", "cal_today", "cal_next",  # the calendar's month/week moves
                  "cal_feed_create",  # one's own calendar feed: an account's subscription, not a record
                  "inbox_all_read", "inbox_all_unread",  # one's own read marks
                  "FormSubmitter:inbox_email-Save address"}  # one's own e-mail address


def _views_a_list(key: str | None) -> bool:
    """A list's own reading controls: its pager, the reader's columns and saved views (no record changes)."""
    return bool(key) and (key.endswith(("_first", "_previous", "_next", "_last", "_columns_save", "_columns_reset"))
                          or "_save_view-" in key or "_open_view_" in key or "_drop_view_" in key)


def test_leadership_sees_no_edit_control_on_any_page(demo_url):
    from crm.accounts.users import ensure_local_user
    from crm.models.kinds import KINDS
    from crm.records.queries import list_records
    from crm.views.navigation import all_pages, pages_for

    add_user(ensure_local_user(), "mayor", "leadership", "brass compass winter 42")
    visible = {p.name for specs in pages_for("leadership").values() for p in specs}
    assert {"dashboard", "map", "timeline", "report", "visits"} <= visible
    assert not visible & {"import", "merge", "audit", "users", "settings"}
    opened = 0
    for spec in all_pages():
        queries = [{}]
        if spec.name in KINDS:
            first = list_records(spec.name, page_size=1).rows
            queries += [{"id": str(first[0]["id"])}] if first else []
        for query in queries:
            at = open_page(spec.name, "en", user="mayor", query=query)
            assert errors(at) == [], spec.name
            keys = {b.key for b in at.button if not _regenerates_the_report(b.key) and not _views_a_list(b.key)}
            keys -= READ_ONLY_KEYS
            assert not keys, (spec.name, query, keys)
            assert not at.get("file_uploader"), spec.name
            opened += 1
    assert opened > len(all_pages())
    # the same walk as an administrator does find edit controls (so the check above can fail)
    at = open_page("visits", "en", query={"id": str(list_records("visits", page_size=1).rows[0]["id"])})
    assert any(b.key.endswith("-save") for b in at.button)


def test_leadership_cannot_write_by_any_route(engine, admin, leader):
    from datetime import date

    from crm.accounts import settings
    from crm.accounts.users import set_password
    from crm.records import audit
    from crm.store import writes

    cid = writes.create(admin, "cities", {"name_en": "Prague", "country_code": "CZ"})
    vid = writes.create(admin, "visits", {"title_en": "Visit", "start_on": date(2020, 3, 1), "status": "planned"})
    entry = audit.query(kind="cities", record_id=cid).rows[0]["id"]
    routes = [
        lambda: writes.create(leader, "cities", {"name_en": "Riga", "country_code": "LV"}),
        lambda: writes.update(leader, "cities", cid, {"name_en": "X"}, 1),
        lambda: writes.change_status(leader, "visits", vid, "cancelled", 1, reason="r"),
        lambda: writes.delete(leader, "cities", cid, 1),
        lambda: writes.restore(leader, "cities", cid, 1),
        lambda: writes.revert(leader, entry, 1),
        lambda: writes.set_setting(leader, "home_city_id", str(cid)),
        lambda: settings.save(leader, settings.ORGANISATION_EN, "x"),
        lambda: audit.undo(leader, entry, 1),
        lambda: add_user(leader, "x", "admin", "brass compass winter 42"),
        lambda: set_role(leader, leader.id, "admin"),
        lambda: set_password(leader, admin.id, "taken over!"),
    ]
    with Session(engine) as s:
        before = s.exec(select(m.AuditEntry.id)).all()
    for route in routes:
        with pytest.raises(PermissionDenied):
            route()
    with Session(engine) as s:
        assert s.exec(select(m.AuditEntry.id)).all() == before


SSO_SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                        "client_id": "liaison", "client_secret": "s",
                        "server_metadata_url": "https://idp.example.gov.tw/.well-known/openid-configuration"}}


def _sso_app(user: dict):
    from streamlit.testing.v1 import AppTest

    from tests.support.apptest import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.secrets = SSO_SECRETS
    at.user = user
    return at


def test_sso_sign_in_in_the_app_maps_to_the_liaison_role(engine, admin):
    from crm.accounts.users import set_password

    set_password(admin, admin.id, "granite tea kettle 58")
    add_user(admin, "lin@example.gov.tw", "leadership")
    at = _sso_app({"is_logged_in": False})
    at.run()
    assert errors(at) == []
    assert at.title[0].value == "Sign in to Liaison"
    assert any(b.label == "Sign in with the office account" for b in at.button)
    at = _sso_app({"is_logged_in": True, **CLAIMS})
    at.run()
    assert errors(at) == []
    from crm.accounts import sessions

    found = sessions.resolve(_redeem(at))
    assert (found.actor.username, found.actor.role, found.via) == ("lin@example.gov.tw", "leadership", "sso")
    stranger = _sso_app({"is_logged_in": True, "iss": "i", "sub": "zz", "email": "who@example.com"})
    stranger.run()
    assert stranger.title[0].value == "Sign in to Liaison"
    assert "who@example.com has no Liaison account" in _texts(stranger)
