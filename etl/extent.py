"""How big a workbook's sheets really are, and which cells hold error results, before any reader runs.

A reader builds a dense grid from A1 to the last used cell, so one value in XFD1048576 asks for
17 billion cells. The declared size of a sheet (an .xlsx ``<dimension ref>``, an .xls DIMENSIONS
record) can lie in both directions, so the extent is measured from the cells themselves: every
cell tag of an .xlsx sheet, every (repeated) cell of an .ods table, every cell record of an .xls
sheet. Empty styled cells do not count (the readers skip them too). The scan stops as soon as a
limit is passed, so its cost is bounded by the limits, not by the file.

The same pass notes cells whose cached result is an error (``#N/A``, ``#REF!``...), which the
readers return as empty cells, and whether the file is encrypted.
"""

from __future__ import annotations

import io
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from posixpath import join, normpath

from etl.limits import Limits

Cell = tuple[int, int]  # 0-based (row, column)


class TooBigError(Exception):
    """A sheet passes a limit; carries which one and the sizes seen so far."""

    def __init__(self, sheet: str, what: str, rows: int, columns: int) -> None:
        super().__init__(what)
        self.sheet, self.what, self.rows, self.columns = sheet, what, rows, columns


class EncryptedError(Exception):
    """The file is password-protected."""


@dataclass
class SheetExtent:
    name: str
    rows: int = 0  # last used row + 1
    columns: int = 0  # last used column + 1
    errors: dict[Cell, str] = field(default_factory=dict)  # cell -> '#N/A'


class _Meter:
    """Checks one sheet's growing extent against the limits."""

    def __init__(self, name: str, limits: Limits, max_rows: int) -> None:
        self.ext = SheetExtent(name)
        self.limits, self.max_rows = limits, max_rows
        self.cells = 0

    def used(self, r: int, c: int, count: int = 1) -> None:
        e = self.ext
        if r + 1 > e.rows:
            e.rows = r + 1
        if c + 1 > e.columns:
            e.columns = c + 1
        self.cells += count
        if e.rows > self.max_rows:
            raise TooBigError(e.name, "rows", e.rows, e.columns)
        if e.columns > self.limits.max_columns:
            raise TooBigError(e.name, "columns", e.rows, e.columns)
        if e.rows * e.columns > self.limits.max_cells:
            raise TooBigError(e.name, "cells", e.rows, e.columns)


# ---------------------------------------------------------------------------------------------
# .xlsx

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_XLSX_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_ATTR_R = re.compile(rb'\br\s*=\s*["\']([A-Za-z]{0,3})(\d+)["\']')
_ATTR_T_ERROR = re.compile(rb'\bt\s*=\s*["\']e["\']')
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>([^<]{0,40})</")


def col_index(letters: bytes | str) -> int:
    """'A' -> 0, 'XFD' -> 16383."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def xlsx_sheet_paths(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, member path) of the worksheets, in workbook order."""
    root = ET.fromstring(z.read("xl/workbook.xml"))
    try:
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        rels = ET.Element("none")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    out = []
    for s in root.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(s.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        out.append((s.get("name", ""), path))
    return out


def _scan_xlsx_sheet(name: str, xml: bytes, limits: Limits) -> SheetExtent:
    meter = _Meter(name, limits, limits.max_rows)
    row, col = -1, -1
    errors_here = b't="e"' in xml or b"t='e'" in xml
    for m in _XLSX_TAG.finditer(xml):
        tag, attrs, empty = m.group(1), m.group(2), m.group(3)
        ref = _ATTR_R.search(attrs)
        if tag == b"row":
            row = int(ref.group(2)) - 1 if ref else row + 1
            col = -1
            continue
        if ref and ref.group(1):
            col = col_index(ref.group(1))
            row = int(ref.group(2)) - 1
        else:
            col += 1
        if empty or xml[m.end() : m.end() + 2] == b"</":
            continue  # a styled empty cell: readers skip it
        meter.used(max(row, 0), col)
        if errors_here and _ATTR_T_ERROR.search(attrs):
            v = _VALUE.search(xml, m.end(), m.end() + 100_000)
            meter.ext.errors[(max(row, 0), col)] = v.group(1).decode("utf-8", "replace") if v else "#?"
    return meter.ext


def scan_xlsx(data: bytes, limits: Limits) -> list[SheetExtent]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        out = []
        for name, path in xlsx_sheet_paths(z):
            try:
                xml = z.read(path)
            except KeyError:
                continue
            out.append(_scan_xlsx_sheet(name, xml, limits))
        return out


# ---------------------------------------------------------------------------------------------
# .ods

_ODS_TAG = re.compile(
    rb"<(/?)(table:table|table:table-row|table:table-cell|table:covered-table-cell)(?=[\s/>])([^>]*?)(/?)>"
)
_ODS_NAME = re.compile(rb'table:name\s*=\s*"([^"]*)"')
_ODS_ROWS_REP = re.compile(rb'table:number-rows-repeated\s*=\s*"(\d+)"')
_ODS_COLS_REP = re.compile(rb'table:number-columns-repeated\s*=\s*"(\d+)"')
_ODS_ERROR = re.compile(rb'calcext:value-type\s*=\s*"error"')
_ODS_TEXT = re.compile(rb"<text:p[^>]*>([^<]{0,40})<")


def ods_encrypted(z: zipfile.ZipFile) -> bool:
    try:
        manifest = z.read("META-INF/manifest.xml")
    except KeyError:
        return False
    return b"encryption-data" in manifest


def scan_ods(data: bytes, limits: Limits) -> list[SheetExtent]:
    from xml.sax.saxutils import unescape

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if ods_encrypted(z):
            raise EncryptedError
        xml = z.read("content.xml")
    out: list[SheetExtent] = []
    meter: _Meter | None = None
    row, row_rep, col = 0, 1, 0
    for m in _ODS_TAG.finditer(xml):
        closing, tag, attrs, empty = m.groups()
        if tag == b"table:table":
            if closing:
                meter = None
            else:
                nm = _ODS_NAME.search(attrs)
                name = unescape(nm.group(1).decode("utf-8", "replace")) if nm else f"Sheet{len(out) + 1}"
                meter = _Meter(name, limits, limits.max_rows)
                out.append(meter.ext)
                row = 0
            continue
        if meter is None:
            continue
        if tag == b"table:table-row":
            if closing:
                row += row_rep
            else:
                rep = _ODS_ROWS_REP.search(attrs)
                row_rep, col = (int(rep.group(1)) if rep else 1), 0
                if empty:
                    row += row_rep
            continue
        if closing:
            continue
        rep = _ODS_COLS_REP.search(attrs)
        n = int(rep.group(1)) if rep else 1
        if not empty and tag == b"table:table-cell":
            # A cell with content, repeated n times across and row_rep times down.
            meter.used(row + row_rep - 1, col + n - 1, n * row_rep)
            if _ODS_ERROR.search(attrs):
                t = _ODS_TEXT.search(xml, m.end(), m.end() + 100_000)
                meter.ext.errors[(row, col)] = t.group(1).decode("utf-8", "replace") if t else "#?"
        col += n
    return out


# ---------------------------------------------------------------------------------------------
# .xls (BIFF8 inside an OLE compound file)

_BIFF_CELL_RECORDS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0006, 0x0205, 0x00D6}  # one cell each
_BIFF_MULRK = 0x00BD
_BIFF_BOUNDSHEET = 0x0085
_BIFF_FILEPASS = 0x002F
_BIFF_EOF = 0x000A
_BIFF_BOF = 0x0809
_BIFF_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
}
_BIFF_ERRORS[0x2A] = "#N/A"


def cfb_streams(data: bytes) -> list[str]:
    """The stream names of an OLE compound file (lower case)."""
    import olefile

    with olefile.OleFileIO(data) as ole:
        return ["/".join(p).lower() for p in ole.listdir(streams=True, storages=False)]


def cfb_encrypted(data: bytes) -> bool:
    """An encrypted .xlsx is an OLE file holding 'EncryptedPackage' and 'EncryptionInfo' streams."""
    names = cfb_streams(data)
    return "encryptedpackage" in names or "encryptioninfo" in names


def _workbook_stream(data: bytes) -> bytes:
    import olefile

    with olefile.OleFileIO(data) as ole:
        for name in ("Workbook", "Book"):
            if ole.exists(name):
                return ole.openstream(name).read()
    raise ValueError("no Workbook stream")


def _records(stream: bytes, start: int):
    pos, end = start, len(stream)
    while pos + 4 <= end:
        rtype, length = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4 : pos + 4 + length]
        yield rtype, body
        pos += 4 + length


def _short_string(body: bytes, at: int) -> str:
    if at + 2 > len(body):
        return ""
    n, flags = body[at], body[at + 1]
    raw = body[at + 2 : at + 2 + (2 * n if flags & 1 else n)]
    return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")


def scan_xls(data: bytes, limits: Limits) -> list[SheetExtent]:
    stream = _workbook_stream(data)
    sheets: list[tuple[str, int]] = []
    for rtype, body in _records(stream, 0):
        if rtype == _BIFF_FILEPASS:
            raise EncryptedError
        if rtype == _BIFF_BOUNDSHEET and len(body) >= 8:
            offset, kind = struct.unpack_from("<I", body, 0)[0], body[5]
            if kind == 0:  # a worksheet (not a chart or macro sheet)
                sheets.append((_short_string(body, 6), offset))
        if rtype == _BIFF_EOF:
            break
    out = []
    for name, offset in sheets:
        meter = _Meter(name, limits, limits.max_rows)
        for rtype, body in _records(stream, offset):
            if rtype == _BIFF_EOF:
                break
            if rtype in _BIFF_CELL_RECORDS and len(body) >= 4:
                r, c = struct.unpack_from("<HH", body, 0)
                meter.used(r, c)
                if rtype == 0x0205 and len(body) >= 8 and body[7] == 1:
                    meter.ext.errors[(r, c)] = _BIFF_ERRORS.get(body[6], "#?")
                elif rtype == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
                    meter.ext.errors[(r, c)] = _BIFF_ERRORS.get(body[8], "#?")
            elif rtype == _BIFF_MULRK and len(body) >= 6:
                r, first = struct.unpack_from("<HH", body, 0)
                last = struct.unpack_from("<H", body, len(body) - 2)[0]
                meter.used(r, max(first, last), max(1, last - first + 1))
        out.append(meter.ext)
    return out


def is_biff(data: bytes) -> bool:
    """Whether an OLE file holds an Excel workbook stream."""
    names = cfb_streams(data)
    return "workbook" in names or "book" in names
