"""users page: accounts and roles (administrators only)."""

import streamlit as st

from crm.accounts import passwords, users
from crm.accounts.users import ROLES
from crm.ui.frames import columns_table
from crm.ui.password import refusals
from crm.ui.sessions_view import user_sessions
from crm.ui.shell import actor, guard, lang, plain, tr
from crm.ui.timefmt import local_time

st.title(tr("page.users"))
me = actor()
if not me.is_admin:
    st.warning(tr("err.forbidden"))
    st.stop()

role_labels = {r: tr(f"role.{r}") for r in ROLES}
accounts: list[dict] = []
with guard():
    accounts = users.list_users(me)
current = lang()
st.dataframe(columns_table({
    tr("users.username"): [u["username"] for u in accounts],
    tr("users.display_name"): [u["display_name"] for u in accounts],
    tr("users.role"): [role_labels.get(u["role"], u["role"]) for u in accounts],
    tr("users.status"): [tr("users.active") if u["active"] else tr("users.disabled") for u in accounts],
    tr("users.password"): [tr("users.set") if u["has_password"] else tr("users.not_set") for u in accounts],
    tr("users.sso"): [u["sso_subject"] or "" for u in accounts],
    tr("users.last_login"): [local_time(u["last_login_at"], current) for u in accounts],
    tr("users.locked"): [local_time(u["locked_until"], current) for u in accounts]}), hide_index=True, width="stretch")

with st.expander(tr("users.add"), icon=":material/person_add:", expanded=not accounts), \
        st.form("add_user", clear_on_submit=True):
    cols = st.columns(2)
    name = cols[0].text_input(tr("users.username"), max_chars=64)
    display = cols[1].text_input(tr("users.display_name"), max_chars=200)
    role = cols[0].selectbox(tr("users.role"), ROLES, index=1, format_func=role_labels.__getitem__)
    password = cols[1].text_input(tr("users.new_password", min=passwords.min_length()), type="password",
                                  max_chars=1024, help=tr("auth.pw_rules", min=passwords.min_length()))
    st.caption(tr("users.add_help"))
    if st.form_submit_button(tr("users.add"), type="primary"):
        with refusals():
            users.add_user(me, name, role, password, display)
            st.success(tr("users.added", user=plain(name.strip())))
            st.rerun()

if accounts:
    st.subheader(tr("users.manage"))
    by_id = {u["id"]: u for u in accounts}
    labels = {u["id"]: f"{u['username']} ({role_labels.get(u['role'], u['role'])})" for u in accounts}
    chosen = st.selectbox(tr("users.choose"), list(by_id), format_func=labels.__getitem__, key="users_choice")
    user = by_id[chosen]
    cols = st.columns(2)
    with cols[0].form("user_role"):
        new_role = st.selectbox(tr("users.role"), ROLES, index=ROLES.index(user["role"]),
                                format_func=role_labels.__getitem__)
        new_display = st.text_input(tr("users.display_name"), value=user["display_name"], max_chars=200)
        sso = st.text_input(tr("users.sso"), value=user["sso_subject"] or "", max_chars=255,
                            help=tr("users.sso_help"))
        if st.form_submit_button(tr("users.save")):
            with guard():
                if new_role != user["role"]:
                    users.set_role(me, chosen, new_role)
                if new_display != user["display_name"]:
                    users.set_display_name(me, chosen, new_display)
                if (sso or None) != user["sso_subject"]:
                    users.set_sso_subject(me, chosen, sso)
                st.rerun()
    with cols[1].form("user_password", clear_on_submit=True):
        new_password = st.text_input(tr("users.new_password", min=passwords.min_length()), type="password",
                                     max_chars=1024, help=tr("auth.pw_rules", min=passwords.min_length()))
        if st.form_submit_button(tr("users.reset_password")):
            with refusals():
                users.set_password(me, chosen, new_password)
                st.success(tr("users.password_changed", user=plain(user["username"])))
    buttons = st.columns(3)
    if user["active"] and chosen != me.id and buttons[0].button(tr("users.disable"), icon=":material/block:"):
        with guard():
            users.set_active(me, chosen, False)
            st.rerun()
    if not user["active"] and buttons[0].button(tr("users.enable"), icon=":material/check_circle:"):
        with guard():
            users.set_active(me, chosen, True)
            st.rerun()
    if (user["failed_logins"] or user["locked_until"]) and buttons[1].button(tr("users.unlock"),
                                                                             icon=":material/lock_open:"):
        with guard():
            users.unlock(me, chosen)
            st.rerun()
    user_sessions(me, user)
