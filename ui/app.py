"""The app shell every run goes through: page set-up, language, filters from the URL, navigation.

Each view is a script in pages/ handed to ``st.navigation`` as ``st.Page("pages/….py")``; the
script defines ``render()`` and ends with ``app.page(render)`` (under ``if __name__ == "__main__"``, as
Streamlit runs it; a worker process that re-imports a main script must not start the app). Streamlit treats a folder named
``pages/`` beside the main script as an old-style multipage app until ``st.navigation`` has run
once in the server process, so the very first request of a fresh server that opens a deep link
(``/profile?unit=…``) runs that page script directly, without the shell. ``page`` notices (the
shell is not running in this run) and hands the run to ``main``, which calls ``st.navigation``
and draws the page the URL names, exactly like every later run. Only public Streamlit API is used.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st

from core.config import db_path
from core.schema import ensure_database
from i18n import t
from ui import nav
from ui.access import allowed, current_role
from ui.filters import sync_from_url
from ui.shell import init_language, language_switch, page_css


@st.cache_resource
def _database(path: str) -> str:
    """Create or migrate the database once per server process and database file."""
    return str(ensure_database(path))


_RUNNING = threading.local()  # set while the shell runs a script run in this thread


def page(render: Callable[[], None]) -> None:
    """The last line of every page script: draw the page, or, when Streamlit ran the script without
    the shell (a cold deep link), run the shell, which draws this page through st.navigation."""
    if getattr(_RUNNING, "active", False):
        render()
    else:
        main()


def _home() -> None:
    """The address without a page ('/') opens the overview under its own address ('/overview')."""
    st.switch_page(nav.page("overview"), query_params=st.query_params.to_dict())


def main() -> None:
    _RUNNING.active = True
    try:
        _main()
    finally:
        _RUNNING.active = False


def _main() -> None:
    st.set_page_config(page_title="TCVN ISO 18091", page_icon="🚦", layout="wide")
    _database(str(db_path()))
    init_language()
    sync_from_url()
    page_css()
    role = current_role()
    # Every view has an address; a view above the visitor's role says so itself (pages call
    # ui.access.require) and is left out of the menu.
    pages = {
        path: st.Page(str(nav.PAGES_DIR / f"{path}.py"), title=t(title), url_path=path, icon=icon)
        for path, title, icon, _ in nav.PAGES
    }
    nav.register(list(pages.values()))
    home = st.Page(_home, title=t("Overview"), url_path="home", default=True)
    current = st.navigation([home, *pages.values()], position="hidden")
    # Our own menu (st.page_link), so that every view, the overview included, has its own address;
    # Streamlit's menu would serve the default page only at '/'.
    menu = st.sidebar.container(key="menu")
    for path, _, _, least in nav.PAGES:
        if allowed(role, least):
            menu.page_link(pages[path], label=pages[path].title, icon=pages[path].icon)
    st.sidebar.divider()
    language_switch()
    current.run()
