"""Every accepted layout, as real files written here, read back into the same assessment."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from core.catalogue import indicator_codes
from core.units import registry
from etl import samples
from etl.validate import parse_bytes
from tests import files

EXPECTED = {c: v[0] for c, v in files.results().items()}


def parse(path: Path):
    return parse_bytes(path.name, path.read_bytes())


def only(parsed):
    assert parsed.ok, [(p.code, p.location, p.message_en) for p in parsed.problems]
    assert len(parsed.assessments) == 1
    return parsed.assessments[0]


def levels(a) -> dict[str, str]:
    return {r.indicator: r.level for r in a.results}


def sample(code: str = "11311", year: int = 2023) -> samples.SampleAssessment:
    return samples.SampleAssessment(registry().units[code], year, "self", files.results())


def test_template(tmp_path):
    a = only(parse(files.template(tmp_path / "t.xlsx")))
    assert (a.unit.code, a.year, a.stage) == ("11311", 2023, "self")
    assert levels(a) == EXPECTED
    first = a.results[0]
    assert (first.indicator, first.score, first.evidence, first.cell) == ("1.1", 50.0, "Minh chứng 1.1", "C3")
    assert a.prepared_by == "Tester"


def test_template_verified_stage_by_name_only(tmp_path):
    p = files.template(
        tmp_path / "t.xlsx", unit_code=None, unit_name="Kiến Thuỵ", district=None, stage="verified"
    )
    a = only(parse(p))
    assert (a.unit.code, a.stage) == ("314", "verified")


def test_fill_colour_only(tmp_path):
    p = files.template(tmp_path / "f.xlsx", fill_only=True)
    wb = openpyxl.load_workbook(p)
    assert wb["Đánh giá"]["C3"].value is None  # really no text, only the fill
    assert levels(only(parse(p))) == EXPECTED


def test_fill_from_excel_theme_colours(tmp_path):
    """Fills picked from Excel's 'Theme Colors' row store a theme index and tint, not an RGB."""
    from openpyxl.styles import PatternFill
    from openpyxl.styles.colors import Color

    p = files.template(tmp_path / "f.xlsx", fill_only=True)
    wb = openpyxl.load_workbook(p)
    ws = wb["Đánh giá"]
    # openpyxl's default theme: accent2 C0504D (red), accent3 9BBB59 (green), accent6 F79646 (orange).
    theme = {
        "red": Color(theme=5, tint=0.0),
        "green": Color(theme=6, tint=0.4),
        "yellow": Color(theme=9, tint=0.0),
    }
    for code, lvl in EXPECTED.items():
        ws[f"C{files.level_row(code)}"].fill = PatternFill("solid", fgColor=theme[lvl])
    wb.save(p)
    assert levels(only(parse(p))) == EXPECTED  # orange (an amber light) reads as yellow


def test_hand_made_letterhead_english_headers_nfd_letters(tmp_path):
    p = samples.write_messy(sample("11311"), tmp_path / "m.xlsx")
    a = only(parse(p))
    assert a.unit.code == "11311" and a.year == 2023
    assert levels(a) == EXPECTED


def test_hand_made_vietnamese_headers_without_diacritics_info_sheet_and_merged(tmp_path):
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "THONG TIN CHUNG"
    info["A1"], info["B1"] = "Tinh/thanh pho", "Hai Phong"
    info["A2"], info["B2"] = "TÊN ĐƠN VỊ:", "Quận Lê Chân"
    info["A3"], info["B3"] = "nam danh gia", "2022"
    info["A4"], info["B4"] = "Hình thức đánh giá", "Tự đánh giá"
    ws = wb.create_sheet("KET QUA")
    ws["A1"] = "ỦY BAN NHÂN DÂN QUẬN LÊ CHÂN"
    ws.merge_cells("A1:E2")
    ws.append([])
    ws.append(["STT", "MA_CHI_SO", "NOI DUNG CHI SO", "KET QUA", "GHI_CHU"])
    words = {"red": "ĐỎ", "yellow": " vàng ", "green": "Xanh lá"}
    for pillar in (1, 2, 3, 4):
        ws.append([None, f"TRỤ CỘT {pillar}"])  # section rows carry no code
        for i, code in enumerate(c for c in indicator_codes() if c.startswith(f"{pillar}.")):
            ws.append([i + 1, code, "…", words[EXPECTED[code]], None])
    ws.append([None, None, "Người lập biểu"])
    wb.save(tmp_path / "h.xlsx")
    a = only(parse(tmp_path / "h.xlsx"))
    assert (a.unit.code, a.year, a.stage) == ("305", 2022, "self")
    assert levels(a) == EXPECTED


def test_numeric_codes_read_as_numbers(tmp_path):
    """Excel turns '1.10' into the number 1.1; after 1.9 it must mean 1.10."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Đơn vị", "Phường Minh Khai (11311)"])
    ws.append(["Năm", 2023])
    ws.append(["Mã", "Mức"])
    for code in indicator_codes():
        ws.append([float(code), EXPECTED[code][0].upper()])
    wb.save(tmp_path / "n.xlsx")
    parsed = parse(tmp_path / "n.xlsx")
    # The unit cell holds a code in brackets only in summary headers; here the name must match.
    assert [p.code for p in parsed.problems if p.severity == "error"] == ["unknown-locality"]
    ws["B1"] = "Phường Minh Khai"
    wb.save(tmp_path / "n.xlsx")
    parsed = parse(tmp_path / "n.xlsx")
    assert [p.code for p in parsed.problems if p.severity == "error"] == ["ambiguous-locality"]
    ws.insert_rows(1)
    ws["A1"], ws["B1"] = "Mã đơn vị", "11311"
    wb.save(tmp_path / "n.xlsx")
    assert levels(only(parse(tmp_path / "n.xlsx"))) == EXPECTED


def test_xls(tmp_path):
    a = only(parse(samples.write_xls(sample(), tmp_path / "x.xls")))
    assert a.unit.code == "11311" and levels(a) == EXPECTED


def test_ods(tmp_path):
    a = only(parse(samples.write_ods(sample(), tmp_path / "o.ods")))
    assert a.unit.code == "11311" and levels(a) == EXPECTED


@pytest.mark.parametrize("bom", [True, False])
def test_csv_with_and_without_bom(tmp_path, bom):
    p = samples.write_csv(sample(), tmp_path / "c.csv", bom=bom)
    assert p.read_bytes().startswith(b"\xef\xbb\xbf") == bom
    a = only(parse(p))
    assert a.unit.code == "11311" and levels(a) == EXPECTED


def test_semicolon_csv(tmp_path):
    p = tmp_path / "s.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Đơn vị", "Quận Hải An"])
        w.writerow(["Năm", "2023"])
        w.writerow(["Mã chỉ số", "Mức"])
        for code in indicator_codes():
            w.writerow([code, {"red": "Red", "yellow": "Yellow", "green": "Green"}[EXPECTED[code]]])
    a = only(parse(p))
    assert a.unit.code == "306" and levels(a) == EXPECTED


def _summary_items(year: int) -> list[samples.SampleAssessment]:
    return [
        samples.SampleAssessment(registry().units[c], year, "self", files.results()) for c in ("303", "305")
    ]


def test_summary_workbook_year_in_title(tmp_path):
    parsed = parse(samples.write_summary(_summary_items(2022), tmp_path / "s.xlsx"))
    assert parsed.ok and parsed.layout == "summary"
    assert [(a.unit.code, a.year, a.column) for a in parsed.assessments] == [
        ("303", 2022, "C"),
        ("305", 2022, "D"),
    ]
    assert all(levels(a) == EXPECTED for a in parsed.assessments)


def test_summary_workbook_year_in_sheet_name_only_names_without_codes(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Năm 2023"
    ws.append(["TỔNG HỢP KẾT QUẢ - THÀNH PHỐ HẢI PHÒNG"])
    ws.append(["Mã", "Tên chỉ số", "Quận Hồng Bàng", "Huyện An Lão", "Ghi chú"])
    for code in indicator_codes():
        ws.append([code, "…", EXPECTED[code][0].upper(), EXPECTED[code], None])
    ws.cell(row=2, column=7, value="Tiêu chí")  # a text column is not a unit
    ws.cell(row=3, column=7, value="Có kế hoạch và báo cáo")
    wb.save(tmp_path / "s.xlsx")
    parsed = parse(tmp_path / "s.xlsx")
    assert parsed.ok, [(p.code, p.message_en) for p in parsed.problems]
    assert sorted((a.unit.code, a.year) for a in parsed.assessments) == [("303", 2023), ("313", 2023)]
    # Without the province, 'Huyện An Lão' is ambiguous nationally (Hải Phòng and Bình Định).
    ws["A1"] = "TỔNG HỢP KẾT QUẢ"
    wb.save(tmp_path / "s.xlsx")
    parsed = parse(tmp_path / "s.xlsx")
    amb = [p for p in parsed.problems if p.code == "ambiguous-locality"]
    assert len(amb) == 1 and amb[0].cell == "D2" and "Tỉnh Bình Định" in amb[0].message_vi
    assert amb[0].value == "Huyện An Lão"


def test_summary_fill_only(tmp_path):
    parsed = parse(samples.write_summary(_summary_items(2023), tmp_path / "s.xlsx", fill_only=True))
    assert parsed.ok and len(parsed.assessments) == 2
    assert all(levels(a) == EXPECTED for a in parsed.assessments)


def test_long_csv_many_units_and_years(tmp_path):
    items = [
        samples.SampleAssessment(registry().units[c], y, "self", files.results())
        for c in ("311", "11311")
        for y in (2022, 2023)
    ]
    parsed = parse(samples.write_long_csv(items, tmp_path / "l.csv"))
    assert parsed.ok and parsed.layout == "long" and parsed.illustrative
    assert sorted((a.unit.code, a.year) for a in parsed.assessments) == [
        ("11311", 2022),
        ("11311", 2023),
        ("311", 2022),
        ("311", 2023),
    ]
    assert all(levels(a) == EXPECTED for a in parsed.assessments)


def test_formula_cells_use_cached_values(tmp_path):
    p = files.template(tmp_path / "f.xlsx")
    row = files.level_row("1.1")
    files.edit(p, {f"C{row}": '=IF(1,"Vàng","")', f"D{row}": "=40+2"})
    files.with_cached_formulas(p, {f"C{row}": "Vàng", f"D{row}": "42"})
    a = only(parse(p))
    assert a.results[0].level == "yellow" and a.results[0].score == 42


def test_nfd_unit_name_and_old_tone_placement(tmp_path):
    p = files.template(
        tmp_path / "t.xlsx",
        unit_code=None,
        district=None,
        unit_name=unicodedata.normalize("NFD", "Huyện Thủy Nguyên"),
    )
    a = only(parse(p))
    assert a.unit.code == "311" and a.unit.name == "Thuỷ Nguyên"


def test_sample_data_covers_every_layout():
    found = set()
    for p in sorted((Path(__file__).parent.parent / "data" / "samples").iterdir()):
        if p.suffix != ".md":
            parsed = parse(p)
            assert parsed.ok and parsed.illustrative, p.name
            found.add((p.suffix, parsed.layout))
    assert {layout for _, layout in found} == {"per-unit", "summary", "long"}
    assert {s for s, _ in found} == {".xlsx", ".xls", ".ods", ".csv"}
