"""What every page run starts with: the UI language (kept in the URL) and shared banners.

The dashboard issue extends this module (filters in the URL, chart styling); other pages only
call the functions below.
"""

from __future__ import annotations

import streamlit as st

import i18n
from i18n import t

_LANG_LABELS = {"vi": "Tiếng Việt", "en": "English"}


def init_language() -> str:
    """Read the language from the URL (?lang=en), default Vietnamese, and make it current."""
    lang = st.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
    if lang not in i18n.LANGUAGES:
        lang = i18n.DEFAULT_LANGUAGE
    i18n.set_language(lang)
    return lang


def language_switch() -> None:
    """Sidebar switch; changing it rewrites ?lang= so a shared link keeps the language."""
    current = i18n.get_language()
    choice = st.sidebar.radio(
        t("Language"),
        list(_LANG_LABELS),
        index=list(_LANG_LABELS).index(current),
        format_func=_LANG_LABELS.get,
        horizontal=True,
        key="ui_language",
    )
    if choice != current:
        st.query_params["lang"] = choice
        i18n.set_language(choice)
        st.rerun()


def illustrative_banner(is_illustrative: bool) -> None:
    """The mark every view shows when what it draws comes from sample data."""
    if is_illustrative:
        st.warning(
            "⚠️ "
            + t("Illustrative data: these figures are made up for demonstration, not the pilot's results.")
        )
