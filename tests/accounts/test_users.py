"""Accounts: created and changed by an administrator only, audited, never leaving the office without an admin;
the command line (`python -m crm users add`) and the users page."""

import subprocess
import sys

import pytest
from sqlalchemy import select
from sqlmodel import Session

from crm import models as m
from crm.accounts import auth
from crm.accounts.users import (
    add_user,
    get_user,
    list_users,
    set_active,
    set_display_name,
    set_password,
    set_role,
    set_sso_subject,
    unlock,
)
from crm.errors import PermissionDenied, ValidationFailed
from tests.support.apptest import ROOT, errors, open_page


def _user_audit(engine) -> list[tuple[str, str]]:
    with Session(engine) as s:
        rows = s.exec(select(m.AuditEntry).where(m.AuditEntry.kind == "users").order_by(m.AuditEntry.id)).scalars()
        return [(r.action, r.summary) for r in rows]


def test_admin_manages_accounts_and_every_change_is_audited(engine, admin):
    uid = add_user(admin, "clerk", "staff", "first maple ridge 1983", "Clerk Chen")
    set_role(admin, uid, "leadership")
    set_display_name(admin, uid, "  Chen\u202e  ")
    set_password(admin, uid, "second copper meadow 27")
    set_active(admin, uid, False)
    set_active(admin, uid, True)
    set_sso_subject(admin, uid, "iss|sub")
    unlock(admin, uid)
    user = get_user("clerk")
    assert (user.role, user.display_name, user.active, user.sso_subject) == ("leadership", "Chen", True, "iss|sub")
    assert auth.authenticate("clerk", "second copper meadow 27").role == "leadership"
    actions = _user_audit(engine)
    assert [s for a, s in actions if a == "update"] == [
        "role leadership", "display name", "password reset", "disabled", "enabled", "sso subject", "unlocked"]
    with Session(engine) as s:
        entries = s.exec(select(m.AuditEntry).where(m.AuditEntry.summary == "role leadership")).scalars().all()
    assert entries[0].before["role"] == "staff" and entries[0].after["role"] == "leadership"
    assert "password_hash" not in entries[0].after  # hashes never reach the audit log


def test_only_an_admin_manages_accounts(engine, admin, staff, leader):
    for who in (staff, leader):
        with pytest.raises(PermissionDenied):
            add_user(who, "intruder", "admin", "brass compass winter 42")
        with pytest.raises(PermissionDenied):
            set_role(who, who.id, "admin")
        with pytest.raises(PermissionDenied):
            list_users(who)
    assert get_user("intruder") is None
    assert get_user("clerk").role == "staff"


def test_bad_account_input_is_refused(engine, admin):
    for name in ("", "two words", "x" * 65, "tab\there", "nul\x00"):
        with pytest.raises(ValidationFailed):
            add_user(admin, name, "staff", "brass compass winter 42")
    with pytest.raises(ValidationFailed):
        add_user(admin, "ok", "emperor", "brass compass winter 42")
    with pytest.raises(ValidationFailed):
        add_user(admin, "ok", "staff", "short")
    add_user(admin, "ok", "staff", "brass compass winter 42")
    with pytest.raises(ValidationFailed):
        add_user(admin, "ok", "staff", "brass compass winter 42")
    with pytest.raises(ValidationFailed):
        set_password(admin, get_user("ok").id, "x" * 2000)
    assert [u["username"] for u in list_users(admin)] == ["admin", "ok"]


def test_the_office_always_keeps_an_active_administrator(engine, admin):
    with pytest.raises(ValidationFailed) as caught:
        set_role(admin, admin.id, "staff")
    assert "last active administrator" in caught.value.message("en")
    with pytest.raises(ValidationFailed):
        set_active(admin, admin.id, False)
    other = add_user(admin, "second", "admin", "brass compass winter 42")
    set_role(admin, other, "staff")
    assert get_user("admin").role == "admin" and get_user("second").role == "staff"


def test_password_reset_lifts_a_lock_out(engine, admin):
    uid = add_user(admin, "clerk", "staff", "first maple ridge 1983")
    for _ in range(auth.FREE_FAILURES):
        with pytest.raises((auth.LoginRefused, auth.LockedOut)):
            auth.authenticate("clerk", "wrong wrong")
    assert next(u for u in list_users(admin) if u["username"] == "clerk")["locked_until"] is not None
    set_password(admin, uid, "fresh willow station 64")
    assert auth.authenticate("clerk", "fresh willow station 64").username == "clerk"


def _cli(db_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {"DATABASE_URL": db_url, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "crm", *args], check=False, input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


def test_users_add_on_the_command_line_reads_the_password_from_stdin(sqlite_url):
    done = _cli(sqlite_url, "users", "add", "mayor", "--role", "leadership", stdin="jade river lantern 1999\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "user mayor added (leadership)"
    assert auth.authenticate("mayor", "jade river lantern 1999").role == "leadership"
    again = _cli(sqlite_url, "users", "add", "mayor", "--role", "staff", stdin="another plum orbit 85\n")
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "mayor" in again.stderr
    short = _cli(sqlite_url, "users", "add", "clerk", "--role", "staff", stdin="short\n")
    assert short.returncode == 2 and "12" in short.stderr
    listed = _cli(sqlite_url, "users", "list")
    assert "mayor\tleadership\tactive" in listed.stdout


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_users_page_lists_accounts_for_an_admin(demo_url, lang):
    from crm.accounts.users import ensure_local_user

    add_user(ensure_local_user(), "clerk", "staff", "brass compass winter 42")
    at = open_page("users", lang)
    assert errors(at) == []
    shown = at.dataframe[0].value
    assert list(shown.iloc[:, 0]) == ["admin", "clerk"]
    assert at.selectbox(key="users_choice").options[1].startswith("clerk")


def test_users_page_is_closed_to_staff(demo_url):
    from crm.accounts.users import ensure_local_user

    add_user(ensure_local_user(), "clerk", "staff", "brass compass winter 42")
    at = open_page("users", "en", user="clerk")
    assert errors(at) == []
    assert not at.dataframe  # nothing listed: the page is not in staff's navigation, and refuses if opened
