"""Problems are values: a stable code, a severity, where (sheet and cell), the value found, and
the message in Vietnamese and English. The UI, the CLI (JSON) and the tests read the same thing.

Message templates are English source strings translated by the i18n layer; each names what was
expected, so the person fixing the file knows what to write. A placeholder filled with words (a
reason, a field name) takes a :class:`Tr` (an English msgid translated with the message) or a
:class:`Localized` pair, so no English reason ever appears inside a Vietnamese message.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from i18n import N_, t

Severity = Literal["error", "warning"]

# code -> (default severity, message template). Codes are an API: never rename one.
MESSAGES: dict[str, tuple[Severity, str]] = {
    "file-unreadable": (
        "error",
        N_(
            "The file could not be read as a spreadsheet ({reason}). Expected an .xlsx, .xls, .ods or .csv file."
        ),
    ),
    "unsupported-format": (
        "error",
        N_("Files of type '{value}' are not accepted. Expected .xlsx, .xls, .ods or .csv."),
    ),
    "file-too-large": ("error", N_("The file is {size} MB; the limit is {limit} MB.")),
    "archive-too-large": (
        "error",
        N_("The file would expand to more than {limit} MB when opened; it was refused as unsafe."),
    ),
    "too-many-rows": ("error", N_("The sheet has {rows} rows; the limit is {limit}.")),
    "empty-file": ("error", N_("The file is empty.")),
    "no-assessment-table": (
        "error",
        N_(
            "No assessment table was found. Expected a header row with an indicator code column (Mã chỉ số) and a level column (Mức), or one column per unit."
        ),
    ),
    "missing-column": (
        "error",
        N_("The column '{column}' is missing from the header row. Expected one of: {expected}."),
    ),
    "missing-locality": (
        "error",
        N_(
            "The assessed unit is not given. Expected its name or GSO code (Đơn vị / Mã đơn vị) in the information sheet or above the table."
        ),
    ),
    "unknown-locality": (
        "error",
        N_("'{value}' is not a unit in the registry{within}. Closest matches: {suggestions}."),
    ),
    "ambiguous-locality": (
        "error",
        N_(
            "'{value}' matches several units: {candidates}. Add the type (Quận/Huyện/Phường/Xã), the district or province, or the GSO code."
        ),
    ),
    "locality-without-diacritics": (
        "warning",
        N_("'{value}' was matched to {unit} only after ignoring diacritics; please check the spelling."),
    ),
    "locality-mismatch": ("error", N_("The code {unit_code} is {unit}, but the name given is '{value}'.")),
    "unknown-province": ("error", N_("'{value}' is not a province or centrally-run city in the registry.")),
    "missing-year": (
        "error",
        N_(
            "The assessment year is not given. Expected a year such as 2023 (Năm) in the information sheet, a title row or the sheet name."
        ),
    ),
    "year-out-of-range": ("error", N_("The year {value} is outside the accepted range {low}–{high}.")),
    "bad-stage": (
        "error",
        N_("'{value}' is not a stage. Expected Tự đánh giá (self-assessment) or Thẩm định (verified)."),
    ),
    "unknown-indicator": ("error", N_("'{value}' is not one of the 39 indicator codes (1.1 … 4.9).")),
    "missing-indicator": ("error", N_("Indicator {value} has no row; all 39 indicators are required.")),
    "duplicate-indicator": ("error", N_("Indicator {value} appears more than once (first at {other}).")),
    "bad-level": (
        "error",
        N_(
            "'{value}' is not a level. Expected Đỏ, Vàng or Xanh (Red, Yellow, Green; or R, Y, G), or a red, yellow or green cell fill."
        ),
    ),
    "missing-level": (
        "error",
        N_(
            "Indicator {indicator} has no level. Expected Đỏ, Vàng or Xanh, or a red, yellow or green cell fill."
        ),
    ),
    "formula-no-value": (
        "error",
        N_(
            "The cell holds a formula ({value}) with no saved result. Open the file in Excel or LibreOffice, let it calculate, and save it again."
        ),
    ),
    "bad-score": ("warning", N_("The score '{value}' is not a number from 0 to 100; it was ignored.")),
    "duplicate-assessment": (
        "error",
        N_("The file holds {unit}, {year}, {stage} more than once (first at {other})."),
    ),
    "load-failed": ("error", N_("The database refused the file ({reason}); nothing of it was loaded.")),
    "missing-stage": (
        "warning",
        N_("The stage is not given; the assessment is taken as a self-assessment (Tự đánh giá)."),
    ),
    "too-many-columns": ("error", N_("The sheet has {columns} columns; the limit is {limit}.")),
    "too-many-cells": (
        "error",
        N_("The sheet spans {rows} rows by {columns} columns ({cells} cells); the limit is {limit} cells."),
    ),
    "file-encrypted": (
        "error",
        N_(
            "The file is protected by a password, so it cannot be read. Open it, remove the password (save it without encryption), and upload it again."
        ),
    ),
    "formula-error": (
        "error",
        N_(
            "The cell holds a formula whose result is the error {value} (for example a lookup that found nothing). Correct the formula or type the value itself, then save the file again."
        ),
    ),
    "metadata-conflict": (
        "error",
        N_(
            "The {field} is given twice with different values: '{other_value}' at {other_place} and '{value}' at {place}. Keep one of them."
        ),
    ),
    "unit-inferred": (
        "warning",
        N_(
            "The unit is not stated in a labelled field (Đơn vị / Mã đơn vị); it was taken from the text '{value}' at {place}. Check it, or write the unit in the information sheet."
        ),
    ),
    "year-inferred": (
        "warning",
        N_(
            "The year is not stated in a labelled field (Năm); {year} was taken from the text '{value}' at {place}. Check it, or write the year in the information sheet."
        ),
    ),
    "stage-inferred": (
        "warning",
        N_(
            "The stage is not stated in a labelled field (Giai đoạn); {stage} was taken from the text '{value}' at {place}. Check it, or write the stage in the information sheet."
        ),
    ),
    "year-range": (
        "error",
        N_(
            "'{value}' is a range of years, not one year. Write the one year the assessment covers (Năm), e.g. 2023."
        ),
    ),
    "several-levels": (
        "error",
        N_(
            "Indicator {indicator} is ticked in more than one level column ({value}). Tick exactly one of Đỏ, Vàng, Xanh."
        ),
    ),
    "styles-unreadable": (
        "warning",
        N_(
            "Cell colours and formulas could not be read ({reason}); a level given only by a cell colour cannot be seen."
        ),
    ),
    "bad-vintage": (
        "error",
        N_(
            "'{value}' is not a unit list. Expected 2020 (units of 2020 to June 2025) or 2025 (units after the reform of 1 July 2025)."
        ),
    ),
}


class Tr(str):
    """A placeholder value that is itself an English msgid: translated into each message's language.

    Mark it for extraction where it is written: ``reason=Tr(N_("the file is damaged"))``.
    """


class Localized:
    """A placeholder value given in both languages (a code table's labels, for instance)."""

    def __init__(self, vi: str, en: str) -> None:
        self.vi, self.en = vi, en

    def __str__(self) -> str:  # the English form, for logs
        return self.en

    def get(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


def number(value: float) -> Localized:
    """A count in each language's format (vi 1.048.576, en 1,048,576)."""
    from i18n import number as fmt

    return Localized(fmt(value, "vi", digits=0), fmt(value, "en", digits=0))


def _fill(template: str, lang: str, kwargs: dict[str, object]) -> str:
    values = {
        k: t(v, lang) if isinstance(v, Tr) else v.get(lang) if isinstance(v, Localized) else v
        for k, v in kwargs.items()
    }
    return t(template, lang, **values)


MAX_VALUE_CHARS = 200


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    sheet: str | None
    cell: str | None
    value: str | None
    message_vi: str
    message_en: str

    @property
    def location(self) -> str:
        """'Đánh giá!C7', 'Đánh giá' or ''."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell or ""

    def message(self, lang: str) -> str:
        return self.message_vi if lang == "vi" else self.message_en

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


def problem(
    code: str,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    value: object = None,
    severity: Severity | None = None,
    messages: dict[str, tuple[Severity, str]] = MESSAGES,
    **kwargs: object,
) -> Problem:
    """Build a problem from its code; ``kwargs`` fill the message template.

    Other pipelines (geo/) keep their own code table and pass it as ``messages``.
    """
    default_severity, template = messages[code]
    shown = None if value is None else str(value)
    if shown is not None and len(shown) > MAX_VALUE_CHARS:
        shown = shown[: MAX_VALUE_CHARS - 1] + "…"  # a problem quotes a value; it does not carry it
    kwargs = {"value": shown if shown is not None else "", **kwargs}
    vi, en = _fill(template, "vi", kwargs), _fill(template, "en", kwargs)
    return Problem(code, severity or default_severity, sheet, cell, shown, vi, en)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)
