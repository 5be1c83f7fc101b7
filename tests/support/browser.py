"""Real-browser test helpers: a live Streamlit server on the demo data, and Debian Chromium via Playwright.

The fixtures `live_app` and `browser_page` are registered for every test module by `tests/conftest.py`
(`pytest_plugins`): do not import them, import only the helpers::

    from tests.support.browser import assert_only_local, screenshot, wait_for_app

    @pytest.mark.browser
    def test_x(live_app, browser_page):
        browser_page.goto(live_app + "/?lang=en")
        wait_for_app(browser_page)
        assert_only_local(browser_page.requests)

`live_app` is one server per test session (SQLite copy of the demo data, acting user `admin`); use
`start_app(db_path, user=...)` for a server of your own (e.g. as a leadership user). A missing
Chromium or Playwright FAILS the test (scripts/test installs Chromium); it never skips.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("LIAISON_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
VIEWPORT = {"width": 1400, "height": 2400}
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(base: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit did not become healthy in {timeout}s:\n{log.read_text(errors='replace')[-3000:]}")


@contextmanager
def start_app(db_path: Path | str, user: str = "admin", env: dict | None = None,
              database_url: str | None = None) -> Iterator[str]:
    """Run `streamlit run crm/ui/server.py` (as scripts/run does) on a free port; yield its base URL.

    The database is the SQLite file `db_path`, or `database_url` when given (its log goes beside `db_path`)."""
    port = free_port()
    db_path = Path(db_path)
    log = db_path.parent / f"streamlit-{port}.log"
    full_env = {**os.environ, "DATABASE_URL": database_url or f"sqlite:///{db_path}", "LIAISON_USER": user,
                "LIAISON_DATA_DIR": str(db_path.parent), **(env or {})}
    streamlit = ROOT / ".venv" / "bin" / "streamlit"
    cmd = [str(streamlit) if streamlit.exists() else sys.executable, *([] if streamlit.exists() else ["-m", "streamlit"]),
           "run", "crm/ui/server.py", "--server.headless", "true", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc, log)
        yield base
    finally:
        stop_process(proc)


def stop_process(proc: subprocess.Popen) -> None:
    """Stop a server started in its own session (SIGTERM to its group, SIGKILL after 10 s)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def live_app(demo_template, tmp_path_factory) -> Iterator[str]:
    """Base URL (http://127.0.0.1:<port>) of one Streamlit server on a copy of the demo data, acting as admin."""
    path = tmp_path_factory.mktemp("live") / "liaison.db"
    shutil.copy(demo_template, path)
    with start_app(path) as base:
        yield base


_BROWSER: dict = {}


def _browser(config):
    """One Chromium per test session (closed when pytest ends)."""
    if "browser" not in _BROWSER:
        if not Path(CHROMIUM).exists():
            pytest.fail(f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium; scripts/test does)")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            pytest.fail(f"playwright is not installed ({exc}): pip install -r requirements-dev.txt")
        pw = sync_playwright().start()
        _BROWSER["browser"] = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def close() -> None:
            _BROWSER.pop("browser").close()
            pw.stop()

        config.add_cleanup(close)
    return _BROWSER["browser"]


@pytest.fixture
def browser_page(request):
    """A fresh Playwright page (tall viewport); every request URL is appended to `page.requests`."""
    context = _browser(request.config).new_context(viewport=VIEWPORT, accept_downloads=True, locale="en-US")
    page = context.new_page()
    page.requests = []
    page.on("request", lambda req: page.requests.append(req.url))
    page.set_default_timeout(30_000)
    yield page
    context.close()


def assert_only_local(urls: list[str]) -> None:
    """Every request went to 127.0.0.1/localhost (data: and blob: URLs are local too)."""
    assert urls, "no request was recorded"
    outside = []
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about", "chrome-extension"):
            continue
        if (parsed.hostname or "") not in LOCAL_HOSTS:
            outside.append(url)
    assert not outside, f"requests left 127.0.0.1: {outside[:10]}"


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until the app is drawn and its script run has finished (state `notRunning`, status widget gone)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    quiet_since = None
    while time.monotonic() < deadline:
        done = page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').count() > 0 \
            and page.locator('[data-testid="stStatusWidget"]').count() == 0
        if not done:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 0.5:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the app was still running after the timeout")


def screenshot(page, name: str, locator=None) -> Path:
    """Save a PNG under test-artifacts/screenshots/ (git-ignored); an element if `locator` is given."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    (locator or page).screenshot(path=str(path))
    return path


def fill_date(page, label: str, digits: str, scope=None) -> None:
    """A date field (segments yyyy-mm-dd) inside `scope` (default the page): focus its first segment, type the digits."""
    (scope or page).get_by_label(label, exact=True).locator('[role="spinbutton"]').first.click()
    page.keyboard.type(digits)
    page.keyboard.press("Escape")  # close the calendar that opened with the focus
    wait_for_app(page)


def choose_option(page, label: str, text: str, scope=None) -> None:
    """Open the select box labelled `label` (inside `scope`, e.g. a row form), type `text`, take the first option."""
    select = (scope or page).locator('[data-testid="stSelectbox"]').filter(
        has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))).first
    select.click()
    page.keyboard.type(text)
    page.wait_for_selector('[role="option"]')
    page.keyboard.press("Enter")
    wait_for_app(page)


def app_scripts() -> set[str]:
    """The texts of the inline scripts the app draws itself (the drafts' leave guard, crm.ui.keyboard's): fixed
    texts, the only scripts a page may hold besides Streamlit's own bundle; anything else came from data."""
    from crm.ui import form_drafts, keyboard

    guard = re.findall(r"<script>(.*?)</script>", form_drafts._GUARD.format(mark="", ask=""), re.S)
    return {s.strip() for s in [*guard, *keyboard.fixed_scripts()]}
