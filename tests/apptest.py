"""Helpers to run pages with streamlit.testing.v1.AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))


def open_page(page: str | None = None, lang: str = "zh-TW", timeout: float = 60,
              query: dict | None = None, session: dict | None = None) -> AppTest:
    """Run the app, switch to `pages/<page>.py` in `lang`, and return the finished AppTest."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params["lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    if page is not None:
        at.switch_page(f"pages/{page}.py")
    at.run()
    return at


def errors(at: AppTest) -> list[str]:
    """Exceptions shown by the app (should be none)."""
    return [e.value for e in at.exception]
