"""Helpers to run pages with streamlit.testing.v1.AppTest."""

import html
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
AUTH_KEY = "_liaison_auth"  # crm.ui.session.AUTH_KEY: a session token given server-side (AppTest sends no cookies)


def sign_in_state(username: str) -> dict:
    """A real server-side session for `username` (crm.accounts.sessions), as the Streamlit session holds it."""
    from crm.accounts import sessions
    from crm.accounts.users import actor_by_name

    return {"token": sessions.start(actor_by_name(username), "test")}


def open_page(page: str | None = None, lang: str = "zh-TW", timeout: float = 60,
              query: dict | None = None, session: dict | None = None, user: str | None = None,
              anonymous: bool = False) -> AppTest:
    """Run the app, switch to `pages/<page>.py` in `lang`, and return the finished AppTest.

    Signed in as `user` (default: the local administrator, created if missing); `anonymous=True`
    shows the log-in screen. A legacy `session={"actor": Actor(...)}` signs in as that actor's user.
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params["lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    session = dict(session or {})
    legacy = session.pop("actor", None)
    for key, value in session.items():
        at.session_state[key] = value
    if not anonymous:
        name = user or getattr(legacy, "username", None)
        if name is None:
            from crm.accounts.users import ensure_local_user

            name = ensure_local_user().username
        at.session_state[AUTH_KEY] = sign_in_state(name)
    if page is not None:
        at.switch_page(f"pages/{page}.py")
    at.run()
    return at


def as_read(text: object) -> str:
    """Markdown text as the user reads it: `crm.ui.shell.plain`'s character references decoded, its word joiners
    (invisible, after `://`, `www` and `@`) dropped."""
    return html.unescape(str(text)).replace("\u2060", "")


def errors(at: AppTest) -> list[str]:
    """Exceptions shown by the app (should be none)."""
    return [e.value for e in at.exception]


def rerun_through_main(monkeypatch) -> None:
    """Make AppTest rerun streamlit_app.py on every run, as a real server does.

    AppTest resets Streamlit's process-wide "pages directory" flag before each run, so after the
    first run it executes `pages/<x>.py` alone (without streamlit_app.py: no log-in, no sidebar).
    Tests of the log-in flow need the real behaviour (crm.ui.streamlit_internals.ServerPagesManager,
    which the benchmark uses too; see crm.ui.streamlit_internals.leave_pages_directory_mode).
    Undone after the test (monkeypatch).
    """
    from crm.ui.streamlit_internals import patch_apptest_to_rerun_main

    patch_apptest_to_rerun_main(monkeypatch.setattr)
