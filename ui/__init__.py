"""Streamlit helpers shared by the pages: page set-up, filters in the URL, chart styling.

Importing this package also closes a Streamlit 1.67 gap. The app keeps its page scripts in a
folder named ``pages/``, so until ``st.navigation`` has been called once in the server process
Streamlit treats the app as a legacy multipage app: the first request after a start that opens
a deep link (``/profile?unit=303``, ``/upload``) runs that page script directly, without
dashboard.py (no language, no filters from the URL, no role check, the raw file names in the
sidebar). When that happens the first ``ui`` import (and ``shell.page_header``, which every
dashboard view calls first) switches the legacy mode off and starts the run over, so it goes
through dashboard.py like every later run. (AppTest resets the mode before every run, so there
the page_header call is what routes a switched-to page through dashboard.py.)
"""

from __future__ import annotations


def leave_legacy_pages_mode() -> None:
    """Restart this run through dashboard.py if Streamlit ran a page script directly."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    except ImportError:  # a Streamlit without these internals: nothing to fix
        return
    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        PagesManager.uses_pages_directory = False
        import streamlit as st

        st.rerun()


leave_legacy_pages_mode()
