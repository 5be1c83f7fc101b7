"""User accounts and the acting user. Passwords are hashed with argon2 under the rules of crm.accounts.passwords."""

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from crm import config
from crm import models as m
from crm.accounts import passwords, throttle
from crm.accounts.events import log_account_event
from crm.accounts.passwords import hash_password
from crm.accounts.sessions import end_for_user
from crm.errors import NotFound, ValidationFailed
from crm.models.kinds import ROLES
from crm.store.cache import cached
from crm.store.writes import SYSTEM_ACTOR, Actor, require_admin, unit


def actor_for(user: m.User) -> Actor:
    return Actor(username=user.username, role=user.role, id=user.id)


def get_user(username: str, *, session: Session | None = None) -> m.User | None:
    with unit(session) as s:
        return s.exec(select(m.User).where(col(m.User.username) == username)).scalars().first()


def count_users(*, session: Session | None = None) -> int:
    with unit(session) as s:
        return s.exec(select(func.count()).select_from(m.User)).one()[0]


def add_user(actor: Actor, username: str, role: str, password: str = "", display_name: str = "",
             *, session: Session | None = None) -> int:
    """Create an account (admin only); audited. Returns the new user's id."""
    require_admin(actor)
    errors: dict = {}
    username = (username or "").strip()
    if not username or len(username) > 64 or not username.isprintable() or any(c.isspace() for c in username):
        errors["username"] = ("err.invalid", {"detail": "username"})
    if role not in ROLES:
        errors["role"] = ("err.unknown_choice", {"value": str(role)[:50]})
    if password:
        try:
            check_password(password, username, others=(display_name,))
        except ValidationFailed as exc:
            errors.update(exc.errors)
    with unit(session) as s:
        if not errors and get_user(username, session=s) is not None:
            errors["username"] = ("err.user_exists", {"user": username})
        if errors:
            raise ValidationFailed(errors)
        user = m.User(username=username, role=role, display_name=display_name or username,
                      password_hash=hash_password(password) if password else "")
        s.add(user)
        s.flush()
        assert user.id is not None  # given by the flush
        s.add(m.AuditEntry(user_id=actor.id, username=actor.username, action="create", kind="users",
                           record_id=user.id, after={"username": username, "role": role}))
        return user.id


def ensure_local_user(*, session: Session | None = None) -> Actor:
    """The configured local user (`LIAISON_USER`, default admin), created as admin on first run."""
    name = config.local_username()
    try:
        with unit(session) as s:
            user = get_user(name, session=s)
            if user is None:
                add_user(SYSTEM_ACTOR, name, "admin", session=s)
                user = get_user(name, session=s)
                assert user is not None  # just added
            return actor_for(user)
    except IntegrityError:
        if session is not None:
            raise
        # another app server created it at the same moment: use theirs
        user = get_user(name)
        assert user is not None  # the IntegrityError says it exists
        return actor_for(user)


@cached  # per data version: a new password is an audited write
def has_password(username: str, *, session: Session | None = None) -> bool:
    """True when the account signs in with a password of its own (not only through single sign-on)."""
    with unit(session) as s:
        user = get_user(username, session=s)
        return bool(user is not None and user.password_hash)


def actor_by_name(username: str, *, session: Session | None = None) -> Actor:
    with unit(session) as s:
        user = get_user(username, session=s)
        if user is None or not user.active:
            raise NotFound("err.unknown_user", user=username)
        return actor_for(user)


def list_users(actor: Actor, *, session: Session | None = None) -> list[dict]:
    """Every account (admin only), with its failed sign-ins in a row and the end of a lock-out in force (read
    fresh: failed attempts are counted without a new audit entry)."""
    rows = _accounts(actor, session=session) if session is None else _accounts.uncached(actor, session=session)
    with unit(session) as s:
        locks = throttle.state(s, [r["username"] for r in rows], datetime.now(UTC))
    return [{**r, "failed_logins": locks.get(r["username"], (0, None))[0],
             "locked_until": locks.get(r["username"], (0, None))[1]} for r in rows]


@cached  # plain data, re-read after any write (every account change and log-in is audited)
def _accounts(actor: Actor, *, session: Session | None = None) -> list[dict]:
    require_admin(actor)
    with unit(session) as s:
        rows = s.exec(select(m.User).order_by(m.User.username)).scalars().all()
        return [{"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
                 "active": u.active, "last_login_at": u.last_login_at, "has_password": bool(u.password_hash),
                 "sso_subject": u.sso_subject}
                for u in rows]


def _change(actor: Actor, user_id: int, apply, summary: str, *, session: Session | None = None) -> None:
    """Apply `apply(user)` to one account (admin only) and audit the change before/after."""
    require_admin(actor)
    with unit(session) as s:
        user = s.get(m.User, user_id)
        if user is None:
            raise NotFound("err.not_found", kind="page.users", id=user_id)
        before = _public(user)
        apply(user)
        s.add(user)
        s.flush()
        _guard_last_admin(s, user)
        s.add(m.AuditEntry(user_id=actor.id, username=actor.username, action="update", kind="users",
                           record_id=user.id, before=before, after=_public(user), summary=summary))


def _public(user: m.User) -> dict:
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "active": user.active, "has_password": bool(user.password_hash), "sso_subject": user.sso_subject}


def _guard_last_admin(s: Session, changed: m.User) -> None:
    """Refuse a change that would leave no active administrator."""
    admins = s.execute(select(func.count()).select_from(m.User).where(col(m.User.role) == "admin",
                                                                      col(m.User.active).is_(True))).one()[0]
    if admins == 0:
        raise ValidationFailed({"role": ("users.err_last_admin", {"user": changed.username})})


def set_role(actor: Actor, user_id: int, role: str, *, session: Session | None = None) -> None:
    if role not in ROLES:
        raise ValidationFailed({"role": ("err.unknown_choice", {"value": str(role)[:50]})})
    _change(actor, user_id, lambda u: setattr(u, "role", role), f"role {role}", session=session)


def set_active(actor: Actor, user_id: int, active: bool, *, session: Session | None = None) -> None:
    if not active and user_id == actor.id:
        raise ValidationFailed({"active": ("users.err_self_disable", {})})
    with unit(session) as s:
        _change(actor, user_id, lambda u: setattr(u, "active", bool(active)), "enabled" if active else "disabled",
                session=s)
        if not active:
            end_for_user(user_id, "disabled", session=s)


def set_password(actor: Actor, user_id: int, password: str, *, session: Session | None = None) -> None:
    """Reset an account's password (admin), which also lifts a lock-out and ends every session of the account."""
    require_admin(actor)
    with unit(session) as s:
        user = s.get(m.User, user_id)
        name, display = (user.username, user.display_name) if user is not None else ("", "")
    check_password(password, name, others=(display,))
    hashed = hash_password(password)  # outside the write: a check takes a moment

    def apply(user: m.User) -> None:
        user.password_hash = hashed

    with unit(session) as s:
        _change(actor, user_id, apply, "password reset", session=s)
        throttle.clear(s, name)
        end_for_user(user_id, "password", session=s)


def set_own_password(user_id: int, password: str, *, keep_session_id: int | None = None,
                     now: datetime | None = None) -> Actor:
    """The account's owner set a new password (its current one checked by crm.accounts.auth.change_own_password):
    audited as theirs; every other session of the account ends, `keep_session_id` (this browser's) stays."""
    with unit(None) as s:
        user = s.get(m.User, user_id)
        if user is None or not user.active:
            raise NotFound("err.unknown_user", user=str(user_id))
        name, display = user.username, user.display_name
    check_password(password, name, others=(display,))
    hashed = hash_password(password)
    with unit(None) as s:
        user = s.get(m.User, user_id)
        assert user is not None
        user.password_hash = hashed
        s.add(user)
        throttle.clear(s, name)
        ended = end_for_user(user_id, "password", keep=keep_session_id, now=now, session=s)
        log_account_event(s, "password_changed", name, user, f"by the user; {ended} other sessions ended", now)
        return actor_for(user)


def set_display_name(actor: Actor, user_id: int, display_name: str, *, session: Session | None = None) -> None:
    from crm.text import clean

    name = clean(display_name)
    if len(name) > 200:
        raise ValidationFailed({"display_name": ("err.too_long", {"max": 200})})
    _change(actor, user_id, lambda u: setattr(u, "display_name", name), "display name", session=session)


def set_sso_subject(actor: Actor, user_id: int, subject: str | None, *, session: Session | None = None) -> None:
    value = (subject or "").strip()[:255] or None
    _change(actor, user_id, lambda u: setattr(u, "sso_subject", value), "sso subject", session=session)


EMAIL = __import__("re").compile(r"[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s.]{1,63}")


def set_own_email(actor: Actor, email: str, *, session: Session | None = None) -> str:
    """The acting user's own address for reminders ("" for none); audited. Returns the address as stored."""
    from crm.text import clean

    value = clean(email or "").strip()
    if value and (len(value) > 254 or not EMAIL.fullmatch(value)):
        raise ValidationFailed({"email": ("err.invalid_email", {"value": value[:50]})})
    with unit(session) as s:
        user = s.get(m.User, actor.id) if actor.id is not None else None
        if user is None or not user.active:
            raise NotFound("err.unknown_user", user=actor.username)
        before = {"email": user.email}
        user.email = value
        s.add(user)
        s.add(m.AuditEntry(user_id=user.id, username=user.username, action="update", kind="users", record_id=user.id,
                           before=before, after={"email": value}, summary="e-mail address"))
    return value


def unlock(actor: Actor, user_id: int, *, session: Session | None = None) -> None:
    """Lift an account's lock-out and forget its failed sign-ins (admin); audited."""
    with unit(session) as s:
        _change(actor, user_id, lambda u: None, "unlocked", session=s)
        user = s.get(m.User, user_id)
        assert user is not None  # _change found it
        throttle.clear(s, user.username)


def check_password(password: str, username: str = "", *, others: tuple[str, ...] = ()) -> None:
    """Refuse a password that breaks the rules (crm.accounts.passwords), naming the reason."""
    passwords.check(password, username, others=others)
