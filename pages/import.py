"""import page."""

import streamlit as st

from crm.ui.shell import tr

st.title(tr("page.import"))
st.info(tr("placeholder.coming"))
