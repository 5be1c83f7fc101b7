"""audit page."""

import streamlit as st

from crm.ui.shell import tr

st.title(tr("page.audit"))
st.info(tr("placeholder.coming"))
