"""An account's sign-in sessions on the users page: where and since when it is signed in, and ending one."""

import streamlit as st

from crm.accounts import sessions
from crm.store.writes import Actor
from crm.ui.frames import columns_table
from crm.ui.shell import guard, lang, plain, tr
from crm.ui.timefmt import local_time


def user_sessions(me: Actor, user: dict) -> None:
    """The sessions of `user` (open first, then recently ended) with a button to end each open one."""
    st.subheader(tr("users.sessions", user=plain(user["username"])))
    rows: list[dict] = []
    with guard():
        rows = sessions.sessions_of(me, user["id"])
    if not rows:
        st.caption(tr("users.no_sessions"))
        return
    current = lang()
    st.dataframe(columns_table({
        tr("users.s_state"): [tr("users.s_open") if r["open"] else tr(f"users.s_end.{r['end_reason'] or 'ended'}")
                              for r in rows],
        tr("users.s_via"): [tr(f"users.s_via.{r['via']}") for r in rows],
        tr("users.s_started"): [local_time(r["created_at"], current) for r in rows],
        tr("users.s_seen"): [local_time(r["last_seen_at"], current) for r in rows],
        tr("users.s_ends"): [local_time(r["ended_at"] or r["expires_at"], current) for r in rows],
        tr("users.s_address"): [r["ip"] for r in rows],
        tr("users.s_browser"): [r["user_agent"] for r in rows]}), hide_index=True, width="stretch")
    open_rows = [r for r in rows if r["open"]]
    if not open_rows:
        return
    labels = {r["id"]: f"{local_time(r['created_at'], current)} · {r['ip'] or '?'} · {r['user_agent'][:60]}"
              for r in open_rows}
    cols = st.columns([3, 1], vertical_alignment="bottom")
    chosen = cols[0].selectbox(tr("users.s_choose"), list(labels), format_func=labels.__getitem__,
                               key=f"sessions_{user['id']}")
    if cols[1].button(tr("users.s_revoke"), icon=":material/logout:", key=f"revoke_{user['id']}"):
        with guard():
            sessions.revoke(me, chosen)
            st.success(tr("users.s_revoked"))
            st.rerun()
    if len(open_rows) > 1 and st.button(tr("users.s_revoke_all", n=len(open_rows)), key=f"revoke_all_{user['id']}"):
        with guard():
            for r in open_rows:
                sessions.revoke(me, r["id"])
            st.rerun()
