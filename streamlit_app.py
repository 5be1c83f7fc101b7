"""Liaison: the Streamlit entry point. Log-in, then the navigation (by role) and the shared sidebar."""

from pathlib import Path

import streamlit as st

from crm.i18n import t
from crm.ui import form_drafts, inbox_view, shell
from crm.ui import password as password_forms
from crm.ui.global_search import global_search
from crm.views.navigation import pages_for

st.set_page_config(page_title="Liaison", page_icon=str(Path(__file__).parent / "static" / "favicon.png"), layout="wide")

try:
    shell.ensure_database()
except Exception as exc:  # noqa: BLE001 - an unreachable database is a message, not a traceback
    st.error(t("app.db_unavailable", shell.lang(), reason=shell.plain(str(exc).splitlines()[0][:300])))
    st.stop()

shell.sync_lang_from_url()
lang = shell.lang()
me = shell.signed_in()  # the account as the database has it now: the session cannot grant a role


def _navigation(role: str, position: str = "sidebar"):
    return st.navigation(shell.navigation_pages(pages_for(role), lang), position=position, expanded=True)


if me is None:
    # Nobody signed in: register the pages hidden (the URL survives log-in) but run none of them.
    from crm.ui.login import login_screen

    _navigation("admin", position="hidden")
    login_screen()
    st.stop()

page = _navigation(me.role)
global_search()  # on every page, under the navigation
with st.sidebar:
    shell.language_selector()
    st.caption(t("app.acting_as", lang, user=shell.plain(me.username), role=t(f"role.{me.role}", lang)))
    shell.sign_out_button()
    password_forms.sidebar_form(me)
inbox_view.sidebar_count(me)
shell.demo_banner()
page.run()
form_drafts.left_behind()  # forms left with unsaved changes (kept as drafts), after the page drew its own
