"""The dashboard shell in a real browser: first load shows only our pages, in Vietnamese.

These tests are about the very first requests a new server answers (Streamlit 1.67 treats a
folder named pages/ as a legacy multipage app until st.navigation has run once), so each one
starts a server of its own (``fresh_streamlit_server``).
"""

from __future__ import annotations

import pytest

from tests.conftest import wait_idle

pytestmark = pytest.mark.e2e


def test_first_load_sidebar_lists_our_pages_in_vietnamese(
    demo_db, fresh_streamlit_server, new_page, artifacts
):
    url = fresh_streamlit_server(demo_db)
    page = new_page(1400, 900)
    page.goto(url)
    nav = page.locator(".st-key-menu")
    # Before the first script run Streamlit may flash its auto-discovered list; the settled
    # navigation must be ours.
    wait_idle(page, nav.get_by_text("Tổng quan"))
    text = nav.inner_text()
    assert "Tổng quan" in text and "Lưới chỉ số" in text
    # Legacy auto-discovery would list the raw file names of pages/.
    assert "overview" not in text.lower().split()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(artifacts / "shell-first-load.png"), full_page=True)


def test_cold_deep_link_to_upload_shows_no_upload_control(
    demo_db, fresh_streamlit_server, new_page, artifacts
):
    """The first request after a start that opens /upload must still go through dashboard.py.

    Streamlit 1.67 runs a page script directly on such a request when the folder is named pages/;
    neither that path nor the normal one may give an anonymous viewer the upload control.
    """
    url = fresh_streamlit_server(demo_db)
    page = new_page(1400, 900)
    page.goto(url + "/upload")
    # Settled: the shell's menu is drawn and the page said why it shows nothing.
    wait_idle(page, page.get_by_text("Trang này dành cho vai trò"))
    wait_idle(page, page.locator(".st-key-menu").get_by_text("Tổng quan"))
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    nav = page.locator(".st-key-menu").inner_text()
    assert "Tải lên" not in nav and "Tổng quan" in nav  # viewer navigation, in Vietnamese
    page.screenshot(path=str(artifacts / "shell-cold-deep-link-upload.png"), full_page=True)


@pytest.mark.parametrize("path", ["/overview", "/profile?unit=2020:303", "/grid"])
def test_a_cold_deep_link_shows_its_page_and_no_page_not_found_box(
    path, demo_db, fresh_streamlit_server, new_page, artifacts
):
    """The first request of a fresh server opens the page its address names, with no English
    'Page not found' dialog over it (each address is served by st.navigation, ui/app.py)."""
    url = fresh_streamlit_server(demo_db)
    page = new_page(1400, 900)
    page.goto(url + path)
    wait_idle(page, '[data-testid="stMainBlockContainer"] h1')
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("does not seem to exist").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    title = page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text().strip()
    assert title == {"/overview": "Tổng quan", "/grid": "Lưới chỉ số"}.get(path, "Hồ sơ đơn vị")
    page.screenshot(
        path=str(artifacts / f"shell-cold{path.split('?')[0].replace('/', '-')}.png"), full_page=True
    )
