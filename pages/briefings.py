"""briefings page."""

import streamlit as st

from crm.ui.shell import tr

st.title(tr("page.briefings"))
st.info(tr("placeholder.coming"))
