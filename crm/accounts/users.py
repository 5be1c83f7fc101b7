"""User accounts and the acting user. Passwords are hashed with argon2."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from crm import config
from crm import models as m
from crm.accounts.sessions import end_for_user
from crm.errors import NotFound, ValidationFailed
from crm.models.kinds import ROLES
from crm.store.cache import cached
from crm.store.writes import SYSTEM_ACTOR, Actor, require_admin, unit

_hasher = PasswordHasher()
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return bool(password_hash) and _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


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
            check_password(password)
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


def actor_by_name(username: str, *, session: Session | None = None) -> Actor:
    with unit(session) as s:
        user = get_user(username, session=s)
        if user is None or not user.active:
            raise NotFound("err.unknown_user", user=username)
        return actor_for(user)


@cached  # plain data, re-read after any write (every account change and log-in is audited)
def list_users(actor: Actor, *, session: Session | None = None) -> list[dict]:
    require_admin(actor)
    with unit(session) as s:
        rows = s.exec(select(m.User).order_by(m.User.username)).scalars().all()
        return [{"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
                 "active": u.active, "last_login_at": u.last_login_at, "has_password": bool(u.password_hash),
                 "failed_logins": u.failed_logins, "locked_until": u.locked_until, "sso_subject": u.sso_subject}
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
    """Reset an account's password (admin), which also lifts a lock-out and ends the account's sessions."""
    check_password(password)

    def apply(user: m.User) -> None:
        user.password_hash = hash_password(password)
        user.failed_logins = 0
        user.locked_until = None

    with unit(session) as s:
        _change(actor, user_id, apply, "password reset", session=s)
        end_for_user(user_id, "password", session=s)


def set_display_name(actor: Actor, user_id: int, display_name: str, *, session: Session | None = None) -> None:
    from crm.text import clean

    name = clean(display_name)
    if len(name) > 200:
        raise ValidationFailed({"display_name": ("err.too_long", {"max": 200})})
    _change(actor, user_id, lambda u: setattr(u, "display_name", name), "display name", session=session)


def set_sso_subject(actor: Actor, user_id: int, subject: str | None, *, session: Session | None = None) -> None:
    value = (subject or "").strip()[:255] or None
    _change(actor, user_id, lambda u: setattr(u, "sso_subject", value), "sso subject", session=session)


def unlock(actor: Actor, user_id: int, *, session: Session | None = None) -> None:
    def apply(user: m.User) -> None:
        user.failed_logins = 0
        user.locked_until = None

    _change(actor, user_id, apply, "unlocked", session=session)


def check_password(password: str) -> None:
    """Refuse an empty, short or absurdly long password."""
    if not password or len(password) < MIN_PASSWORD:
        raise ValidationFailed({"password": ("err.password_short", {"min": MIN_PASSWORD})})
    if len(password) > 1024 or any(ord(c) < 32 for c in password):
        raise ValidationFailed({"password": ("err.invalid", {"detail": "password"})})
