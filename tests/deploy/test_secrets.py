"""No secret in plain text where it can leak: after a person signs in with a password, changes it, creates an
account with a password (all in Chromium through nginx) and the office makes backups, none of the passwords,
the session token in the cookie or the one-time sign-in ticket is in the app server's or nginx's logs, the
audit table, the backup files or a dump (and the raw file) of the database."""

import gzip
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

import pytest

from crm.i18n import t
from tests.deploy.conftest import CHEN_PW
from tests.deploy.proxy import ROOT, sign_in
from tests.support.browser import screenshot, wait_for_app

pytestmark = [pytest.mark.deploy, pytest.mark.browser]
CHEN_NEW = "saffron glacier teapot 2031"
LIN_PW = "meadow compass cello 1888"


def _journey(deployed, browser) -> dict[str, str]:
    """Sign in as chen, change the password, add the user lin; the secrets that passed through, by name."""
    base = f"https://127.0.0.1:{deployed['https']}"
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 2000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(30_000)
    tickets: list[str] = []
    page.on("request", lambda req: tickets.extend(parse_qs(urlsplit(req.url).query).get("ticket", [])))
    try:
        page.goto(base + "/?lang=en")
        wait_for_app(page)
        first_cookie = sign_in(page, "chen", CHEN_PW)

        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_role("button", name=t("auth.change_password", "en")).click()
        page.get_by_label(t("auth.current_password", "en"), exact=True).fill(CHEN_PW)
        page.get_by_label(t("auth.new_password", "en"), exact=True).fill(CHEN_NEW)
        page.get_by_label(t("auth.repeat_new_password", "en"), exact=True).fill(CHEN_NEW)
        page.locator('[data-testid="stPopoverBody"]').get_by_role("button", name=t("auth.change_password", "en")).click()
        page.get_by_text(t("auth.password_changed", "en")).wait_for()
        page.keyboard.press("Escape")

        page.goto(base + "/users?lang=en")
        wait_for_app(page)
        adder = page.locator('[data-testid="stExpander"]').filter(has_text=t("users.add", "en")).first
        if not adder.get_by_label(t("users.username", "en"), exact=True).is_visible():
            adder.locator("summary").click()
        adder.get_by_label(t("users.username", "en"), exact=True).fill("lin")
        adder.get_by_label(t("users.new_password", "en", min=12), exact=True).fill(LIN_PW)
        adder.get_by_role("button", name=t("users.add", "en")).click()
        wait_for_app(page)
        screenshot(page, "deploy-secrets-user-added-en")
        cookie = next(c["value"] for c in context.cookies() if c["name"] == "liaison_session")
    finally:
        context.close()
    assert tickets, "the sign-in went through /session/start?ticket=…"
    found = {"chen's password": CHEN_PW, "chen's new password": CHEN_NEW, "lin's password": LIN_PW,
             "session cookie": first_cookie, "session cookie now": cookie}
    found.update({f"sign-in ticket {i}": ticket for i, ticket in enumerate(tickets)})
    return found


def _backups(deployed, directory: Path) -> dict[str, bytes]:
    """`python -m crm backup` as the office runs it: a JSON-lines dump and a SQLite copy (contents, and output)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{deployed['db']}", "LIAISON_DATA_DIR": str(deployed["dir"])}
    env.pop("LIAISON_USER", None)
    out = {}
    for name in ("office.jsonl.gz", "office.db"):
        done = subprocess.run([sys.executable, "-m", "crm", "backup", str(directory / name)], cwd=ROOT, env=env,
                              capture_output=True, check=True, timeout=120)
        out[f"backup command output ({name})"] = done.stdout + done.stderr
    out["backup office.jsonl.gz"] = gzip.decompress((directory / "office.jsonl.gz").read_bytes())
    out["backup office.db"] = (directory / "office.db").read_bytes()
    return out


def _database(db: Path) -> dict[str, bytes]:
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump()).encode()
        audit = "\n".join(repr(row) for row in conn.execute("SELECT * FROM auditentry")).encode()
    files = {f"database file {p.name}": p.read_bytes() for p in db.parent.glob(db.name + "*")}
    return {"database dump": dump, "audit table": audit, **files}


def test_no_password_token_or_cookie_in_logs_audit_backups_or_the_database(deployed, browser_page, tmp_path):
    secrets = _journey(deployed, browser_page.context.browser)
    places = {**_backups(deployed, tmp_path), **_database(deployed["db"])}
    for log in sorted(deployed["dir"].glob("*.log")) + sorted(deployed["dir"].glob("*.out")):
        places[f"log {log.name}"] = log.read_bytes()
    assert {"log access.log", "log error.log"} <= set(places) and any(k.startswith("log app-") for k in places)
    with sqlite3.connect(deployed["db"]) as conn:  # the journey happened: lin exists, chen's password changed
        assert conn.execute("SELECT role FROM user WHERE username = 'lin'").fetchone() == ("staff",)
    assert b"chen" in places["audit table"] and b"lin" in places["audit table"]
    assert b"/session/start" in places["log access.log"]  # the sign-in passed through nginx and its log

    leaks = []
    for what, secret in secrets.items():
        forms = {secret, quote(secret), quote_plus(secret), secret.encode("utf-16-le").decode("latin-1")}
        for where, content in places.items():
            if any(form.encode("latin-1", "ignore") in content for form in forms if form):
                leaks.append(f"{what} in {where}")
    assert not leaks, leaks
