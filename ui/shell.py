"""What every page run starts with: the UI language (kept in the URL), the phone-friendly page
style, titles and the shared banners."""

from __future__ import annotations

import streamlit as st

import i18n
from i18n import t

_LANG_LABELS = {"vi": "Tiếng Việt", "en": "English"}
_LANG_STATE = "_ui_lang"


def init_language() -> str:
    """Read the language from the URL (?lang=en), default Vietnamese, and make it current.

    The session remembers it too: Streamlit drops the query string on a page switch, so the
    language is written back to the URL when it went missing.
    """
    if "lang" in st.query_params:
        lang = st.query_params.get("lang", i18n.DEFAULT_LANGUAGE)
        if lang not in i18n.LANGUAGES:
            lang = i18n.DEFAULT_LANGUAGE
        st.session_state[_LANG_STATE] = lang
    else:
        lang = st.session_state.get(_LANG_STATE, i18n.DEFAULT_LANGUAGE)
        if lang != i18n.DEFAULT_LANGUAGE:
            st.query_params["lang"] = lang
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
        st.session_state[_LANG_STATE] = choice
        i18n.set_language(choice)
        st.rerun()


def illustrative_banner(is_illustrative: bool) -> None:
    """The mark every view shows when what it draws comes from sample data."""
    if is_illustrative:
        st.warning(
            "⚠️ "
            + t("Illustrative data: these figures are made up for demonstration, not the pilot's results.")
        )


# Narrow screens (phones): less padding, headings that wrap, metrics that keep their size, and
# tables and wide charts that scroll sideways inside their own frame instead of squeezing.
_CSS = """
<style>
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 0.6rem; padding-right: 0.6rem; padding-top: 3rem; }
  h1 { font-size: 1.6rem !important; }
  h2 { font-size: 1.3rem !important; }
  [data-testid="stMetricValue"] { font-size: 1.4rem; }
  .st-key-metrics [data-testid="stHorizontalBlock"] { flex-direction: row !important; flex-wrap: wrap !important; gap: 0.5rem; }
  .st-key-metrics [data-testid="stColumn"] { min-width: calc(50% - 0.5rem) !important; flex: 1 1 calc(50% - 0.5rem) !important; }
}
[data-testid="stMetricLabel"] p { white-space: normal; }
[class*="st-key-scroll_"] { overflow-x: auto; }
</style>
"""


def page_css() -> None:
    st.html(_CSS)


def page_header(title: str, caption: str | None = None) -> None:
    """The view's title and one line saying what it shows."""
    st.title(title)
    if caption:
        st.caption(caption)


def require_results() -> None:
    """Stop the view with the friendly empty-database page when no assessment is loaded."""
    from query import results
    from ui.data import cached

    if not cached(results.has_results):
        empty_database_page()
        st.stop()


def empty_database_page() -> None:
    """The friendly page a view shows instead of charts when no assessment is loaded."""
    st.info("📭 " + t("No assessment is loaded yet."))
    st.markdown(
        t(
            "To see this view, load assessment files in one of these ways:\n\n"
            "- **Upload page** (analysts): drop the spreadsheets of the units.\n"
            "- **Command line**: `python -m etl load FILE_OR_FOLDER`.\n"
            "- **Sample data** (illustrative only): `python -m etl demo`.\n\n"
            "A blank template for a unit: `python -m etl template --out template.xlsx`."
        )
    )
