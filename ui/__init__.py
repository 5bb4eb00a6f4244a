"""Streamlit helpers shared by the pages: page set-up, filters in the URL, chart styling."""
