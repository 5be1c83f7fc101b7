"""report page."""

import streamlit as st

from crm.ui.shell import tr

st.title(tr("page.report"))
st.info(tr("placeholder.coming"))
