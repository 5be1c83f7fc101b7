"""The app's own HTTP routes for the session cookie (mounted beside Streamlit by crm/ui/server.py).

- GET /session/start?ticket=…&next=… redeems a one-time sign-in ticket (crm.accounts.sessions) for a new
  session token, sets it as an HttpOnly, SameSite=Lax cookie (Secure over https) and returns to `next`.
  A ticket is bound to the browser it was shown to (Streamlit's anti-forgery cookie), so a ticket sent to
  someone else signs them into nothing (no log-in forgery).
- GET /session/end?next=… clears the cookie, but only of a session that has already ended (the sign-out
  itself happens in the database, from the app): a forged link cannot sign anyone out.

`next` is only ever a path on this server.
"""

from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from crm.accounts import sessions

XSRF_COOKIE = "_streamlit_xsrf"


def safe_next(value: str | None) -> str:
    """`value` if it is a path on this server ("/visits?id=16"), else "/"."""
    text = (value or "").strip()
    if (not text.startswith("/") or text.startswith("//") or "\\" in text or any(ord(c) < 32 for c in text)
            or len(text) > 2000):
        return "/"
    parts = urlsplit(text)
    return "/" if parts.scheme or parts.netloc else text


def client_ip(request: Request) -> str:
    """The browser's address: the proxy's X-Forwarded-For when the request comes from a proxy on this machine."""
    direct = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
    return (forwarded if forwarded and direct in ("127.0.0.1", "::1") else direct)[:64]


def is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


def _redirect(url: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the ticket is in this URL
    return response


def _with(url: str, **params: str) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


async def start_session(request: Request) -> RedirectResponse:
    target = safe_next(request.query_params.get("next"))
    token = await run_in_threadpool(
        sessions.redeem_ticket, request.query_params.get("ticket", ""), browser=request.cookies.get(XSRF_COOKIE),
        user_agent=request.headers.get("user-agent", ""), ip=client_ip(request))
    if token is None:
        return _redirect(_with(target, signin="expired"))
    response = _redirect(target)
    response.set_cookie(sessions.COOKIE, token, max_age=sessions.lifetime_hours() * 3600, path="/", httponly=True,
                        samesite="lax", secure=is_https(request))
    return response


async def end_session(request: Request) -> RedirectResponse:
    response = _redirect(safe_next(request.query_params.get("next")))
    token = request.cookies.get(sessions.COOKIE)
    if token:
        found = await run_in_threadpool(sessions.resolve, token)
        if found.actor is None:
            response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return response


def base_path(base_url: str | None) -> str:
    """Streamlit's `server.baseUrlPath` ("liaison", "/liaison/") as a path prefix ("/liaison"; "" for none)."""
    base = (base_url or "").strip("/")
    return "/" + base if base else ""


def routes(base_url: str | None = "") -> list[Route]:
    """The session routes, under the app's base path (Streamlit does not prefix an app's own routes)."""
    prefix = base_path(base_url)
    return [Route(prefix + sessions.START_PATH, start_session, methods=["GET"]),
            Route(prefix + sessions.END_PATH, end_session, methods=["GET"])]


ROUTES = routes()
