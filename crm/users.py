"""User accounts and the acting user. Passwords are hashed with argon2."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlmodel import Session

from crm import config
from crm import models as m
from crm.errors import NotFound, ValidationFailed
from crm.kinds import ROLES
from crm.writes import SYSTEM_ACTOR, Actor, _unit, require_admin

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
    with _unit(session) as s:
        return s.exec(select(m.User).where(m.User.username == username)).scalars().first()


def count_users(*, session: Session | None = None) -> int:
    with _unit(session) as s:
        return s.exec(select(func.count()).select_from(m.User)).one()[0]


def add_user(actor: Actor, username: str, role: str, password: str = "", display_name: str = "",
             *, session: Session | None = None) -> int:
    """Create an account (admin only); audited. Returns the new user's id."""
    require_admin(actor)
    errors: dict = {}
    username = (username or "").strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        errors["username"] = ("err.invalid", {"detail": "username"})
    if role not in ROLES:
        errors["role"] = ("err.unknown_choice", {"value": str(role)[:50]})
    if password and len(password) < MIN_PASSWORD:
        errors["password"] = ("err.password_short", {"min": MIN_PASSWORD})
    with _unit(session) as s:
        if not errors and get_user(username, session=s) is not None:
            errors["username"] = ("err.user_exists", {"user": username})
        if errors:
            raise ValidationFailed(errors)
        user = m.User(username=username, role=role, display_name=display_name or username,
                      password_hash=hash_password(password) if password else "")
        s.add(user)
        s.flush()
        s.add(m.AuditEntry(user_id=actor.id, username=actor.username, action="create", kind="users",
                           record_id=user.id, after={"username": username, "role": role}))
        return user.id


def ensure_local_user(*, session: Session | None = None) -> Actor:
    """The configured local user (`LIAISON_USER`, default admin), created as admin on first run."""
    name = config.local_username()
    with _unit(session) as s:
        user = get_user(name, session=s)
        if user is None:
            add_user(SYSTEM_ACTOR, name, "admin", session=s)
            user = get_user(name, session=s)
        return actor_for(user)


def actor_by_name(username: str, *, session: Session | None = None) -> Actor:
    with _unit(session) as s:
        user = get_user(username, session=s)
        if user is None or not user.active:
            raise NotFound("err.unknown_user", user=username)
        return actor_for(user)


def list_users(actor: Actor, *, session: Session | None = None) -> list[dict]:
    require_admin(actor)
    with _unit(session) as s:
        rows = s.exec(select(m.User).order_by(m.User.username)).scalars().all()
        return [{"id": u.id, "username": u.username, "display_name": u.display_name, "role": u.role,
                 "active": u.active, "last_login_at": u.last_login_at} for u in rows]
