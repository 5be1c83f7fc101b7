"""The browser's sign-in session as a script run sees it (crm.accounts.sessions holds the rules).

Every run, full or fragment, reads the session cookie (`st.context.cookies`: HttpOnly, set only by the
app's own /session/start route) and resolves it in the database, so a reload, a new tab or another app
server finds the same user, and a sign-out, a disabled account or an administrator's revocation applies
on the next click. A Streamlit session may also hold a token given to it on the server (tests, a load
driver) under AUTH_KEY; it is resolved the same way. Signing in hands the browser a one-time ticket and
sends it to /session/start, which sets the cookie and returns to the page the user asked for.
"""

import html
from urllib.parse import urlencode, urlsplit

import streamlit as st

from crm.accounts import sessions
from crm.store.writes import Actor

AUTH_KEY = "_liaison_auth"  # {"token": a session token given server-side} — never the user name or role
SIGNED_OUT_KEY = "_signed_out"  # why the sign-in screen is shown (idle, expired, revoked, disabled…)
_REFUSED_KEY = "_liaison_refused"  # the cookie already audited as refused in this Streamlit session
_ENDED_KEY = "_liaison_ended"  # the token this Streamlit session signed out itself (not a refusal)
XSRF_COOKIE = "_streamlit_xsrf"  # Streamlit's anti-forgery cookie: a sign-in ticket is bound to it


def _text(value: object) -> str:
    """A request value as text ("" when absent; AppTest, which has no request, answers with placeholders)."""
    return value if isinstance(value, str) else ""


def _token() -> str | None:
    cookie = _text(st.context.cookies.get(sessions.COOKIE))
    if cookie:
        return cookie
    state = st.session_state.get(AUTH_KEY)
    token = state.get("token") if isinstance(state, dict) else None
    return token if isinstance(token, str) and token else None


def client() -> tuple[str, str]:
    """The browser's user agent and address: the proxy's X-Forwarded-For only when the connection comes from a
    proxy on this machine (as crm.accounts.routes.client_ip), so a browser cannot name its own address and slip
    past, or cause, a lock-out by address."""
    headers = st.context.headers
    direct = _text(st.context.ip_address)
    forwarded = _text(headers.get("X-Forwarded-For")).split(",")[0].strip()
    address = forwarded if forwarded and direct in ("127.0.0.1", "::1") else direct
    return _text(headers.get("User-Agent"))[:300], address[:64]


def resolve() -> sessions.Resolved:
    """Who this browser's session signs in now; a refused cookie is audited once per Streamlit session."""
    token = _token()
    found = sessions.resolve(token)
    if found.actor is None and token:
        digest = sessions.token_hash(token)
        if digest not in (st.session_state.get(_REFUSED_KEY), st.session_state.get(_ENDED_KEY)):
            st.session_state[_REFUSED_KEY] = digest
            user_agent, ip = client()
            sessions.log_refused(token, found.reason, user_agent=user_agent, ip=ip)
            st.session_state[SIGNED_OUT_KEY] = found.reason
    return found


def current_path() -> str:
    """The path and query of the page the browser shows ("/visits?id=16&lang=en"): where to return after
    signing in."""
    url = _text(st.context.url)
    parts = urlsplit(url)
    path = parts.path or "/"
    query = urlencode({k: v for k, v in st.query_params.to_dict().items()})
    return path + ("?" + query if query else "") if path.startswith("/") else "/"


def app_path(path: str) -> str:
    """`path` of one of the app's own routes under Streamlit's base path (`server.baseUrlPath`)."""
    from crm.accounts.routes import base_path

    return base_path(st.get_option("server.baseUrlPath")) + path


def redirect(url: str) -> None:
    """Send the browser to one of the app's own routes (a page reload, so the cookie it sets is sent)."""
    st.markdown(f'<meta http-equiv="refresh" content="0; url={html.escape(url, quote=True)}">',
                unsafe_allow_html=True)


def begin(me: Actor, via: str, *, continue_label: str) -> None:
    """Signed in: issue the one-time ticket and send the browser to /session/start for its cookie."""
    user_agent, ip = client()
    ticket = sessions.issue_ticket(me, via, user_agent=user_agent, ip=ip,
                                   browser=_text(st.context.cookies.get(XSRF_COOKIE)) or None)
    url = app_path(sessions.START_PATH) + "?" + urlencode({"ticket": ticket, "next": current_path()})
    st.session_state.pop(SIGNED_OUT_KEY, None)
    redirect(url)
    st.link_button(continue_label, url, type="primary")
    st.stop()


def end(reason: str = "signed_out") -> None:
    """Sign out: the session ends in the database at once (a replayed cookie signs no one in), then the browser
    drops its cookie at /session/end (and, after single sign-on, leaves the provider too)."""
    token = _token()
    found = sessions.resolve(token)
    sessions.end(token, reason)
    if token:
        st.session_state[_ENDED_KEY] = sessions.token_hash(token)
    st.session_state.pop(AUTH_KEY, None)
    if found.actor is not None:
        from crm.accounts import auth

        auth.log_out(found.actor, reason)
    after = app_path("/auth/logout") if found.via == "sso" else app_path("/") + "?" + urlencode(
        {"lang": st.query_params.get("lang", "")})
    redirect(app_path(sessions.END_PATH) + "?" + urlencode({"next": after}))
    st.stop()
