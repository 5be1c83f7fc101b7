"""merge page."""

import streamlit as st

from crm.ui.shell import tr

st.title(tr("page.merge"))
st.info(tr("placeholder.coming"))
