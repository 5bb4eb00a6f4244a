"""The content model every report format reads: one document, written once, rendered twice.

A report is a ``Document``: the Decree 30 header fields, then blocks (headings, paragraphs, tables,
figures) and appendices. The Word writer (reports/docx_writer.py) renders every block; the Excel
writer (reports/xlsx_writer.py) gives each table that names a sheet its own formatted sheet, and
the PDF is the Word file converted. So the three files cannot disagree: they share the content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

ColumnKind = Literal["text", "int", "score", "share", "change", "year", "level", "bool"]
ParagraphKind = Literal["body", "note", "field", "suggestion", "bullet", "warning"]


@dataclass
class Column:
    """One column of a table: the DataFrame column, its header, how its values are shown."""

    key: str
    label: str
    kind: ColumnKind = "text"
    doc: str = ""  # what the column holds (the Excel column-description sheet)
    document: bool = True  # also shown in the Word/PDF table (False: Excel only)


@dataclass
class ExcelChart:
    """A native Excel chart over columns of a table's sheet."""

    title: str
    category: str  # column key of the categories
    values: list[str]  # column keys, one series each
    kind: Literal["bar", "column"] = "bar"
    stacked: bool = False
    colours: list[str] | None = None
    skip_last: bool = False  # leave the table's last row (a total) out of the chart


@dataclass
class Table:
    key: str
    title: str
    data: pd.DataFrame
    columns: list[Column]
    notes: list[str] = field(default_factory=list)  # method, year and stage, scope, provenance
    sheet: str | None = None  # the Excel sheet (<= 31 characters); None: not in the workbook
    document: bool = True  # in the Word/PDF report
    illustrative: bool = False
    chart: ExcelChart | None = None
    font_pt: float = 11.0  # Word table text size
    level_fill: bool = True  # level cells get their level's colour
    description: str = ""  # one line for the workbook's contents sheet
    document_rows: int | None = None  # Word shows at most this many rows (the workbook has them all)

    def display(self, document_only: bool = True) -> tuple[pd.DataFrame, dict[str, int], list[str]]:
        """The table for a screen: (frame with the column labels as headers, digits of each number
        column, level columns holding level codes). Shares become percentages (0-100); numbers stay
        numbers so they sort as numbers."""
        cols = [c for c in self.columns if c.document or not document_only]
        out: dict[str, pd.Series] = {}
        digits: dict[str, int] = {}
        levels: list[str] = []
        for c in cols:
            label = c.label
            while label in out:
                label += " "
            values = self.data[c.key] if c.key in self.data.columns else pd.Series([None] * len(self.data))
            if c.kind == "share":
                label = f"{label} (%)"
                out[label] = pd.to_numeric(values, errors="coerce") * 100
                digits[label] = 1
            elif c.kind in ("score", "change"):
                out[label] = pd.to_numeric(values, errors="coerce")
                digits[label] = 1
            elif c.kind == "int":
                out[label] = pd.to_numeric(values, errors="coerce")
                digits[label] = 0
            elif c.kind == "year":
                out[label] = values.map(lambda v: "" if pd.isna(v) else str(int(v)))
            else:
                out[label] = values
                if c.kind == "level":
                    levels.append(label)
        return pd.DataFrame(out).reset_index(drop=True), digits, levels


@dataclass
class Figure:
    key: str
    title: str
    figure: go.Figure
    caption: str = ""
    width_px: int = 1000
    height_px: int = 560
    png: bytes | None = None  # filled by reports.images.render


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: "I. ...", 2: "1. ...", 3: "a) ..."


@dataclass
class Paragraph:
    text: str
    kind: ParagraphKind = "body"


@dataclass
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Figure | PageBreak


@dataclass
class Appendix:
    number: str  # "I", "II"
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    kind: str  # ministry | unit | units
    lang: str
    title: str  # "BÁO CÁO"
    subject: str  # the subject line under the title
    file_stem: str
    issuer: str  # the issuing body (a field the user fills)
    number_line: str  # "Số: .../BC-..."
    place_date: str  # "Hà Nội, ngày ... tháng ... năm ..."
    recipient: str  # "Kính gửi: ..."
    scope: str  # what the figures cover, in words
    period: str  # year and stage, in words
    illustrative: bool
    illustrative_mark: str  # the words on every page when illustrative
    blocks: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận" lines
    signer: list[str] = field(default_factory=list)  # signature block lines (fields)
    appendices: list[Appendix] = field(default_factory=list)
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    summary: list[tuple[str, str]] = field(default_factory=list)  # (label, value) for the contents sheet

    def tables(self) -> list[Table]:
        """Every table, body first then appendices, in order."""
        out = [b for b in self.blocks if isinstance(b, Table)]
        for a in self.appendices:
            out += [b for b in a.blocks if isinstance(b, Table)]
        return out

    def figures(self) -> list[Figure]:
        out = [b for b in self.blocks if isinstance(b, Figure)]
        for a in self.appendices:
            out += [b for b in a.blocks if isinstance(b, Figure)]
        return out
