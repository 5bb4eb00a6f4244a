"""Streamlit entry point: `streamlit run dashboard.py` (or `make run`).

Builds the navigation for the signed-in role; each page is a thin script under pages/.
"""

from __future__ import annotations

import streamlit as st

from core.schema import ensure_database
from i18n import t
from ui.access import allowed, current_role
from ui.shell import init_language, language_switch

st.set_page_config(page_title="TCVN ISO 18091", page_icon="🚦", layout="wide")


@st.cache_resource
def _database() -> str:
    return str(ensure_database())


_database()
init_language()
role = current_role()

# (script, title msgid, url path, icon, least role)
PAGES = [
    ("pages/overview.py", "Overview", "overview", "📊", "viewer"),
    ("pages/compare.py", "Compare", "compare", "🕸️", "viewer"),
    ("pages/grid.py", "Indicator grid", "grid", "🚦", "viewer"),
    ("pages/trends.py", "Trends", "trends", "📈", "viewer"),
    ("pages/map.py", "Map", "map", "🗺️", "viewer"),
    ("pages/profile.py", "Unit profile", "profile", "🏛️", "viewer"),
    ("pages/method.py", "Method", "method", "📖", "viewer"),
    ("pages/upload.py", "Upload", "upload", "📤", "analyst"),
    ("pages/history.py", "Upload history", "history", "🗂️", "analyst"),
]
pages = [
    st.Page(script, title=t(title), url_path=path, icon=icon, default=(path == "overview"))
    for script, title, path, icon, least in PAGES
    if allowed(role, least) or path == "overview"
]
language_switch()
st.navigation(pages).run()
