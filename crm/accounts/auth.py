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
from datetime import UTC, datetime
from typing import NoReturn

from sqlalchemy import func, select
from sqlmodel import Session, col

from crm import models as m
from crm.accounts import passwords, throttle
from crm.accounts.events import log_account_event
from crm.accounts.throttle import ADDRESS_FREE_FAILURES, BASE_DELAY, FREE_FAILURES, MAX_DELAY, lock_delay
from crm.accounts.users import actor_for, add_user, check_password, get_user, set_own_password
from crm.errors import LiaisonError, PermissionDenied, ValidationFailed
from crm.store.cache import cached
from crm.store.writes import SYSTEM_ACTOR, Actor, unit

__all__ = ["ADDRESS_FREE_FAILURES", "BASE_DELAY", "FREE_FAILURES", "MAX_DELAY", "Busy", "LockedOut", "LoginRefused",
           "authenticate", "change_own_password", "check_credentials", "lock_delay"]
Busy = passwords.Busy  # every hashing slot taken: "busy, try again in a moment"


class LoginRefused(LiaisonError):
    """Wrong name or password (the same message for both, so names cannot be probed)."""


class LockedOut(LiaisonError):
    """Too many failed attempts (of the name or from the client address): try again after `seconds`."""


def local_mode_user() -> str | None:
    """The account the app acts as without log-in (`LIAISON_USER`), or None when log-in is required."""
    return os.environ.get("LIAISON_USER", "").strip() or None


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


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
            typed = (username or "").strip()[:200]
            log_account_event(s, "login_failed", throttle.log_name(typed, get_user(typed, session=s)), None,
                              "first admin: wrong setup code")
            s.commit()
            raise PermissionDenied("auth.bad_setup_code")
        username = (username or "").strip()
        check_password(password, username)
        add_user(SYSTEM_ACTOR, username, "admin", password, session=s)  # refuses a name that exists
        user = get_user(username, session=s)
        assert user is not None
        setup.use_all(session=s)
        log_account_event(s, "first_admin", username, user)
        return actor_for(user)


def authenticate(username: str, password: str, *, ip: str = "", now: datetime | None = None) -> Actor:
    """Sign in with a name and password from client address `ip` (crm.accounts.throttle has the lock-out rules)."""
    now = _now(now)
    username = (username or "").strip()[:200]
    user_id = _check(username, password or "", ip, now)
    fresh = None
    with unit(None) as s:
        user = s.get(m.User, user_id)
        assert user is not None  # just checked
        stored = user.password_hash
    if passwords.needs_rehash(stored):  # made with older argon2 parameters: bring it up to today's (same cost)
        fresh = passwords.hash_password(password)
    with unit(None) as s:
        user = s.get(m.User, user_id)
        assert user is not None
        user.last_login_at = now
        if fresh is not None and user.password_hash == stored:
            user.password_hash = fresh
        s.add(user)
        log_account_event(s, "login", username, user, "password", now)
        return actor_for(user)


def check_credentials(username: str, password: str, *, ip: str = "", now: datetime | None = None) -> Actor:
    """Whether a name and password are right, under the same lock-out, without signing in (the sign-in screen
    asks for a new password first when the right one no longer meets the rules)."""
    user_id = _check((username or "").strip()[:200], password or "", ip, _now(now))
    with unit(None) as s:
        user = s.get(m.User, user_id)
        assert user is not None  # just checked
        return actor_for(user)


def _check(username: str, password: str, ip: str, now: datetime) -> int:
    """The id of the account that `username` and `password` open; else `LoginRefused` or `LockedOut`, with the
    same answer, the same countdown and the same work whether the name is an account's or not:
    1. a locked name or address is refused before any hashing (and the attempt only counted in the audit log);
    2. in a hashing slot (`passwords.Busy` when none frees up), the attempt is claimed as a failure, then one
       argon2 check runs: the account's hash, or a dummy of the same cost for a name without a usable password;
    3. success clears the name's count; a failure also counts against the address and in the audit log."""
    keys = [throttle.name_key(username)] + ([throttle.address_key(ip)] if ip else [])
    with unit(None) as s:
        wait = throttle.locked_for(s, keys, now)
    if wait:
        _refuse_locked(username, ip, now, wait)
    with passwords.hashing_slot():
        with unit(None) as s:
            failures = throttle.claim(s, keys[0], now)
        if failures is None:  # a parallel attempt locked it meanwhile
            with unit(None) as s:
                wait = throttle.locked_for(s, keys, now)
            _refuse_locked(username, ip, now, max(wait, 1))
        user = get_user(username) if username else None
        usable = user is not None and user.active and bool(user.password_hash)
        ok = passwords.verify_password(user.password_hash if user is not None and usable else passwords.DUMMY_HASH,
                                       password)
    if user is not None and usable and ok:
        assert user.id is not None
        with unit(None) as s:
            throttle.clear(s, username)
        return user.id
    with unit(None) as s:
        address_wait = throttle.fail_address(s, ip, now) if ip else 0
        throttle.note_failure(s, username, user, ip, now, locked=False)
    delay = max(lock_delay(failures or 0), address_wait)
    if delay:
        raise LockedOut("auth.locked", seconds=delay)
    raise LoginRefused("auth.bad_credentials")


def _refuse_locked(username: str, ip: str, now: datetime, wait: int) -> NoReturn:
    user = get_user(username) if username else None  # read apart: the write below opens its own transaction
    with unit(None) as s:
        throttle.note_failure(s, username, user, ip, now, locked=True)
    raise LockedOut("auth.locked", seconds=wait)


def change_own_password(username: str, current: str, new: str, *, ip: str = "", keep_session_id: int | None = None,
                        now: datetime | None = None) -> Actor:
    """A user changes their own password with the current one (the same lock-out as signing in); every other
    session of the account ends, the one `keep_session_id` names (this browser's) stays."""
    now = _now(now)
    username = (username or "").strip()[:200]
    if new and new == current:
        raise ValidationFailed({"password": ("auth.pw_same", {})})
    check_password(new, username)  # the same for every name before the current password is checked
    user_id = _check(username, current or "", ip, now)
    return set_own_password(user_id, new, keep_session_id=keep_session_id, now=now)


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
