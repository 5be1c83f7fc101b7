"""The benchmark and its synthetic data. May import any package (and streamlit, to drive the app)."""
