"""The analyst's own file back, with every problem marked, so it can be fixed in Excel and sent again.

For an .xlsx (or .xlsm) the copy is the analyst's workbook as openpyxl reads it (values,
formulas, styles, validations; pictures and charts are not kept): each problem cell gets a
lavender fill (a warning: light blue) and a comment with the message in Vietnamese and English.
For .xls, .ods and .csv, which openpyxl cannot edit, the copy is a new .xlsx holding the cell
values as read, marked the same way. Either way a sheet "Lỗi cần sửa" lists every problem,
including those that belong to no cell, with a link to the cell.

Every value that came from the user's file and is written into the copy (cell values of a
.csv/.xls/.ods copy, text cells of an .xlsx, values and places in the problem list) goes through
core.safe_cells.safe_text, so no text can run as a formula (=HYPERLINK, DDE) when the copy is
opened; the readers drop that mark again when the copy is sent back.

The marking colours are blue-violet on purpose: the reader classifies red, amber and green
fills as levels, so a re-upload of an unchanged annotated file must not turn a highlight into
a level.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import PurePath

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, quote_sheetname
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.worksheet import Worksheet

from core.problems import Problem
from core.safe_cells import needs_mark, safe_text
from etl.limits import LIMITS, Limits
from etl.readers import ReadError, base_name, read_workbook

log = logging.getLogger(__name__)
PROBLEM_SHEET = "Lỗi cần sửa"
AUTHOR = "TCVN ISO 18091"
# Problems about the file as a whole: nothing inside it can be marked.
FILE_LEVEL = frozenset(
    {
        "file-unreadable",
        "file-encrypted",
        "too-many-columns",
        "too-many-cells",
        "unsupported-format",
        "file-too-large",
        "archive-too-large",
        "too-many-rows",
        "empty-file",
    }
)
ERROR_FILL = PatternFill("solid", fgColor="E4CCFF")  # lavender: hue 270°, never read as a level
WARNING_FILL = PatternFill("solid", fgColor="CFE2FF")  # light blue: hue 215°
_EDGE = Side(style="medium", color="7030A0")
ERROR_BORDER = Border(left=_EDGE, right=_EDGE, top=_EDGE, bottom=_EDGE)
_BAD_TITLE = re.compile(r"[\\/*?:\[\]]")


def can_annotate(problems: list[Problem]) -> bool:
    """True when there is something to mark and the file itself could be opened."""
    return bool(problems) and not any(p.code in FILE_LEVEL for p in problems)


def annotated_name(file_name: str) -> str:
    """The download name for the marked copy (a browser file name, never a server path)."""
    stem = PurePath(base_name(file_name)).stem
    stem = re.sub(r"[^\w\- .]+", "_", stem).strip(" .") or "file"
    return f"{stem[:80]}-loi.xlsx"


def _title(name: str, taken: set[str]) -> str:
    base = (_BAD_TITLE.sub("_", name).strip("'") or "Sheet")[:31]
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        title = f"{base[: 31 - len(str(n)) - 1]}~{n}"
    taken.add(title.lower())
    return title


def _copy_values(name: str, data: bytes, limits: Limits) -> tuple[Workbook, dict[str, str]]:
    """A new workbook with the values of a file openpyxl cannot edit; returns it and sheet-name map."""
    source = read_workbook(name, data, limits)
    wb = Workbook()
    wb.remove(wb.active)
    names: dict[str, str] = {}
    taken: set[str] = {PROBLEM_SHEET.lower()}
    for sheet in source.sheets:
        ws = wb.create_sheet(_title(sheet.name, taken))
        names[sheet.name] = ws.title
        for row in sheet.rows:
            ws.append([safe_text(v) for v in row])
    return wb, names


def _neutralise(wb: Workbook) -> None:
    """Text cells of the user's own .xlsx that a spreadsheet would take for a formula get the mark."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if (
                    cell.data_type in ("s", "inlineStr")
                    and isinstance(cell.value, str)
                    and needs_mark(cell.value)
                ):
                    cell.value = safe_text(cell.value)


def _target(ws: Worksheet, cell: str | None) -> str | None:
    """A cell address for a problem: 'C7' as is; a bare column 'C' -> its first filled cell."""
    if not cell:
        return None
    cell = cell.replace("$", "").upper()
    if cell.isalpha():
        col = column_index_from_string(cell)
        for r in range(1, (ws.max_row or 1) + 1):
            if ws.cell(row=r, column=col).value not in (None, ""):
                return f"{cell}{r}"
        return f"{cell}1"
    try:
        coordinate_from_string(cell)
    except ValueError:
        return None
    return cell


def _note(p: Problem) -> str:
    mark = "LỖI / ERROR" if p.severity == "error" else "CẢNH BÁO / WARNING"
    return f"[{mark}] {p.message_vi}\n— {p.message_en}"


def _problem_sheet(
    wb: Workbook, rows: list[tuple[Problem, str | None, str | None]], copied: str | None
) -> None:
    ws = wb.create_sheet(PROBLEM_SHEET, 0)
    ws["A1"] = "Các lỗi cần sửa trong tệp / Problems to fix in this file"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = (
        "Sửa các ô được tô màu (xem chú thích ở từng ô), rồi tải tệp lên lại. Có thể xoá trang này. "
        "/ Fix the marked cells (see each cell's comment), then upload the file again. This sheet may be deleted."
    )
    if copied:
        ws["A3"] = (
            f"Tệp gốc dạng {copied} không sửa trực tiếp được; đây là bản sao giá trị dạng .xlsx. "
            f"/ The original {copied} file cannot be edited here; this is an .xlsx copy of its values."
        )
    headers = (
        "Mức độ / Severity",
        "Vị trí / Location",
        "Giá trị / Value",
        "Lỗi / Problem (VI)",
        "Problem (EN)",
    )
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(row=5, column=c, value=h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for r, (p, sheet, cell) in enumerate(rows, start=6):
        ws.cell(row=r, column=1, value="Lỗi / error" if p.severity == "error" else "Cảnh báo / warning")
        where = f"{sheet}!{cell}" if sheet and cell else (sheet or p.location or "–")
        loc = ws.cell(row=r, column=2, value=safe_text(where))
        if sheet and cell:
            loc.hyperlink = f"#{quote_sheetname(sheet)}!{cell}"
            loc.font = Font(color="0563C1", underline="single")
        ws.cell(row=r, column=3, value=safe_text(p.value))
        ws.cell(row=r, column=4, value=safe_text(p.message_vi))
        ws.cell(row=r, column=5, value=safe_text(p.message_en))
        for c in range(1, 6):
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDE", (16, 22, 20, 70, 70), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A6"
    wb.active = 0


def annotate(name: str, data: bytes, problems: list[Problem], limits: Limits = LIMITS) -> bytes | None:
    """An .xlsx copy of the file with each problem marked and commented; None if it cannot be opened.

    Runs in-process: for an uploaded file, etl.sandbox.annotate_untrusted runs it in a limited worker.
    """
    if not can_annotate(problems):
        return None
    try:
        return _annotate(name, data, problems, limits)
    except MemoryError:
        raise
    except Exception:
        log.exception("could not annotate %s", name)
        return None


def _annotate(name: str, data: bytes, problems: list[Problem], limits: Limits) -> bytes | None:
    try:
        source = read_workbook(name, data, limits)  # the same limits as validation, before openpyxl
    except ReadError:
        return None
    copied = None
    wb = None
    if source.kind == "xlsx":
        try:
            wb = load_workbook(io.BytesIO(data))
        except Exception:  # openpyxl is stricter than calamine: fall back to a copy of the values
            log.info("openpyxl could not open %s; annotating a copy of its values", name, exc_info=True)
        else:
            names = {n: n for n in wb.sheetnames}
            if PROBLEM_SHEET in wb.sheetnames:  # a re-sent annotated file: replace the old list
                del wb[PROBLEM_SHEET]
            _neutralise(wb)
    if wb is None:
        copied = "." + source.kind
        wb, names = _copy_values(name, data, limits)

    by_cell: dict[tuple[str, str], list[Problem]] = {}
    rows: list[tuple[Problem, str | None, str | None]] = []
    for p in problems:
        sheet = names.get(p.sheet or "")
        cell = _target(wb[sheet], p.cell) if sheet else None
        rows.append((p, sheet, cell))
        if sheet and cell:
            by_cell.setdefault((sheet, cell), []).append(p)
    for (sheet, cell), probs in by_cell.items():
        target = wb[sheet][cell]
        is_error = any(p.severity == "error" for p in probs)
        target.fill = ERROR_FILL if is_error else WARNING_FILL
        if is_error:
            target.border = ERROR_BORDER
        text = str(safe_text("\n\n".join(_note(p) for p in probs)))
        if target.comment is not None and target.comment.author != AUTHOR:
            text += "\n\n---\n" + target.comment.text
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 360, 60 + 60 * len(probs)
        target.comment = comment
    _problem_sheet(wb, rows, copied)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
