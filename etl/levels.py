"""Forgiving level input -> one canonical value ('red' | 'yellow' | 'green').

Accepted: the labels and aliases of the level code table (data/codes/level.csv: Đỏ/Vàng/Xanh,
Red/Yellow/Green, R/Y/G, Đ/V/X, traffic-light emoji) in any case, spacing or normal form, its
numbers 1/2/3, and a cell's fill colour classified by hue.
"""

from __future__ import annotations

import colorsys

from core import codes

# Fills we write into spreadsheets: Excel's standard traffic colours, which people recognise and
# which classify unambiguously (the screen palette is the code table's ``colour``).
FILL_RGB: dict[str, str] = dict(codes.column("level", "fill_rgb"))
_NUMBERS: dict[int, str] = {int(n): code for code, n in codes.column("level", "number").items()}


def parse_level(value: object) -> str | None:
    """The canonical level for a cell value, or None if it is not one."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _NUMBERS.get(int(value)) if float(value).is_integer() else None
    text = str(value).strip()
    if text.isdigit():
        return _NUMBERS.get(int(text))
    return codes.match("level", text)


def level_from_rgb(rgb: str | None) -> str | None:
    """Classify a fill colour 'RRGGBB' by hue: red, amber/yellow, green; None if unsaturated."""
    if not rgb or len(rgb) != 6:
        return None
    try:
        r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    if s < 0.12 or v < 0.25:
        return None  # white, grey, black: no level
    deg = h * 360
    if deg < 18 or deg >= 330:
        return "red"
    if deg < 70:
        return "yellow"  # orange and amber through yellow: a traffic light's amber is orange
    if deg < 170:
        return "green"
    return None
