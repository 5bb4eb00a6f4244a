"""Every problem code, triggered by a real file written here, with its location and both messages."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from core.catalogue import indicator_codes
from core.problems import MESSAGES
from etl.limits import Limits
from etl.validate import parse_bytes, year_max
from tests import files

R11 = files.level_row("1.1")


def problems(path: Path, limits: Limits | None = None):
    parsed = (
        parse_bytes(path.name, path.read_bytes(), limits)
        if limits
        else parse_bytes(path.name, path.read_bytes())
    )
    for p in parsed.problems:
        assert p.message_vi and p.message_en and p.severity in ("error", "warning")
    return parsed


def one(parsed, code: str):
    found = [p for p in parsed.problems if p.code == code]
    assert found, [(p.code, p.location) for p in parsed.problems]
    return found[0]


def test_bad_level_names_sheet_cell_value_and_expectation(tmp_path):
    p = files.edit(files.template(tmp_path / "t.xlsx"), {f"C{R11}": "Tím"})
    parsed = problems(p)
    assert not parsed.ok
    prob = one(parsed, "bad-level")
    assert (prob.sheet, prob.cell, prob.value, prob.location) == (
        "Đánh giá",
        f"C{R11}",
        "Tím",
        f"Đánh giá!C{R11}",
    )
    assert "Đỏ, Vàng hoặc Xanh" in prob.message_vi and "Red, Yellow, Green" in prob.message_en
    assert prob.to_dict()["code"] == "bad-level"


def test_missing_level(tmp_path):
    p = files.edit(files.template(tmp_path / "t.xlsx"), {f"C{R11}": None})
    prob = one(problems(p), "missing-level")
    assert prob.cell == f"C{R11}" and "1.1" in prob.message_vi


def test_unknown_duplicate_and_missing_indicator(tmp_path):
    r12 = files.level_row("1.2")
    p = files.edit(
        files.template(tmp_path / "t.xlsx"), {f"A{r12}": "1.1", f"A{files.level_row('1.3')}": "9.9"}
    )
    parsed = problems(p)
    dup = one(parsed, "duplicate-indicator")
    assert dup.cell == f"A{r12}" and f"A{R11}" in dup.message_en
    assert one(parsed, "unknown-indicator").value == "9.9"
    assert {p.value for p in parsed.problems if p.code == "missing-indicator"} == {"1.2", "1.3"}


def test_every_problem_of_a_file_at_once(tmp_path):
    p = files.template(
        tmp_path / "t.xlsx", year=2001, unit_code=None, district=None, unit_name="Phường Không Có"
    )
    files.edit(p, {f"C{R11}": "Tím", f"C{files.level_row('2.1')}": None, f"D{R11}": 150})
    codes = [x.code for x in problems(p).problems]
    for code in ("bad-level", "missing-level", "bad-score", "year-out-of-range", "unknown-locality"):
        assert code in codes


def test_score_out_of_range_is_a_warning(tmp_path):
    p = files.edit(files.template(tmp_path / "t.xlsx"), {f"D{R11}": "nhiều"})
    parsed = problems(p)
    assert parsed.ok and one(parsed, "bad-score").severity == "warning"
    assert parsed.assessments[0].results[0].score is None


def test_formula_without_cached_value(tmp_path):
    p = files.edit(files.template(tmp_path / "t.xlsx"), {f"C{R11}": '=IF(1,"Xanh")', f"D{R11}": "=1+1"})
    parsed = problems(p)
    probs = [x for x in parsed.problems if x.code == "formula-no-value"]
    assert {(x.cell, x.severity) for x in probs} == {(f"C{R11}", "error"), (f"D{R11}", "warning")}
    assert probs[0].value.startswith("=")


def test_unknown_locality_suggests_closest(tmp_path):
    p = files.template(tmp_path / "t.xlsx", unit_code=None, district=None, unit_name="Phường Minh Khanh")
    prob = one(problems(p), "unknown-locality")
    assert prob.location == "Thông tin!B4"
    assert "Phường Minh Khai (11311" in prob.message_vi


def test_ambiguous_locality(tmp_path):
    p = files.template(tmp_path / "t.xlsx", unit_code=None, district=None, unit_name="Minh Đức")
    assert "Thị trấn Minh Đức" in one(problems(p), "ambiguous-locality").message_en


def test_name_without_diacritics_is_a_warning(tmp_path):
    p = files.template(tmp_path / "t.xlsx", unit_code=None, district=None, unit_name="Quan Le Chan")
    parsed = problems(p)
    assert parsed.ok and one(parsed, "locality-without-diacritics").severity == "warning"
    assert parsed.assessments[0].unit.code == "305"


def test_code_and_name_disagree(tmp_path):
    p = files.template(tmp_path / "t.xlsx", unit_code="303", unit_name="Quận Lê Chân", district=None)
    assert "Quận Hồng Bàng" in one(problems(p), "locality-mismatch").message_vi


def test_unknown_province_and_missing_locality(tmp_path):
    p = files.template(tmp_path / "t.xlsx", province="Tỉnh Không Tồn Tại", unit_code=None, unit_name=None)
    parsed = problems(p)
    one(parsed, "unknown-province")
    assert one(parsed, "missing-locality").location == "Thông tin!B4"


def test_year_missing_and_out_of_range(tmp_path):
    p = files.template(tmp_path / "t.xlsx", year=None)
    assert one(problems(p), "missing-year").location == "Thông tin!B7"
    p = files.template(tmp_path / "u.xlsx", year=year_max() + 1)
    prob = one(problems(p), "year-out-of-range")
    assert prob.value == str(year_max() + 1) and prob.location == "Thông tin!B7"


def test_stage_bad_and_missing(tmp_path):
    p = files.info(files.template(tmp_path / "t.xlsx"), {"Giai đoạn": "Giữa kỳ"})
    assert one(problems(p), "bad-stage").value == "Giữa kỳ"
    p = files.info(files.template(tmp_path / "u.xlsx"), {"Giai đoạn": None})
    parsed = problems(p)
    assert parsed.ok and one(parsed, "missing-stage").severity == "warning"


def test_missing_level_column(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Đơn vị", "Quận Lê Chân"])
    ws.append(["Mã chỉ số", "Tên chỉ số", "Điểm"])
    for code in indicator_codes():
        ws.append([code, "…", 50])
    wb.save(tmp_path / "t.xlsx")
    prob = one(problems(tmp_path / "t.xlsx"), "missing-column")
    assert prob.cell == "A2" and "Mức" in prob.message_vi


def test_long_csv_without_year_column(tmp_path):
    p = tmp_path / "l.csv"
    p.write_text("locality_code,indicator_code,level\n303,1.1,Red\n", encoding="utf-8")
    assert "Năm" in one(problems(p), "missing-column").message_en


def test_duplicate_assessment_in_a_long_csv(tmp_path):
    p = tmp_path / "l.csv"
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["locality_code", "locality_name", "year", "indicator_code", "level"])
        for name in ("Quận Lê Chân", "Q. Lê Chân"):  # the same unit under two spellings
            for code in indicator_codes():
                w.writerow(["305" if name.startswith("Quận") else "", name, 2023, code, "G"])
    assert "Quận Lê Chân" in one(problems(p), "duplicate-assessment").message_vi


def test_no_table(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Báo cáo"
    wb.save(tmp_path / "t.xlsx")
    assert one(problems(tmp_path / "t.xlsx"), "no-assessment-table").severity == "error"


def test_not_a_spreadsheet(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    assert one(problems(tmp_path / "x.xlsx"), "file-unreadable").value == "x.xlsx"
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    assert one(problems(tmp_path / "x.pdf"), "unsupported-format").value == ".pdf"
    (tmp_path / "e.csv").write_bytes(b"")
    one(problems(tmp_path / "e.csv"), "empty-file")
    (tmp_path / "w.csv").write_bytes(b"\x81\x8d\x8f,\x90\x9d\n")  # no accepted text encoding fits
    prob = one(problems(tmp_path / "w.csv"), "file-unreadable")
    assert "UTF-8" in prob.message_en and "CSV UTF-8" in prob.message_vi


def test_truncated_workbook(tmp_path):
    data = files.template(tmp_path / "t.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    one(problems(tmp_path / "cut.xlsx"), "file-unreadable")


def test_size_and_row_limits(tmp_path):
    p = files.template(tmp_path / "t.xlsx")
    one(problems(p, Limits(max_file_bytes=1000)), "file-too-large")
    one(problems(p, Limits(max_rows=10)), "too-many-rows")


def test_zip_bomb_refused_quickly_with_bounded_memory(tmp_path):
    """An .xlsx whose sheet inflates to 1 GB: refused from the zip directory, before inflating."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(1024):
                f.write(chunk)
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(buf.getvalue())
    assert bomb.stat().st_size < 2 * 2**20
    tracemalloc.start()
    t0 = time.perf_counter()
    parsed = problems(bomb)
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    one(parsed, "archive-too-large")
    assert elapsed < 5 and peak < 50 * 2**20  # refused without inflating 1 GB


# Every code, triggered by a file made for it: the test of one code stands alone (run it by itself,
# in any order, in a worker: it makes its own file).


def _wb(rows: list[list[object]], tmp_path: Path, name: str = "t.xlsx", sheet: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if sheet:
        ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / name)
    return tmp_path / name


def _table_rows(level: str = "Xanh") -> list[list[object]]:
    return [["Mã chỉ số", "Mức"], *([c, level] for c in indicator_codes())]


def _rezip(data: bytes, change) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zin.infolist():
            z.writestr(item, change(item.filename, zin.read(item.filename)))
    return buf.getvalue()


def _bytes(name: str, data: bytes, limits: Limits | None = None) -> list:
    return parse_bytes(name, data, limits or Limits()).problems


def _path(path: Path, limits: Limits | None = None) -> list:
    return _bytes(path.name, path.read_bytes(), limits)


def _formula_error(tmp_path: Path) -> list:
    p = files.edit(files.template(tmp_path / "t.xlsx"), {f"C{R11}": "=NA()"})
    data = _rezip(
        p.read_bytes(),
        lambda n, d: (
            re.sub(
                rb'<c r="C3"([^>]*)><f>NA\(\)</f><v\s*/?>(</v>)?',
                rb'<c r="C3" t="e"><f>NA()</f><v>#N/A</v>',
                d,
            )
            if n == "xl/worksheets/sheet2.xml"
            else d
        ),
    )
    return _bytes("t.xlsx", data)


def _styles_unreadable(tmp_path: Path) -> list:
    data = files.template(tmp_path / "f.xlsx", fill_only=True).read_bytes()
    # An undefined entity in the style sheet: calamine reads the values, the colour table is lost.
    broken = lambda n, d: d.replace(b"<fills", b'<fills x="&nbsp;"', 1) if n == "xl/styles.xml" else d  # noqa: E731
    return _bytes("f.xlsx", _rezip(data, broken))


def _encrypted(tmp_path: Path) -> list:
    import msoffcrypto.format.ooxml

    buf = io.BytesIO()
    with open(files.template(tmp_path / "t.xlsx"), "rb") as f:
        msoffcrypto.format.ooxml.OOXMLFile(f).encrypt("mat-khau", buf)
    return _bytes("locked.xlsx", buf.getvalue())


def _load_failed(tmp_path: Path) -> list:
    from etl.load import store_parsed

    parsed = parse_bytes("b.xlsx", files.template(tmp_path / "b.xlsx").read_bytes())
    parsed.assessments[0].results[0] = dataclasses.replace(parsed.assessments[0].results[0], level="purple")
    [report] = store_parsed([("b.xlsx", parsed, b"x")], tmp_path / "db" / "x.duckdb")
    return report.problems


def _long(rows: list[list[object]], tmp_path: Path) -> list:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return _bytes("l.csv", out.getvalue().encode())


TRIGGERS = {
    "file-unreadable": lambda tmp: _bytes("x.xlsx", b"%PDF-1.4 not a workbook"),
    "unsupported-format": lambda tmp: _bytes("x.pdf", b"%PDF-1.4"),
    "file-too-large": lambda tmp: _path(files.template(tmp / "t.xlsx"), Limits(max_file_bytes=1000)),
    "archive-too-large": lambda tmp: _bytes(
        "b.xlsx",
        _rezip(
            files.template(tmp / "t.xlsx").read_bytes(),
            lambda n, d: d + b" " * 30_000_000 if n.endswith("sheet1.xml") else d,
        ),
    ),
    "too-many-rows": lambda tmp: _path(files.template(tmp / "t.xlsx"), Limits(max_rows=10)),
    "too-many-columns": lambda tmp: _path(_wb([["x", *[None] * 2000, "y"]], tmp)),
    "too-many-cells": lambda tmp: _path(files.template(tmp / "t.xlsx"), Limits(max_cells=100)),
    "empty-file": lambda tmp: _bytes("e.csv", b""),
    "file-encrypted": _encrypted,
    "no-assessment-table": lambda tmp: _path(_wb([["Báo cáo"]], tmp)),
    "missing-column": lambda tmp: _long(
        [["locality_code", "indicator_code", "level"], ["303", "1.1", "Red"]], tmp
    ),
    "missing-locality": lambda tmp: _path(files.template(tmp / "t.xlsx", unit_code=None, unit_name=None)),
    "unknown-locality": lambda tmp: _path(
        files.template(tmp / "t.xlsx", unit_code=None, district=None, unit_name="Phường Không Có")
    ),
    "ambiguous-locality": lambda tmp: _path(
        files.template(tmp / "t.xlsx", unit_code=None, district=None, unit_name="Minh Đức")
    ),
    "locality-without-diacritics": lambda tmp: _path(
        files.template(tmp / "t.xlsx", unit_code=None, district=None, unit_name="Quan Le Chan")
    ),
    "locality-mismatch": lambda tmp: _path(
        files.template(tmp / "t.xlsx", unit_code="303", unit_name="Quận Lê Chân", district=None)
    ),
    "unknown-province": lambda tmp: _path(files.template(tmp / "t.xlsx", province="Tỉnh Không Tồn Tại")),
    "missing-year": lambda tmp: _path(files.template(tmp / "t.xlsx", year=None)),
    "year-out-of-range": lambda tmp: _path(files.template(tmp / "t.xlsx", year=2001)),
    "year-range": lambda tmp: _path(files.template(tmp / "t.xlsx", year="2022-2023")),
    "bad-stage": lambda tmp: _path(files.info(files.template(tmp / "t.xlsx"), {"Giai đoạn": "Giữa kỳ"})),
    "missing-stage": lambda tmp: _path(files.info(files.template(tmp / "t.xlsx"), {"Giai đoạn": None})),
    "unknown-indicator": lambda tmp: _path(files.edit(files.template(tmp / "t.xlsx"), {f"A{R11}": "9.9"})),
    "missing-indicator": lambda tmp: _path(
        files.edit(files.template(tmp / "t.xlsx"), {f"A{R11}": None, f"B{R11}": None})
    ),
    "duplicate-indicator": lambda tmp: _path(
        files.edit(files.template(tmp / "t.xlsx"), {f"A{files.level_row('1.2')}": "1.1"})
    ),
    "bad-level": lambda tmp: _path(files.edit(files.template(tmp / "t.xlsx"), {f"C{R11}": "Tím"})),
    "missing-level": lambda tmp: _path(files.edit(files.template(tmp / "t.xlsx"), {f"C{R11}": None})),
    "several-levels": lambda tmp: _path(
        _wb(
            [
                ["Đơn vị", "Quận Lê Chân"],
                ["Năm", 2023],
                ["Mã chỉ số", "Đỏ", "Vàng", "Xanh"],
                *([c, "x", None, "x"] for c in indicator_codes()),
            ],
            tmp,
        )
    ),
    "formula-no-value": lambda tmp: _path(
        files.edit(files.template(tmp / "t.xlsx"), {f"C{R11}": '=IF(1,"Xanh")'})
    ),
    "formula-error": _formula_error,
    "bad-score": lambda tmp: _path(files.edit(files.template(tmp / "t.xlsx"), {f"D{R11}": 150})),
    "duplicate-assessment": lambda tmp: _long(
        [
            ["locality_code", "locality_name", "year", "indicator_code", "level"],
            *(
                ["305" if n else "", n or "Q. Lê Chân", 2023, c, "G"]
                for n in ("Quận Lê Chân", None)
                for c in indicator_codes()
            ),
        ],
        tmp,
    ),
    "load-failed": _load_failed,
    "metadata-conflict": lambda tmp: _path(
        _wb([["Đơn vị: Quận Lê Chân"], ["Năm: 2023"], ["Năm: 2024"], *_table_rows()], tmp)
    ),
    "unit-inferred": lambda tmp: _path(_wb([["UBND QUẬN LÊ CHÂN"], ["Năm: 2023"], *_table_rows()], tmp)),
    "year-inferred": lambda tmp: _path(
        _wb([["KẾT QUẢ NĂM 2023"], ["Đơn vị: Quận Lê Chân"], *_table_rows()], tmp)
    ),
    "stage-inferred": lambda tmp: _path(
        _wb([["KẾT QUẢ THẨM ĐỊNH"], ["Đơn vị: Quận Lê Chân"], ["Năm: 2023"], *_table_rows()], tmp)
    ),
    "styles-unreadable": _styles_unreadable,
    "bad-vintage": lambda tmp: _path(
        _wb([["Đơn vị: Quận Lê Chân"], ["Năm: 2023"], ["Danh mục đơn vị: 2019"], *_table_rows()], tmp)
    ),
}


def test_every_code_has_a_trigger():
    assert set(TRIGGERS) == set(MESSAGES)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_is_exercised(code, tmp_path):
    """Each code comes from a real file made for it, with both messages and a known severity."""
    found = [p for p in TRIGGERS[code](tmp_path) if p.code == code]
    assert found, f"the file made for {code} did not raise it"
    p = found[0]
    assert p.message_vi and p.message_en and p.severity in ("error", "warning")
    assert p.message_vi != p.message_en and "{" not in p.message_vi + p.message_en


def test_readme_lists_every_problem_code():
    """The README's list "Problem codes" is the code tables of core/problems.py and geo/problems.py."""
    import geo.problems

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = text.split("### Problem codes", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", section))
    assert listed == set(MESSAGES) | set(geo.problems.MESSAGES)
