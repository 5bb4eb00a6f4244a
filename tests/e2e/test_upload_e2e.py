"""The analysts' workflow in a real browser: sign in, upload several files (one bad), download
the marked copy, load the good ones, and find the new data on the overview."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from core.schema import ensure_database
from query.uploads import upload_history
from tests.conftest import title_is, wait_idle
from tests.uploadkit import PASSWORD, bad_file, good_file, hai_phong_communes, make_user

pytestmark = pytest.mark.e2e


def _nav(page, name: str) -> None:
    """Open a view from the menu and wait until it has drawn (each view's title is its menu name)."""
    page.locator(".st-key-menu").get_by_text(name, exact=True).click()
    title_is(page, name)
    wait_idle(page)


def test_analyst_uploads_files_gets_the_marked_copy_and_sees_the_data(
    tmp_path, streamlit_server, new_page, artifacts
):
    db = ensure_database(tmp_path / "db" / "e2e.duckdb")
    make_user(db, "ana", "analyst")
    units = hai_phong_communes(2, skip=20)
    goods = [good_file(tmp_path / "in", u, year=2024, seed=i) for i, u in enumerate(units)]
    bad = bad_file(tmp_path / "in", name="bao-cao-loi.xlsx")
    url = streamlit_server(db)

    page = new_page(1400, 1000)
    page.goto(url)
    nav = page.locator(".st-key-menu")
    wait_idle(page, nav.get_by_text("Tổng quan", exact=True))
    assert nav.get_by_text("Tải lên", exact=True).count() == 0  # a viewer has no upload page

    _nav(page, "Tài khoản")
    page.get_by_label("Tên đăng nhập").fill("ana")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    wait_idle(page, page.get_by_text("Đang đăng nhập:"))

    _nav(page, "Tải lên")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        [str(p) for p in [*goods, bad]]
    )
    # The summary table also holds the status, in a hidden accessibility cell of its canvas grid:
    # wait for the visible message in the file's panel.
    wait_idle(page, page.get_by_text("Bị từ chối: 2 lỗi", exact=False).filter(visible=True))
    page.screenshot(path=str(artifacts / "upload-report.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    # The preview of a good file: the 39 levels, new for this unit.
    preview = page.locator('[data-testid="stExpander"]').filter(has_text=goods[0].name)
    preview.locator("summary").click()
    preview.get_by_text(f"{units[0].name_with_type}").first.wait_for(timeout=10_000)
    preview.get_by_text("Mới: chưa có dữ liệu của đơn vị, năm và giai đoạn này.").wait_for(timeout=10_000)
    wait_idle(page)
    preview.screenshot(path=str(artifacts / "upload-preview.png"))

    with page.expect_download() as info:
        page.get_by_role("button", name="Tải về tệp của bạn có đánh dấu lỗi").click()
    download = info.value
    assert download.suggested_filename == "bao-cao-loi-loi.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert "'Tím' không phải mức đánh giá" in wb["Đánh giá"]["C10"].comment.text
    assert "is not a level" in wb["Đánh giá"]["C10"].comment.text
    assert "không có trong danh mục" in wb["Thông tin"]["B4"].comment.text

    page.get_by_role("button", name="Nạp 2 tệp hợp lệ").click()
    wait_idle(page, page.get_by_text("Đã nạp 2 tệp (2 kỳ đánh giá)"), timeout=60_000)
    page.screenshot(path=str(artifacts / "upload-loaded.png"), full_page=True)
    hist = upload_history(db)
    assert sorted(hist["outcome"]) == ["loaded", "loaded", "rejected"] and set(hist["uploaded_by"]) == {"ana"}

    _nav(page, "Tổng quan")
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts / "upload-overview-after.png"), full_page=True)
    shown = page.locator('[data-testid="stMain"]').inner_text() + " ".join(
        page.locator('[data-testid="stMain"] svg text').all_text_contents()
    )
    assert "2024" in shown
    for unit in units:  # the new units appear on the overview
        assert unit.name in shown, unit.name
    assert page.locator('[data-testid="stException"]').count() == 0

    _nav(page, "Lịch sử tải lên")
    page.screenshot(path=str(artifacts / "upload-history.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_viewing_behind_login_shows_only_the_sign_in_form(tmp_path, streamlit_server, new_page, artifacts):
    db = ensure_database(tmp_path / "db" / "gate.duckdb")
    make_user(db, "vic", "viewer")
    url = streamlit_server(db, ISO18091_REQUIRE_LOGIN="1")
    page = new_page(1200, 800)
    page.goto(url + "/history")
    wait_idle(page, page.get_by_text("Cần có tài khoản để xem trang tổng hợp này"))
    assert page.locator(".st-key-menu").count() == 0
    page.get_by_text("Tên đăng nhập").wait_for(timeout=10_000)
    page.get_by_text("Mật khẩu").wait_for(timeout=10_000)
    page.screenshot(path=str(artifacts / "upload-login-gate.png"), full_page=True)
    page.get_by_label("Tên đăng nhập").fill("vic")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    nav = page.locator(".st-key-menu")
    nav.get_by_text("Tổng quan", exact=True).wait_for(timeout=30_000)
    wait_idle(page)
    assert nav.get_by_text("Lịch sử tải lên", exact=True).count() == 0  # a viewer still has no history
    assert page.locator('[data-testid="stException"]').count() == 0


def test_admin_rolls_back_in_the_browser(tmp_path, streamlit_server, new_page, artifacts):
    from etl.load import load_bytes
    from query.uploads import current_levels
    from tests.uploadkit import levels

    db = ensure_database(tmp_path / "db" / "admin.duckdb")
    make_user(db, "boss", "admin")
    unit = hai_phong_communes(1, skip=30)[0]
    for seed in (1, 2):
        p = good_file(tmp_path / "in", unit, seed=seed)
        assert load_bytes(p.name, p.read_bytes(), db, "ana").status == "loaded"
    url = streamlit_server(db)
    page = new_page(1400, 1100)
    page.goto(url)
    wait_idle(page, page.locator(".st-key-menu").get_by_text("Tài khoản", exact=True))
    _nav(page, "Tài khoản")
    page.get_by_label("Tên đăng nhập").first.fill("boss")
    page.get_by_label("Mật khẩu").first.fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    wait_idle(page, page.get_by_text("Thêm tài khoản"))
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(timeout=10_000)
    page.screenshot(path=str(artifacts / "upload-accounts-admin.png"), full_page=True)

    _nav(page, "Lịch sử tải lên")
    page.get_by_text("Hoàn tác lượt tải lên này").wait_for(timeout=30_000)
    page.get_by_text("Tôi hiểu; hoàn tác lượt tải lên #2.").click()
    wait_idle(page, page.get_by_role("button", name="Hoàn tác", exact=True).and_(page.locator(":enabled")))
    page.screenshot(path=str(artifacts / "upload-history-rollback.png"), full_page=True)
    page.get_by_role("button", name="Hoàn tác", exact=True).click()
    page.get_by_text("Đã hoàn tác lượt tải lên #2").wait_for(timeout=30_000)
    key = (unit.locality_id, 2024, "self")
    assert current_levels([key], db)[key] == levels(1)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_user_text_is_never_a_link_or_markup_in_the_browser(tmp_path, streamlit_server, new_page, artifacts):
    """A file whose values carry a link, Markdown and HTML is reported with them as plain text."""
    db = ensure_database(tmp_path / "db" / "plain.duckdb")
    make_user(db, "ana", "analyst")
    bad = bad_file(tmp_path / "in", name="[bam](https:evil.example) loi.xlsx")
    wb = openpyxl.load_workbook(bad)
    wb["Đánh giá"]["C10"] = "https://evil.example/x **đậm** <b>html</b> www.evil.example"
    wb.save(bad)
    url = streamlit_server(db)
    page = new_page(1400, 1000)
    page.goto(url)
    wait_idle(page, page.locator(".st-key-menu").get_by_text("Tổng quan", exact=True))
    _nav(page, "Tài khoản")
    page.get_by_label("Tên đăng nhập").fill("ana")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    wait_idle(page, page.get_by_text("Đang đăng nhập:"))
    _nav(page, "Tải lên")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(bad))
    wait_idle(page, page.get_by_text("Bị từ chối", exact=False).filter(visible=True))
    main = page.locator('[data-testid="stMain"]')
    main.locator('[data-testid="stTable"]').first.get_by_text("html", exact=False).first.wait_for(
        timeout=20_000
    )
    text = main.inner_text().replace("\u2060", "")
    assert "https://evil.example/x **đậm** <b>html</b> www.evil.example" in text  # as typed
    links = main.locator('a[href*="evil"]')
    found = [
        links.nth(i).evaluate("e => e.parentElement.outerHTML.slice(0, 300)") for i in range(links.count())
    ]
    assert found == []  # no link made from user text
    assert (
        main.locator("b", has_text="html").count() == 0
        and main.locator("strong", has_text="đậm").count() == 0
    )
    assert "[bam](https:evil.example) loi.xlsx" in text
    page.screenshot(path=str(artifacts / "upload-plain-text.png"), full_page=True)
