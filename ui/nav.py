"""Links between views: the page objects of this run's navigation, and opening a unit's profile."""

from __future__ import annotations

import streamlit as st

import i18n
from core.config import ROOT

# (url path = script name in pages/, title msgid, icon, least role), in the sidebar's order.
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("overview", "Overview", ":material/dashboard:", "viewer"),
    ("compare", "Compare", ":material/radar:", "viewer"),
    ("grid", "Indicator grid", ":material/grid_on:", "viewer"),
    ("trends", "Trends", ":material/trending_up:", "viewer"),
    ("map", "Map", ":material/map:", "viewer"),
    ("profile", "Unit profile", ":material/account_balance:", "viewer"),
    ("rollout", "Rollout", ":material/flag:", "viewer"),
    ("method", "Method", ":material/menu_book:", "viewer"),
    ("upload", "Upload", ":material/upload_file:", "analyst"),
    ("history", "Upload history", ":material/history:", "analyst"),
    ("account", "Account", ":material/person:", "viewer"),
)
PAGES_DIR = ROOT / "pages"
_PAGES = "_nav_pages"


def register(pages: list[st.Page]) -> None:
    """Remember the pages the shell handed to st.navigation in this session."""
    st.session_state[_PAGES] = {p.url_path: p for p in pages}


def page(url_path: str) -> st.Page:
    """The page object of a view this visitor may open (for st.switch_page and st.page_link)."""
    return st.session_state[_PAGES][url_path]


def open_unit(locality_id: str) -> None:
    """Go to a unit's profile, keeping the language (after a click in a table, chart or map)."""
    st.switch_page(page("profile"), query_params={"unit": locality_id, "lang": i18n.get_language()})


def unit_link(locality_id: str, label: str, key: str | None = None) -> None:
    """A link to a unit's profile."""
    st.page_link(
        page("profile"),
        label=label,
        icon="🏛️",
        query_params={"unit": locality_id, "lang": i18n.get_language()},
    )
