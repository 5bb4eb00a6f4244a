"""The blank assessment workbook analysts fill in (Vietnamese labels, a level dropdown).

It doubles as the writer for sample and test files: ``write_assessment`` fills the same layout.
The criteria for red, yellow and green sit beside each indicator, where the level is judged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from core import codes
from core.catalogue import indicators_frame, pillars_frame
from core.units import Registry, Unit, registry
from etl.levels import FILL_RGB

INFO_SHEET = "Thông tin"
ASSESS_SHEET = "Đánh giá"
# The Vietnamese words files use for levels and stages, from the code tables (Đỏ, Tự đánh giá, ...).
LEVEL_WORDS: dict[str, str] = dict(codes.column("level", "label_vi"))
STAGE_WORDS: dict[str, str] = dict(codes.column("stage", "label_vi"))
INFO_FIELDS = [
    ("Tỉnh/Thành phố", "Province"),
    ("Đơn vị", "Unit name (e.g. Phường Minh Khai)"),
    ("Mã đơn vị", "GSO unit code (e.g. 11311)"),
    ("Quận/Huyện", "District (for a ward or commune)"),
    ("Năm", "Year assessed"),
    ("Giai đoạn", "Tự đánh giá / Thẩm định"),
    ("Người lập", "Prepared by"),
    ("Ngày lập", "Date"),
    ("Danh mục đơn vị", "2020 (units to June 2025) or 2025 (after the reform)"),
]
HEADERS = [
    "Mã chỉ số",
    "Tên chỉ số",
    "Mức (Đỏ/Vàng/Xanh)",
    "Điểm (0-100)",
    "Minh chứng",
    "Ghi chú",
    "Tiêu chí mức Đỏ",
    "Tiêu chí mức Vàng",
    "Tiêu chí mức Xanh",
]
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


ILLUSTRATIVE_LABEL = "Dữ liệu minh họa"
ILLUSTRATIVE_NOTE = (
    "Có — số liệu minh họa do chương trình tạo ra, KHÔNG phải kết quả thí điểm thực tế "
    "(illustrative data, not the pilot's results)"
)


def _info_sheet(wb: Workbook, values: Sequence[object] | None, illustrative: bool = False) -> None:
    ws = wb.active
    ws.title = INFO_SHEET
    ws["A1"] = "THÔNG TIN KỲ ĐÁNH GIÁ THEO TCVN ISO 18091:2020"
    ws["A1"].font = Font(bold=True, size=13)
    for i, (label, hint) in enumerate(INFO_FIELDS, start=3):
        ws.cell(row=i, column=1, value=label).font = _BOLD
        if values is not None and i - 3 < len(values):
            ws.cell(row=i, column=2, value=values[i - 3])
        ws.cell(row=i, column=3, value=hint).font = Font(italic=True, color="808080")
    if illustrative:
        row = 3 + len(INFO_FIELDS)
        ws.cell(row=row, column=1, value=ILLUSTRATIVE_LABEL).font = Font(bold=True, color="C00000")
        ws.cell(row=row, column=2, value=ILLUSTRATIVE_NOTE).font = Font(bold=True, color="C00000")
    stage = DataValidation(type="list", formula1=f'"{",".join(STAGE_WORDS.values())}"', allow_blank=True)
    ws.add_data_validation(stage)
    stage.add("B8")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 36


def _assessment_sheet(wb: Workbook, results: dict[str, tuple] | None, fill_only: bool) -> None:
    ws = wb.create_sheet(ASSESS_SHEET)
    for c, h in enumerate(HEADERS, start=1):
        cell = ws.cell(row=1, column=c, value=h)
        cell.font, cell.fill = _BOLD, _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ind = indicators_frame()
    pillars = dict(zip(pillars_frame()["pillar"], pillars_frame()["name_vi"], strict=True))
    r, current = 2, None
    for row in ind.itertuples(index=False):
        if row.pillar != current:
            current = row.pillar
            ws.cell(row=r, column=1, value=f"Trụ cột {row.pillar}. {pillars[row.pillar]}").font = _BOLD
            r += 1
        ws.cell(row=r, column=1, value=row.code)
        ws.cell(row=r, column=2, value=row.name_vi)
        for c, text in enumerate((row.red_vi, row.yellow_vi, row.green_vi), start=7):
            ws.cell(row=r, column=c, value=text).alignment = Alignment(wrap_text=True, vertical="top")
        if results and row.code in results:
            level, score, evidence, note = results[row.code]
            cell = ws.cell(row=r, column=3)
            if level:
                if fill_only:
                    cell.fill = PatternFill("solid", fgColor=FILL_RGB[level])
                else:
                    cell.value = LEVEL_WORDS[level]
            ws.cell(row=r, column=4, value=score)
            ws.cell(row=r, column=5, value=evidence)
            ws.cell(row=r, column=6, value=note)
        r += 1
    dv = DataValidation(
        type="list",
        formula1=f'"{",".join(LEVEL_WORDS.values())}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Mức không hợp lệ",
        error="Chọn Đỏ, Vàng hoặc Xanh.",
    )
    ws.add_data_validation(dv)
    dv.add(f"C2:C{r}")
    score = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
    ws.add_data_validation(score)
    score.add(f"D2:D{r}")
    for col, width in zip("ABCDEFGHI", (10, 60, 14, 10, 40, 20, 40, 40, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C2"


def write_template(out: str | Path, unit: Unit | None = None, reg: Registry | None = None) -> Path:
    """The blank workbook; with ``unit``, its information sheet names that unit and its unit list
    (``reg``: the unit's registry, by default the one of its vintage)."""
    wb = Workbook()
    values = None
    if unit is not None:
        reg = reg or registry(unit.vintage)
        province = reg.units.get(unit.province_code)
        parent = reg.units.get(unit.parent_code or "")
        values = [
            province.name_with_type if province else None,
            unit.name_with_type,
            unit.code,
            parent.name_with_type if parent is not None and parent.level == "district" else None,
            None,
            None,
            None,
            None,
            unit.vintage,
        ]
    _info_sheet(wb, values)
    _assessment_sheet(wb, None, fill_only=False)
    out = Path(out)
    wb.save(out)
    return out


def write_assessment(
    out: str | Path,
    *,
    province: str,
    unit_name: str,
    unit_code: str | None,
    district: str | None,
    year: int,
    stage: str,
    results: dict[str, tuple],
    prepared_by: str = "",
    prepared_on: dt.date | None = None,
    fill_only: bool = False,
    illustrative: bool = False,
) -> Path:
    """A filled workbook in the template layout; ``results``: code -> (level, score, evidence, note)."""
    wb = Workbook()
    _info_sheet(
        wb,
        [province, unit_name, unit_code, district, year, STAGE_WORDS[stage], prepared_by, prepared_on],
        illustrative,
    )
    _assessment_sheet(wb, results, fill_only)
    out = Path(out)
    wb.save(out)
    return out
