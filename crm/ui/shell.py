"""The app shell: database start-up, language, acting user, errors shown in the user's language."""

import logging
import traceback
import uuid
from contextlib import contextmanager

import streamlit as st

from crm import config
from crm.errors import LiaisonError, ValidationFailed
from crm.i18n import LANGUAGES, normalise_lang, t
from crm.writes import Actor

log = logging.getLogger("liaison")
LANG_KEY = "lang"
LANG_NAMES = {"zh-TW": "繁體中文", "en": "English"}


@st.cache_resource(show_spinner=False)
def _ready_engine(url: str):
    from crm.db import ensure_ready, get_engine

    return ensure_ready(get_engine(url))


def ensure_database() -> None:
    """Create and migrate the database once per process (first run included)."""
    _ready_engine(config.database_url())


def lang() -> str:
    """The current language: session choice, else `?lang=`, else the configured default."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = normalise_lang(st.query_params.get("lang") or config.default_language())
    return st.session_state[LANG_KEY]


def tr(key: str, **params) -> str:
    return t(key, lang(), **params)


def sync_lang_from_url() -> None:
    """A link with `?lang=` wins over the session (so a shared link opens in its language)."""
    wanted = st.query_params.get("lang")
    if wanted and normalise_lang(wanted) != st.session_state.get(LANG_KEY):
        st.session_state[LANG_KEY] = normalise_lang(wanted)
    st.query_params["lang"] = lang()


def language_selector() -> None:
    def _changed() -> None:
        st.session_state[LANG_KEY] = st.session_state["_lang_choice"]
        st.query_params["lang"] = st.session_state[LANG_KEY]

    current = lang()
    st.sidebar.selectbox(t("app.language", current), LANGUAGES, index=LANGUAGES.index(current),
                         format_func=LANG_NAMES.get, key="_lang_choice", on_change=_changed)


def actor() -> Actor:
    """Who is acting. Until log-in (issue 7), the configured local user."""
    current = st.session_state.get("actor")
    if current is None:
        from crm.users import ensure_local_user

        current = ensure_local_user()
        st.session_state["actor"] = current
    return current


def show_error(exc: BaseException) -> None:
    """Say what went wrong in the user's language; never show a traceback."""
    if isinstance(exc, ValidationFailed):
        st.error(exc.message(lang()))
    elif isinstance(exc, LiaisonError):
        st.error(exc.message(lang()))
    else:
        code = uuid.uuid4().hex[:8]
        log.error("unexpected error %s\n%s", code, "".join(traceback.format_exception(exc)))
        st.error(tr("app.unexpected_error", code=code))


@contextmanager
def guard():
    """Run a block; a domain error or crash becomes a message, not a traceback."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - every error must reach the user as a message
        if type(exc).__name__ in ("RerunException", "StopException", "SwitchPageException"):
            raise
        show_error(exc)


@st.cache_data(ttl=60, show_spinner=False)
def _is_demo(url: str) -> bool:
    from crm.records import is_demo_database

    return is_demo_database()


def demo_banner() -> None:
    """Mark a database that holds demo data, on every page."""
    if _is_demo(config.database_url()):
        st.sidebar.info(tr("app.demo_banner"), icon=":material/info:")
