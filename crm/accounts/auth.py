"""Signing in: local passwords with lock-out, idle time-out, first administrator, single sign-on mapping.

Modes (see docs/deployment.md):
- `LIAISON_USER` set: local single-user mode, the app acts as that account without log-in
  (a workstation, the demo, tests). Never set it on a shared server.
- otherwise: log-in required. While no account can sign in (a fresh install), the log-in screen
  offers to create the first administrator — a new account, and only with the setup code the
  server printed to its log (crm.accounts.setup); `python -m crm users add` does the same on the
  command line.
- Streamlit OIDC configured (`[auth]` in secrets): the provider signs users in and
  `sso_actor()` maps them to Liaison's own accounts (subject, else a verified e-mail equal to
  the user name); the role always comes from Liaison's table.

A sign-in becomes a server-side session (crm.accounts.sessions: a cookie holding a random token,
the database its hash); the role is read from the database on every rerun (`current_actor`), so a
role change or a disabled account takes effect at once and nothing in the browser grants rights.
"""

import os
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from crm import models as m
from crm.accounts.events import log_account_event
from crm.accounts.users import actor_for, add_user, check_password, get_user, hash_password, verify_password
from crm.errors import LiaisonError, PermissionDenied
from crm.store.cache import cached
from crm.store.writes import SYSTEM_ACTOR, Actor, unit

FREE_FAILURES = 3  # failed attempts before the first lock-out
BASE_DELAY = 30  # seconds of the first lock-out; doubles with each further failure
MAX_DELAY = 3600
WINDOW = timedelta(minutes=15)  # failures counted for unknown user names
_DUMMY_HASH = hash_password("not-a-real-password")


class LoginRefused(LiaisonError):
    """Wrong name or password (the same message for both, so names cannot be probed)."""


class LockedOut(LiaisonError):
    """Too many failed attempts: try again after `seconds`."""


def local_mode_user() -> str | None:
    """The account the app acts as without log-in (`LIAISON_USER`), or None when log-in is required."""
    return os.environ.get("LIAISON_USER", "").strip() or None


def lock_delay(failures: int) -> int:
    """Seconds an account stays locked after `failures` consecutive failed log-ins."""
    if failures < FREE_FAILURES:
        return 0
    return min(BASE_DELAY * 2 ** (failures - FREE_FAILURES), MAX_DELAY)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def needs_first_admin(*, session: Session | None = None) -> bool:
    """True while no account can sign in (none active with a password or an SSO binding)."""
    with unit(session) as s:
        count = s.scalar(select(func.count()).select_from(m.User).where(
            col(m.User.active).is_(True), (col(m.User.password_hash) != "") | col(m.User.sso_subject).is_not(None)))
        return not count


def create_first_admin(username: str, password: str, code: str, *, session: Session | None = None) -> Actor:
    """Create the first administrator: a new account (an existing one, such as the password-less "admin" of
    `crm init` or the demo, is never claimed), only while no account can sign in, only with a setup code."""
    from crm.accounts import setup

    with unit(session) as s:
        if not needs_first_admin(session=s):
            raise PermissionDenied("auth.first_admin_exists")
        if not setup.is_valid(code, session=s):
            log_account_event(s, "login_failed", (username or "?").strip(), None, "first admin: wrong setup code")
            s.commit()
            raise PermissionDenied("auth.bad_setup_code")
        check_password(password)
        username = (username or "").strip()
        add_user(SYSTEM_ACTOR, username, "admin", password, session=s)  # refuses a name that exists
        user = get_user(username, session=s)
        assert user is not None
        setup.use_all(session=s)
        log_account_event(s, "first_admin", username, user)
        return actor_for(user)


def authenticate(username: str, password: str, *, now: datetime | None = None) -> Actor:
    """Check a name and password; count failures, lock out with a growing delay, log every attempt."""
    now = _now(now)
    username = (username or "").strip()[:200]
    with unit(None) as s:
        user = get_user(username, session=s) if username else None
        if user is None or not user.active or not user.password_hash:
            verify_password(_DUMMY_HASH, password or "")  # same work as a real check
            failures = _recent_failures(s, username, now) + 1
            log_account_event(s, "login_failed", username or "?", user, "unknown or disabled account", now)
            s.commit()
            if lock_delay(failures):
                raise LockedOut("auth.locked", seconds=lock_delay(failures))
            raise LoginRefused("auth.bad_credentials")
        locked_until = _aware(user.locked_until)
        if locked_until and locked_until > now:
            log_account_event(s, "login_failed", username, user, "locked", now)
            s.commit()
            raise LockedOut("auth.locked", seconds=int((locked_until - now).total_seconds()) + 1)
        if not verify_password(user.password_hash, password or ""):
            user.failed_logins += 1
            delay = lock_delay(user.failed_logins)
            user.locked_until = now + timedelta(seconds=delay) if delay else None
            s.add(user)
            log_account_event(s, "login_failed", username, user, f"failure {user.failed_logins}", now)
            s.commit()
            if delay:
                raise LockedOut("auth.locked", seconds=delay)
            raise LoginRefused("auth.bad_credentials")
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
        s.add(user)
        log_account_event(s, "login", username, user, "password", now)
        return actor_for(user)


def _recent_failures(s: Session, username: str, now: datetime) -> int:
    """Failed attempts for a name with no usable account, in the last WINDOW (slows down guessing)."""
    return s.execute(select(func.count()).select_from(m.AuditEntry).where(
        col(m.AuditEntry.kind) == "users", col(m.AuditEntry.action) == "login_failed",
        col(m.AuditEntry.username) == username[:64], col(m.AuditEntry.at) >= now - WINDOW)).one()[0]


def current_actor(username: str | None, *, session: Session | None = None) -> Actor | None:
    """The signed-in account as it is now in the database (None if gone or disabled).

    Kept per data version (crm.store.cache): every account change, log-in and log-out is an audited write,
    so a role change or a disabled account applies from the next click (within a second of a write
    made on another app server)."""
    if not username:
        return None
    if session is None:
        return _current_actor(username)
    return _current_actor.uncached(username, session=session)


@cached
def _current_actor(username: str, *, session: Session | None = None) -> Actor | None:
    with unit(session) as s:
        user = get_user(username, session=s)
        if user is None or not user.active:
            return None
        return actor_for(user)


def log_out(actor: Actor, reason: str = "") -> None:
    with unit(None) as s:
        log_account_event(s, "logout", actor.username, s.get(m.User, actor.id) if actor.id else None, reason)


def sso_default_role() -> str | None:
    """Role given to an unknown SSO user (`LIAISON_SSO_DEFAULT_ROLE`), or None to refuse them."""
    role = os.environ.get("LIAISON_SSO_DEFAULT_ROLE", "").strip()
    return role if role in ("staff", "leadership") else None


def sso_actor(claims: dict, *, session: Session | None = None) -> Actor:
    """Map an identity provider's claims (`st.user`) to a Liaison account and its role.

    Matched by `sso_subject` (issuer|subject), else by a verified e-mail equal to a user name
    (the subject is then bound to that account); unknown people are refused unless
    `LIAISON_SSO_DEFAULT_ROLE` names a read or staff role. Disabled accounts are refused.
    """
    subject = str(claims.get("sub") or "").strip()
    if not subject:
        raise PermissionDenied("auth.sso_no_subject")
    key = f"{claims.get('iss') or ''}|{subject}"[:255]
    email = str(claims.get("email") or "").strip().lower()
    verified = claims.get("email_verified", True) not in (False, "false", "False", 0)
    with unit(session) as s:
        user = s.exec(select(m.User).where(col(m.User.sso_subject) == key)).scalars().first()
        if user is None and email and verified:
            user = s.exec(select(m.User).where(func.lower(m.User.username) == email)).scalars().first()
            if user is not None and user.sso_subject and user.sso_subject != key:
                user = None  # bound to another identity: never re-bind silently
        if user is None:
            role = sso_default_role()
            if role is None or not email or not verified:
                log_account_event(s, "login_failed", email or subject, None, "sso: no account")
                s.commit()
                raise PermissionDenied("auth.sso_unknown", user=email or subject)
            add_user(SYSTEM_ACTOR, email, role, display_name=str(claims.get("name") or email), session=s)
            user = get_user(email, session=s)
        if not user.active:
            log_account_event(s, "login_failed", user.username, user, "sso: disabled")
            s.commit()
            raise PermissionDenied("auth.disabled")
        user.sso_subject = key
        user.last_login_at = datetime.now(UTC)
        s.add(user)
        log_account_event(s, "login", user.username, user, "sso")
        return actor_for(user)
