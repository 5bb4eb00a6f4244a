"""Streamlit entry point: `streamlit run dashboard.py` (or `make run`)."""

from __future__ import annotations

import streamlit as st

from core.schema import ensure_database
from i18n import t

st.set_page_config(page_title="TCVN ISO 18091", page_icon="🚦", layout="wide")


@st.cache_resource
def _database() -> str:
    return str(ensure_database())


_database()
pages = [
    st.Page("pages/overview.py", title=t("Overview"), icon="📊", url_path="overview", default=True),
]
st.navigation(pages).run()
