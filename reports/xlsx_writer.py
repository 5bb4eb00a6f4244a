"""The Excel workbook of a report: a contents sheet, then one formatted sheet per table of the document.

Numbers stay numbers, with Vietnamese number formats (the ``[$-42A]`` locale tag makes LibreOffice
show 61,6 and 1.234; Excel follows the reader's system settings). Every text cell goes through
``core.safe_cells.safe_text`` and is written with ``write_string``, so no user text can ever become a
formula; the workbook holds no formula at all.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from core.safe_cells import safe_text
from core.scoring import LEVEL_COLOUR
from i18n import t
from reports.fmt import cell_text, missing
from reports.model import Column, Document, Table

EXCEL_MAX_ROWS = 1_048_576
ROWS_PER_SHEET = 1_000_000  # a larger table continues on "<sheet> (2)", ...
VI = "[$-42A]"  # Vietnamese locale tag of a number format
NUMBER_FORMATS = {
    "int": VI + "#,##0",
    "score": VI + "#,##0.0",
    "share": VI + "0.0%",
    "change": VI + "+#,##0.0;-#,##0.0;0.0",
    "year": "0",
}
WIDTHS = {"int": 10, "score": 10, "share": 10, "change": 10, "year": 8, "level": 10, "bool": 9}
WRAP_OVER = 48  # text columns wider than this wrap


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook, lang: str) -> None:
        self.lang = lang
        base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14})
        self.subtitle = wb.add_format({**base, "italic": True})
        self.note = wb.add_format({**base, "italic": True, "font_color": "#333333"})
        self.warn = wb.add_format({**base, "bold": True, "font_color": "#8A5A00", "bg_color": "#FFF4CC"})
        self.header = wb.add_format(
            {**base, "bold": True, "text_wrap": True, "bg_color": "#DDE4EE", "border": 1, "valign": "vcenter"}
        )
        self.text = wb.add_format(base)
        self.wrap = wb.add_format({**base, "text_wrap": True})
        self.link = wb.add_format({**base, "font_color": "#0563C1", "underline": 1})
        self.bold = wb.add_format({**base, "bold": True})
        self.numbers = {k: wb.add_format({**base, "num_format": v}) for k, v in NUMBER_FORMATS.items()}
        self.levels = {
            lv: wb.add_format({**base, "bg_color": colour, "font_color": "#000000"})
            for lv, colour in LEVEL_COLOUR.items()
        }


def _sheet_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if c in "[]:*?/\\" else c for c in name)[:31]
    out, n = clean, 2
    while out.lower() in used:
        suffix = f" ({n})"
        out, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(out.lower())
    return out


def _width(table: Table, col: Column) -> float:
    if col.kind in WIDTHS:
        return max(WIDTHS[col.kind], min(len(col.label) * 0.9, 18))
    sample = table.data[col.key].head(300) if col.key in table.data.columns else pd.Series(dtype=str)
    longest = max([len(str(v)) for v in sample if not missing(v)] + [len(col.label) * 0.9, 6])
    return float(min(max(longest * 1.05, 8), 60))


def _write_value(ws: Worksheet, r: int, c: int, value: object, col: Column, f: _Formats, wrap: bool) -> None:
    if missing(value):
        ws.write_blank(r, c, None, f.text)
        return
    if col.kind in NUMBER_FORMATS:
        ws.write_number(r, c, float(value), f.numbers[col.kind])  # type: ignore[arg-type]
        return
    if col.kind == "level":
        ws.write_string(
            r, c, str(safe_text(cell_text(value, "level", f.lang))), f.levels.get(str(value), f.text)
        )
        return
    if col.kind == "bool":
        ws.write_string(r, c, cell_text(value, "bool", f.lang), f.text)
        return
    ws.write_string(r, c, str(safe_text(str(value))), f.wrap if wrap else f.text)


def _write_table(wb: xlsxwriter.Workbook, doc: Document, table: Table, name: str, f: _Formats) -> list[str]:
    """One table on one sheet (or several when it exceeds Excel's rows); returns the sheet names."""
    cols = table.columns
    data = table.data
    chunks = [data.iloc[i : i + ROWS_PER_SHEET] for i in range(0, max(len(data), 1), ROWS_PER_SHEET)]
    names = []
    for part_no, part in enumerate(chunks, start=1):
        sheet = name if part_no == 1 else name[:26] + f" ({part_no})"
        ws = wb.add_worksheet(sheet)
        names.append(sheet)
        r = 0
        ws.write_string(r, 0, str(safe_text(table.title)), f.title)
        r += 1
        ws.write_string(r, 0, str(safe_text(f"{doc.scope} · {doc.period}")), f.subtitle)
        r += 1
        for note in table.notes:
            ws.write_string(r, 0, str(safe_text(note)), f.note)
            r += 1
        if table.illustrative:
            ws.write_string(r, 0, "⚠ " + doc.illustrative_mark, f.warn)
            r += 1
        r += 1
        header = r
        ws.set_row(header, 32)
        wraps = []
        for c, col in enumerate(cols):
            ws.write_string(header, c, str(safe_text(col.label)), f.header)
            width = _width(table, col)
            wraps.append(col.kind == "text" and width >= WRAP_OVER and len(data) <= 5000)
            ws.set_column(c, c, min(width, WRAP_OVER) if wraps[-1] else width)
        values = part[[c.key for c in cols]].itertuples(index=False, name=None) if len(part) else []
        for i, row in enumerate(values, start=header + 1):
            for c, (value, col) in enumerate(zip(row, cols, strict=True)):
                _write_value(ws, i, c, value, col, f, wraps[c])
        last = header + len(part)
        ws.freeze_panes(header + 1, 0)
        _print_setup(ws, header)
        if len(part):
            ws.autofilter(header, 0, last, len(cols) - 1)
        if table.chart is not None and part_no == 1 and len(part):
            _chart(wb, ws, sheet, table, header, last)
    return names


def _print_setup(ws: Worksheet, header: int | None = None) -> None:
    """A4 landscape, fit to the page width, the header row repeated on every printed page."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if header is not None:
        ws.repeat_rows(header)


def _chart(wb: xlsxwriter.Workbook, ws: Worksheet, sheet: str, table: Table, header: int, last: int) -> None:
    spec = table.chart
    assert spec is not None
    keys = [c.key for c in table.columns]
    cat = keys.index(spec.category)
    if spec.skip_last:
        last -= 1
    chart = wb.add_chart({"type": spec.kind, **({"subtype": "stacked"} if spec.stacked else {})})
    for i, key in enumerate(spec.values):
        col = keys.index(key)
        series: dict[str, object] = {
            "name": [sheet, header, col],
            "categories": [sheet, header + 1, cat, last, cat],
            "values": [sheet, header + 1, col, last, col],
        }
        if spec.colours:
            series["fill"] = {"color": spec.colours[i % len(spec.colours)]}
            series["border"] = {"color": "#333333"}
        chart.add_series(series)
    chart.set_title({"name": spec.title, "name_font": {"size": 12, "name": "Times New Roman"}})
    chart.set_legend({"position": "bottom"})
    if spec.kind == "bar":
        chart.set_y_axis({"reverse": True})
    rows = last - header
    chart.set_size({"width": 620, "height": max(300, min(900, 60 + 22 * rows))})
    ws.insert_chart(last + 2, 0, chart)  # below the table, so it prints with it


def write_workbook(doc: Document, target: Path | io.BytesIO) -> None:
    """Write the workbook of ``doc`` to a path or a bytes buffer."""
    big = sum(len(tb.data) for tb in doc.tables() if tb.sheet) > 200_000
    options: dict[str, object] = {"strings_to_formulas": False, "strings_to_urls": False}
    if isinstance(target, io.BytesIO):
        options["in_memory"] = True
    elif big:
        options["constant_memory"] = True
    wb = xlsxwriter.Workbook(target, options)
    wb.set_properties({"title": doc.subject, "subject": doc.title, "comments": doc.scope})
    f = _Formats(wb, doc.lang)
    contents = wb.add_worksheet(_sheet_name(t("Contents", doc.lang), used := set()))
    sheets: list[tuple[str, Table]] = []
    for table in doc.tables():
        if table.sheet:
            sheets.append((_sheet_name(table.sheet, used), table))
    r = 0
    contents.write_string(r, 0, doc.title, f.title)
    r += 1
    contents.write_string(r, 0, str(safe_text(doc.subject)), f.bold)
    r += 2
    for label, value in doc.summary:
        contents.write_string(r, 0, str(safe_text(label)), f.bold)
        contents.write_string(r, 1, str(safe_text(value)), f.text)
        r += 1
    if doc.illustrative:
        contents.write_string(r, 0, "⚠ " + doc.illustrative_mark, f.warn)
        r += 1
    r += 1
    head = r
    for c, label in enumerate(
        [t("No.", doc.lang), t("Sheet", doc.lang), t("Content", doc.lang), t("Rows", doc.lang)]
    ):
        contents.write_string(r, c, label, f.header)
    contents.set_column(0, 0, 34)
    contents.set_column(1, 1, 30)
    contents.set_column(2, 2, 80)
    contents.set_column(3, 3, 10)
    written: list[tuple[str, Table]] = []
    for name, table in sheets:
        for sheet in _write_table(wb, doc, table, name, f):
            written.append((sheet, table))
    for i, (sheet, table) in enumerate(written, start=1):
        r += 1
        contents.write_number(r, 0, i, f.numbers["int"])
        contents.write_url(r, 1, f"internal:'{sheet}'!A1", f.link, string=sheet)
        contents.write_string(r, 2, str(safe_text(table.description or table.title)), f.wrap)
        contents.write_number(r, 3, len(table.data), f.numbers["int"])
    contents.freeze_panes(head + 1, 0)
    _print_setup(contents, head)
    contents.activate()
    wb.close()
