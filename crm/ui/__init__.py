"""Shared Streamlit widgets: the one part of crm/ that imports streamlit."""
