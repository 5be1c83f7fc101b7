"""activity page: recent changes by colleagues, office-wide or of one record (`?kind=visits&id=3`), from the
audit log (crm.reminders.activity), in the user's language; a click opens the record."""

import streamlit as st

from crm.i18n import t
from crm.reminders.activity import RECORD_KINDS, recent
from crm.ui import url_params as url
from crm.ui.shell import actor, guard, lang
from crm.ui.views import record_table

current = lang()


def tr(key: str, **params) -> str:
    return t(key, current, **params)


st.title(tr("page.activity"))
st.caption(tr("activity.intro"))
me = actor()
with guard():
    kind = url.choice("kind", RECORD_KINDS) or None
    try:
        record_id = url.record_id() if kind else None
    except url.BadParam:
        kind = record_id = None
    mine_too = st.toggle(tr("activity.mine_too"), value=kind is not None, key="activity_mine")
    rows = recent(current, kind=kind if record_id else None, record_id=record_id,
                  exclude_user_id=None if mine_too else me.id)
    if not rows:
        st.info(tr("activity.empty"))
    else:
        record_table("activity_rows", [tr("activity.col.when"), tr("activity.col.who"), tr("activity.col.action"),
                                       tr("activity.col.kind"), tr("activity.col.what")],
                     [(r["when"], r["who"], r["action"], r["kind"], r["what"]) for r in rows],
                     [(r["page"], r["record_id"]) for r in rows], rows_shown=15)
