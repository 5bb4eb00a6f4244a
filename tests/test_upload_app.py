"""The upload, history and account pages in Streamlit's AppTest, on a real DuckDB file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from auth import accounts
from core.schema import ensure_database
from etl.load import load_bytes
from query.base import frame
from query.uploads import current_levels, upload_history
from tests.uploadkit import PASSWORD, bad_file, good_file, hai_phong_communes, levels, make_user

ROOT = Path(__file__).resolve().parent.parent
MIME = "application/octet-stream"


@pytest.fixture
def db(tmp_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ISO18091_DB", str(tmp_db))
    monkeypatch.delenv("ISO18091_REQUIRE_LOGIN", raising=False)
    path = ensure_database(tmp_db)
    make_user(path, "ana", "analyst")
    make_user(path, "boss", "admin")
    make_user(path, "vic", "viewer")
    return path


def app(user: str | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if user:
        at.session_state["auth_username"] = user
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "warning", "error", "success")
        for e in at.get(kind)
    ]
    return "\n".join(str(p) for p in parts)


def shown(table) -> pd.DataFrame:
    """An st.table as the reader sees it: its cells are Markdown with every punctuation escaped."""
    df = table.value.copy()
    plain = lambda v: re.sub(r"\\(.)", r"\1", v).replace("\u2060", "") if isinstance(v, str) else v  # noqa: E731
    df.index = [plain(v) for v in df.index]
    return df.map(plain)


def upload(at: AppTest, *paths: Path, names: list[str] | None = None) -> AppTest:
    files = [(names[i] if names else p.name, p.read_bytes(), MIME) for i, p in enumerate(paths)]
    at.file_uploader(key="upload_files").set_value(files).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("user", [None, "vic"])
def test_a_viewer_sees_no_upload_control(db, user):
    at = app(user)
    assert len(at.get("file_uploader")) == 0
    # The menu does not list the upload and history pages for a viewer, and their addresses refuse.
    menu = [e.proto.label for e in at.sidebar.get("page_link")]
    assert "Tổng quan" in menu and "Tài khoản" in menu
    assert "Tải lên" not in menu and "Lịch sử tải lên" not in menu
    for page in ("pages/upload.py", "pages/history.py"):
        at.switch_page(page).run()
        assert len(at.get("file_uploader")) == 0
        assert any("Trang này dành cho vai trò Chuyên viên" in w.value for w in at.warning)
    at.switch_page("pages/account.py").run()
    assert len(at.get("file_uploader")) == 0 and not at.exception


def test_the_upload_page_refuses_an_anonymous_visitor(db):
    at = app(None, "pages/upload.py")  # its address works for anyone; the page itself says who may use it
    assert len(at.get("file_uploader")) == 0
    assert "Trang này dành cho vai trò Chuyên viên" in at.warning[0].value


def test_an_analyst_signs_in_through_the_form(db):
    at = app(None, "pages/account.py")
    at.text_input(key="sign_in_username").input("ana")
    at.text_input(key="sign_in_password").input(PASSWORD)
    next(b for b in at.button if b.label == "Đăng nhập").click().run()
    assert not at.exception
    assert at.session_state["auth_username"] == "ana"
    assert "Đang đăng nhập: **Ana** (ana), vai trò: Chuyên viên." in texts(at)
    at.switch_page("pages/upload.py").run()
    assert len(at.get("file_uploader")) == 1


def test_wrong_passwords_lock_the_account_in_the_form(db, monkeypatch):
    monkeypatch.setenv("ISO18091_LOGIN_MAX_FAILURES", "2")
    at = app(None, "pages/account.py")
    messages = []
    for password in ("sai mật khẩu", "sai nữa rồi", PASSWORD):
        at.text_input(key="sign_in_username").input("ana")
        at.text_input(key="sign_in_password").input(password)
        next(b for b in at.button if b.label == "Đăng nhập").click().run()
        messages.append(at.error[0].value if at.error else "")
    assert messages[0] == "Sai tên đăng nhập hoặc mật khẩu."
    assert messages[1].startswith("Đăng nhập sai quá nhiều lần") and messages[2] == messages[1]
    assert "auth_username" not in at.session_state


def test_analyst_uploads_a_good_and_a_bad_file(db, tmp_path):
    unit = hai_phong_communes(1)[0]
    good = good_file(tmp_path, unit, seed=1)
    bad = bad_file(tmp_path)
    at = upload(app("ana", "pages/upload.py"), good, bad)

    # The report: one row per problem with the cell, the value and the message in Vietnamese.
    problems = shown(at.table[0])
    assert list(problems.index) == ["Đánh giá!C10", "Thông tin!B4"]
    assert problems.iloc[0]["Giá trị trong tệp"] == "Tím"
    assert problems.iloc[0]["Lỗi gì và cần ghi thế nào"].startswith("'Tím' không phải mức đánh giá")
    # The preview: the 39 levels of the good file, new for this unit.
    preview = at.dataframe[1].value
    preview = preview.data if hasattr(preview, "data") else preview
    assert len(preview) == 39 and set(preview["Thay đổi"]) == {"• mới"}
    assert f"**{unit.name_with_type}** ({unit.code}) · 2024 · " in texts(at)
    # The annotated copy of the rejected file.
    [button] = at.get("download_button")
    assert button.label.startswith("⬇ Tải về tệp của bạn có đánh dấu lỗi")
    entries = at.session_state["upload_entries"]
    marked = next(e for e in entries.values() if e.name == bad.name).annotated
    wb = openpyxl.load_workbook(io.BytesIO(marked))
    assert "không phải mức đánh giá" in wb["Đánh giá"]["C10"].comment.text
    # The rejection is in the history already; nothing was loaded yet.
    hist = upload_history(db)
    assert list(hist["outcome"]) == ["rejected"] and hist["uploaded_by"][0] == "ana"

    confirm = at.button(key="upload_confirm")
    assert confirm.label == "Nạp 1 tệp hợp lệ"
    confirm.click().run()
    assert not at.exception
    assert "Đã nạp 1 tệp (1 kỳ đánh giá)" in texts(at)
    hist = upload_history(db)
    assert sorted(hist["outcome"]) == ["loaded", "rejected"]
    loaded = hist[hist["outcome"] == "loaded"].iloc[0]
    assert loaded["uploaded_by"] == "ana" and loaded["file_name"] == good.name
    key = (unit.locality_id, 2024, "self")
    assert current_levels([key], db)[key] == levels(1)
    # Confirming again loads nothing twice: the button now has nothing to load.
    assert at.button(key="upload_confirm").disabled

    # The history shows both, with the rejected file's problems; analysts get no roll-back.
    at = app("ana", "pages/history.py")
    rejected = int(hist[hist["outcome"] == "rejected"]["upload_id"].iloc[0])
    at.selectbox(key="history_upload").select(rejected).run()
    assert not at.exception
    assert list(shown(at.table[0]).index) == ["Đánh giá!C10", "Thông tin!B4"]
    assert not [b for b in at.button if (b.key or "").startswith("rollback")]


def test_the_preview_shows_which_indicators_change(db, tmp_path):
    unit = hai_phong_communes(1, skip=3)[0]
    first = good_file(tmp_path, unit, seed=1)
    assert load_bytes(first.name, first.read_bytes(), db, "ana").status == "loaded"
    second = good_file(tmp_path, unit, seed=2)
    old, new = levels(1), levels(2)
    changed = sum(old[c] != new[c] for c in old)
    at = upload(app("ana", "pages/upload.py"), second)
    assert f"{changed} trên 39 chỉ số đổi mức" in texts(at)
    preview = at.dataframe[1].value
    preview = preview.data if hasattr(preview, "data") else preview
    assert (preview["Thay đổi"] != "= không đổi").sum() == changed
    # The same bytes again are recognised as already loaded.
    at = upload(app("ana", "pages/upload.py"), first)
    assert "= Đã nạp trước đây" in at.info[0].value and at.button(key="upload_confirm").disabled


def test_admin_rolls_back_an_upload(db, tmp_path):
    unit = hai_phong_communes(1, skip=5)[0]
    key = (unit.locality_id, 2024, "self")
    a, b = good_file(tmp_path, unit, seed=1), good_file(tmp_path, unit, seed=2)
    first = load_bytes(a.name, a.read_bytes(), db, "ana")
    second = load_bytes(b.name, b.read_bytes(), db, "ana")
    assert current_levels([key], db)[key] == levels(2)

    # An analyst sees the history but no roll-back control.
    at = app("ana", "pages/history.py")
    assert (
        len(at.dataframe[0].value.data if hasattr(at.dataframe[0].value, "data") else at.dataframe[0].value)
        == 2
    )
    assert not [c for c in at.checkbox if c.key and c.key.startswith("rollback")]

    at = app("boss", "pages/history.py")
    at.selectbox(key="history_upload").select(second.upload_id).run()
    assert "Hoàn tác sẽ rút bỏ 1 kỳ đánh giá" in texts(at)
    button = at.button(key=f"rollback_{second.upload_id}")
    assert button.disabled  # not before the admin confirms
    at.checkbox(key=f"rollback_sure_{second.upload_id}").check().run()
    at.button(key=f"rollback_{second.upload_id}").click().run()
    assert not at.exception
    assert f"Đã hoàn tác lượt tải lên #{second.upload_id}" in texts(at)
    assert current_levels([key], db)[key] == levels(1)
    hist = upload_history(db).set_index("upload_id")
    assert hist.at[second.upload_id, "outcome"] == "rolled_back"
    assert hist.at[second.upload_id, "rolled_back_by"] == "boss"
    assert hist.at[first.upload_id, "outcome"] == "loaded"


def test_viewing_can_require_login(db, monkeypatch):
    monkeypatch.setenv("ISO18091_REQUIRE_LOGIN", "1")
    at = app(None)
    assert "Cần có tài khoản để xem trang tổng hợp này" in texts(at)
    assert len(at.get("plotly_chart")) == 0 and len(at.text_input) == 2
    at.text_input(key="gate_sign_in_username").input("vic")
    at.text_input(key="gate_sign_in_password").input(PASSWORD)
    next(b for b in at.button if b.label == "Đăng nhập").click().run()
    assert not at.exception and at.session_state["auth_username"] == "vic"
    assert "Cần có tài khoản" not in texts(at)


def test_a_file_name_is_never_used_as_a_path(db, tmp_path):
    unit = hai_phong_communes(1, skip=7)[0]
    good = good_file(tmp_path, unit, seed=4)
    at = upload(app("ana", "pages/upload.py"), good, names=["../../../../evil.xlsx"])
    at.button(key="upload_confirm").click().run()
    row = frame("SELECT file_name, stored_path, sha256 FROM upload WHERE outcome = 'loaded'", db=db).iloc[0]
    assert row["file_name"] == "evil.xlsx"
    assert row["stored_path"] == f"{db.stem}.files/{row['sha256'][:2]}/{row['sha256']}.xlsx"
    assert (db.parent / row["stored_path"]).read_bytes() == good.read_bytes()
    assert not any(p.name == "evil.xlsx" for p in Path("/").glob("*"))
    assert not list(tmp_path.rglob("evil.xlsx"))


def test_admin_adds_an_account_and_changes_its_role(db):
    at = app("ana", "pages/account.py")
    assert len([t for t in at.text_input if t.key == "add_username"]) == 0  # analysts manage no accounts

    at = app("boss", "pages/account.py")
    at.text_input(key="add_username").input("Le.Thu")
    at.text_input(key="add_name").input("Lê Thị Thu")
    at.selectbox(key="add_role").select("analyst")
    at.text_input(key="add_password").input(PASSWORD)
    at.text_input(key="add_password_again").input(PASSWORD)
    at.button(key="add_submit").click().run()
    assert not at.exception and "Đã tạo tài khoản le.thu." in texts(at)
    user = accounts.get_user("le.thu", db)
    assert user is not None and user.role == "analyst" and user.display_name == "Lê Thị Thu"
    assert accounts.authenticate("le.thu", PASSWORD, db).ok

    at.selectbox(key="manage_user").select("le.thu").run()
    at.selectbox(key="manage_role").select("admin").run()
    at.button(key="manage_save_role").click().run()
    assert not at.exception and accounts.get_user("le.thu", db).role == "admin"
    # A weak password is refused with the policy's message, translated.
    at.text_input(key="add_username").input("weak")
    at.text_input(key="add_password").input("ngắn")
    at.text_input(key="add_password_again").input("ngắn")
    at.button(key="add_submit").click().run()
    assert "Mật khẩu cần ít nhất 10 ký tự." in texts(at) and accounts.get_user("weak", db) is None


def test_user_text_is_shown_as_plain_text_never_as_links(db, tmp_path):
    """A cell value or file name with a link, Markdown or HTML is shown as typed, not rendered."""
    from core.safe_cells import markdown_literal

    bad = bad_file(tmp_path)
    name = "[bấm vào](www.evil.example) **x**.xlsx"
    wb = openpyxl.load_workbook(bad)
    wb["Đánh giá"]["C10"] = "https://evil.example/x **đậm** <b>html</b>"
    wb.save(bad)
    at = upload(app("ana", "pages/upload.py"), bad, names=[name])
    cells = at.table[0].value
    value = cells.iloc[0][cells.columns[1]]
    assert value == markdown_literal("https://evil.example/x **đậm** <b>html</b>")
    assert "https\\:\u2060\\/\\/" in value and "\\*\\*" in value and "\\<b\\>" in value
    assert shown(at.table[0]).iloc[0][cells.columns[1]] == "https://evil.example/x **đậm** <b>html</b>"
    [expander] = [e for e in at.get("expander")]
    assert expander.label.startswith(markdown_literal(name))
