"""The report files as their readers see them: openpyxl opens the workbook, python-docx the Word
document, poppler (pdftotext, pdffonts, pdfinfo) the PDF. Figures are checked against the database.

Each pack is built once per session (the ministry's pack, one unit's pack, a chosen set's pack) and
checked by several tests.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from docx.shared import Mm, Pt

from core.db import connect
from etl.load import load_files
from reports import build

ROOT = Path(__file__).resolve().parent.parent
MARK = "Dữ liệu minh họa"
SCORE = {"red": 0.0, "yellow": 50.0, "green": 100.0}


def vi(x: float, digits: int = 1) -> str:
    """A number as the Vietnamese report writes it: 59,5."""
    return f"{x:.{digits}f}".replace(".", ",")


@pytest.fixture(scope="session")
def ministry(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build.ministry_pack(demo_db, tmp_path_factory.mktemp("ministry"))


@pytest.fixture(scope="session")
def unit_pack(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build.unit_pack(demo_db, "2020:311", None, None, tmp_path_factory.mktemp("unit"))


@pytest.fixture(scope="session")
def scores(demo_db: Path) -> pd.DataFrame:
    """Overall and pillar scores per unit and year, computed here from the raw levels."""
    with connect(demo_db, read_only=True) as con:
        df = con.execute("SELECT locality_id, locality_type, year, pillar, level FROM current_results").df()
    df["score"] = df["level"].map(SCORE)
    p = df.groupby(["locality_id", "locality_type", "year", "pillar"])["score"].mean().unstack("pillar")
    p["overall"] = p[[1, 2, 3, 4]].mean(axis=1)
    return p.reset_index()


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def all_cells(wb: openpyxl.Workbook):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                yield ws, cell


def header_row(ws, first: str) -> int:
    """The row number of a sheet's table header (its first cell holds ``first``)."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first:
            return row[0].row
    raise AssertionError(f"no header '{first}' on {ws.title}")


def sheet_frame(ws, first: str) -> pd.DataFrame:
    h = header_row(ws, first)
    rows = list(ws.iter_rows(min_row=h, values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


# --- Excel ---------------------------------------------------------------------------------------


def test_workbook_contents_sheet_links_every_sheet(ministry):
    wb = openpyxl.load_workbook(ministry["xlsx"])
    contents = wb.worksheets[0]
    assert contents.title == "Mục lục" and contents["A1"].value == "BÁO CÁO"
    linked = {c.value: c.hyperlink.location for _, c in all_cells(wb) if c.hyperlink is not None}
    assert set(linked) == set(wb.sheetnames[1:])
    assert all(loc.startswith(f"'{name}'!") for name, loc in linked.items())
    for name in ("Theo loại đơn vị", "Theo trụ cột", "Chỉ số yếu nhất", "Nhóm xếp hạng", "Mức độ sẵn sàng"):
        assert name in wb.sheetnames
    for name in ("Độ bao phủ", "Quy mô triển khai", "Dữ liệu", "Mô tả cột", "Phương pháp"):
        assert name in wb.sheetnames
    assert any(MARK in str(c.value) for _, c in all_cells(wb) if c.row < 15 and c.parent is contents)


def test_workbook_sheets_are_frozen_formatted_and_vietnamese(ministry):
    wb = openpyxl.load_workbook(ministry["xlsx"])
    for ws in wb.worksheets[1:]:
        assert ws.freeze_panes is not None, ws.title
    ws = wb["Theo loại đơn vị"]
    h = header_row(ws, "Loại đơn vị")
    assert ws.freeze_panes == f"A{h + 1}"
    labels = [c.value for c in ws[h]]
    assert labels[:3] == ["Loại đơn vị", "Đơn vị", "Tổng hợp"] and "Thay đổi" in labels
    overall = ws.cell(h + 1, 3)
    assert isinstance(overall.value, float) and overall.number_format == "[$-42A]#,##0.0"
    assert ws.cell(h + 1, 2).number_format == "[$-42A]#,##0"
    share = labels.index("Tỷ lệ Đỏ") + 1
    assert ws.cell(h + 1, share).number_format == "[$-42A]0.0%"
    for _, c in all_cells(wb):
        if isinstance(c.value, str):
            assert unicodedata.is_normalized("NFC", c.value)
    assert ws._charts, "the by-type sheet carries a native chart"


def test_workbook_figures_equal_the_database(ministry, scores):
    wb = openpyxl.load_workbook(ministry["xlsx"])
    by_type = sheet_frame(wb["Theo loại đơn vị"], "Loại đơn vị").set_index("Loại đơn vị")
    now = scores[scores["year"] == 2023]
    for label, code in (("Quận", "quan"), ("Huyện", "huyen"), ("Phường", "phuong"), ("Xã", "xa")):
        part = now[now["locality_type"] == code]
        assert by_type.loc[label, "Đơn vị"] == len(part)
        assert by_type.loc[label, "Tổng hợp"] == pytest.approx(part["overall"].mean())
        assert by_type.loc[label, "Trụ cột 4"] == pytest.approx(part[4].mean())
    assert by_type.loc["Tất cả đơn vị được đánh giá", "Tổng hợp"] == pytest.approx(now["overall"].mean())
    data = sheet_frame(wb["Dữ liệu"], "Mã khóa đơn vị")
    assert len(data) == 24 * 39 and set(data["Năm"]) == {2022, 2023}
    assert set(data["Mức"]) == {"Đỏ", "Vàng", "Xanh"} and set(data["Dữ liệu minh họa"]) == {"Có"}
    documented = sheet_frame(wb["Mô tả cột"], "Cột")["Cột"].tolist()
    assert documented == list(data.columns)


def test_no_cell_holds_a_formula(ministry, unit_pack):
    for path in (ministry["xlsx"], unit_pack["xlsx"]):
        wb = openpyxl.load_workbook(path)
        formulas = [f"{ws.title}!{c.coordinate}" for ws, c in all_cells(wb) if c.data_type == "f"]
        assert formulas == []


# --- Word ----------------------------------------------------------------------------------------


def test_docx_page_setup_fonts_and_decree_30_parts(ministry):
    d = docx.Document(ministry["docx"])
    s = d.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(1) and abs(s.page_height - Mm(297)) < Mm(1)
    tol = Mm(0.1)  # Word stores margins in twentieths of a point: 15 mm is 14.99 mm
    assert Mm(20) - tol <= s.top_margin <= Mm(25) + tol and Mm(20) - tol <= s.bottom_margin <= Mm(25) + tol
    assert Mm(30) - tol <= s.left_margin <= Mm(35) + tol and Mm(15) - tol <= s.right_margin <= Mm(20) + tol
    normal = d.styles["Normal"]
    assert normal.font.name == "Times New Roman" and Pt(13) <= normal.font.size <= Pt(14)
    body_fonts = {r.font.name for p in d.paragraphs for r in p.runs if r.text.strip()}
    assert body_fonts <= {"Times New Roman"}
    body = [
        p for p in d.paragraphs if len(p.text) > 200 and p.paragraph_format.alignment is None
    ]  # justified body
    sizes = [r.font.size or normal.font.size for p in body for r in p.runs]
    assert sizes and all(Pt(13) <= x <= Pt(14) for x in sizes)
    header_cells = [c.text for c in d.tables[0].rows[0].cells]
    assert (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header_cells[1]
        and "Độc lập - Tự do - Hạnh phúc" in header_cells[1]
    )
    assert "Số: .../BC-..." in header_cells[0] and "[TÊN CƠ QUAN BAN HÀNH]" in header_cells[0]
    texts = [p.text for p in d.paragraphs]
    assert "BÁO CÁO" in texts
    for heading in ("I. MỤC ĐÍCH, CĂN CỨ", "III. KẾT QUẢ", "IV. ĐÁNH GIÁ CHUNG", "VI. ĐỀ XUẤT, KIẾN NGHỊ"):
        assert heading in texts
    closing = "\n".join(c.text for t in d.tables for c in t.rows[0].cells)
    assert "Nơi nhận:" in closing and "[Họ và tên]" in closing
    assert any(t.startswith("Gợi ý do hệ thống tạo ra từ số liệu") for t in texts)
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)


def test_docx_page_numbers_and_illustrative_mark_on_every_page(ministry):
    d = docx.Document(ministry["docx"])
    s = d.sections[0]
    assert s.different_first_page_header_footer
    assert "PAGE" in s.header._element.xml and "PAGE" not in s.first_page_header._element.xml
    for footer in (s.footer, s.first_page_footer):
        assert MARK in "".join(p.text for p in footer.paragraphs)


def test_docx_tables_equal_the_database(ministry, scores):
    d = docx.Document(ministry["docx"])
    table = next(
        t
        for t in d.tables
        if t.rows[0].cells[0].text == "Loại đơn vị" and t.rows[0].cells[2].text == "Tổng hợp"
    )
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    now = scores[scores["year"] == 2023]
    for label, code in (("Quận", "quan"), ("Xã", "xa")):
        part = now[now["locality_type"] == code]
        assert rows[label][1] == str(len(part))
        assert rows[label][2] == vi(part["overall"].mean())
    before = scores[scores["year"] == 2022].set_index("locality_id")["overall"]
    change = (now.set_index("locality_id")["overall"] - before).mean()
    assert rows["Tất cả đơn vị được đánh giá"][header_index(table, "Thay đổi")] == "+" + vi(change)
    pictures = d.inline_shapes
    assert len(pictures) >= 5


def header_index(table, label: str) -> int:
    return [c.text for c in table.rows[0].cells].index(label)


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_text_fonts_and_pages(ministry, scores):
    text = pdf_text(ministry["pdf"])
    for heading in ("BÁO CÁO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "I. MỤC ĐÍCH, CĂN CỨ", "III. KẾT QUẢ"):
        assert heading in text
    assert "ĐỀ XUẤT, KIẾN NGHỊ" in text and "Nơi nhận:" in text and "Phụ lục I" in text
    now = scores[scores["year"] == 2023]
    assert f"trung bình {vi(now['overall'].mean())}/100" in re.sub(r"\s+", " ", text)
    pages = text.split("\f")[:-1]
    assert len(pages) > 5 and all(MARK in page for page in pages)
    fonts = pdf_fonts(ministry["pdf"])
    assert fonts and all(f[-5] == "yes" for f in fonts), fonts  # every font embedded
    names = {f[0].split("+")[-1] for f in fonts}
    assert all(n.startswith(("LiberationSerif", "Tinos", "TimesNewRoman")) for n in names), names
    info = subprocess.run(
        ["pdfinfo", str(ministry["pdf"])], capture_output=True, text=True, check=True
    ).stdout
    assert "595.3" in info and "841.89" in info  # A4


# --- one unit ------------------------------------------------------------------------------------


def test_unit_pack_levels_evidence_and_standing(unit_pack, demo_db, scores):
    with connect(demo_db, read_only=True) as con:
        res = con.execute(
            """SELECT indicator_code, level, evidence FROM current_results
               WHERE locality_id = '2020:311' AND year = 2023 ORDER BY indicator_code"""
        ).df()
    wb = openpyxl.load_workbook(unit_pack["xlsx"])
    levels = sheet_frame(wb["39 chỉ số"], "Mã").set_index("Mã")
    assert len(levels) == 39
    names = {"red": "Đỏ", "yellow": "Vàng", "green": "Xanh"}
    for r in res.itertuples():
        assert levels.loc[r.indicator_code, "Mức"] == names[r.level]
        written = levels.loc[r.indicator_code, "Minh chứng"]
        assert (None if pd.isna(written) else written) == (None if pd.isna(r.evidence) else r.evidence)
    standing = sheet_frame(wb["Vị trí so sánh"], "Trụ cột").set_index("Trụ cột")
    now = scores[scores["year"] == 2023]
    assert standing.loc["Tổng hợp", "Trung bình tỉnh/thành phố"] == pytest.approx(now["overall"].mean())
    huyen = now[now["locality_type"] == "huyen"]
    assert standing.loc["Tổng hợp", "Trung bình huyện"] == pytest.approx(huyen["overall"].mean())
    d = docx.Document(unit_pack["docx"])
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Huyện Thuỷ Nguyên" in text and "Hải Phòng, ngày ... tháng ... năm ..." in "\n".join(
        c.text for c in d.tables[0].rows[0].cells
    )
    assert "Huyện Thuỷ Nguyên" in pdf_text(unit_pack["pdf"])


def test_units_pack_compares_the_chosen_units(demo_db, tmp_path, scores):
    paths = build.units_pack(demo_db, ["2020:303", "2020:11476"], 2023, "self", tmp_path, formats=["xlsx"])
    wb = openpyxl.load_workbook(paths["xlsx"])
    table = sheet_frame(wb["Điểm"], "Đơn vị").set_index("Đơn vị")
    now = scores[scores["year"] == 2023].set_index("locality_id")
    assert table.loc["Quận Hồng Bàng", "Tổng hợp"] == pytest.approx(now.loc["2020:303", "overall"])
    assert table.loc["Xã Lại Xuân", "Tổng hợp"] == pytest.approx(now.loc["2020:11476", "overall"])
    grid = sheet_frame(wb["Lưới mức"], "Mã")
    assert len(grid) == 39 and list(grid.columns[-2:]) == ["Quận Hồng Bàng", "Xã Lại Xuân"]


# --- formula injection, real (not illustrative) data ---------------------------------------------

HOSTILE = {
    "1.1": '=HYPERLINK("http://example.invalid/x","Bấm vào đây")',
    "1.2": "+cmd|' /C calc'!A0",
    "1.3": "-2+3",
    "1.4": "@SUM(1,2)",
}


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """A real long CSV (not marked illustrative) whose evidence texts look like formulas."""
    from core.catalogue import indicator_codes

    path = tmp_path / "hostile.csv"
    lines = ["locality_code,locality_name,year,stage,indicator_code,level,score,evidence"]
    for code in indicator_codes():
        text = HOSTILE.get(code, "Báo cáo")
        lines.append(f'303,Quận Hồng Bàng,2024,self,{code},Green,,"{text.replace(chr(34), chr(34) * 2)}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "hostile.duckdb"
    [report] = load_files([path], db, user="t", jobs=1)
    assert report.status == "loaded", report.to_dict()
    return db


def test_formula_like_user_text_is_never_a_formula(hostile_db, tmp_path):
    paths = build.unit_pack(hostile_db, "2020:303", 2024, "self", tmp_path, formats=["xlsx", "docx"])
    wb = openpyxl.load_workbook(paths["xlsx"])
    assert [c.coordinate for _, c in all_cells(wb) if c.data_type == "f"] == []
    seen = {c.value for _, c in all_cells(wb) if isinstance(c.value, str)}
    for text in HOSTILE.values():
        assert "'" + text in seen  # neutralised, shown as text
        assert text not in seen
    levels = sheet_frame(wb["39 chỉ số"], "Mã").set_index("Mã")
    assert levels.loc["1.1", "Minh chứng"] == "'" + HOSTILE["1.1"]
    # Word is no formula context: the evidence reads as written. The data are real: no mark.
    d = docx.Document(paths["docx"])
    cells = {c.text for t in d.tables for r in t.rows for c in r.cells}
    assert HOSTILE["1.1"] in cells
    assert MARK not in "".join(p.text for p in d.sections[0].footer.paragraphs)
    assert not any("⚠" in str(c.value) for _, c in all_cells(wb))  # no illustrative warning line


# --- command line --------------------------------------------------------------------------------


def reports_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reports", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ,
    )


def test_cli_exit_codes_and_json(demo_db, tmp_path):
    r = reports_cli(
        "unit", "311", "--db", str(demo_db), "--out", str(tmp_path), "--formats", "xlsx", "--json"
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert Path(out["xlsx"]).exists() and Path(out["xlsx"]).name == "bao-cao-don-vi-2020-311-2023.xlsx"
    assert reports_cli("unit", "99999", "--db", str(demo_db), "--out", str(tmp_path)).returncode == 2
    assert reports_cli("ministry", "--province", "99", "--db", str(demo_db)).returncode == 2
    r = reports_cli(
        "ministry", "--year", "2019", "--db", str(demo_db), "--out", str(tmp_path), "--formats", "xlsx"
    )
    assert r.returncode == 1 and "2019" in r.stderr
    assert reports_cli("ministry", "--db", str(tmp_path / "absent.duckdb")).returncode == 1
    assert reports_cli("ministry", "--formats", "odt", "--db", str(demo_db)).returncode == 2


def test_word_table_longer_than_its_limit_says_where_the_rest_is(tmp_path):
    from reports.docx_writer import write_docx
    from reports.model import Column, Document, Table

    rows = pd.DataFrame({"file": [f"tệp-{i}.xlsx" for i in range(5)], "n": range(5)})
    table = Table("t", "Tệp", rows, [Column("file", "Tệp"), Column("n", "Số", "int")], document_rows=2)
    doc = Document(
        kind="test",
        lang="vi",
        title="BÁO CÁO",
        subject="Thử",
        file_stem="t",
        issuer="X",
        number_line="Số: ...",
        place_date="Hà Nội, ngày ...",
        recipient="",
        scope="s",
        period="p",
        illustrative=False,
        illustrative_mark=MARK,
        blocks=[table],
    )
    write_docx(doc, tmp_path / "t.docx")
    d = docx.Document(tmp_path / "t.docx")
    [data] = [t for t in d.tables if t.rows[0].cells[0].text == "Tệp"]
    assert [r.cells[0].text for r in data.rows[1:]] == ["tệp-0.xlsx", "tệp-1.xlsx"]
    assert "2 dòng đầu trong tổng số 5 dòng; toàn bộ các dòng có trong tệp Excel." in [
        p.text for p in d.paragraphs
    ]


def test_the_pillar_chart_names_its_groups_short_and_level(demo_db):
    """The grouped-score chart (also drawn on the Rollout page) reads on a phone: short pillar names
    on at most two lines, never turned sideways."""
    from reports.ministry import ministry as build_ministry

    doc = build_ministry(demo_db, None, None, None, "vi")
    fig = next(b.figure for b in doc.blocks if getattr(b, "key", None) == "fig_type_pillars")
    groups = list(fig.data[0].x)
    assert groups[0].replace("<br>", " ") == "1. Thể chế" and groups[-1] == "Tổng hợp"
    assert all(len(line) <= 10 for g in groups for line in g.split("<br>"))
    assert fig.layout.xaxis.tickangle == 0
