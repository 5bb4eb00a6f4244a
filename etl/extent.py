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
import threading
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from posixpath import join, normpath

from etl.limits import Limits

Cell = tuple[int, int]  # 0-based (row, column)
_OPEN = threading.local()


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive of ``data``, opened once for all the passes over one file (per thread)."""
    last = getattr(_OPEN, "last", None)
    if last is not None and last[0] is data:
        return last[1]
    z = zipfile.ZipFile(io.BytesIO(data))
    _OPEN.last = (data, z)
    return z


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
    formulas: dict[Cell, str] = field(default_factory=dict)  # cell -> '=A1*2' (.xlsx)
    fills: dict[Cell, int] = field(default_factory=dict)  # cell -> its format (xf) with a fill (.xlsx)


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


@dataclass(frozen=True)
class Fill:
    """A cell format's pattern fill colour as the file states it (resolved to RGB by the reader)."""

    rgb: str | None = None
    theme: int | None = None
    tint: float = 0.0
    indexed: int | None = None


def xlsx_fills(z: zipfile.ZipFile) -> dict[int, Fill]:
    """Cell format (xf) index -> its fill, for the formats that have a coloured pattern fill."""
    try:
        root = ET.fromstring(z.read("xl/styles.xml"))
    except KeyError:
        return {}
    fills: list[Fill | None] = []
    for fill in root.iterfind(f"{_NS_MAIN}fills/{_NS_MAIN}fill"):
        pattern = fill.find(f"{_NS_MAIN}patternFill")
        colour = pattern.find(f"{_NS_MAIN}fgColor") if pattern is not None else None
        if pattern is None or pattern.get("patternType") in (None, "none") or colour is None:
            fills.append(None)
            continue
        fills.append(
            Fill(
                rgb=colour.get("rgb"),
                theme=int(colour.get("theme")) if colour.get("theme", "").isdigit() else None,
                tint=float(colour.get("tint", "0") or 0),
                indexed=int(colour.get("indexed")) if colour.get("indexed", "").isdigit() else None,
            )
        )
    out = {}
    for i, xf in enumerate(root.iterfind(f"{_NS_MAIN}cellXfs/{_NS_MAIN}xf")):
        fid = xf.get("fillId", "0")
        if fid.isdigit() and int(fid) < len(fills) and fills[int(fid)] is not None:
            out[i] = fills[int(fid)]
    return out


# A cell tag that starts with its address (how Excel, LibreOffice and openpyxl write them).
_CELL_AT = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c r="([A-Z]{1,3})(\d{1,7})"([^>]*?)(/?)>')
_CELL_PLAIN = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"([^>]*?)(/?)>')
_CELL_VALUED = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(?<!/)>(?!</)')
_CELL_STYLE = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?\ss="(\d+)"')
_CELL_FORMULA = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(?<!/)><f\b[^>]*?(?:/>|>([^<]*)<)')
_CELL_ERROR = re.compile(
    rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?\st="e"[^>]*?(?<!/)>(?:<f\b.*?</f>|<f\b[^>]*/>)?<v>([^<]{0,40})<'
)
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")
_CELL_ANY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])")
_ATTR_S = re.compile(rb'\bs\s*=\s*["\'](\d+)["\']')
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f\b[^>]*?(?:/>|>([^<]*)<)")
_FORMULA_PLAIN = re.compile(rb"<f\b[^>]*?(?:/>|>([^<]*)<)")
_COLUMNS: dict[bytes, int] = {}


def _col(letters: bytes) -> int:
    c = _COLUMNS.get(letters)
    if c is None:
        c = _COLUMNS[letters] = col_index(letters)
    return c


def _formula_text(raw: bytes | None) -> str:
    from xml.sax.saxutils import unescape

    text = unescape(raw.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"}) if raw else "…"
    return "=" + text


_HAS_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CHECK_EVERY = 4096  # cells between limit checks in the fast loop


def _plain_spelling(xml: bytes, limits: Limits) -> bool:
    """Every cell tag starts with its address and has no prefix, and the cells fit the limit."""
    return not (
        _PREFIXED_CELL.search(xml)
        or xml.count(b"<c ") != xml.count(b'<c r="')
        or b"<c>" in xml
        or (len(xml) > 12 * limits.max_cells and xml.count(b"</c>") > limits.max_cells)
    )


def _scan_xlsx_sheet(
    name: str, xml: bytes, limits: Limits, filled: set[int] | frozenset[int] = frozenset()
) -> SheetExtent:
    """Extent, error results, formulas and fills of one sheet, in one pass over its XML.

    The usual spelling (every cell tag starts with its address, no namespace prefix) is measured
    with a few C-speed regex passes; anything else, or a sheet with more cells than the limit
    allows, goes through the general loop, which stops at the first limit passed.
    """
    if not _plain_spelling(xml, limits):
        return _scan_xlsx_general(name, xml, limits, filled)
    meter = _Meter(name, limits, limits.max_rows)
    ext = meter.ext
    valued = _CELL_VALUED.findall(xml)
    if valued:
        max_row = max(map(int, (d for _, d in valued))) - 1
        max_col = max(_col(letters) for letters in {letters for letters, _ in valued})
        meter.used(max_row, max_col, len(valued))
    if filled:
        for letters, digits, xf in _CELL_STYLE.findall(xml):
            if int(xf) in filled:
                ext.fills[(int(digits) - 1, _col(letters))] = int(xf)
        if len(ext.fills) > limits.max_cells:
            raise TooBigError(name, "cells", ext.rows, ext.columns)
    if _HAS_FORMULA.search(xml):
        for letters, digits, text in _CELL_FORMULA.findall(xml):
            ext.formulas[(int(digits) - 1, _col(letters))] = _formula_text(text or None)
    if b't="e"' in xml:
        for letters, digits, value in _CELL_ERROR.findall(xml):
            ext.errors[(int(digits) - 1, _col(letters))] = value.decode("utf-8", "replace") or "#?"
    return ext


def _scan_xlsx_general(
    name: str, xml: bytes, limits: Limits, filled: set[int] | frozenset[int]
) -> SheetExtent:
    """The same for any spelling (cells without an address follow the one before them)."""
    meter = _Meter(name, limits, limits.max_rows)
    ext = meter.ext
    row, col = -1, -1
    styled = 0
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
        r = max(row, 0)
        s = _ATTR_S.search(attrs) if filled else None
        if s and int(s.group(1)) in filled and styled < limits.max_cells:
            ext.fills[(r, col)] = int(s.group(1))
            styled += 1
        if empty or xml[m.end() : m.end() + 2] == b"</":
            continue
        meter.used(r, col)
        f = _FORMULA.match(xml, m.end())
        if f:
            ext.formulas[(r, col)] = _formula_text(f.group(1))
        if _ATTR_T_ERROR.search(attrs):
            v = _VALUE.search(xml, m.end(), m.end() + 100_000)
            ext.errors[(r, col)] = v.group(1).decode("utf-8", "replace") if v else "#?"
    return ext


class XlsxScan(list):
    """The sheets' extents, and where each sheet's XML is (for reading its fills when needed)."""

    paths: dict[str, str]


def scan_xlsx(data: bytes, limits: Limits) -> XlsxScan:
    z = open_zip(data)
    if True:
        out = XlsxScan()
        out.paths = {}
        for name, path in xlsx_sheet_paths(z):
            try:
                xml = z.read(path)
            except KeyError:
                continue
            out.paths[name] = path
            out.append(_scan_xlsx_sheet(name, xml, limits))
        return out


def xlsx_sheet_fills(data: bytes, path: str, fill_table: dict[int, Fill], limits: Limits) -> dict[Cell, int]:
    """The cells of one sheet whose format has a coloured fill: cell -> format (xf) index.

    Read only when a reader asks for a colour (fill-only levels, summary detection), so the
    usual file never pays for it. At most ``max_cells`` cells are kept.
    """
    if not fill_table:
        return {}
    xml = open_zip(data).read(path)
    filled = set(fill_table)
    if not _plain_spelling(xml, limits):
        return _scan_xlsx_general("", xml, limits, filled).fills
    out: dict[Cell, int] = {}
    for letters, digits, xf in _CELL_STYLE.findall(xml):
        if int(xf) in filled:
            out[(int(digits) - 1, _col(letters))] = int(xf)
            if len(out) >= limits.max_cells:
                break
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

    z = open_zip(data)
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
