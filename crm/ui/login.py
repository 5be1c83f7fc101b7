"""The log-in screen: password form, first administrator on a fresh install, single sign-on button."""

from typing import Literal

import streamlit as st

from crm.accounts import auth, passwords, sessions
from crm.ui import password as password_forms
from crm.ui.session import SIGNED_OUT_KEY, client
from crm.ui.shell import guard, lang, language_selector, plain, show_error, sign_in, tr


def sso_provider() -> str | None | Literal[False]:
    """False when Streamlit OIDC is not configured; else the provider name to pass to st.login (or None)."""
    try:
        if not st.secrets.load_if_toml_exists() or "auth" not in st.secrets:
            return False
        section = st.secrets["auth"]
    except Exception:  # noqa: BLE001 - unreadable secrets: no SSO, local accounts only
        return False
    if "client_id" in section:
        return None
    names = [k for k, v in section.items() if hasattr(v, "keys") and "client_id" in v]
    return names[0] if names else False


def sso_sign_in(reason: str | None) -> bool:
    """If the provider has signed this browser in, map it to a Liaison account and sign in (stops the run).
    Not straight back in after a session ended on the server (idle, revoked, disabled): that takes a click."""
    if sso_provider() is False or not getattr(st.user, "is_logged_in", False) or reason:
        return False
    try:
        me = auth.sso_actor(st.user.to_dict())
    except Exception as exc:  # noqa: BLE001 - shown as a message; the provider session is ended
        show_error(exc)
        if st.button(tr("auth.sso_sign_out")):
            st.logout()
        return False
    sign_in(me, via="sso")
    return True


def login_screen() -> None:
    """Draw the log-in page (nobody is signed in); reruns the app after a successful log-in."""
    with st.sidebar:
        language_selector()
    st.title(tr("auth.title"))
    reason = st.session_state.get(SIGNED_OUT_KEY) or ("expired" if st.query_params.get("signin") else None)
    if reason == "idle":
        st.info(tr("auth.signed_out_idle", minutes=sessions.idle_minutes()))
    elif reason in ("disabled", "password"):
        st.warning(tr(f"auth.signed_out_{reason}"))
    elif reason in ("expired", "revoked", "unknown", "signed_out"):
        st.info(tr(f"auth.signed_out_{reason}"))
    sso_sign_in(reason)
    with guard():
        first_run = auth.needs_first_admin()
    if first_run:
        _first_admin_form()
        return
    provider = sso_provider()
    if provider is not False:
        if st.button(tr("auth.sso_button"), type="primary"):
            st.login(provider) if provider else st.login()
        st.caption(tr("auth.or_local"))
    with st.form("login"):
        name = st.text_input(tr("auth.username"), max_chars=200, autocomplete="username", key="login_name")
        password = st.text_input(tr("auth.password"), type="password", max_chars=1024,
                                 autocomplete="current-password", key="login_password")
        submitted = st.form_submit_button(tr("auth.sign_in"), type="primary")
    if submitted:
        _sign_in(name, password)
    password_forms.sign_in_screen_form()
    st.caption(tr("auth.help"))


def _sign_in(name: str, password: str) -> None:
    """Check the password; sign in, or — right but against today's rules — ask for a new one first."""
    weak = passwords.problem(password, (name or "").strip())
    check = auth.authenticate if weak is None else auth.check_credentials
    try:
        me = check(name, password, ip=client()[1])
    except (auth.LoginRefused, auth.LockedOut, auth.Busy) as exc:
        st.error(plain(exc.message(lang())))
        return
    except Exception as exc:  # noqa: BLE001
        show_error(exc)
        return
    if weak is None:
        sign_in(me)
    else:
        password_forms.must_change((name or "").strip(), weak)


def _first_admin_form() -> None:
    st.info(tr("auth.first_run"))
    st.code("python -m crm users add NAME --role admin", language="bash")
    with st.form("first_admin"):
        code = st.text_input(tr("auth.setup_code"), max_chars=40, help=tr("auth.setup_code_help"))
        name = st.text_input(tr("auth.username"), max_chars=64)
        password = st.text_input(tr("auth.password"), type="password", max_chars=1024)
        repeat = st.text_input(tr("auth.repeat_password"), type="password", max_chars=1024)
        password_forms.rules()
        submitted = st.form_submit_button(tr("auth.create_admin"), type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error(tr("auth.passwords_differ"))
        return
    try:
        me = auth.create_first_admin(name, password, code)
    except Exception as exc:  # noqa: BLE001
        password_forms.show_refusal(exc)
        return
    sign_in(me, via="setup")
