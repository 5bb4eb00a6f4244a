"""Text that goes into a spreadsheet cell must never run as a formula (CSV/formula injection).

Evidence, notes and names come from users' files. A text beginning with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return can be taken for a formula by Excel or LibreOffice (``=HYPERLINK(...)``,
``+cmd|...``), so every writer of cells passes text through ``safe_text`` and writes the result as a
string. This is the one place that decides it.
"""

from __future__ import annotations

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"  # the apostrophe spreadsheet users know as "this is text"


def safe_text(value: object) -> object:
    """``value`` unchanged unless it is text that could start a formula; such text gets a leading
    apostrophe, so it is shown and stored as plain text. Non-text values (numbers, dates, None)
    pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return NEUTRALISER + value
    return value
