"""The first-run setup code: whoever reaches a fresh server first must also hold the code the server printed.

While no account can sign in (`needs_first_admin`), each app server prints a code to its own log when it
starts, and `python -m crm init` prints one; the first-administrator form accepts nothing without a valid
one. A code is valid for CODE_HOURS, several may be valid at once (one per server), and creating the
administrator uses them all up. Only their hashes are stored.
"""

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlmodel import Session, col

from crm import models as m
from crm.store.writes import unit

CODE_HOURS = 24
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a log and typed by hand


def _hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", "ignore")).hexdigest()


def normalise(code: str) -> str:
    """The code as typed, without spaces, dashes and case: "abcd-efgh-jkmn" → "ABCDEFGHJKMN"."""
    return "".join(c for c in (code or "").upper() if c.isalnum())[:64]


def issue_code(*, now: datetime | None = None, session: Session | None = None) -> str:
    """A new setup code, shown as three groups of four ("K7QM-2XHD-9PWA")."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    with unit(session) as s:
        s.add(m.SetupCode(code_hash=_hash(raw), created_at=now or datetime.now(UTC)))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def is_valid(code: str, *, now: datetime | None = None, session: Session | None = None) -> bool:
    wanted = _hash(code)
    now = now or datetime.now(UTC)
    with unit(session) as s:
        rows = s.scalars(select(m.SetupCode).where(col(m.SetupCode.used_at).is_(None))).all()
        valid = [r for r in rows if _aware(r.created_at) > now - timedelta(hours=CODE_HOURS)]
        return bool(normalise(code)) and any(hmac.compare_digest(r.code_hash, wanted) for r in valid)


def use_all(*, now: datetime | None = None, session: Session | None = None) -> None:
    """The first administrator exists: no code is valid any more."""
    with unit(session) as s:
        s.execute(update(m.SetupCode).where(col(m.SetupCode.used_at).is_(None)).values(used_at=now or datetime.now(UTC)))


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
