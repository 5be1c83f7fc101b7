"""The calendar page's feed section: create a private feed address, list one's feeds, revoke one."""

from urllib.parse import urlsplit

import streamlit as st

from crm.accounts.routes import base_path
from crm.calendar import feeds
from crm.calendar.sources import SOURCES, source_names
from crm.i18n import LANGUAGES
from crm.ui.shell import LANG_NAMES, actor, guard, lang, plain, tr
from crm.ui.timefmt import local_time

NEW_FEED = "cal_new_feed"


def feed_url(token: str) -> str:
    """The feed's address on this server, as the browser reached it (scheme, host, port and base path)."""
    try:
        parts = urlsplit(str(st.context.url or ""))
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    except Exception:  # noqa: BLE001 - no request context (tests): a path alone
        origin = ""
    return f"{origin}{base_path(st.get_option('server.baseUrlPath'))}{feeds.FEED_PATH}/{token}.ics"


def _create(chosen: list[str], feed_lang: str) -> None:
    with guard():
        st.session_state[NEW_FEED] = feed_url(feeds.create_feed(actor(), tuple(chosen), feed_lang))


def _revoke(feed_id: int) -> None:
    with guard():
        feeds.revoke_feed(actor(), feed_id)
        st.session_state.pop(NEW_FEED, None)


def feed_section(default_sources: tuple[str, ...]) -> None:
    """Subscribe: choose kinds and a language, create an address (shown once), list and revoke one's feeds."""
    current = lang()
    with st.expander(tr("cal.feed.title"), icon=":material/rss_feed:", expanded=NEW_FEED in st.session_state):
        st.caption(tr("cal.feed.intro"))
        cols = st.columns([4, 2, 2], vertical_alignment="bottom")
        chosen = cols[0].multiselect(tr("cal.kinds"), source_names(), default=list(default_sources),
                                     format_func=lambda s: SOURCES[s].label(current), key="cal_feed_kinds")
        feed_lang = cols[1].selectbox(tr("cal.feed.language"), LANGUAGES, index=LANGUAGES.index(current),
                                      format_func=LANG_NAMES.__getitem__, key="cal_feed_lang")
        cols[2].button(tr("cal.feed.create"), key="cal_feed_create", icon=":material/add_link:",
                       on_click=_create, args=(chosen, feed_lang), disabled=not chosen)
        if NEW_FEED in st.session_state:
            st.success(tr("cal.feed.created"))
            st.code(st.session_state[NEW_FEED], language=None)
        st.markdown(f"**{tr('cal.feed.mine')}**")
        mine = []
        with guard():
            mine = feeds.my_feeds(actor())
        if not mine:
            st.caption(tr("cal.feed.none"))
        for feed in mine:
            row = st.columns([5, 2, 2, 1.5], vertical_alignment="center")
            row[0].write(", ".join(SOURCES[s].label(current) for s in feed.sources if s in SOURCES))
            row[1].write(plain(LANG_NAMES.get(feed.lang, feed.lang)))
            row[2].write(local_time(feed.created_at, current))
            if feed.revoked:
                row[3].write(tr("cal.feed.revoked"))
            else:
                row[3].button(tr("cal.feed.revoke"), key=f"cal_feed_revoke_{feed.id}", on_click=_revoke,
                              args=(feed.id,))
