"""map page."""

import streamlit as st

from crm.ui.shell import tr

st.title(tr("page.map"))
st.info(tr("placeholder.coming"))
