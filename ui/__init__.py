"""Streamlit helpers shared by the pages: the app shell, filters in the URL, charts, tables, maps."""
