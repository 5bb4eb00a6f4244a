"""Streamlit entry point: `streamlit run dashboard.py` (or `make run`).

Builds the navigation for the signed-in role; each page is a thin script under pages/.
"""

from __future__ import annotations

import streamlit as st

from core.config import db_path
from core.schema import ensure_database
from i18n import t
from ui.access import allowed, current_role
from ui.filters import sync_from_url
from ui.shell import init_language, language_switch

st.set_page_config(page_title="TCVN ISO 18091", page_icon="🚦", layout="wide")


@st.cache_resource
def _database(path: str) -> str:
    """Create or migrate the database once per server process and database file."""
    return str(ensure_database(path))


_database(str(db_path()))
init_language()
sync_from_url()
role = current_role()

# (script, title msgid, url path, icon, least role)
PAGES = [
    ("pages/overview.py", "Overview", "overview", ":material/dashboard:", "viewer"),
    ("pages/compare.py", "Compare", "compare", ":material/radar:", "viewer"),
    ("pages/grid.py", "Indicator grid", "grid", ":material/grid_on:", "viewer"),
    ("pages/trends.py", "Trends", "trends", ":material/trending_up:", "viewer"),
    ("pages/map.py", "Map", "map", ":material/map:", "viewer"),
    ("pages/profile.py", "Unit profile", "profile", ":material/account_balance:", "viewer"),
    ("pages/rollout.py", "Rollout", "rollout", ":material/flag:", "viewer"),
    ("pages/method.py", "Method", "method", ":material/menu_book:", "viewer"),
    ("pages/upload.py", "Upload", "upload", ":material/upload_file:", "analyst"),
    ("pages/history.py", "Upload history", "history", ":material/history:", "analyst"),
    ("pages/account.py", "Account", "account", ":material/person:", "viewer"),
]
pages = [
    st.Page(script, title=t(title), url_path=path, icon=icon, default=(path == "overview"))
    for script, title, path, icon, least in PAGES
    if allowed(role, least) or path == "overview"
]
language_switch()
st.navigation(pages).run()
