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

import pandas as pd

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

    @cached_property
    def _openpyxl(self) -> Any | None:
        if self.kind != "xlsx":
            return None
        import openpyxl

        return openpyxl.load_workbook(io.BytesIO(self.data), data_only=False)

    def fill_rgb(self, sheet: str, r: int, c: int) -> str | None:
        """The cell's solid fill colour as 'RRGGBB', or None (xlsx only)."""
        wb = self._openpyxl
        if wb is None or sheet not in wb.sheetnames:
            return None
        cell = wb[sheet].cell(row=r + 1, column=c + 1)
        fill = cell.fill
        if fill is None or fill.fill_type is None:
            return None
        colour = fill.fgColor
        if colour is None:
            return None
        if colour.type == "rgb" and isinstance(colour.rgb, str):
            return colour.rgb[-6:].upper()
        if colour.type == "indexed" and colour.indexed is not None:
            from openpyxl.styles.colors import COLOR_INDEX

            if 0 <= colour.indexed < len(COLOR_INDEX):
                return COLOR_INDEX[colour.indexed][-6:].upper()
        return None

    def formula(self, sheet: str, r: int, c: int) -> str | None:
        """The formula text of a cell ('=A1*2'), or None (xlsx only)."""
        wb = self._openpyxl
        if wb is None or sheet not in wb.sheetnames:
            return None
        v = wb[sheet].cell(row=r + 1, column=c + 1).value
        return v if isinstance(v, str) and v.startswith("=") else None


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
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    return v


def _frame_rows(df: pd.DataFrame) -> list[list[Any]]:
    return [[_clean(v) for v in row] for row in df.itertuples(index=False, name=None)]


def _read_csv(name: str, data: bytes) -> list[Sheet]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(problem("file-unreadable", value=name, reason="CSV is not UTF-8")) from exc
    if not text.strip():
        raise ReadError(problem("empty-file", value=name))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delim = dialect.delimiter
    except csv.Error:
        delim = ","
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
        try:
            frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, engine="calamine")
        except Exception as exc:  # calamine raises its own types for corrupt files
            raise ReadError(problem("file-unreadable", value=name, reason=type(exc).__name__)) from exc
        sheets = [Sheet(nfc(str(n)), _frame_rows(df)) for n, df in frames.items()]
    for s in sheets:
        if len(s.rows) > limits.max_rows:
            raise ReadError(
                problem(
                    "too-many-rows", sheet=s.name, value=len(s.rows), rows=len(s.rows), limit=limits.max_rows
                )
            )
    return Workbook(PurePath(name).name, kind, data, sheets)
