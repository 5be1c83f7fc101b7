"""Saved views beside a list: the reader's own and the office's, opened with one click (a view is the list's URL
parameters), and the current filters saved under a name, for oneself or shared."""

import streamlit as st

from crm.records import saved_views
from crm.ui import url_params as url
from crm.ui.shell import actor, guard, lang, plain, tr

FILTER_WIDGETS = ("q", "period", "status", "tag", "country", "city", "kind", "owner", "sort", "asc", "mine")
"""The keys (after `<kind>_`) of the list's filter widgets (crm.ui.list_filters), which follow the URL again."""


def _open(kind_name: str, params: dict) -> None:
    for name in FILTER_WIDGETS:
        st.session_state.pop(f"{kind_name}_{name}", None)
    for name in saved_views.VIEW_PARAMS + ("page",):
        if name in st.query_params:
            del st.query_params[name]
    for name, value in params.items():
        st.query_params[name] = value
    st.query_params["lang"] = lang()
    st.rerun()


def views_panel(kind_name: str) -> None:
    """The views in a row above the list (each a button), and a small form that saves the current one."""
    me = actor()
    bar = st.container(horizontal=True, vertical_alignment="center", key=f"{kind_name}_views", gap="small")
    bar.caption(tr("views.title"), width="content")
    found = saved_views.views_for(me.id, kind_name)
    for view in found:
        row = bar.container(horizontal=True, key=f"{kind_name}_view_{view['id']}", gap=None, width="content")
        icon = ":material/groups:" if view["shared"] else ":material/bookmark:"
        if row.button(plain(view["name"]), key=f"{kind_name}_open_view_{view['id']}", icon=icon, type="tertiary",
                      help=tr("views.shared" if view["shared"] else "views.private")):
            _open(kind_name, view["params"])
        if (view["mine"] or (me.is_admin and view["shared"])) and row.button(
                "", key=f"{kind_name}_drop_view_{view['id']}", icon=":material/close:", type="tertiary",
                help=tr("views.delete")):
            with guard():
                saved_views.delete_view(me, view["id"])
                st.rerun()
    with bar.popover(tr("views.save"), icon=":material/bookmark_add:"), \
            st.form(f"{kind_name}_save_view", border=False, enter_to_submit=False):
            name = st.text_input(tr("views.name"), max_chars=saved_views.MAX_NAME, key=f"{kind_name}_view_name",
                                 placeholder=tr("views.name_hint"))
            shared = st.checkbox(tr("views.share"), key=f"{kind_name}_view_shared")
            if st.form_submit_button(tr("views.save_button"), type="primary"):
                params = {k: url.text(k) for k in saved_views.VIEW_PARAMS}
                with guard():
                    saved_views.save_view(me, kind_name, name, params, shared=shared)
                    st.rerun()
