"""The app shell: database start-up, language, acting user, errors shown in the user's language."""

import copy
import logging
import re
import traceback
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

import streamlit as st

from crm import config
from crm.errors import LiaisonError, StaleRecord, ValidationFailed
from crm.i18n import LANGUAGES, normalise_lang, t
from crm.store.engine import DatabaseBusy, busy_error
from crm.store.writes import Actor
from crm.ui import streamlit_internals
from crm.views.navigation import PageSpec

log = logging.getLogger("liaison")
LANG_KEY = "lang"
T = TypeVar("T")
LANG_NAMES = {"zh-TW": "繁體中文", "en": "English"}


@st.cache_resource(show_spinner=False)
def _ready_engine(url: str):
    from crm.store.engine import ensure_ready, get_engine

    return ensure_ready(get_engine(url))


def ensure_database() -> None:
    """Create and migrate the database once per process (first run included)."""
    _ready_engine(config.database_url())


def leave_pages_directory_mode() -> None:
    """Never let Streamlit run a `pages/x.py` file directly, bypassing streamlit_app.py and its log-in.

    Every page reaches this function first (through `lang()`/`tr()`), so the first run of a fresh
    process switches Streamlit's "pages directory" mode off and reruns through streamlit_app.py
    (crm.ui.streamlit_internals.leave_pages_directory_mode).
    """
    streamlit_internals.leave_pages_directory_mode()


_NAV_PAGES: dict[tuple, dict[str, list]] = {}


def navigation_pages(sections: dict[str, list[PageSpec]], current: str) -> dict[str, list]:
    """The st.Page objects of these navigation sections in `current`'s titles, built once per process.

    Building an st.Page resolves its script on the disk (realpath): 23 pages cost a few ms on every
    rerun of every page. A page holds only its path, title, icon and URL, so the ones built once are
    copied for each run (st.navigation marks the copy it returns as runnable: a shared object would
    let two sessions' runs race on that mark).
    """
    script = streamlit_internals.main_script_path()
    key = (script or "", current, tuple((name, tuple(specs)) for name, specs in sections.items()))
    made = _NAV_PAGES.get(key)
    if made is None:
        made = {t(section, current): [st.Page(f"pages/{spec.name}.py", title=t(f"page.{spec.name}", current),
                                              icon=spec.icon, url_path=spec.name, default=spec.default)
                                      for spec in specs]
                for section, specs in sections.items()}
        if script is not None:
            _NAV_PAGES[key] = made
    return {section: [copy.copy(page) for page in pages] for section, pages in made.items()}


def _once_per_run(name: str, read: Callable[[], T]) -> T:
    """`read()` once per script run, kept on the run's context (crm.ui.streamlit_internals.run_context_value)."""
    return streamlit_internals.run_context_value(name, read)


def this_run(name: str) -> dict:
    """A dict kept for the current script run only (which forms it drew…): the next run starts with an empty one."""
    return _once_per_run(name, dict)


def _forget_this_run(name: str) -> None:
    """Drop what `_once_per_run(name, …)` kept, so that the next call in this run reads again."""
    streamlit_internals.forget_run_context_value(name)


_RUN_LANG = "_liaison_run_lang"


def lang() -> str:
    """The current language: session choice, else `?lang=`, else the configured default.

    Read from the session once per script run (a page asks for it at each of its ~30 texts, and
    each session-state read takes its locks); setting it through this module forgets that reading.
    """
    return _once_per_run(_RUN_LANG, _read_lang)


def _read_lang() -> str:
    leave_pages_directory_mode()
    if LANG_KEY not in st.session_state:
        from crm.accounts.settings import default_language

        st.session_state[LANG_KEY] = normalise_lang(st.query_params.get("lang") or default_language())
    return st.session_state[LANG_KEY]


def _set_lang(value: str) -> None:
    st.session_state[LANG_KEY] = value
    _forget_this_run(_RUN_LANG)


def tr(key: str, **params) -> str:
    return t(key, lang(), **params)


def sync_lang_from_url() -> None:
    """A link with `?lang=` wins over the session (so a shared link opens in its language)."""
    wanted = st.query_params.get("lang")
    if wanted and normalise_lang(wanted) != st.session_state.get(LANG_KEY):
        _set_lang(normalise_lang(wanted))
    st.query_params["lang"] = lang()


def language_selector() -> None:
    def _changed() -> None:
        _set_lang(st.session_state["_lang_choice"])
        st.query_params["lang"] = st.session_state[LANG_KEY]

    current = lang()
    st.sidebar.selectbox(t("app.language", current), LANGUAGES, index=LANGUAGES.index(current),
                         format_func=LANG_NAMES.__getitem__, key="_lang_choice", on_change=_changed)


_RUN_ACTOR = "_liaison_run_actor"


def signed_in() -> Actor | None:
    """The signed-in account, resolved once per script run (full or fragment) from the session cookie and the
    database (crm.ui.session): a reload or a new tab finds it, and a sign-out, a disabled account, an idle or
    expired session or a revoked one applies on the next click. Local mode (`LIAISON_USER`) acts as that
    account without signing in."""
    return _once_per_run(_RUN_ACTOR, _read_signed_in)


def _forget_run_actor() -> None:
    _forget_this_run(_RUN_ACTOR)


def _read_signed_in() -> Actor | None:
    from crm.accounts import auth

    local = auth.local_mode_user()
    if local:
        from crm.accounts.users import ensure_local_user

        ensure_local_user()
        return auth.current_actor(local)
    from crm.ui import session

    return session.resolve().actor


def fragment(func: Callable[..., None]) -> Callable[..., None]:
    """`st.fragment`, but every rerun of it first resolves the session (a fragment rerun skips the app script):
    after a sign-out elsewhere, an idle limit, a revoked session or a disabled account, a click inside it
    shows the sign-in screen instead of answering."""
    import functools

    @functools.wraps(func)
    def run(*args, **kwargs) -> None:
        _forget_run_actor()
        if signed_in() is None:
            st.rerun(scope="app")
        func(*args, **kwargs)

    return st.fragment(run)


def sign_in(me: Actor, via: str = "password") -> None:
    """Signed in (password checked or provider mapped): on to /session/start for the cookie; stops the run."""
    from crm.ui import session

    _forget_run_actor()
    session.begin(me, via, continue_label=tr("auth.continue"))


def sign_out(reason: str = "signed_out") -> None:
    """End this browser's session in the database and drop its cookie; stops the run."""
    from crm.ui import session

    _forget_run_actor()
    session.end(reason)


def actor() -> Actor:
    """Who is acting, as the database says now; stops the page when nobody is signed in."""
    me = signed_in()
    if me is None:
        st.warning(tr("auth.please_sign_in"))
        st.stop()
    return me


def show_error(exc: BaseException) -> None:
    """Say what went wrong in the user's language; never show a traceback. A save that waited for another
    writer (an import) past the limit says so: nothing was saved, and trying again in a moment will do."""
    busy = exc if isinstance(exc, DatabaseBusy) else None if isinstance(exc, LiaisonError) else busy_error(exc)
    if busy is not None:
        st.warning(busy.message(lang()), icon=":material/hourglass_top:")
    elif isinstance(exc, ValidationFailed):
        st.error(plain(exc.message(lang())))
    elif isinstance(exc, StaleRecord):
        st.error(plain(exc.message(lang())))
        show_conflict(exc)
    elif isinstance(exc, LiaisonError):
        st.error(plain(exc.message(lang())))
    else:
        code = uuid.uuid4().hex[:8]
        log.error("unexpected error %s\n%s", code, "".join(traceback.format_exception(exc)))
        st.error(tr("app.unexpected_error", code=code))


@contextmanager
def guard(show: Callable[[BaseException], None] | None = None):
    """Run a block; a domain error or crash becomes a message (`show`, default `show_error`), not a traceback."""
    try:
        yield
    except Exception as exc:  # every error must reach the user as a message
        if streamlit_internals.is_script_control(exc):
            raise
        (show or show_error)(exc)


def _is_demo() -> bool:
    """Kept per data version (crm.store.cache: another app server's write is seen within a second)."""
    from crm.records.queries import is_demo_database

    return is_demo_database()


def demo_banner() -> None:
    """Mark a database that holds demo data, on every page."""
    if _is_demo():
        st.sidebar.info(tr("app.demo_banner"), icon=":material/info:")


def show_conflict(exc: StaleRecord, mine: dict | None = None) -> None:
    """Both versions of a record refused as stale: what is saved now, and (if given) what the user typed."""
    from crm.records.audit import conflict_rows

    rows = conflict_rows(exc.theirs, mine)
    if rows:
        st.dataframe(
            [{tr("audit.field"): r["field"], tr("audit.saved_now"): r["theirs"],
              **({tr("audit.yours"): r["mine"]} if mine is not None else {})} for r in rows],
            hide_index=True, width="stretch")


def sign_out_button() -> None:
    """A sign-out button (not in local mode, where nobody signed in)."""
    from crm.accounts import auth

    if auth.local_mode_user():
        return
    if st.button(tr("auth.sign_out"), key="_sign_out", icon=":material/logout:"):
        sign_out()


_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:=&^@")
_LINK_LIKE = re.compile(r"(?i)(://|www(?=\.)|@)")  # what GitHub Markdown links in plain text: http://, www., a@b
WORD_JOINER = "\u2060"  # invisible, no width: keeps a link-like run from being linked


def plain(text: object) -> str:
    """User text made safe for Streamlit's Markdown (titles, captions, st.markdown, widget labels, tabs, links): every
    Markdown, LaTeX, icon-shortcode, colour-directive and HTML character becomes a numeric character reference
    (`*` → `&#42;`), so a name shows as typed and never draws an image, bold text or a formula. A bare
    `http://…`, `www.…` or `a@b.c` is linked by GitHub Markdown after escapes and references are read, so a word
    joiner (invisible) goes after `://`, `www` and `@`: the text shows as typed and is never a link."""
    raw = _LINK_LIKE.sub(lambda m: m.group(1) + WORD_JOINER, str(text if text is not None else ""))
    return "".join(f"&#{ord(c)};" if c in _MD_SPECIAL else c for c in raw)
