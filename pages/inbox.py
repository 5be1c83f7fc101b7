"""inbox page: what needs the user's attention (crm.reminders.inbox), read / unread, and their reminder address."""

import streamlit as st

from crm.accounts.users import get_user, set_own_email
from crm.i18n import date_text, t
from crm.reminders import inbox
from crm.ui.inbox_view import opening_table
from crm.ui.shell import actor, guard, lang

current = lang()


def tr(key: str, **params) -> str:
    return t(key, current, **params)


st.title(tr("page.inbox"))
st.caption(tr("inbox.intro"))
me = actor()
with guard():
    rows = inbox.items(me, current)
    unread_only = st.toggle(tr("inbox.unread_only"), value=True, key="inbox_unread_only")
    shown = [r for r in rows if not (unread_only and r["read"])]
    if not shown:
        st.info(tr("inbox.empty"))
    else:
        opening_table("inbox_items", [tr("inbox.col.day"), tr("inbox.col.category"), tr("inbox.col.what"),
                                      tr("inbox.col.read")],
                      [(date_text(r["day"], current), inbox.label(r["category"], current), r["title"],
                        tr("inbox.yes") if r["read"] else tr("inbox.no")) for r in shown],
                      [(r["page"], r["record_id"]) for r in shown], [r["key"] for r in shown], me)
    cols = st.columns(4)
    if cols[0].button(tr("inbox.mark_all_read"), key="inbox_all_read", icon=":material/done_all:",
                      disabled=not any(not r["read"] for r in rows)):
        inbox.mark_read(me, [r["key"] for r in rows])
        st.rerun()
    if cols[1].button(tr("inbox.mark_unread"), key="inbox_all_unread", icon=":material/mark_email_unread:",
                      disabled=not any(r["read"] for r in rows)):
        inbox.mark_read(me, [r["key"] for r in rows], read=False)
        st.rerun()

with guard():
    user = get_user(me.username)
    with st.form("inbox_email"):
        email = st.text_input(tr("inbox.email"), value=user.email if user else "", max_chars=254,
                              help=tr("inbox.email_help"))
        if st.form_submit_button(tr("inbox.email_save")):
            with guard():
                set_own_email(me, email)
                st.success(tr("inbox.email_saved"))
