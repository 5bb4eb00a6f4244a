"""The annotated copy: the analyst's own workbook back with each problem cell marked and commented."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from core.catalogue import indicator_codes
from etl.annotate import PROBLEM_SHEET, annotate, annotated_name, can_annotate
from etl.levels import level_from_rgb
from etl.template import write_assessment
from etl.validate import parse_bytes
from tests.uploadkit import BAD_LEVEL_CELL, BAD_UNIT_CELL, bad_file, hai_phong_communes, levels

ROOT = Path(__file__).resolve().parent.parent


def _codes(parsed) -> list[tuple[str, str]]:
    return sorted((p.code, p.location) for p in parsed.problems)


def test_rejected_xlsx_comes_back_with_comments_on_the_problem_cells(tmp_path):
    path = bad_file(tmp_path)
    data = path.read_bytes()
    parsed = parse_bytes(path.name, data)
    assert not parsed.ok
    out = annotate(path.name, data, parsed.problems)
    assert out is not None
    wb = openpyxl.load_workbook(io.BytesIO(out))
    assert wb.sheetnames[0] == PROBLEM_SHEET and wb.active.title == PROBLEM_SHEET
    for (sheet, cell, code), value in ((BAD_LEVEL_CELL, "Tím"), (BAD_UNIT_CELL, "Phường Không Có Thật")):
        target = wb[sheet][cell]
        assert target.value == value  # the analyst's own content is kept
        problem = next(p for p in parsed.problems if p.code == code)
        assert problem.message_vi in target.comment.text and problem.message_en in target.comment.text
        assert target.fill.fill_type == "solid"
    # Untouched cells carry no comment; the original styles elsewhere are kept.
    assert wb["Đánh giá"]["C9"].comment is None
    assert wb["Đánh giá"]["A1"].value == "Mã chỉ số" and wb["Đánh giá"]["A1"].font.bold
    listed = {wb[PROBLEM_SHEET].cell(row=r, column=2).value for r in range(6, 6 + len(parsed.problems))}
    assert listed == {"Đánh giá!C10", "Thông tin!B4"}


def test_highlights_are_never_read_as_levels(tmp_path):
    """Re-uploading the annotated copy unchanged reports the same problems: no fill became a level."""
    codes = list(indicator_codes())
    results = {c: (lvl, None, None, None) for c, lvl in levels(3).items()}
    del results[codes[4]]  # a missing level in a fill-only workbook
    unit = hai_phong_communes(1)[0]
    path = write_assessment(
        tmp_path / "fill.xlsx",
        province="Hải Phòng",
        unit_name=unit.name_with_type,
        unit_code=unit.code,
        district=None,
        year=2024,
        stage="self",
        results=results,
        fill_only=True,
    )
    parsed = parse_bytes(path.name, path.read_bytes())
    assert [p.code for p in parsed.problems] == ["missing-level"]
    out = annotate(path.name, path.read_bytes(), parsed.problems)
    again = parse_bytes("fill-loi.xlsx", out)
    assert _codes(again) == _codes(parsed)
    sheet, cell = parsed.problems[0].sheet, parsed.problems[0].cell
    rgb = openpyxl.load_workbook(io.BytesIO(out))[sheet][cell].fill.fgColor.rgb
    assert level_from_rgb(rgb[-6:]) is None


def test_bad_file_round_trip_keeps_the_same_problems(tmp_path):
    path = bad_file(tmp_path)
    parsed = parse_bytes(path.name, path.read_bytes())
    out = annotate(path.name, path.read_bytes(), parsed.problems)
    again = parse_bytes("bad-loi.xlsx", out)
    assert _codes(again) == _codes(parsed)
    # Annotating an annotated file replaces the list rather than stacking a second one.
    twice = openpyxl.load_workbook(io.BytesIO(annotate("bad-loi.xlsx", out, again.problems)))
    assert twice.sheetnames.count(PROBLEM_SHEET) == 1


def test_csv_becomes_an_xlsx_copy_marked_at_the_same_cells():
    text = (ROOT / "data/samples/2023-11410-csv.csv").read_bytes().decode("utf-8-sig")
    text = text.replace(",xanh,", ",tím,", 1)
    data = text.encode("utf-8")
    parsed = parse_bytes("đông-hải.csv", data)
    bad = next(p for p in parsed.problems if p.code == "bad-level")
    assert bad.location == "đông-hải.csv!B10"  # row 7 is blank, row 8 the header
    out = annotate("đông-hải.csv", data, parsed.problems)
    wb = openpyxl.load_workbook(io.BytesIO(out))
    ws = wb["đông-hải.csv"]
    assert ws["B10"].value == "tím" and ws["A10"].value == "1.2"
    assert bad.message_vi in ws["B10"].comment.text
    assert ".csv" in wb[PROBLEM_SHEET]["A3"].value


@pytest.mark.parametrize("sample", ["2023-11368-xls.xls", "2022-11410-ods.ods"])
def test_xls_and_ods_are_copied_with_their_sheets(tmp_path, sample):
    data = (ROOT / "data/samples" / sample).read_bytes()
    parsed = parse_bytes(sample, data)
    assert parsed.ok
    from core.problems import problem

    fake = problem("bad-level", sheet=parsed.assessments[0].sheet, cell="C5", value="x")
    out = annotate(sample, data, [fake])
    wb = openpyxl.load_workbook(io.BytesIO(out))
    assert wb[parsed.assessments[0].sheet]["C5"].comment is not None


def test_files_that_cannot_be_opened_get_no_copy():
    for name, data in [
        ("x.xlsx", b"%PDF-1.4 not a spreadsheet"),
        ("x.exe", b"MZ\x90\x00"),
        ("x.xlsx", b""),
    ]:
        parsed = parse_bytes(name, data)
        assert not parsed.ok and not can_annotate(parsed.problems)
        assert annotate(name, data, parsed.problems) is None
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("xl/big.xml", b"0" * 50_000_000)  # 50 MB of zeros packs to ~50 KB
    parsed = parse_bytes("bomb.xlsx", buf.getvalue())
    assert [p.code for p in parsed.problems] == ["archive-too-large"]
    assert annotate("bomb.xlsx", buf.getvalue(), parsed.problems) is None


def test_annotated_name_is_a_plain_file_name():
    assert annotated_name("../../etc/Báo cáo 2023.xlsx") == "Báo cáo 2023-loi.xlsx"
    assert annotated_name("C:\\x\\a;b|c.csv").endswith("-loi.xlsx") and "/" not in annotated_name("a/b.csv")
    assert annotated_name("...xlsx") == "file-loi.xlsx"
