"""users page."""

import streamlit as st

from crm.ui.shell import tr

st.title(tr("page.users"))
st.info(tr("placeholder.coming"))
