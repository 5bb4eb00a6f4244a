"""AppTest for every dashboard view: the charts and tables each shows for known data (the demo set)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.db import connect
from tests.conftest import decode_plotly

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
VIEWS = ["overview", "compare", "grid", "trends", "profile", "method"]


@pytest.fixture
def app(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    """dashboard.py on the demo database; call with a page name and optional query params."""
    monkeypatch.setenv("ISO18091_DB", str(demo_db))

    def open_view(view: str, **params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update(params)
        at.run()
        at.switch_page(str(ROOT / "pages" / f"{view}.py")).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_view


def figures(at: AppTest) -> list[dict]:
    """The figures the page drew, as plain JSON with arrays decoded."""
    return [decode_plotly(json.loads(el.proto.spec)) for el in at.get("plotly_chart")]


def truth(db: Path, year: int | None = None) -> pd.DataFrame:
    """Pillar and overall scores computed here, independently of the query layer, from raw results."""
    with connect(db, read_only=True) as con:
        df = con.execute("SELECT locality_code, locality_name, year, pillar, level FROM current_results").df()
    df["score"] = df["level"].map({"red": 0.0, "yellow": 50.0, "green": 100.0})
    if year is not None:
        df = df[df["year"] == year]
    p = df.groupby(["locality_code", "year", "pillar"])["score"].mean().unstack("pillar")
    p["overall"] = p[[1, 2, 3, 4]].mean(axis=1)
    return p.reset_index()


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    """The first table of the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_overview_headline_ranking_and_charts(app, demo_db):
    at = app("overview")
    assert at.title[0].value == "Tổng quan"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Số đơn vị được đánh giá"] == "12"
    exp = truth(demo_db, 2023)
    mean_overall = exp["overall"].mean()
    # Vietnamese number format: comma decimal.
    assert metrics["Điểm tổng hợp trung bình"] == f"{mean_overall:.1f}".replace(".", ",")
    ranking = _frame(at, "Đơn vị")
    assert len(ranking) == 12
    best = exp.sort_values("overall", ascending=False).iloc[0]
    assert ranking.iloc[0]["Tổng hợp"] == pytest.approx(best["overall"])
    assert ranking["Thay đổi"].str.match(r"^[▲▼►] ").all()
    districts = _frame(at, "Quận/huyện")
    assert len(districts) == 6  # the demo's units sit in six districts
    figs = figures(at)
    assert len(figs) == 3
    bars = figs[0]["data"]
    assert {tr["name"] for tr in bars} == {"✓ Xanh", "! Vàng", "✕ Đỏ"}
    assert sum(sum(list(tr["x"])) for tr in bars) == 12 * 39
    assert all("Dữ liệu minh họa" in f["layout"]["title"]["subtitle"]["text"] for f in figs)
    assert any("Dữ liệu minh họa" in w.value for w in at.warning)
    # Changes compare the same units in both years, and say so.
    assert any("12 đơn vị được đánh giá cả hai năm" in c.value for c in at.caption)


def test_compare_units_radar_has_reference_lines_and_its_table(app, demo_db):
    at = app("compare", units="303,11476", year="2023")  # old links with bare codes still work
    fig = figures(at)[0]
    names = [tr["name"] for tr in fig["data"]]
    assert names[:2] == ["Hồng Bàng", "Lại Xuân"]
    assert any(n.startswith("Trung bình Thành phố Hải Phòng") for n in names)
    assert any(n.startswith("Trung bình quận") for n in names) and any(
        n.startswith("Trung bình xã") for n in names
    )
    exp = truth(demo_db, 2023).set_index("locality_code")
    r = fig["data"][0]["r"]
    assert list(r[:4]) == pytest.approx([exp.loc["303", p] for p in (1, 2, 3, 4)])
    assert r[4] == r[0]  # closed line
    table = at.dataframe[0].value
    assert len(table) == len(names)
    assert table.iloc[0]["Tổng hợp"] == pytest.approx(exp.loc["303", "overall"])
    assert at.query_params["units"] == "2020:303,2020:11476"  # the link now names units by their key


def test_compare_one_unit_across_years_with_the_39_indicators(app, demo_db):
    at = app("compare", mode="years", unit="2020:305", detail="1")
    figs = figures(at)
    assert len(figs) == 2
    names = [tr["name"] for tr in figs[0]["data"]]
    assert names[:2] == ["2022", "2023"]
    levels, averages = figs[1]["data"][0], figs[1]["data"][1]
    assert len(levels["z"]) == 39 and len(levels["z"][0]) == 2  # 39 indicators x 2 years
    assert {s for row in levels["text"] for s in row} <= {"✓", "!", "✕", ""}
    assert len(averages["z"]) == 39


def test_grid_has_39_rows_symbols_and_hover_evidence(app):
    at = app("grid")
    fig = figures(at)[0]
    heat = fig["data"][0]
    assert heat["type"] == "heatmap"
    assert len(heat["z"]) == 39 and len(heat["z"][0]) == 12
    symbols = {s for row in heat["text"] for s in row}
    assert symbols <= {"✓", "!", "✕", ""} and {"✓", "!", "✕"} <= symbols
    assert "Minh chứng" in heat["hovertemplate"]
    legend = {tr["name"] for tr in fig["data"][1:]}
    assert legend == {"✓ Xanh", "! Vàng", "✕ Đỏ"}
    assert all("(" in x for x in heat["x"])  # column heads name the unit type
    # The same grid as a table, built when its expander is opened: every cell is a symbol + word.
    assert not at.dataframe
    at.session_state["grid_as_table"] = True
    at.run()
    table = at.dataframe[0].value
    assert table.shape == (39, 13)
    assert table.iloc[:, 1:].stack().str.match(r"^[✓!✕] ").all()


def test_grid_filters_by_pillar_and_unit_type(app, demo_db):
    at = app("grid", pillar="2", type="xa")
    heat = figures(at)[0]["data"][0]
    with connect(demo_db, read_only=True) as con:
        n2 = con.execute("SELECT count(*) FROM indicator WHERE pillar = 2").fetchone()[0]
    assert len(heat["z"]) == n2
    assert len(heat["x"]) == 3  # three communes in the demo


def test_trends_count_every_level_move(app, demo_db):
    at = app("trends")
    figs = figures(at)
    assert len(figs) == 2  # mean scores by year, and every unit's dumbbell (12 units: readable)
    years = {tr["name"] for tr in figs[1]["data"] if tr.get("mode") == "markers"}
    assert years == {"2022", "2023"}
    with connect(demo_db, read_only=True) as con:
        df = con.execute(
            """SELECT a.level AS a, b.level AS b FROM current_results a JOIN current_results b
               USING (locality_id, indicator_code, stage) WHERE a.year = 2022 AND b.year = 2023"""
        ).df()
    rank = {"red": 0, "yellow": 1, "green": 2}
    up = int((df["b"].map(rank) > df["a"].map(rank)).sum())
    down = int((df["b"].map(rank) < df["a"].map(rank)).sum())
    assert down > 0
    text = " ".join(c.value for c in at.caption)
    assert f"{up} kết quả tăng mức" in text and f"{down} kết quả giảm mức" in text
    improved, declined = [d.value for d in at.dataframe if "▼ Số đơn vị giảm" in d.value.columns]
    assert 0 < len(improved) <= 10 and 0 < len(declined) <= 10  # declines are listed even when the net is up
    assert declined["▼ Số đơn vị giảm"].iloc[0] == declined["▼ Số đơn vị giảm"].max()


def test_profile_opens_on_the_unit_in_the_url(app, demo_db):
    at = app("profile", unit="311")
    assert at.header[0].value == "Huyện Thuỷ Nguyên"
    figs = figures(at)
    assert len(figs) == 2
    levels = _frame(at, "Minh chứng")
    assert len(levels) == 39
    assert levels["Mức"].str.match(r"^[✓!✕] ").all()
    peers = _frame(at, "Xếp hạng trong tỉnh")
    exp = truth(demo_db, 2023).set_index("locality_code")
    assert peers.iloc[-1]["Điểm"] == pytest.approx(exp.loc["311", "overall"])
    # The reform: where the district's area went.
    assert any("2025" in i.value for i in at.info)


def test_profile_of_an_unknown_unit_says_so(app):
    at = app("profile", unit="99999")
    assert any("99999" in e.value for e in at.error)
    assert not at.get("plotly_chart")


def test_method_explains_the_rule_catalogue_and_registry(app):
    at = app("method")
    tables = [d.value for d in at.dataframe]
    levels = tables[0]
    assert list(levels["Điểm"]) == [0, 50, 100]
    assert len(tables[1]) == 39 and "Độ tin cậy" in tables[1].columns
    assert (tables[1]["Nguồn tên gọi"] == "bản dịch của nhóm dự án").all()
    assert len(tables[2]) == 39
    text = " ".join(m.value for m in at.markdown)
    assert "data/units/README.md" in text
    assert "Đỏ 0, Vàng 50, Xanh 100" in text  # the rule, written out from the level table
    registry = tables[3]
    assert "2.621" in set(registry["Đơn vị"])  # the 2,621 xã of 2025, in Vietnamese number format
    assert any(re.search(r"\d+ trên \d+ kỳ đánh giá", w.value) for w in at.warning)


def test_english_switch_and_number_format(app):
    at = app("overview", lang="en")
    assert at.title[0].value == "Overview"
    metrics = {m.label: m.value for m in at.metric}
    assert re.fullmatch(r"\d+\.\d", metrics["Mean overall score"])


@pytest.mark.parametrize("view", VIEWS)
def test_empty_database_shows_a_friendly_page(view, tmp_db, monkeypatch):
    monkeypatch.setenv("ISO18091_DB", str(tmp_db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(str(ROOT / "pages" / f"{view}.py")).run()
    assert not at.exception
    assert not at.get("plotly_chart")
    if view != "method":
        assert any("Chưa có kỳ đánh giá nào" in i.value for i in at.info)
        assert any("python -m etl demo" in m.value for m in at.markdown)


def test_new_data_shows_without_restart(tmp_db, monkeypatch):
    from core.schema import ensure_database
    from etl.load import load_files

    monkeypatch.setenv("ISO18091_DB", str(tmp_db))
    ensure_database(tmp_db)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("Chưa có kỳ đánh giá nào" in i.value for i in at.info)
    samples = Path(__file__).resolve().parent.parent / "data" / "samples"
    load_files([samples / "2023-303-template.xlsx"], tmp_db, user="test", jobs=1)
    at.run()
    assert {m.label: m.value for m in at.metric}["Số đơn vị được đánh giá"] == "1"


def test_profile_and_compare_prepare_their_reports(app):
    """The profile sends one unit's report, the compare view one of the chosen units (Excel, Word, PDF)."""
    import io

    import openpyxl

    at = app("profile", unit="2020:311")
    at.button(key="prepare_unit:2020:311:2023:self:vi").click().run()
    assert not at.exception, [e.value for e in at.exception]
    stem, files = at.session_state["reports:unit:2020:311:2023:self:vi"]
    assert set(files) == {"xlsx", "docx", "pdf"} and "2020-311" in stem
    assert files["pdf"].startswith(b"%PDF-")
    assert [b.proto.label for b in at.get("download_button")] == ["Tải XLSX", "Tải DOCX", "Tải PDF"]
    at = app("compare", units="2020:303,2020:305", year="2023")
    at.button(key="prepare_units:2020:303,2020:305:2023:self:vi").click().run()
    assert not at.exception, [e.value for e in at.exception]
    _, files = at.session_state["reports:units:2020:303,2020:305:2023:self:vi"]
    wb = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert wb.sheetnames[0] == "Mục lục"
