"""The dashboard shell in a real browser: first load shows only our pages, in Vietnamese."""

from __future__ import annotations

import pytest

from tests.conftest import wait_idle

pytestmark = pytest.mark.e2e


def test_first_load_sidebar_lists_our_pages_in_vietnamese(demo_db, streamlit_server, browser, artifacts):
    url = streamlit_server(demo_db)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url)
    wait_idle(page)
    nav = page.locator(".st-key-menu")
    # Before the first script run Streamlit may flash its auto-discovered list; the settled
    # navigation must be ours.
    nav.get_by_text("Tổng quan").wait_for(timeout=30_000)
    text = nav.inner_text()
    assert "Tổng quan" in text and "Lưới chỉ số" in text
    # Legacy auto-discovery would list the raw file names of pages/.
    assert "overview" not in text.lower().split()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(artifacts / "shell-first-load.png"), full_page=True)
    page.close()


def test_cold_deep_link_to_upload_shows_no_upload_control(demo_db, streamlit_server, browser, artifacts):
    """The first request after a start that opens /upload must still go through dashboard.py.

    Streamlit 1.67 runs a page script directly on such a request when the folder is named pages/;
    neither that path nor the normal one may give an anonymous viewer the upload control.
    """
    url = streamlit_server(demo_db)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url + "/upload")
    wait_idle(page)
    page.wait_for_timeout(1500)
    wait_idle(page)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    nav = page.locator(".st-key-menu").inner_text()
    assert "Tải lên" not in nav and "Tổng quan" in nav  # viewer navigation, in Vietnamese
    page.screenshot(path=str(artifacts / "shell-cold-deep-link-upload.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("path", ["/overview", "/profile?unit=2020:303", "/grid"])
def test_a_cold_deep_link_shows_its_page_and_no_page_not_found_box(
    path, demo_db, streamlit_server, browser, artifacts
):
    """The first request of a fresh server opens the page its address names, with no English
    'Page not found' dialog over it (each address is served by st.navigation, ui/app.py)."""
    url = streamlit_server(demo_db)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(url + path)
    wait_idle(page)
    page.locator('[data-testid="stMainBlockContainer"] h1').first.wait_for(timeout=30_000)
    wait_idle(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("does not seem to exist").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    title = page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text().strip()
    assert title == {"/overview": "Tổng quan", "/grid": "Lưới chỉ số"}.get(path, "Hồ sơ đơn vị")
    page.screenshot(
        path=str(artifacts / f"shell-cold{path.split('?')[0].replace('/', '-')}.png"), full_page=True
    )
    page.close()
