"""Real browser, the README's own path: `scripts/run` (init, demo, streamlit run; log-in mode) on a new database.

A new user creates the first administrator on the log-in screen, lands on the dashboard with the
2020 demo records, and no request leaves 127.0.0.1.
"""

import os
import re
import subprocess
import sys

import pytest

from crm.i18n import t
from tests.support.browser import ROOT, assert_only_local, screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser


def _crm(*args: str, env: dict) -> str:
    return subprocess.run([sys.executable, "-m", "crm", *args], cwd=ROOT, env={**os.environ, **env}, check=True,
                          capture_output=True, timeout=300, text=True).stdout


def test_a_new_user_creates_the_first_admin_and_sees_the_demo_dashboard(tmp_path, browser_page):
    db = tmp_path / "liaison.db"
    env = {"DATABASE_URL": f"sqlite:///{db}", "LIAISON_DATA_DIR": str(tmp_path)}
    env.pop("LIAISON_USER", None)
    said = _crm("init", env=env)  # as scripts/run does: it prints the setup code
    code = re.search(r"setup code for the first administrator ([A-Z0-9-]{14})", said).group(1)
    _crm("demo", env=env)
    page = browser_page
    with start_app(db, user="") as base:  # no LIAISON_USER: log-in required, as scripts/run starts it
        page.goto(f"{base}/?lang=en")
        wait_for_app(page)
        main = page.locator('[data-testid="stMain"]')
        assert t("auth.first_run", "en")[:30] in main.inner_text()
        page.get_by_label(t("auth.setup_code", "en"), exact=True).fill("WRONG-CODE-9999")
        page.get_by_label(t("auth.username", "en"), exact=True).fill("admin")  # the password-less admin of init
        page.get_by_label(t("auth.password", "en"), exact=True).fill("a-long-password")
        page.get_by_label(t("auth.repeat_password", "en"), exact=True).fill("a-long-password")
        page.get_by_role("button", name=t("auth.create_admin", "en")).click()
        wait_for_app(page)
        assert "Setup code: wrong or expired" in main.inner_text()  # nothing accepted without the code
        page.get_by_label(t("auth.setup_code", "en"), exact=True).fill(code)
        page.get_by_label(t("auth.password", "en"), exact=True).fill("a-long-password")
        page.get_by_label(t("auth.repeat_password", "en"), exact=True).fill("a-long-password")
        page.get_by_role("button", name=t("auth.create_admin", "en")).click()
        wait_for_app(page)
        assert "The account admin already exists" in main.inner_text()  # never claims the init's "admin"
        page.get_by_label(t("auth.username", "en"), exact=True).fill("chen")
        page.get_by_label(t("auth.password", "en"), exact=True).fill("a-long-password")
        page.get_by_label(t("auth.repeat_password", "en"), exact=True).fill("a-long-password")
        page.get_by_role("button", name=t("auth.create_admin", "en")).click()
        page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=30_000)
        wait_for_app(page)
        assert main.locator("h1").first.inner_text().strip() == t("page.dashboard", "en")
        # The current half-year is empty; the dashboard offers the latest one with records (2020 H1).
        latest = main.get_by_role("button", name=re.compile("^Show "))
        if latest.count():
            latest.first.click()
        # The demo's half-year: 14 groups and 94 people received (the report's figures).
        main.locator(".lz-card .lz-number", has_text="94").first.wait_for(timeout=30_000)  # the figure cards
        assert main.locator(".lz-card .lz-number", has_text="14").count() >= 1
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(page, "first-run-dashboard-en")
        assert_only_local(page.requests)
