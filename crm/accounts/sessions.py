"""Server-side sign-in sessions: a random token in an HttpOnly cookie, its SHA-256 in `websession`.

The life of a session:
1. The sign-in screen checks the password (crm.accounts.auth) and calls `issue_ticket`: a pending row whose
   token is a one-time ticket, valid for TICKET_SECONDS and bound to the browser it was shown to.
2. The browser opens `/session/start?ticket=…` (crm.accounts.routes); `redeem_ticket` turns the row active
   under a new token (so a ticket, or a cookie planted before sign-in, is never the session: no fixation),
   and the route sets it as the cookie.
3. Every script run calls `resolve(token)`: unknown, ended, idle or expired sessions and disabled accounts
   give no one, and the reason; `last_seen_at` moves on at most every TOUCH_SECONDS.
4. Sign-out, an administrator, disabling the account or a new password end it (`end`, `end_for_user`).

Only hashes are stored: a copy of the table signs no one in.
"""

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from crm import models as m
from crm.accounts.events import log_account_event
from crm.errors import NotFound
from crm.store.writes import Actor, require_admin, unit

COOKIE = "liaison_session"
START_PATH = "/session/start"  # the app's own routes that set and clear the cookie (crm.accounts.routes)
END_PATH = "/session/end"
TICKET_SECONDS = 120  # a sign-in ticket must be redeemed within this time
TOUCH_SECONDS = 30  # `last seen` is written at most this often per session
DEFAULT_IDLE_MINUTES = 30
DEFAULT_LIFETIME_HOURS = 12
ENDED_KEPT = timedelta(days=90)  # ended sessions stay listed this long, then go


@dataclass(frozen=True)
class Resolved:
    """What a token stands for now: the account, or None and why (missing, unknown, ended, idle, expired,
    disabled, pending)."""

    actor: Actor | None
    reason: str = ""
    session_id: int | None = None
    via: str = ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _binding(value: str | None) -> str:
    return token_hash("bind:" + value) if value else ""


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _minutes_setting(key: str, env: str, default: int) -> int:
    from crm.accounts import settings

    for text in (settings.get(key), os.environ.get(env, "")):
        if text.strip().isdigit():
            return int(text)
    return default


def idle_minutes() -> int:
    """Minutes without a click after which a session ends (setting, else `LIAISON_IDLE_MINUTES`; 0 = never)."""
    from crm.accounts.settings import IDLE_MINUTES

    return _minutes_setting(IDLE_MINUTES, "LIAISON_IDLE_MINUTES", DEFAULT_IDLE_MINUTES)


def lifetime_hours() -> int:
    """Hours after sign-in after which a session ends however busy (setting, else `LIAISON_SESSION_HOURS`)."""
    from crm.accounts.settings import SESSION_HOURS

    return max(1, _minutes_setting(SESSION_HOURS, "LIAISON_SESSION_HOURS", DEFAULT_LIFETIME_HOURS))


def issue_ticket(actor: Actor, via: str = "password", *, user_agent: str = "", ip: str = "",
                 browser: str | None = None, now: datetime | None = None, session: Session | None = None) -> str:
    """A one-time sign-in ticket for `actor` (redeemed at /session/start by the browser holding `browser`,
    its anti-forgery cookie, when given)."""
    if actor.id is None:
        raise NotFound("err.unknown_user", user=actor.username)
    now = _now(now)
    ticket = secrets.token_urlsafe(32)
    with unit(session) as s:
        _sweep(s, now)
        s.add(m.WebSession(token_hash=token_hash(ticket), user_id=actor.id, via=via, pending=True,
                           browser_binding=_binding(browser), created_at=now, last_seen_at=now,
                           expires_at=now + timedelta(seconds=TICKET_SECONDS), user_agent=user_agent[:300],
                           ip=ip[:64]))
    return ticket


def redeem_ticket(ticket: str, *, browser: str | None = None, user_agent: str = "", ip: str = "",
                  now: datetime | None = None, session: Session | None = None) -> str | None:
    """The session token for a valid, unused ticket (which is used up); None for anything else."""
    now = _now(now)
    if not ticket or len(ticket) > 200:
        return None
    with unit(session) as s:
        row = s.scalars(select(m.WebSession).where(col(m.WebSession.token_hash) == token_hash(ticket))).first()
        if row is None or not row.pending or row.ended_at is not None or _aware(row.expires_at) < now:
            return None
        if row.browser_binding and not hmac.compare_digest(row.browser_binding, _binding(browser)):
            return None
        user = s.get(m.User, row.user_id)
        if user is None or not user.active:
            return None
        token = secrets.token_urlsafe(32)
        row.token_hash, row.pending = token_hash(token), False
        row.created_at = row.last_seen_at = now
        row.expires_at = now + timedelta(hours=lifetime_hours())
        row.user_agent, row.ip = (user_agent or row.user_agent)[:300], (ip or row.ip)[:64]
        s.add(row)
        return token


def start(actor: Actor, via: str = "password", *, user_agent: str = "", ip: str = "",
          now: datetime | None = None, session: Session | None = None) -> str:
    """An active session straight away (the command line, tests, a load driver): its token."""
    now = _now(now)
    with unit(session) as s:
        ticket = issue_ticket(actor, via, user_agent=user_agent, ip=ip, now=now, session=s)
        token = redeem_ticket(ticket, user_agent=user_agent, ip=ip, now=now, session=s)
    assert token is not None  # just issued for an account that exists
    return token


_last_sweep = [0.0]  # when this process last ended lapsed sessions (monotonic seconds)
SWEEP_SECONDS = 60


def resolve(token: str | None, *, now: datetime | None = None, session: Session | None = None) -> Resolved:
    """Who `token` signs in now (and why not); ends a session found idle or expired, and once a minute
    every lapsed one (so an abandoned browser's session ends on the server, not on its next click)."""
    if not token:
        return Resolved(None, "missing")
    if len(token) > 200:
        return Resolved(None, "unknown")
    now = _now(now)
    with unit(session) as s:
        if time.monotonic() - _last_sweep[0] > SWEEP_SECONDS:
            _last_sweep[0] = time.monotonic()
            _sweep(s, now)
        row = s.scalars(select(m.WebSession).where(col(m.WebSession.token_hash) == token_hash(token))).first()
        if row is None:
            return Resolved(None, "unknown")
        if row.pending:
            return Resolved(None, "pending", row.id)
        if row.ended_at is not None:
            return Resolved(None, row.end_reason or "ended", row.id, row.via)
        reason = _lapsed(row, now)
        user = s.get(m.User, row.user_id)
        if reason is None and (user is None or not user.active):
            reason = "disabled"
        if reason is not None:
            row.ended_at, row.end_reason = now, reason
            s.add(row)
            return Resolved(None, reason, row.id, row.via)
        assert user is not None
        if (now - _aware(row.last_seen_at)).total_seconds() >= TOUCH_SECONDS:
            row.last_seen_at = now
            s.add(row)
        return Resolved(Actor(username=user.username, role=user.role, id=user.id), "", row.id, row.via)


def _lapsed(row: m.WebSession, now: datetime) -> str | None:
    if _aware(row.expires_at) <= now:
        return "expired"
    idle = idle_minutes()
    if idle and now - _aware(row.last_seen_at) > timedelta(minutes=idle):
        return "idle"
    return None


def end(token: str | None, reason: str = "signed_out", *, now: datetime | None = None,
        session: Session | None = None) -> bool:
    """End the session of `token` (sign-out); True when there was one to end."""
    if not token:
        return False
    with unit(session) as s:
        result = s.execute(update(m.WebSession).where(col(m.WebSession.token_hash) == token_hash(token),
                                                      col(m.WebSession.ended_at).is_(None))
                           .values(ended_at=_now(now), end_reason=reason))
        return bool(getattr(result, "rowcount", 0))


def end_for_user(user_id: int, reason: str, *, keep: int | None = None, now: datetime | None = None,
                 session: Session | None = None) -> int:
    """End every session of an account (disabled, new password) but `keep` (the browser that changed its own
    password); how many were open."""
    with unit(session) as s:
        open_ones = [col(m.WebSession.user_id) == user_id, col(m.WebSession.ended_at).is_(None)]
        if keep is not None:
            open_ones.append(col(m.WebSession.id) != keep)
        result = s.execute(update(m.WebSession).where(*open_ones).values(ended_at=_now(now), end_reason=reason))
        return int(getattr(result, "rowcount", 0) or 0)


def revoke(actor: Actor, session_id: int, *, now: datetime | None = None, session: Session | None = None) -> None:
    """An administrator ends one session (audited)."""
    require_admin(actor)
    now = _now(now)
    with unit(session) as s:
        row = s.get(m.WebSession, session_id)
        if row is None:
            raise NotFound("err.not_found", kind="users.sessions", id=session_id)
        if row.ended_at is None:
            row.ended_at, row.end_reason = now, "revoked"
            s.add(row)
        user = s.get(m.User, row.user_id)
        log_account_event(s, "session_revoked", actor.username, user,
                          f"session {session_id} of {user.username if user else row.user_id}", now)


def sessions_of(actor: Actor, user_id: int, *, now: datetime | None = None,
                session: Session | None = None) -> list[dict]:
    """An account's sessions, newest first, for the users page (admin only): open ones and recently ended."""
    require_admin(actor)
    now = _now(now)
    with unit(session) as s:
        rows = s.scalars(select(m.WebSession).where(col(m.WebSession.user_id) == user_id,
                                                    col(m.WebSession.pending).is_(False))
                         .order_by(col(m.WebSession.id).desc()).limit(50)).all()
        out = []
        for r in rows:
            lapsed = None if r.ended_at is not None else _lapsed(r, now)
            out.append({"id": r.id, "via": r.via, "created_at": r.created_at, "last_seen_at": r.last_seen_at,
                        "expires_at": r.expires_at, "ended_at": r.ended_at,
                        "end_reason": r.end_reason or (lapsed or ""), "open": r.ended_at is None and not lapsed,
                        "user_agent": r.user_agent, "ip": r.ip})
        return out


def open_count(*, now: datetime | None = None, session: Session | None = None) -> int:
    with unit(session) as s:
        return int(s.scalar(select(func.count()).select_from(m.WebSession).where(
            col(m.WebSession.ended_at).is_(None), col(m.WebSession.pending).is_(False),
            col(m.WebSession.expires_at) > _now(now))) or 0)


def _sweep(s: Session, now: datetime) -> None:
    """End sessions past their lifetime or idle limit, drop unredeemed tickets and long-ended rows (on sign-in,
    so the table never grows with abandoned browsers and the users page shows the truth without a click)."""
    s.execute(update(m.WebSession).where(col(m.WebSession.ended_at).is_(None), col(m.WebSession.pending).is_(False),
                                         col(m.WebSession.expires_at) <= now)
              .values(ended_at=now, end_reason="expired"))
    idle = idle_minutes()
    if idle:
        s.execute(update(m.WebSession).where(col(m.WebSession.ended_at).is_(None),
                                             col(m.WebSession.pending).is_(False),
                                             col(m.WebSession.last_seen_at) < now - timedelta(minutes=idle))
                  .values(ended_at=now, end_reason="idle"))
    from sqlalchemy import delete, or_

    s.execute(delete(m.WebSession).where(or_(
        (col(m.WebSession.pending).is_(True)) & (col(m.WebSession.expires_at) < now),
        col(m.WebSession.ended_at) < now - ENDED_KEPT)))


def log_refused(token: str, reason: str, *, user_agent: str = "", ip: str = "",
                session: Session | None = None) -> None:
    """Audit a cookie that signed no one in (tampered, ended, expired, foreign)."""
    with unit(session) as s:
        row = s.scalars(select(m.WebSession).where(col(m.WebSession.token_hash) == token_hash(token))).first()
        user = s.get(m.User, row.user_id) if row is not None else None
        log_account_event(s, "session_refused", user.username if user else "?", user,
                          f"{reason}; {ip} {user_agent}"[:500])
