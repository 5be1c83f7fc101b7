"""dashboard page."""

import streamlit as st

from crm.ui.shell import tr

st.title(tr("page.dashboard"))
st.info(tr("placeholder.coming"))
