"""User text written into a workbook can never run as a formula, and never breaks the file.

Every writer of .xlsx files (the annotated copy, the problem sheet, reports) passes each value that
came from a user's file through :func:`safe_text` before assigning it to a cell::

    from core.safe_cells import safe_text
    ws.cell(row=r, column=c, value=safe_text(value))

Why: a spreadsheet program treats a text that begins with ``=``, ``+``, ``-`` or ``@`` (and, after
a tab or a carriage return, the same) as a formula when the file is opened, edited or exported to
CSV; ``=HYPERLINK(...)`` and ``=cmd|' /C calc'!A0`` (DDE) run that way ("CSV/formula injection").
Such a text is returned with a leading apostrophe, the mark spreadsheet users know for "this is
text", and openpyxl then stores it as a plain string cell (data type ``s``), never as a formula.
The readers drop that one apostrophe again (:func:`unmark`), so an annotated copy sent back
unchanged reads as the original values.

Characters that XML 1.0 forbids (most control characters) would make openpyxl refuse the whole
workbook; they are replaced with U+FFFD. Numbers, dates, booleans and None pass unchanged.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
MARK = "'"
# XML 1.0 forbids these in text; openpyxl raises IllegalCharacterError on them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell's text


def needs_mark(text: str) -> bool:
    """Whether a text would be taken as a formula (or DDE command) by a spreadsheet program."""
    return text.startswith(FORMULA_TRIGGERS)


def safe_text(value: object) -> object:
    """The value to assign to a cell: text that cannot run as a formula; other values unchanged."""
    if not isinstance(value, str):
        return value
    text = _ILLEGAL_XML.sub("\ufffd", value)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    if needs_mark(text):
        text = MARK + text
    return text


def unmark(text: str) -> str:
    """The original text of a value written by :func:`safe_text` (one apostrophe before a trigger)."""
    if text.startswith(MARK) and needs_mark(text[1:]):
        return text[1:]
    return text


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:/@&=\"'$%^;,?])")


_WORD_JOINER = "\u2060"  # invisible; breaks the patterns that turn text into links
_AUTOLINK = re.compile(r"(?<=:)|(?=@)|(?<=www)(?=\.)", re.I)


def markdown_literal(value: object) -> str:
    """User text for a widget that renders Markdown (st.table cells, labels): shown as typed.

    Every ASCII punctuation mark is backslash-escaped (CommonMark allows it for all of them), so
    no link, HTML, emphasis, LaTeX or ':icon:' shortcode forms. Streamlit also turns bare URLs,
    'www.' names and e-mail addresses into links whatever their escapes, so an invisible word
    joiner (U+2060) is put after each ':', before each '@' and inside 'www.'. Line breaks become
    spaces. What is displayed are the same characters.
    """
    if value is None:
        return ""
    text = re.sub(r"[\r\n]+", " ", str(value))
    text = _AUTOLINK.sub(_WORD_JOINER, text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
