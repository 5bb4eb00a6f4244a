"""AppTest of the Rollout view: the ministry report's sections, tables and charts on screen, and its files."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.db import connect

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def rollout_view(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("ISO18091_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page(str(ROOT / "pages" / "rollout.py")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_rollout_view_shows_the_analyses_in_vietnamese(rollout_view, demo_db):
    at = rollout_view
    assert at.title[0].value == "Triển khai toàn quốc"
    headers = [h.value for h in at.header]
    assert headers[0] == "I. MỤC ĐÍCH, CĂN CỨ" and "VI. ĐỀ XUẤT, KIẾN NGHỊ" in headers
    assert "Dữ liệu minh họa" in at.warning[0].value
    assert len(at.get("plotly_chart")) >= 5
    with connect(demo_db, read_only=True) as con:
        df = con.execute(
            "SELECT locality_type, locality_id, pillar, level FROM current_results WHERE year = 2023"
        ).df()
    df["score"] = df["level"].map({"red": 0.0, "yellow": 50.0, "green": 100.0})
    overall = (
        df.groupby(["locality_type", "locality_id", "pillar"])["score"].mean().groupby(level=[0, 1]).mean()
    )
    frames = [d.value.data if hasattr(d.value, "data") else d.value for d in at.dataframe]
    by_type = next(
        f for f in frames if list(f.columns[:3]) == ["Loại đơn vị", "Đơn vị", "Tổng hợp"]
    ).set_index("Loại đơn vị")
    assert by_type.loc["Xã", "Tổng hợp"] == pytest.approx(overall.loc["xa"].mean())
    # Counts and top lists only: no table has a row per unit.
    assert max(len(f) for f in frames) < 100
    assert all(isinstance(f, pd.DataFrame) for f in frames)


def test_rollout_view_builds_the_three_files(rollout_view):
    at = rollout_view
    at.button(key="prepare_rollout:2023:self:2020:31:vi").click().run()
    assert not at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Tải XLSX", "Tải DOCX", "Tải PDF"]
    _, files = at.session_state["reports:rollout:2023:self:2020:31:vi"]  # the one loaded province by default
    wb = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert wb.sheetnames[0] == "Mục lục"
    assert files["pdf"].startswith(b"%PDF-")
