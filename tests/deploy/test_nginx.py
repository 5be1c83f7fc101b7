"""The deployment in deploy/, run for real: the app started with the systemd unit's command, Debian's nginx with
the shipped site config in front of it (TLS with a throw-away certificate), all on loopback. Checked: the
settings agree (upload limit, CSP hashes, Streamlit's proxy settings), HTTP goes to HTTPS, the security headers
on every answer, 413 past the upload limit, the app port reachable on 127.0.0.1 only, and a person signing in
and using the app through nginx in Chromium (WebSocket over wss, Secure cookie, no CSP violation)."""

import base64
import hashlib
import http.client
import re
import shutil
import socket
import ssl
import subprocess
import tomllib
from pathlib import Path

import pytest

from crm import config
from crm.i18n import t
from tests.deploy.conftest import ADMIN_PW
from tests.deploy.proxy import ROOT, SITE, UNIT, sign_in, unit_command
from tests.support.browser import assert_only_local, screenshot, wait_for_app

pytestmark = pytest.mark.deploy


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _streamlit_settings() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def _csp() -> str:
    return re.search(r'add_header Content-Security-Policy "([^"]+)"', SITE.read_text()).group(1)


def test_the_shipped_settings_agree_with_each_other_and_with_the_app():
    settings = _streamlit_settings()
    assert settings["server"]["maxUploadSize"] == config.UPLOAD_LIMIT_MB
    body = re.search(r"client_max_body_size (\d+)m;", SITE.read_text()).group(1)
    assert int(body) == config.UPLOAD_LIMIT_MB + 1  # the envelope of one file at the limit
    assert settings["server"]["address"] == "127.0.0.1"
    assert settings["server"]["enableXsrfProtection"] is True and settings["server"]["enableCORS"] is True
    assert settings["client"]["showErrorDetails"] == "none"
    command = unit_command(8501)
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[1:3] == ["run", "crm/ui/server.py"]

    # the CSP allows exactly the fixed inline scripts, by hash: a Streamlit upgrade that changes one fails here
    import streamlit

    from crm.ui import form_drafts, keyboard

    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    inline = re.findall(r"<script>(.*?)</script>", index, re.S)
    guard = re.findall(r"<script>(.*?)</script>", form_drafts._GUARD.format(mark="", ask=""), re.S)
    script_src = re.search(r"script-src ([^;]+);", _csp()).group(1).split()
    assert script_src == ["'self'", *[_sha256(s) for s in inline + guard + keyboard.fixed_scripts()]]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in _csp()
    assert "frame-ancestors 'none'" in _csp() and "object-src 'none'" in _csp()
    assert "http://" not in _csp() and "https://" not in _csp()

    if shutil.which("systemd-analyze"):  # the unit parses (only the not yet installed program may be missing)
        unit = Path("/tmp") / f"liaison-check-{UNIT.stat().st_ino}@.service"
        shutil.copy(UNIT, unit)
        try:
            out = subprocess.run(["systemd-analyze", "verify", "--man=no", unit.name.replace("@", "@8501")],
                                 check=False, cwd=unit.parent, capture_output=True, text=True, timeout=60)
        finally:
            unit.unlink()
        problems = [x for x in (out.stdout + out.stderr).splitlines() if x.strip() and "is not executable" not in x]
        assert not problems, problems


def _https(deployed) -> http.client.HTTPSConnection:
    context = ssl.create_default_context(cafile=str(deployed["cert"]))  # verified against the test certificate
    return http.client.HTTPSConnection("127.0.0.1", deployed["https"], context=context, timeout=30)


def _get(deployed, path: str, method: str = "GET", headers: dict | None = None):
    conn = _https(deployed)
    conn.request(method, path, headers=headers or {})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp


def _assert_security_headers(resp) -> None:
    assert resp.getheader("Content-Security-Policy") == _csp()
    assert resp.getheader("Strict-Transport-Security", "").startswith("max-age=31536000")
    assert resp.getheader("X-Content-Type-Options") == "nosniff"
    assert resp.getheader("X-Frame-Options") == "DENY"
    assert resp.getheader("Referrer-Policy") == "same-origin"
    assert resp.getheader("Server") == "nginx"  # no version


def test_https_only_security_headers_on_every_answer_and_the_upload_limit(deployed):
    plain = http.client.HTTPConnection("127.0.0.1", deployed["http"], timeout=10)
    plain.request("GET", "/visits?id=3")
    resp = plain.getresponse()
    assert resp.status == 301 and resp.getheader("Location") == f"https://127.0.0.1:{deployed['https']}/visits?id=3"

    page = _get(deployed, "/")
    assert page.status == 200
    _assert_security_headers(page)
    health = _get(deployed, "/_stcore/health")
    assert health.status == 200
    _assert_security_headers(health)

    limit = config.UPLOAD_LIMIT_MB + 1
    conn = _https(deployed)  # announced too large: refused before a byte of the body is read
    conn.putrequest("PUT", "/_stcore/upload_file/x/y")
    conn.putheader("Content-Length", str(limit * 1024 * 1024 + 1))
    conn.endheaders()
    refused = conn.getresponse()
    assert refused.status == 413
    _assert_security_headers(refused)
    conn.close()
    small = _get(deployed, "/_stcore/upload_file/x/y", "PUT", {"Content-Length": "0"})
    assert small.status not in (413, 502)  # reaches the app, which answers for itself


def _local_addresses() -> list[str]:
    """This machine's addresses other than 127.0.0.1: another loopback address and every interface's."""
    found = ["127.0.0.2"]
    out = ""
    if shutil.which("ip"):
        out = subprocess.run(["ip", "-o", "addr"], check=False, capture_output=True, text=True).stdout
    for match in re.finditer(r"\binet6? ([0-9a-f.:]+)/", out):
        if match.group(1) not in ("127.0.0.1",) and not match.group(1).startswith("fe80"):
            found.append(match.group(1))
    return found


def test_the_app_port_answers_on_127_0_0_1_only(deployed):
    with socket.create_connection(("127.0.0.1", deployed["app"]), timeout=5):
        pass
    others = _local_addresses()
    assert len(others) >= 2  # 127.0.0.2 and ::1 at least
    for address in others:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            assert sock.connect_ex((address, deployed["app"])) != 0, f"the app answers on {address}"


@pytest.mark.browser
def test_a_person_signs_in_and_works_through_nginx(deployed, browser_page):
    page = browser_page
    base = f"https://127.0.0.1:{deployed['https']}"
    context = page.context.browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 2000},
                                               locale="en-US")
    page = context.new_page()
    page.requests = []
    page.on("request", lambda req: page.requests.append(req.url))
    violations, sockets = [], []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("websocket", lambda ws: sockets.append(ws.url))
    try:
        page.goto(base + "/?lang=en")
        wait_for_app(page)
        assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == t("auth.title", "en")
        screenshot(page, "deploy-sign-in-through-nginx-en")
        sign_in(page, "admin", ADMIN_PW)
        cookie = next(c for c in context.cookies() if c["name"] == "liaison_session")
        assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax"  # X-Forwarded-Proto: https

        page.goto(base + "/map?lang=en")  # plotly's world map (the outlines are served by the app)
        wait_for_app(page)
        page.wait_for_selector('[data-testid="stPlotlyChart"] .geo .countries path', timeout=30_000)
        page.goto(base + "/visits?lang=en&id=1")  # a record form: the drafts' leave-guard script runs
        wait_for_app(page)
        page.wait_for_function("window.__liaisonLeaveGuard === true", timeout=15_000)
        screenshot(page, "deploy-record-through-nginx-en")
        page.goto(base + "/import?lang=en")  # an upload goes to the same app server as the page's WebSocket
        wait_for_app(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": "cities.csv", "mimeType": "text/csv", "buffer": b"name_en,country_code\nGdansk,PL\n"}])
        page.locator('[data-testid="stFileChipName"]').filter(has_text="cities.csv").wait_for()
        wait_for_app(page)
    finally:
        context.close()
    assert sockets and all(u == f"wss://127.0.0.1:{deployed['https']}/_stcore/stream" for u in sockets)
    assert not violations, violations
    log = (deployed["dir"] / "access.log").read_text()
    uploads = re.findall(r'"PUT /_stcore/upload_file/\S+ HTTP/[\d.]+" (\d+) .*HeadlessChrome', log)  # the browser's
    assert uploads and set(uploads) <= {"200", "204"}, uploads  # through nginx, with Streamlit's XSRF check
    assert_only_local(page.requests)
    assert all(u.startswith(base) or u.startswith(("data:", "blob:", "about:")) for u in page.requests)
