"""Sign-in lock-out (crm.accounts.throttle, crm.accounts.auth.authenticate), on SQLite and PostgreSQL: known and
unknown names follow one schedule with the same answers, the same countdowns and the same work; a locked attempt
costs no hashing; hashing is capped process-wide; failures are aggregated in the audit log; a client address is
locked out too; a password typed into the name field never reaches the log."""

import hashlib
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from sqlmodel import Session

from crm import models as m
from crm.accounts import auth
from crm.accounts.users import add_user, get_user, list_users, unlock

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CLERK_PW = "lantern harbour quietly 47"


@pytest.fixture(autouse=True)
def _login_mode(monkeypatch):
    monkeypatch.delenv("LIAISON_USER", raising=False)


def _failed(engine) -> list[m.AuditEntry]:
    with Session(engine) as s:
        return list(s.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "login_failed")
                              .order_by(m.AuditEntry.id)))


def _answer(name: str, password: str, at: datetime, **kw) -> tuple[str, int | None]:
    """What a sign-in attempt answers: the kind of refusal and its countdown (the message is the same per kind)."""
    try:
        auth.authenticate(name, password, now=at, **kw)
    except auth.LockedOut as exc:
        return exc.message("en"), exc.params["seconds"]
    except auth.LoginRefused as exc:
        return exc.message("en"), None
    return "signed in", None


def test_known_and_unknown_names_get_the_same_answers_and_countdowns(engine, admin):
    add_user(admin, "clerk", "staff", CLERK_PW)
    # the same attempts at the same moments: failures, attempts while locked, after a lock ran out, much later
    moments = [T0, T0, T0, T0 + timedelta(seconds=5), T0 + timedelta(seconds=10), T0 + timedelta(seconds=31),
               T0 + timedelta(seconds=40), T0 + timedelta(seconds=92), T0 + timedelta(seconds=213)]
    known = [_answer("clerk", "wrong guess", at) for at in moments]
    unknown = [_answer("ghost", "wrong guess", at) for at in moments]
    assert known == unknown
    assert [seconds for _, seconds in known] == [None, None, 30, 25, 20, 60, 51, 120, 240]
    assert known[0][0] == "Wrong user name or password." and known[2][0].startswith("Too many failed attempts")
    # locked, even the right password is refused with the same countdown
    assert _answer("clerk", CLERK_PW, T0 + timedelta(seconds=214))[1] == 239
    assert auth.authenticate("clerk", CLERK_PW, now=T0 + timedelta(seconds=454)).username == "clerk"


def _ms(attempt) -> float:
    """Milliseconds one refused attempt takes."""
    start = time.perf_counter()
    with pytest.raises((auth.LoginRefused, auth.LockedOut)):
        attempt()
    return (time.perf_counter() - start) * 1000


def _alike(a: float, b: float) -> bool:
    """Two medians within a generous factor (shared, busy test machines), plus a few ms of slack."""
    return max(a, b) <= 3 * min(a, b) + 25


def test_a_known_and_an_unknown_name_take_alike_time_locked_or_not(engine, admin):
    pairs = [(f"clerk{i}", f"ghost{i}") for i in range(3)]
    for name, _ in pairs:
        add_user(admin, name, "staff", CLERK_PW)
    # not yet locked: both do one argon2 check (the account's, or a dummy of the same cost), in turns
    known, unknown = [], []
    for _ in range(auth.FREE_FAILURES - 1):
        for name, ghost in pairs:
            known.append(_ms(lambda n=name: auth.authenticate(n, "wrong guess", now=T0)))
            unknown.append(_ms(lambda g=ghost: auth.authenticate(g, "wrong guess", now=T0)))
    assert _alike(statistics.median(known), statistics.median(unknown)), (known, unknown)
    # locked: neither hashes, both answer from the same table
    assert _answer("clerk0", "wrong guess", T0)[1] == _answer("ghost0", "wrong guess", T0)[1] == auth.BASE_DELAY
    soon = T0 + timedelta(seconds=2)
    known, unknown = [], []
    for _ in range(7):
        known.append(_ms(lambda: auth.authenticate("clerk0", CLERK_PW, now=soon)))
        unknown.append(_ms(lambda: auth.authenticate("ghost0", CLERK_PW, now=soon)))
    assert _alike(statistics.median(known), statistics.median(unknown)), (known, unknown)


def test_a_locked_attempt_is_refused_before_any_hashing(engine, admin, monkeypatch):
    add_user(admin, "clerk", "staff", CLERK_PW)
    for name in ("clerk", "ghost"):
        for _ in range(3):
            _answer(name, "wrong guess", T0)
    checks = []
    real = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, h, p: checks.append(1) or real(self, h, p))
    for name in ("clerk", "ghost"):
        for second in range(1, 6):
            assert _answer(name, CLERK_PW, T0 + timedelta(seconds=second))[1] is not None
    assert checks == []


def test_hashing_is_capped_and_a_full_server_says_busy(engine, admin, monkeypatch):
    from crm.accounts import passwords

    running, most = [0], [0]
    lock = threading.Lock()

    def slow_verify(self, hashed, password):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.4)
        with lock:
            running[0] -= 1
        return False

    monkeypatch.setattr(PasswordHasher, "verify", slow_verify)
    monkeypatch.setattr(passwords, "WAIT_SECONDS", 0.5, raising=False)
    answers: list[str] = []

    def attempt(i: int) -> None:
        try:
            auth.authenticate(f"ghost{i}", "wrong guess")
        except auth.LiaisonError as exc:
            answers.append(exc.key)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert most[0] <= passwords.HASH_SLOTS == 4
    assert "auth.busy" in answers and "auth.bad_credentials" in answers and len(answers) == 12
    busy = auth.LiaisonError("auth.busy")
    assert "busy" in busy.message("en") and "忙碌" in busy.message("zh-TW")


def test_repeated_failures_are_one_audit_row_per_name_per_minute(engine, admin):
    add_user(admin, "clerk", "staff", CLERK_PW)
    for second in range(0, 50, 5):  # ten attempts in one minute: failures, then attempts while locked
        _answer("clerk", "wrong guess", T0 + timedelta(seconds=second), ip="10.1.2.3")
    _answer("clerk", "wrong guess", T0 + timedelta(seconds=65), ip="10.1.2.3")
    rows = _failed(engine)
    assert [(r.username, r.after["attempts"]) for r in rows] == [("clerk", 10), ("clerk", 1)]
    assert rows[0].after["while_locked"] == 6 and rows[0].after["addresses"] == ["10.1.2.3"]
    assert rows[0].record_id == get_user("clerk").id


def test_a_password_typed_as_the_name_never_reaches_the_audit_log(engine, admin):
    add_user(admin, "clerk", "staff", CLERK_PW)
    typed = "Lin's-Secret-Pa55phrase"
    for _ in range(4):  # into the name field, and on into a lock-out
        _answer(typed, "", T0)
    _answer("clerk", "wrong guess", T0)
    with Session(engine) as s:
        everything = " ".join(f"{r.username} {r.summary} {r.after} {r.before}" for r in s.scalars(select(m.AuditEntry)))
    assert typed not in everything and typed.lower() not in everything.lower()
    digest = hashlib.sha256(typed.encode()).hexdigest()[:12]
    assert [r.username for r in _failed(engine)] == [f"unknown:{digest}", "clerk"]


def test_a_client_address_is_locked_out_across_names(engine, admin):
    add_user(admin, "clerk", "staff", CLERK_PW)
    spray = [f"guess{i}" for i in range(auth.ADDRESS_FREE_FAILURES)]
    answers = [_answer(name, "Spring2026!", T0, ip="10.9.9.9") for name in spray]  # one try per name
    assert answers[-1][1] == auth.BASE_DELAY and all(s is None for _, s in answers[:-1])
    # from that address nothing gets through, not even a right password for a name it never tried …
    assert _answer("clerk", CLERK_PW, T0 + timedelta(seconds=3), ip="10.9.9.9")[1] == auth.BASE_DELAY - 3
    # … while the account itself is not locked: from another desk it signs in
    assert auth.authenticate("clerk", CLERK_PW, now=T0 + timedelta(seconds=3), ip="10.0.0.5").username == "clerk"


def test_the_users_page_shows_and_lifts_a_lock_out(engine, admin):
    uid = add_user(admin, "clerk", "staff", CLERK_PW)
    for _ in range(3):
        _answer("clerk", "wrong guess", datetime.now(UTC))
    row = next(u for u in list_users(admin) if u["username"] == "clerk")
    assert row["failed_logins"] == 3 and row["locked_until"] is not None
    unlock(admin, uid)
    row = next(u for u in list_users(admin) if u["username"] == "clerk")
    assert row["failed_logins"] == 0 and row["locked_until"] is None
    assert auth.authenticate("clerk", CLERK_PW).username == "clerk"


def test_migration_0008_carries_a_lock_out_in_force_over_from_the_user_row(db_url, admin):
    import sqlalchemy as sa
    from sqlmodel.sql.sqltypes import UTCDateTime

    from crm.store.engine import make_engine
    from tests.store.test_db import _alembic

    add_user(admin, "clerk", "staff", CLERK_PW)
    engine = make_engine(db_url)
    _alembic(engine, "downgrade", "0006")  # the user row counted failures before
    users = sa.table("user", sa.column("username", sa.String()), sa.column("failed_logins", sa.Integer()),
                     sa.column("locked_until", UTCDateTime()))
    with engine.begin() as conn:
        conn.execute(sa.update(users).where(users.c.username == "clerk")
                     .values(failed_logins=5, locked_until=datetime.now(UTC) + timedelta(minutes=10)))
    _alembic(engine, "upgrade", "head")
    engine.dispose()
    row = next(u for u in list_users(admin) if u["username"] == "clerk")
    assert row["failed_logins"] == 5 and row["locked_until"] is not None
    with pytest.raises(auth.LockedOut):
        auth.authenticate("clerk", CLERK_PW)
