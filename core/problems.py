"""Problems are values: a stable code, a severity, where (sheet and cell), the value found, and
the message in Vietnamese and English. The UI, the CLI (JSON) and the tests read the same thing.

Message templates are English source strings translated by the i18n layer; each names what was
expected, so the person fixing the file knows what to write.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from i18n import N_, both

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
}


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
    vi, en = both(template, value=shown if shown is not None else "", **kwargs)
    return Problem(code, severity or default_severity, sheet, cell, shown, vi, en)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)
