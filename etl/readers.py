"""Read any accepted file into sheets of plain cell values, refusing unsafe files early.

Before any reader runs, the file's kind is told from its content, archives are checked for zip
bombs, password-protected files are recognised, and the real extent of every sheet is measured
(etl/extent.py), so a sheet too large to hold is refused in milliseconds. Values then come from
python-calamine (fast; cached results of formulas), only over the used range. Cell styles (fill
colours) and formula text come from openpyxl, opened lazily and only for .xlsx files when a value
is missing, so the fast path never pays for them; if openpyxl cannot read a file that calamine
could, the values are still used and a warning says colours could not be read.

CSV text is decoded from UTF-8 (with or without BOM), UTF-16 (BOM, or the NUL pattern of UTF-16
without one), Windows-1258 (what Vietnamese Windows writes; decomposed tone marks are composed)
or, failing that, Windows-1252; line endings may be CRLF, LF or CR alone (old Mac Excel).

These functions run inside the parse workers (etl/sandbox.py), which bound memory and time.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePath
from typing import Any

import python_calamine

from core.problems import Problem, Tr, number, problem
from core.safe_cells import unmark
from core.text import nfc
from etl import extent
from etl.limits import LIMITS, Limits
from i18n import N_

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ACCEPTED = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def base_name(name: str) -> str:
    """The file name alone: what follows the last '/' or '\\' (browsers and Windows paths)."""
    return re.split(r"[/\\]", name)[-1].strip() or "file"


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
    # sheet -> {(row, col): '#N/A'}: cells whose cached result is an error (readers give them empty)
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    encoding: str | None = None  # CSV: the text encoding it was read in
    illustrative: bool | None = None  # the file says its figures are made up (set while parsing)
    style_problems: list[Problem] = field(default_factory=list)  # the fill table could not be read
    # .xlsx only, from the same pass that measured the sheets (etl/extent.py):
    formulas: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict, repr=False)
    sheet_paths: dict[str, str] = field(default_factory=dict, repr=False)
    limits: Limits = field(default=LIMITS, repr=False)
    _fills: dict[str, dict[tuple[int, int], int]] = field(default_factory=dict, repr=False)
    _rgb_of: dict[int, str | None] = field(default_factory=dict, repr=False)

    @property
    def has_formulas(self) -> bool:
        """Whether any worksheet holds a formula."""
        return any(self.formulas.values())

    @cached_property
    def fill_table(self) -> dict[int, extent.Fill]:
        """Cell format -> fill, read from the style sheet the first time a colour is asked for."""
        if self.kind != "xlsx":
            return {}
        try:
            return extent.xlsx_fills(extent.open_zip(self.data))
        except MemoryError:
            raise
        except Exception as exc:  # the values are read; only the colours are lost, and said so
            self.style_problems.append(problem("styles-unreadable", reason=_why(exc)))
            return {}

    def fill_rgb(self, sheet: str, r: int, c: int) -> str | None:
        """The cell's pattern fill colour as 'RRGGBB', or None (xlsx only)."""
        if self.kind != "xlsx" or sheet not in self.sheet_paths:
            return None
        if sheet not in self._fills:
            try:
                self._fills[sheet] = extent.xlsx_sheet_fills(
                    self.data, self.sheet_paths[sheet], self.fill_table, self.limits
                )
            except MemoryError:
                raise
            except Exception as exc:
                self._fills[sheet] = {}
                if not self.style_problems:
                    self.style_problems.append(problem("styles-unreadable", reason=_why(exc)))
        xf = self._fills[sheet].get((r, c))
        if xf is None:
            return None
        if xf not in self._rgb_of:
            fill = self.fill_table[xf]
            self._rgb_of[xf] = _fill_rgb(fill, self._theme if fill.theme is not None else [])
        return self._rgb_of[xf]

    @cached_property
    def _theme(self) -> list[str]:
        return _theme_colours(self.data)

    def formula(self, sheet: str, r: int, c: int) -> str | None:
        """The formula text of a cell ('=A1*2'), or None (xlsx only)."""
        return self.formulas.get(sheet, {}).get((r, c))

    def error(self, sheet: str, r: int, c: int) -> str | None:
        """The error a cell's formula gave ('#N/A', '#REF!'...), or None."""
        return self.errors.get(sheet, {}).get((r, c))


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
        root = ET.fromstring(extent.open_zip(data).read("xl/theme/theme1.xml"))
    except MemoryError:
        raise
    except Exception:  # no theme, or a damaged one: theme colours are not known
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


def _fill_rgb(fill: extent.Fill, theme: list[str]) -> str | None:
    """'RRGGBB' of a fill as Excel shows it: an RGB, a theme colour with its tint, or an indexed one."""
    if fill.rgb and len(fill.rgb) >= 6:
        return fill.rgb[-6:].upper()
    if fill.theme is not None and fill.theme < len(theme) and theme[fill.theme]:
        try:
            return _tinted(theme[fill.theme], fill.tint)
        except ValueError:
            return None
    if fill.indexed is not None:
        from openpyxl.styles.colors import COLOR_INDEX

        if 0 <= fill.indexed < len(COLOR_INDEX):
            return COLOR_INDEX[fill.indexed][-6:].upper()
    return None


def _why(exc: BaseException) -> Tr:
    """A translated reason for an exception raised while reading (never the English text)."""
    name = type(exc).__name__
    if isinstance(exc, MemoryError):
        return Tr(N_("the file needs more memory than a file may use"))
    if isinstance(exc, zipfile.BadZipFile) or "zip" in name.lower():
        return Tr(N_("the file is damaged: its zip archive is broken"))
    if "xml" in name.lower() or isinstance(exc, SyntaxError):
        return Tr(N_("the file is damaged: its XML content is broken"))
    if isinstance(exc, (UnicodeError, csv.Error)):
        return Tr(N_("the text could not be decoded"))
    return Tr(N_("the file is damaged or uses a feature the reader does not support"))


def _unreadable(name: str, reason: Tr) -> ReadError:
    return ReadError(problem("file-unreadable", value=name, reason=reason))


def _kind(name: str, data: bytes) -> str:
    ext = PurePath(name).suffix.lower()
    if data.startswith(OLE_MAGIC):
        try:
            if extent.cfb_encrypted(data):
                raise ReadError(problem("file-encrypted", value=name))
            if extent.is_biff(data):
                return "xls"
        except ReadError:
            raise
        except Exception as exc:
            raise _unreadable(name, Tr(N_("the file is damaged: its OLE container is broken"))) from exc
        raise _unreadable(name, Tr(N_("the file is an Office document but not a spreadsheet")))
    if data.startswith(ZIP_MAGIC):
        try:
            names = extent.open_zip(data).namelist()
        except Exception as exc:
            raise _unreadable(name, Tr(N_("the file is damaged: its zip archive is broken"))) from exc
        if "content.xml" in names or (ext == ".ods" and "META-INF/manifest.xml" in names):
            return "ods"
        if "[Content_Types].xml" in names or "xl/workbook.xml" in names:
            return "xlsx"
        raise _unreadable(name, Tr(N_("the zip archive is not a spreadsheet")))
    if ext == ".csv":
        return "csv"
    if ext in ACCEPTED:
        raise _unreadable(name, Tr(N_("its content is not what its file extension says")))
    raise ReadError(problem("unsupported-format", value=ext or name))


def _check_archive(name: str, data: bytes, limits: Limits) -> None:
    """Refuse zip bombs from the central directory alone, before anything is inflated."""
    try:
        infos = extent.open_zip(data).infolist()
    except Exception as exc:
        raise _unreadable(name, Tr(N_("the file is damaged: its zip archive is broken"))) from exc
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > limits.max_unpacked_bytes or total / packed > limits.max_ratio:
        raise ReadError(problem("archive-too-large", value=name, limit=limits.max_unpacked_bytes // 2**20))
    seen: set[str] = set()
    for i in infos:
        if i.filename in seen:  # two members of one name: which one a reader takes is undefined
            raise _unreadable(name, Tr(N_("the file is damaged: its zip archive holds a part twice")))
        seen.add(i.filename)


def _too_big(exc: extent.TooBigError, limits: Limits, max_rows: int) -> ReadError:
    if exc.what == "rows":
        return ReadError(
            problem(
                "too-many-rows",
                sheet=exc.sheet,
                value=exc.rows,
                rows=number(exc.rows),
                limit=number(max_rows),
            )
        )
    if exc.what == "columns":
        return ReadError(
            problem(
                "too-many-columns",
                sheet=exc.sheet,
                value=exc.columns,
                columns=number(exc.columns),
                limit=number(limits.max_columns),
            )
        )
    return ReadError(
        problem(
            "too-many-cells",
            sheet=exc.sheet,
            value=exc.rows * exc.columns,
            rows=number(exc.rows),
            columns=number(exc.columns),
            cells=number(exc.rows * exc.columns),
            limit=number(limits.max_cells),
        )
    )


def _extents(name: str, kind: str, data: bytes, limits: Limits) -> list[extent.SheetExtent]:
    """The used extent of every sheet, measured from the cells before any reader runs."""
    scan = {"xlsx": extent.scan_xlsx, "ods": extent.scan_ods, "xls": extent.scan_xls}[kind]
    try:
        return scan(data, limits)
    except extent.TooBigError as exc:
        raise _too_big(exc, limits, limits.max_rows) from None
    except extent.EncryptedError:
        raise ReadError(problem("file-encrypted", value=name)) from None
    except MemoryError:
        raise
    except Exception as exc:
        raise _unreadable(name, _why(exc)) from exc


_INTERN_MAX = 200_000


_normalize = unicodedata.normalize


def _clean(v: Any) -> Any:
    """A cell value as the rest of the pipeline wants it: NFC text or None, whole numbers as int."""
    kind = type(v)
    if kind is str:
        v = _normalize("NFC", v).strip()
        if not v:
            return None
        return unmark(v) if v[0] == "'" else v
    if v is None:
        return None
    if kind is float:
        if v != v:
            return None
        if v.is_integer() and abs(v) < 2**53:
            return int(v)  # calamine gives every number as float
        return v
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    return v


def _read_calamine(name: str, data: bytes, extents: list[extent.SheetExtent]) -> list[Sheet]:
    """All sheets' cached values over their used range, positions kept (the engine pandas' read_excel
    uses, minus the DataFrame round trip, which cost more than the parse for a 39-row sheet)."""
    measured = {e.name: e for e in extents}
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for sheet_name in wb.sheet_names:
            ext = measured.get(sheet_name)
            if ext is not None and ext.rows == 0:
                sheets.append(Sheet(nfc(sheet_name), []))  # nothing used: nothing to read
                continue
            rows = wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            sheets.append(Sheet(nfc(sheet_name), [[_clean(v) for v in row] for row in rows]))
    except python_calamine.PasswordError as exc:
        raise ReadError(problem("file-encrypted", value=name)) from exc
    except MemoryError:
        raise
    except Exception as exc:  # calamine raises its own types for corrupt files
        raise _unreadable(name, _why(exc)) from exc
    return sheets


def _delimiter(text: str) -> str:
    """The separator most used on the first lines (Excel in Vietnamese locales writes ';')."""
    head = [line for line in text[:8192].splitlines()[:20] if line.strip()]
    counts = {d: sum(line.count(d) for line in head) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _looks_utf16(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for BOM-less UTF-16 text (every other byte NUL in ASCII text)."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


_CSV_ENCODING_REASON = Tr(
    N_(
        "its text encoding was not recognised; in Excel choose Save As > 'CSV UTF-8 (Comma delimited)', in LibreOffice tick 'Edit filter settings' and choose Unicode (UTF-8)"
    )
)


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a CSV file's bytes; ReadError when no accepted encoding fits."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        utf16 = _looks_utf16(data)
        candidates = [utf16] if utf16 else ["utf-8", "cp1258", "cp1252"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return unicodedata.normalize("NFC", text), enc
    raise ReadError(problem("file-unreadable", reason=_CSV_ENCODING_REASON))


def _read_csv(name: str, data: bytes, limits: Limits) -> tuple[list[Sheet], str]:
    try:
        text, encoding = decode_csv(data)
    except ReadError as exc:
        raise ReadError(problem("file-unreadable", value=name, reason=_CSV_ENCODING_REASON)) from exc
    if not text.strip():
        raise ReadError(problem("empty-file", value=name))
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")  # CR-only line endings (old Mac Excel)
    lines = text.count("\n") + 1
    if lines > limits.max_csv_rows:
        raise ReadError(
            problem(
                "too-many-rows",
                sheet=base_name(name),
                value=lines,
                rows=number(lines),
                limit=number(limits.max_csv_rows),
            )
        )
    delim = _delimiter(text)
    seen: dict[str, str | None] = {"": None}  # the same text in many rows is one object

    def intern(v: str) -> str | None:
        cleaned = _clean(v)
        if len(seen) < _INTERN_MAX:
            seen[v] = cleaned
        return cleaned

    rows: list[list[Any]] = []
    sheet = base_name(name)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim):
            if len(row) > limits.max_columns:
                raise ReadError(
                    problem(
                        "too-many-columns",
                        sheet=sheet,
                        value=len(row),
                        columns=number(len(row)),
                        limit=number(limits.max_columns),
                    )
                )
            rows.append([seen[v] if v in seen else intern(v) for v in row])
    except csv.Error as exc:
        raise _unreadable(
            name, Tr(N_("a line of the CSV is malformed (an unclosed quote or a field too long)"))
        ) from exc
    return [Sheet(sheet, rows)], encoding


def read_workbook(name: str, data: bytes, limits: Limits = LIMITS) -> Workbook:
    """Read ``data`` (the bytes of a file called ``name``) into sheets; raise ReadError if unsafe."""
    name = base_name(name)
    if not data:
        raise ReadError(problem("empty-file", value=name))
    kind = _kind(name, data)
    limit = limits.max_csv_bytes if kind == "csv" else limits.max_file_bytes
    if len(data) > limit:
        raise ReadError(
            problem(
                "file-too-large",
                value=name,
                size=f"{len(data) / 2**20:.1f}",
                limit=limit // 2**20,
            )
        )
    if kind == "csv":
        sheets, encoding = _read_csv(name, data, limits)
        return Workbook(name, kind, data, sheets, encoding=encoding)
    if kind in ("xlsx", "ods"):
        _check_archive(name, data, limits)
    extents = _extents(name, kind, data, limits)
    sheets = _read_calamine(name, data, extents)
    wb = Workbook(name, kind, data, sheets, errors={nfc(e.name): e.errors for e in extents if e.errors})
    wb.limits = limits
    if kind == "xlsx":
        wb.formulas = {nfc(e.name): e.formulas for e in extents if e.formulas}
        wb.sheet_paths = {nfc(name): path for name, path in extents.paths.items()}
    for s in sheets:  # the measured extent is the limit; this catches a reader that saw more
        if len(s.rows) > limits.max_rows:
            raise ReadError(
                problem(
                    "too-many-rows",
                    sheet=s.name,
                    value=len(s.rows),
                    rows=number(len(s.rows)),
                    limit=number(limits.max_rows),
                )
            )
    return wb
