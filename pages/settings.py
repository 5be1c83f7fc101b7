"""settings page."""

import streamlit as st

from crm.ui.shell import tr

st.title(tr("page.settings"))
st.info(tr("placeholder.coming"))
