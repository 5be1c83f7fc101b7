"""The inbox's widgets: its unread count in the sidebar, and a clickable list that marks what it opens as read."""

from collections.abc import Sequence

import streamlit as st

from crm.reminders import inbox
from crm.store.writes import Actor
from crm.ui.frames import text_table
from crm.ui.shell import lang, tr
from crm.ui.views import chosen_target, page_link


def sidebar_count(me: Actor) -> None:
    """"Inbox: 3 unread" in the sidebar, a link to the inbox (nothing when all is read or it cannot be read)."""
    try:
        n = inbox.unread_count(me)
    except Exception:  # noqa: BLE001 - a count never breaks the app's frame
        return
    if n:
        with st.sidebar:
            page_link("inbox", tr("inbox.sidebar", n=n), ":material/mark_email_unread:")


def opening_table(key: str, headers: Sequence[str], cells: Sequence[Sequence[str]], targets: Sequence[tuple[str, int]],
                  keys: Sequence[str], me: Actor) -> None:
    """A table whose clicked row opens its record (`targets`), after marking its item (`keys`) read."""
    event = st.dataframe(text_table(headers, cells), hide_index=True, width="stretch", key=key, on_select="rerun",
                         selection_mode="single-row", height=38 + 35 * max(1, min(len(cells), 15)))
    target = chosen_target(event, targets)
    if target is None:
        return
    rows = event["selection"]["rows"]
    inbox.mark_read(me, [keys[rows[0]]])
    st.switch_page(f"pages/{target[0]}.py", query_params={"id": str(target[1]), "lang": lang()})
