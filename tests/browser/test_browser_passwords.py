"""Real browser, sign-in mode: the password rules say why a password is refused, in Chinese and in English (the
first-run form and "change my password" on the sign-in screen), a strong one then works, and a lock-out answers
a known and an unknown user name with the same message."""

import os
import shutil

import pytest

from crm.i18n import t
from tests.support.browser import assert_only_local, screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser
STRONG = "copper kettle river 1984 dawn"
CLERK_PW = "orchid ferry seven 1976"


def _in_database(url: str, fn):
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    try:
        return fn()
    finally:
        if old is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = old


def _main(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def _h1(page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


def test_the_first_run_form_names_the_reason_in_both_languages_then_a_strong_password_works(
        sqlite_template, tmp_path, browser_page):
    from crm.accounts import setup

    path = tmp_path / "liaison.db"
    shutil.copy(sqlite_template, path)
    code = _in_database(f"sqlite:///{path}", setup.issue_code)
    page = browser_page
    with start_app(path, user="") as base:
        for lang, weak, reason in (("zh-TW", "password1234", "auth.pw_common"),
                                   ("en", "abcdefghijklm", "auth.pw_sequence")):
            page.goto(f"{base}/?lang={lang}")
            wait_for_app(page)
            page.get_by_label(t("auth.setup_code", lang), exact=True).fill(code)
            page.get_by_label(t("auth.username", lang), exact=True).fill("chen")
            page.get_by_label(t("auth.password", lang), exact=True).fill(weak)
            page.get_by_label(t("auth.repeat_password", lang), exact=True).fill(weak)
            page.get_by_role("button", name=t("auth.create_admin", lang)).click()
            wait_for_app(page)
            assert t(reason, lang) in _main(page)
            assert t("auth.pw_rules", lang, min=12) in _main(page)  # the rules stand beside the form
            screenshot(page, f"password-first-run-weak-{lang}")
        page.get_by_label(t("auth.password", "en"), exact=True).fill(STRONG)
        page.get_by_label(t("auth.repeat_password", "en"), exact=True).fill(STRONG)
        page.get_by_role("button", name=t("auth.create_admin", "en")).click()
        page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=30_000)
        wait_for_app(page)
        assert _h1(page) == t("page.dashboard", "en") and "chen" in page.inner_text('[data-testid="stSidebar"]')
        assert_only_local(page.requests)


@pytest.fixture
def office(demo_template, tmp_path):
    """A server in sign-in mode on the demo data: the admin and a clerk have passwords."""
    from crm.accounts.users import actor_by_name, add_user, set_password

    path = tmp_path / "liaison.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"

    def accounts() -> None:
        admin = actor_by_name("admin")
        set_password(admin, admin.id, "granite tea kettle 58")
        add_user(admin, "clerk", "staff", CLERK_PW)

    _in_database(url, accounts)
    with start_app(path, user="") as base:
        yield base


def _change_form(page, lang: str, current: str, new: str):
    form = page.locator('[data-testid="stExpander"]').filter(has_text=t("auth.current_password", lang))
    if not form.get_by_label(t("auth.current_password", lang), exact=True).is_visible():
        form.locator("summary").click()
    form.get_by_label(t("auth.change_username", lang), exact=True).fill("clerk")
    form.get_by_label(t("auth.current_password", lang), exact=True).fill(current)
    form.get_by_label(t("auth.new_password", lang), exact=True).fill(new)
    form.get_by_label(t("auth.repeat_new_password", lang), exact=True).fill(new)
    form.get_by_role("button", name=t("auth.change_password", lang)).click()
    wait_for_app(page)
    return form


def test_change_password_on_the_sign_in_screen_and_the_same_lock_out_for_any_name(office, browser_page):
    page = browser_page
    for lang, weak, reason in (("zh-TW", "clerk-of-the-council", "auth.pw_name"),
                               ("en", "aaaaaaaaaaaaaaaa", "auth.pw_repeated")):
        page.goto(f"{office}/?lang={lang}")
        wait_for_app(page)
        assert _h1(page) == t("auth.title", lang)
        form = _change_form(page, lang, CLERK_PW, weak)
        assert t(reason, lang) in form.inner_text()
        screenshot(page, f"password-change-weak-{lang}")
    _change_form(page, "en", CLERK_PW, STRONG)
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=30_000)  # changed, and signed in
    wait_for_app(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "clerk" in sidebar.inner_text()
    sidebar.get_by_role("button", name=t("auth.change_password", "en")).click()  # the signed-in form, too
    page.get_by_label(t("auth.current_password", "en"), exact=True).wait_for()
    screenshot(page, "password-change-signed-in-en")
    page.keyboard.press("Escape")
    page.get_by_role("button", name=t("auth.sign_out", "en")).click()
    page.wait_for_url(lambda u: "/session/end" not in u, timeout=30_000)
    wait_for_app(page)

    # three wrong passwords for an account, and for a name that is nobody's: the same answers
    answers = {}
    for name in ("clerk", "nobody-here"):
        shown = []
        for attempt in range(3):
            page.get_by_label(t("auth.username", "en"), exact=True).fill(name)
            page.get_by_label(t("auth.password", "en"), exact=True).fill(f"wrong guess {attempt}")
            page.get_by_role("button", name=t("auth.sign_in", "en"), exact=True).click()
            wait_for_app(page)
            shown.append(page.locator('[data-testid="stAlert"]').last.inner_text().strip())
        answers[name] = shown
        screenshot(page, f"password-lock-out-{name}-en")
    assert answers["clerk"] == answers["nobody-here"]
    assert answers["clerk"][:2] == [t("auth.bad_credentials", "en")] * 2
    assert answers["clerk"][2] == t("auth.locked", "en", seconds=30)
    assert_only_local(page.requests)
