"""timeline page."""

import streamlit as st

from crm.ui.shell import tr

st.title(tr("page.timeline"))
st.info(tr("placeholder.coming"))
