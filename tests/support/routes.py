"""Call the app's own HTTP routes (crm.accounts.routes) in-process, as a browser would, without a server."""

import asyncio
import threading
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    cookies: dict[str, str] = field(default_factory=dict)  # cookies set (a cleared one maps to "")
    cookie_flags: dict[str, str] = field(default_factory=dict)  # the Set-Cookie line of each
    body: bytes = b""

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")


def get(url: str, cookies: dict[str, str] | None = None, headers: dict[str, str] | None = None,
        client: str = "127.0.0.1", scheme: str = "http", routes: list | None = None) -> Answer:
    """GET `url` (a path with its query) from the routes (`routes`, default the session routes); what they answered."""
    from starlette.applications import Starlette

    from crm.accounts.routes import ROUTES

    parts = urlsplit(url)
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    if cookies:
        raw.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    scope = {"type": "http", "method": "GET", "path": parts.path, "raw_path": parts.path.encode(),
             "query_string": parts.query.encode(), "headers": raw, "client": (client, 50000),
             "server": ("127.0.0.1", 8501), "scheme": scheme, "http_version": "1.1", "root_path": ""}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    def run() -> None:  # in a thread of its own: Playwright's sync API keeps an event loop in this one
        asyncio.run(Starlette(routes=ROUTES if routes is None else routes)(scope, receive, send))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    start = next(m for m in sent if m["type"] == "http.response.start")
    pairs = [(k.decode(), v.decode()) for k, v in start["headers"]]
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    answer = Answer(start["status"], pairs, body=body)
    for name, value in pairs:
        if name.lower() == "set-cookie":
            jar = SimpleCookie(value)
            for key, morsel in jar.items():
                answer.cookies[key] = morsel.value
                answer.cookie_flags[key] = value
    return answer
