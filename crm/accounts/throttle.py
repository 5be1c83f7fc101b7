"""Failed sign-ins and lock-outs, per user name and per client address, in one table (`loginthrottle`).

Every name — an account's or one that matches none — follows the same schedule from the same row, so the
answers, the countdowns and the work of an attempt never tell whether a name exists:
- a name: FREE_FAILURES failures in a row, then locked for BASE_DELAY seconds, doubling with each further
  failure up to MAX_DELAY; a sign-in (or an administrator's unlock or password reset) starts it afresh, and a
  name quiet for NAME_FORGET is forgotten;
- a client address: ADDRESS_FREE_FAILURES failures over any names, then the same doubling delays; forgotten
  after ADDRESS_FORGET without a failure (so one address cannot try a few passwords on every account).
An attempt while locked is refused before any password is checked and counts as no failure.

An attempt is claimed before its password is checked (`claim`: one statement that counts it and fails when the
name is locked), so attempts fired at once cannot all slip past the lock. The audit log gets one entry per name
per minute with the number of attempts (`note_failure`), never one per attempt; a name that matches no account is
logged as "unknown:" and a hash (the name field may hold a password).
"""

import hashlib
import math
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from crm import models as m

FREE_FAILURES = 3  # failed attempts of a name before its first lock-out
ADDRESS_FREE_FAILURES = 10  # of one client address, over all names
BASE_DELAY = 30  # seconds of the first lock-out; doubles with each further failure
MAX_DELAY = 3600
NAME_FORGET = timedelta(hours=24)  # a name's failures are forgotten after this long without one
ADDRESS_FORGET = timedelta(minutes=15)
SWEEP_SECONDS = 300
_T = m.LoginThrottle
_last_sweep = [0.0]


def name_key(username: str) -> str:
    return hashlib.sha256(f"name:{username}".encode()).hexdigest()


def address_key(address: str) -> str:
    return hashlib.sha256(f"address:{address}".encode()).hexdigest()


def log_name(username: str, user: m.User | None) -> str:
    """How a failed attempt's name appears in the audit log: an account's name, else "unknown:" and a hash."""
    if user is not None:
        return user.username
    return "unknown:" + hashlib.sha256(username.encode()).hexdigest()[:12]


def lock_delay(failures: int, free: int = FREE_FAILURES) -> int:
    """Seconds a name (or, with `free=ADDRESS_FREE_FAILURES`, an address) stays locked after `failures` in a row."""
    if failures < free:
        return 0
    return min(BASE_DELAY * 2 ** min(failures - free, 20), MAX_DELAY)


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _seconds(until: datetime | None, now: datetime) -> int:
    until = _aware(until)
    return math.ceil((until - now).total_seconds()) if until is not None and until > now else 0


def locked_for(s: Session, keys: list[str], now: datetime) -> int:
    """Seconds until every one of `keys` is free again (0: none is locked)."""
    rows = s.scalars(select(col(_T.locked_until)).where(col(_T.key).in_(keys))).all()
    return max((_seconds(until, now) for until in rows), default=0)


def _insert(s: Session):
    return (postgresql.insert if s.get_bind().dialect.name == "postgresql" else sqlite.insert)(_T)


def claim(s: Session, key: str, now: datetime) -> int | None:
    """Count an attempt of a name as a failure before its password is checked (undone by `clear` when it
    succeeds) and lock the name if that reaches the schedule; the failures so far, or None when it is locked."""
    forgotten = col(_T.last_failure_at) < now - NAME_FORGET
    stmt = _insert(s).values(key=key, scope="name", failures=1, last_failure_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={"failures": case((forgotten, 1), else_=col(_T.failures) + 1), "last_failure_at": now},
        where=col(_T.locked_until).is_(None) | (col(_T.locked_until) <= now)).returning(col(_T.failures))
    failures = s.execute(stmt).scalar()
    if failures is None:
        return None
    delay = lock_delay(failures)
    s.execute(update(_T).where(col(_T.key) == key).values(locked_until=now + timedelta(seconds=delay) if delay
                                                          else None))
    return failures


def fail_address(s: Session, address: str, now: datetime) -> int:
    """Count a failed attempt from a client address; seconds it is now locked for (0: not locked)."""
    key = address_key(address)
    forgotten = col(_T.last_failure_at) < now - ADDRESS_FORGET
    stmt = _insert(s).values(key=key, scope="address", failures=1, last_failure_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={"failures": case((forgotten, 1), else_=col(_T.failures) + 1), "last_failure_at": now},
    ).returning(col(_T.failures))
    failures = int(s.execute(stmt).scalar() or 0)
    delay = lock_delay(failures, ADDRESS_FREE_FAILURES)
    if delay:
        s.execute(update(_T).where(col(_T.key) == key).values(locked_until=now + timedelta(seconds=delay)))
    return delay


def clear(s: Session, username: str) -> None:
    """A name signed in, or an administrator unlocked it or set its password: its count starts afresh."""
    s.execute(delete(_T).where(col(_T.key) == name_key(username)))


def state(s: Session, usernames: list[str], now: datetime) -> dict[str, tuple[int, datetime | None]]:
    """Failures in a row and the end of a lock-out in force, per user name (for the users page)."""
    keys = {name_key(n): n for n in usernames}
    rows = s.execute(select(col(_T.key), col(_T.failures), col(_T.locked_until)).where(col(_T.key).in_(list(keys)))).all()
    out: dict[str, tuple[int, datetime | None]] = {}
    for key, failures, until in rows:
        out[keys[key]] = (failures, _aware(until) if _seconds(until, now) else None)
    return out


def note_failure(s: Session, username: str, user: m.User | None, address: str, now: datetime, *,
                 locked: bool) -> None:
    """Count a failed attempt of a name in the audit log: one entry per name per minute (its `after` holds the
    number of attempts, those made while locked, and the client addresses), updated rather than added to."""
    minute = now.replace(second=0, microsecond=0)
    # one statement that takes the name's row lock first: attempts of one name are counted one after the other
    stmt = _insert(s).values(key=name_key(username), scope="name", failures=0, last_failure_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"key": name_key(username)})
    stmt = stmt.returning(col(_T.audit_id), col(_T.audit_minute))
    audit_id, audit_minute = s.execute(stmt).one()
    entry = s.get(m.AuditEntry, audit_id) if audit_id and _aware(audit_minute) == minute else None
    if entry is None:
        entry = m.AuditEntry(user_id=user.id if user else None, username=log_name(username, user)[:64],
                             action="login_failed", kind="users", record_id=user.id if user else None, at=now,
                             after={"attempts": 0, "while_locked": 0, "addresses": []})
        s.add(entry)
        s.flush()
        s.execute(update(_T).where(col(_T.key) == name_key(username))
                  .values(audit_id=entry.id, audit_minute=minute))
    counts = dict(entry.after or {})
    counts["attempts"] = int(counts.get("attempts", 0)) + 1
    counts["while_locked"] = int(counts.get("while_locked", 0)) + (1 if locked else 0)
    seen = list(counts.get("addresses", []))
    if address and address not in seen and len(seen) < 10:
        seen.append(address)
    counts["addresses"] = seen
    entry.after = counts
    entry.summary = f"{counts['attempts']} failed attempts ({counts['while_locked']} while locked)"
    s.add(entry)
    _sweep(s, now)


def _sweep(s: Session, now: datetime) -> None:
    """Drop rows that are neither locked nor recent (every SWEEP_SECONDS per process)."""
    if time.monotonic() - _last_sweep[0] < SWEEP_SECONDS:
        return
    _last_sweep[0] = time.monotonic()
    unlocked = col(_T.locked_until).is_(None) | (col(_T.locked_until) < now)
    s.execute(delete(_T).where(unlocked, ((col(_T.scope) == "name") & (col(_T.last_failure_at) < now - NAME_FORGET))
                               | ((col(_T.scope) == "address") & (col(_T.last_failure_at) < now - ADDRESS_FORGET))))
