"""Changing one's own password: on the sign-in screen (user name and current password; also where a password no
longer meets the rules and must be changed to sign in) and, signed in, in the sidebar (the other sessions end)."""


import streamlit as st

from crm.accounts import auth, passwords, users
from crm.errors import ValidationFailed
from crm.store.writes import Actor
from crm.ui import session
from crm.ui.shell import guard, lang, plain, show_error, sign_in, tr

MUST_CHANGE_KEY = "_pw_must_change"  # the name that signed in with a password the rules refuse now
FIELD_LABELS = {"password": "auth.password", "username": "auth.username", "role": "users.role",
                "display_name": "users.display_name"}


def show_refusal(exc: BaseException) -> None:
    """An account form's refusal in the user's language, the field named as the form labels it."""
    if isinstance(exc, ValidationFailed):
        detail = "; ".join(f"{tr(FIELD_LABELS[field]) if field in FIELD_LABELS else field}: {text}"
                           for field, text in exc.field_messages(lang()).items())
        st.error(tr("err.validation", detail=plain(detail)))
    else:
        show_error(exc)


def refusals():
    """`crm.ui.shell.guard` for the account forms: a refusal names the field by its label."""
    return guard(show_refusal)


def rules() -> None:
    st.caption(tr("auth.pw_rules", min=passwords.min_length()))


def _new_password_fields(prefix: str) -> tuple[str, str]:
    new = st.text_input(tr("auth.new_password"), type="password", max_chars=1024, key=f"{prefix}_new",
                        autocomplete="new-password")
    repeat = st.text_input(tr("auth.repeat_new_password"), type="password", max_chars=1024, key=f"{prefix}_repeat",
                           autocomplete="new-password")
    rules()
    return new, repeat


def must_change(name: str, reason: tuple[str, dict]) -> None:
    """The password was right but breaks today's rules: say why, and open the change form (no sign-in yet)."""
    st.session_state[MUST_CHANGE_KEY] = name
    st.warning(tr("auth.weak_current", reason=tr(reason[0], **reason[1])))


def sign_in_screen_form() -> None:
    """'Change my password' on the sign-in screen: name, current and new password; signs in when it worked."""
    forced = st.session_state.get(MUST_CHANGE_KEY)
    with st.expander(tr("auth.change_password"), icon=":material/key:", expanded=bool(forced)):
        with st.form("pw_change"):
            name = st.text_input(tr("auth.change_username"), value=forced or "", max_chars=200, key="pw_change_name",
                                 autocomplete="username")
            current = st.text_input(tr("auth.current_password"), type="password", max_chars=1024,
                                    key="pw_change_current", autocomplete="current-password")
            new, repeat = _new_password_fields("pw_change")
            submitted = st.form_submit_button(tr("auth.change_password"), type="primary")
        if not submitted:
            return
        if new != repeat:
            st.error(tr("auth.passwords_differ"))
            return
        try:
            me = auth.change_own_password(name, current, new, ip=session.client()[1])
        except Exception as exc:  # noqa: BLE001 - every refusal is a message in the user's language
            show_refusal(exc)
            return
    st.session_state.pop(MUST_CHANGE_KEY, None)
    sign_in(me)


def sidebar_form(me: Actor) -> None:
    """'Change my password' for the signed-in user (accounts with a password of their own, not in local mode)."""
    if auth.local_mode_user() or not users.has_password(me.username):
        return
    with st.popover(tr("auth.change_password"), icon=":material/key:"):
        with st.form("my_pw", clear_on_submit=True):
            st.caption(tr("auth.change_help"))
            current = st.text_input(tr("auth.current_password"), type="password", max_chars=1024,
                                    key="my_pw_current", autocomplete="current-password")
            new, repeat = _new_password_fields("my_pw")
            submitted = st.form_submit_button(tr("auth.change_password"), type="primary")
        if not submitted:
            return
        if new != repeat:
            st.error(tr("auth.passwords_differ"))
            return
        try:
            auth.change_own_password(me.username, current, new, ip=session.client()[1],
                                     keep_session_id=session.resolve().session_id)
        except auth.LoginRefused:
            st.error(tr("auth.bad_current"))
        except Exception as exc:  # noqa: BLE001 - every refusal is a message in the user's language
            show_refusal(exc)
        else:
            st.success(tr("auth.password_changed"))
