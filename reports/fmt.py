"""How a value is written in the Word/PDF report (Vietnamese number format by default).

The Excel writer keeps numbers as numbers with number formats instead; both read the column kind.
"""

from __future__ import annotations

import math

import pandas as pd

from core import codes
from i18n import number, percent, t


def missing(value: object) -> bool:
    """None, NaN and pandas' NA."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def signed(value: float, lang: str, digits: int = 1) -> str:
    """'+12,5' / '-3,0' / '0,0'."""
    text = number(abs(value), lang, digits)
    if round(value, digits) > 0:
        return "+" + text
    if round(value, digits) < 0:
        return "-" + text
    return text


def cell_text(value: object, kind: str, lang: str) -> str:
    """A value as the report prints it: 61,6 / 1.234 / 12,5% / +3,0 / Đỏ / Có."""
    if missing(value):
        return "–"
    if kind == "int":
        return number(int(value), lang, 0)  # type: ignore[call-overload]
    if kind == "score":
        return number(float(value), lang, 1)  # type: ignore[arg-type]
    if kind == "share":
        return percent(float(value), lang, 1)  # type: ignore[arg-type]
    if kind == "change":
        v = float(value)  # type: ignore[arg-type]
        return "–" if math.isnan(v) else signed(v, lang)
    if kind == "year":
        return str(int(value))  # type: ignore[call-overload]
    if kind == "level":
        return codes.label("level", value, lang)
    if kind == "bool":
        return t("Yes", lang) if bool(value) else t("No", lang)
    return str(value)
