"""Read any accepted file into sheets of plain cell values, refusing unsafe files early.

Values come from python-calamine through pandas (fast; cached results of formulas). Cell styles
(fill colours) and formula text come from openpyxl, opened lazily and only for .xlsx files when
a value is missing, so the fast path never pays for them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath
from typing import Any

import python_calamine

from core.problems import Problem, problem
from core.text import nfc
from etl.limits import LIMITS, Limits

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ACCEPTED = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


class ReadError(Exception):
    """The file cannot be read at all; carries the problem to report."""

    def __init__(self, prob: Problem) -> None:
        super().__init__(prob.message_en)
        self.problem = prob


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]  # cell values; None for empty

    def value(self, r: int, c: int) -> Any:
        if r < len(self.rows) and c < len(self.rows[r]):
            return self.rows[r][c]
        return None


@dataclass
class Workbook:
    file_name: str
    kind: str  # 'xlsx', 'xls', 'ods', 'csv'
    data: bytes = field(repr=False)
    sheets: list[Sheet]
    _style_cache: dict[str, dict[tuple[int, int], tuple[str | None, str | None]]] = field(
        default_factory=dict, repr=False
    )

    @cached_property
    def has_formulas(self) -> bool:
        """Whether any worksheet holds a formula; a cheap scan that spares openpyxl when none does."""
        if self.kind != "xlsx":
            return False
        with zipfile.ZipFile(io.BytesIO(self.data)) as z:
            for n in z.namelist():
                if n.startswith("xl/worksheets/") and n.endswith(".xml"):
                    xml = z.read(n)
                    if b"<f>" in xml or b"<f " in xml:
                        return True
        return False

    def _styles(self, sheet: str) -> dict[tuple[int, int], tuple[str | None, str | None]]:
        """(row, col) -> (solid fill 'RRGGBB', formula text) of one sheet, read once (xlsx only)."""
        if sheet not in self._style_cache:
            self._style_cache[sheet] = _read_styles(self.data, sheet) if self.kind == "xlsx" else {}
        return self._style_cache[sheet]

    def fill_rgb(self, sheet: str, r: int, c: int) -> str | None:
        """The cell's solid fill colour as 'RRGGBB', or None (xlsx only)."""
        return self._styles(sheet).get((r, c), (None, None))[0]

    def formula(self, sheet: str, r: int, c: int) -> str | None:
        """The formula text of a cell ('=A1*2'), or None (xlsx only)."""
        if not self.has_formulas:
            return None
        return self._styles(sheet).get((r, c), (None, None))[1]


_THEME_ORDER = (
    "lt1",
    "dk1",
    "lt2",
    "dk2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hlink",
    "folHlink",
)  # SpreadsheetML theme index order (light before dark)


def _theme_colours(data: bytes) -> list[str]:
    """The workbook theme's colours by theme index, so 'Theme Colors' fills have an RGB too."""
    import xml.etree.ElementTree as ET

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = ET.fromstring(z.read("xl/theme/theme1.xml"))
    except (KeyError, ET.ParseError):
        return []
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    scheme = root.find(f".//{ns}clrScheme")
    out = []
    for name in _THEME_ORDER:
        el = scheme.find(f"{ns}{name}") if scheme is not None else None
        c = el[0] if el is not None and len(el) else None
        out.append(
            (c.get("val") if c is not None and c.tag.endswith("srgbClr") else c.get("lastClr", ""))
            if c is not None
            else ""
        )
    return out


def _tinted(rgb: str, tint: float) -> str:
    """Excel's tint: lighten (tint > 0) or darken (tint < 0) in HLS space."""
    import colorsys

    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    return "".join(f"{round(x * 255):02X}" for x in colorsys.hls_to_rgb(h, lum, s))


def _rgb(fill: Any, theme: list[str]) -> str | None:
    if fill is None or fill.fill_type is None:
        return None
    colour = fill.fgColor
    if colour is None:
        return None
    if colour.type == "rgb" and isinstance(colour.rgb, str):
        return colour.rgb[-6:].upper()
    if (
        colour.type == "theme"
        and colour.theme is not None
        and colour.theme < len(theme)
        and theme[colour.theme]
    ):
        return _tinted(theme[colour.theme], colour.tint or 0.0)
    if colour.type == "indexed" and colour.indexed is not None:
        from openpyxl.styles.colors import COLOR_INDEX

        if 0 <= colour.indexed < len(COLOR_INDEX):
            return COLOR_INDEX[colour.indexed][-6:].upper()
    return None


def _read_styles(data: bytes, sheet: str) -> dict[tuple[int, int], tuple[str | None, str | None]]:
    """One streaming (read-only) openpyxl pass over a sheet for fills and formulas."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        if sheet not in wb.sheetnames:
            return {}
        out: dict[tuple[int, int], tuple[str | None, str | None]] = {}
        theme = _theme_colours(data)
        for row in wb[sheet].iter_rows():
            for cell in row:
                fill = getattr(cell, "fill", None)
                rgb = _rgb(fill, theme)
                v = getattr(cell, "value", None)
                formula = v if isinstance(v, str) and v.startswith("=") else None
                if rgb or formula:
                    out[(cell.row - 1, cell.column - 1)] = (rgb, formula)
        return out
    finally:
        wb.close()


def _kind(name: str, data: bytes) -> str:
    ext = PurePath(name).suffix.lower()
    if data.startswith(OLE_MAGIC):
        return "xls"
    if data.startswith(ZIP_MAGIC):
        if ext == ".ods":
            return "ods"
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as exc:
            raise ReadError(problem("file-unreadable", value=name, reason=str(exc))) from exc
        if "content.xml" in names:
            return "ods"
        if "[Content_Types].xml" in names:
            return "xlsx"
        raise ReadError(problem("file-unreadable", value=name, reason="zip archive is not a workbook"))
    if ext == ".csv":
        return "csv"
    if ext in ACCEPTED:
        raise ReadError(problem("file-unreadable", value=name, reason=f"content is not {ext}"))
    raise ReadError(problem("unsupported-format", value=ext or name))


def _check_archive(name: str, data: bytes, limits: Limits) -> None:
    """Refuse zip bombs from the central directory alone, before anything is inflated."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as exc:
        raise ReadError(problem("file-unreadable", value=name, reason=str(exc))) from exc
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > limits.max_unpacked_bytes or total / packed > limits.max_ratio:
        raise ReadError(problem("archive-too-large", value=name, limit=limits.max_unpacked_bytes // 2**20))


def _clean(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, str):
        v = nfc(v)
        return v or None
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)  # calamine gives every number as float
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    return v


def _read_calamine(name: str, data: bytes) -> list[Sheet]:
    """All sheets' cached values, positions kept (the engine pandas' read_excel uses, minus the
    DataFrame round trip, which cost more than the parse for a 39-row sheet)."""
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for sheet_name in wb.sheet_names:
            rows = wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            sheets.append(Sheet(nfc(sheet_name), [[_clean(v) for v in row] for row in rows]))
    except Exception as exc:  # calamine raises its own types for corrupt files
        raise ReadError(problem("file-unreadable", value=name, reason=type(exc).__name__)) from exc
    return sheets


def _delimiter(text: str) -> str:
    """The separator most used on the first lines (Excel in Vietnamese locales writes ';')."""
    head = [line for line in text[:8192].splitlines()[:20] if line.strip()]
    counts = {d: sum(line.count(d) for line in head) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _read_csv(name: str, data: bytes) -> list[Sheet]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(problem("file-unreadable", value=name, reason="CSV is not UTF-8")) from exc
    if not text.strip():
        raise ReadError(problem("empty-file", value=name))
    delim = _delimiter(text)
    rows = [[_clean(v) for v in row] for row in csv.reader(io.StringIO(text), delimiter=delim)]
    return [Sheet(PurePath(name).name, rows)]


def read_workbook(name: str, data: bytes, limits: Limits = LIMITS) -> Workbook:
    """Read ``data`` (the bytes of a file called ``name``) into sheets; raise ReadError if unsafe."""
    if len(data) > limits.max_file_bytes:
        raise ReadError(
            problem(
                "file-too-large",
                value=name,
                size=f"{len(data) / 2**20:.1f}",
                limit=limits.max_file_bytes // 2**20,
            )
        )
    if not data:
        raise ReadError(problem("empty-file", value=name))
    kind = _kind(name, data)
    if kind == "csv":
        sheets = _read_csv(name, data)
    else:
        if kind in ("xlsx", "ods"):
            _check_archive(name, data, limits)
        sheets = _read_calamine(name, data)
    for s in sheets:
        if len(s.rows) > limits.max_rows:
            raise ReadError(
                problem(
                    "too-many-rows", sheet=s.name, value=len(s.rows), rows=len(s.rows), limit=limits.max_rows
                )
            )
    return Workbook(PurePath(name).name, kind, data, sheets)
