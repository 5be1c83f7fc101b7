"""Server-side sessions (crm.accounts.sessions) and their cookie routes (crm.accounts.routes), on SQLite and
PostgreSQL: token hashing, one-time tickets bound to the browser, idle and absolute expiry, revocation."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from sqlmodel import Session

from crm import models as m
from crm.accounts import sessions
from crm.accounts.users import add_user, set_active, set_password
from crm.errors import PermissionDenied
from tests.support import routes

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _limits(monkeypatch):
    monkeypatch.setenv("LIAISON_IDLE_MINUTES", "30")
    monkeypatch.setenv("LIAISON_SESSION_HOURS", "12")


def _rows(engine) -> list[m.WebSession]:
    with Session(engine) as s:
        return list(s.scalars(select(m.WebSession).order_by(m.WebSession.id)))


def test_only_the_hash_of_a_token_is_stored(engine, admin):
    token = sessions.start(admin, now=T0)
    (row,) = _rows(engine)
    assert len(token) >= 40 and token not in (row.token_hash, row.browser_binding)
    assert row.token_hash == sessions.token_hash(token) and len(row.token_hash) == 64
    assert sessions.resolve(token, now=T0).actor.username == "admin"
    assert sessions.resolve(row.token_hash, now=T0).reason == "unknown"  # a stolen table signs no one in


def test_a_ticket_is_used_once_in_time_by_its_browser_and_becomes_a_new_token(engine, admin):
    ticket = sessions.issue_ticket(admin, browser="xsrf-of-this-browser", now=T0)
    assert sessions.resolve(ticket, now=T0).reason == "pending"  # a ticket is not a session
    assert sessions.redeem_ticket(ticket, browser="another browser", now=T0) is None
    assert sessions.redeem_ticket(ticket, browser=None, now=T0) is None
    token = sessions.redeem_ticket(ticket, browser="xsrf-of-this-browser", now=T0 + timedelta(seconds=5))
    assert token and token != ticket
    assert sessions.redeem_ticket(ticket, browser="xsrf-of-this-browser", now=T0) is None  # used up
    assert sessions.resolve(ticket, now=T0).reason == "unknown"
    late = sessions.issue_ticket(admin, now=T0)
    assert sessions.redeem_ticket(late, now=T0 + timedelta(seconds=sessions.TICKET_SECONDS + 1)) is None


def test_idle_and_absolute_lifetime_are_enforced_from_the_database(engine, admin):
    token = sessions.start(admin, now=T0)
    assert sessions.resolve(token, now=T0 + timedelta(minutes=29)).actor is not None  # touches last seen
    assert sessions.resolve(token, now=T0 + timedelta(minutes=58)).actor is not None
    gone = sessions.resolve(token, now=T0 + timedelta(minutes=89))
    assert (gone.actor, gone.reason) == (None, "idle")
    assert sessions.resolve(token, now=T0 + timedelta(minutes=90)).reason == "idle"  # stays ended
    busy = sessions.start(admin, now=T0)
    for minutes in range(0, 12 * 60, 20):
        assert sessions.resolve(busy, now=T0 + timedelta(minutes=minutes)).actor is not None
    assert sessions.resolve(busy, now=T0 + timedelta(hours=12, minutes=1)).reason == "expired"


def test_the_sweep_ends_abandoned_sessions_without_a_click(engine, admin):
    abandoned = sessions.start(admin, now=T0)
    sessions.issue_ticket(admin, now=T0)  # never redeemed
    sessions.issue_ticket(admin, now=T0 + timedelta(hours=2))  # the next sign-in sweeps
    rows = _rows(engine)
    assert [(r.pending, r.end_reason) for r in rows] == [(False, "idle"), (True, "")]
    assert sessions.resolve(abandoned, now=T0 + timedelta(hours=2)).reason == "idle"


def test_sign_out_disable_and_new_password_end_sessions(engine, admin):
    add_user(admin, "clerk", "staff", "orchid ferry seven 1976")
    clerk = sessions.resolve(sessions.start(_actor("clerk"))).actor
    mine, other_tab, second = (sessions.start(clerk) for _ in range(3))
    assert sessions.end(mine) and not sessions.end(mine)
    assert sessions.resolve(mine).reason == "signed_out"
    assert sessions.resolve(other_tab).actor is not None  # signing out one browser leaves the others
    set_password(admin, clerk.id, "fresh willow station 64")
    assert sessions.resolve(other_tab).reason == "password" and sessions.resolve(second).reason == "password"
    again = sessions.start(clerk)
    set_active(admin, clerk.id, False)
    assert sessions.resolve(again).reason == "disabled"
    set_active(admin, clerk.id, True)
    assert sessions.resolve(again).actor is None  # enabling does not revive an ended session


def test_an_administrator_sees_and_revokes_sessions(engine, admin, staff, leader):
    token = sessions.start(staff, user_agent="Chromium", ip="10.0.0.7")
    listed = sessions.sessions_of(admin, staff.id)
    assert [(s["open"], s["user_agent"], s["ip"]) for s in listed] == [(True, "Chromium", "10.0.0.7")]
    with pytest.raises(PermissionDenied):
        sessions.sessions_of(staff, staff.id)
    with pytest.raises(PermissionDenied):
        sessions.revoke(leader, listed[0]["id"])
    sessions.revoke(admin, listed[0]["id"])
    assert sessions.resolve(token).reason == "revoked"
    assert sessions.sessions_of(admin, staff.id)[0]["open"] is False
    with Session(engine) as s:
        entry = s.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "session_revoked")).one()
    assert entry.username == "admin" and "clerk" in entry.summary


def test_hostile_tokens_sign_no_one_in(engine, admin):
    for token in ("", "x", "x" * 201, "' OR 1=1 --", "\x00\x01", "令牌", sessions.token_hash("x")):
        assert sessions.resolve(token).actor is None
        assert sessions.redeem_ticket(token) is None


def _actor(name: str):
    from crm.accounts.users import actor_by_name

    return actor_by_name(name)


# ------------------------------------------------------------------ the cookie routes


def test_the_start_route_sets_an_httponly_lax_cookie_and_returns_to_the_page(engine, admin):
    ticket = sessions.issue_ticket(admin, browser="xsrf-1")
    answer = routes.get("/session/start?" + urlencode({"ticket": ticket, "next": "/visits?id=16&lang=en"}),
                        cookies={"_streamlit_xsrf": "xsrf-1"})
    assert answer.status == 303 and answer.header("location") == "/visits?id=16&lang=en"
    flags = answer.cookie_flags[sessions.COOKIE].lower()
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags and "secure" not in flags
    assert answer.header("referrer-policy") == "no-referrer" and answer.header("cache-control") == "no-store"
    assert sessions.resolve(answer.cookies[sessions.COOKIE]).actor.username == "admin"
    behind_https = routes.get("/session/start?" + urlencode({"ticket": sessions.issue_ticket(admin)}),
                              headers={"X-Forwarded-Proto": "https"})
    assert "secure" in behind_https.cookie_flags[sessions.COOKIE].lower()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x",
                                    "/ok\r\nSet-Cookie: a=b", ""])
def test_the_routes_only_return_to_this_server(engine, admin, target):
    answer = routes.get("/session/start?" + urlencode({"ticket": sessions.issue_ticket(admin), "next": target}))
    assert answer.status == 303 and answer.header("location") == "/"


def test_a_forged_or_stale_ticket_sets_no_cookie(engine, admin):
    bound = sessions.issue_ticket(admin, browser="victim-xsrf")
    forged = routes.get("/session/start?" + urlencode({"ticket": bound, "next": "/"}),
                        cookies={"_streamlit_xsrf": "attacker-xsrf"})  # a ticket sent to someone else
    assert forged.cookies == {} and forged.header("location") == "/?signin=expired"
    assert routes.get("/session/start?ticket=made-up").cookies == {}


def test_the_end_route_clears_only_an_ended_session(engine, admin):
    token = sessions.start(admin)
    forged = routes.get("/session/end?next=/", cookies={sessions.COOKIE: token})  # a link planted elsewhere
    assert forged.cookies == {} and sessions.resolve(token).actor is not None
    sessions.end(token)
    cleared = routes.get("/session/end?next=/%3Flang%3Den", cookies={sessions.COOKIE: token})
    assert cleared.cookies == {sessions.COOKIE: ""} and cleared.header("location") == "/?lang=en"
