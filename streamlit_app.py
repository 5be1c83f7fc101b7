"""Liaison: the Streamlit entry point. Builds the navigation from pages/ and the shared sidebar."""

import streamlit as st

from crm.i18n import t
from crm.navigation import pages_for
from crm.ui import shell

# An emoji icon is drawn locally (data: URL); a ":material/...:" favicon is fetched from fonts.gstatic.com.
st.set_page_config(page_title="Liaison", page_icon="🌏", layout="wide")

try:
    shell.ensure_database()
except Exception as exc:  # noqa: BLE001 - an unreachable database is a message, not a traceback
    st.error(t("app.db_unavailable", shell.lang(), reason=str(exc).splitlines()[0][:300]))
    st.stop()

shell.sync_lang_from_url()
lang = shell.lang()
me = shell.actor()

sections = {
    t(section, lang): [
        st.Page(f"pages/{spec.name}.py", title=t(f"page.{spec.name}", lang), icon=spec.icon,
                url_path=spec.name, default=spec.default)
        for spec in specs
    ]
    for section, specs in pages_for(me.role).items()
}
page = st.navigation(sections)

with st.sidebar:
    shell.language_selector()
    st.caption(t("app.acting_as", lang, user=me.username, role=t(f"role.{me.role}", lang)))
shell.demo_banner()
page.run()
