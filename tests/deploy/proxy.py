"""The deployment under test: the app started with deploy/liaison@.service's own command, and Debian's nginx
running deploy/nginx-liaison.conf in front of it on loopback (ports, certificate and paths replaced; its own
prefix, pid and logs in a temporary directory, never the system's nginx)."""

import os
import pwd
import re
import shlex
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.browser import free_port, stop_process

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx-liaison.conf"
UNIT = DEPLOY / "liaison@.service"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def unit_command(port: int) -> list[str]:
    """The unit's ExecStart for instance `port`, with this checkout's virtualenv in place of /opt/liaison/venv."""
    line = next(x for x in UNIT.read_text().splitlines() if x.startswith("ExecStart="))
    args = shlex.split(line.split("=", 1)[1].replace("%i", str(port)))
    args[0] = str(ROOT / ".venv" / "bin" / Path(args[0]).name)
    return args


@contextmanager
def app_server(db_path: Path, env: dict | None = None) -> Iterator[int]:
    """The app as systemd starts it (sign-in mode, no LIAISON_USER) on a free port; yields the port."""
    port = free_port()
    log = db_path.parent / f"app-{port}.log"
    full_env = {k: v for k, v in os.environ.items() if k != "LIAISON_USER"}
    full_env.update({"DATABASE_URL": f"sqlite:///{db_path}", "LIAISON_DATA_DIR": str(db_path.parent), **(env or {})})
    with open(log, "wb") as out:
        proc = subprocess.Popen(unit_command(port), cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        _wait(f"http://127.0.0.1:{port}/_stcore/health", proc, log, None)
        yield port
    finally:
        stop_process(proc)


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1 (openssl), as (certificate, key)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def render_site(app_port: int, https_port: int, http_port: int, cert: Path, key: Path) -> str:
    """deploy/nginx-liaison.conf for this test: loopback ports, one app server, the test certificate."""
    text = SITE.read_text()
    text = re.sub(r"^\s*server 127\.0\.0\.1:8502 .*\n", "", text, flags=re.M)
    text = text.replace("127.0.0.1:8501", f"127.0.0.1:{app_port}")
    text = re.sub(r"^\s*listen \[::\]:\d+.*\n", "", text, flags=re.M)
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("https://$host$request_uri", f"https://$host:{https_port}$request_uri")
    text = text.replace("/etc/ssl/liaison/fullchain.pem", str(cert)).replace("/etc/ssl/liaison/privkey.pem", str(key))
    text = text.replace("/var/log/nginx/liaison.access.log", str(cert.parent / "access.log"))
    text = text.replace("/var/log/nginx/liaison.error.log", str(cert.parent / "error.log"))
    assert str(app_port) in text and str(https_port) in text and str(cert) in text, "the template changed shape"
    return text


@contextmanager
def nginx(app_port: int, directory: Path) -> Iterator[tuple[int, int]]:
    """nginx in the foreground with its own prefix in `directory`; yields (https port, http port)."""
    if not Path(NGINX).exists():
        raise RuntimeError("nginx not found: apt-get install nginx (scripts/test installs it)")
    cert, key = self_signed(directory)
    https_port, http_port = free_port(), free_port()
    temp = directory / "temp"
    temp.mkdir()
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    (directory / "nginx.conf").write_text(f"""{user}
daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {directory}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{render_site(app_port, https_port, http_port, cert, key)}
}}
""")
    log = directory / "nginx.out"
    with open(log, "wb") as out:
        proc = subprocess.Popen([NGINX, "-p", str(directory), "-c", str(directory / "nginx.conf"), "-e",
                                 str(directory / "error.log")], stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        _wait(f"http://127.0.0.1:{http_port}/", proc, directory / "error.log", 301)
        yield https_port, http_port
    finally:
        stop_process(proc)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _wait(url: str, proc: subprocess.Popen, log: Path, status: int | None, timeout: float = 90) -> None:
    """Until `url` answers (`status`, or 200 with "ok"), or fail with the log."""
    opener = urllib.request.build_opener(_NoRedirect)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}:\n{_tail(log)}")
        try:
            with opener.open(url, timeout=2) as resp:
                if status is None and resp.read().decode().strip() == "ok":
                    return
        except urllib.error.HTTPError as exc:
            if exc.code == status:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout}s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"


def sign_in(page, name: str, password: str) -> str:
    """Sign in on the sign-in screen; wait until the session cookie is set and the app drawn. Returns the cookie."""
    from crm.i18n import t
    from tests.support.browser import wait_for_app

    page.get_by_label(t("auth.username", "en"), exact=True).fill(name)
    page.get_by_label(t("auth.password", "en"), exact=True).fill(password)
    page.get_by_role("button", name=t("auth.sign_in", "en"), exact=True).click()
    deadline = time.monotonic() + 30
    while not (found := [c["value"] for c in page.context.cookies() if c["name"] == "liaison_session"]):
        assert time.monotonic() < deadline, "no session cookie 30 s after signing in"
        page.wait_for_timeout(100)
    page.wait_for_url(lambda url: "/session/start" not in url, timeout=30_000)
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=30_000)
    wait_for_app(page)
    return found[0]
