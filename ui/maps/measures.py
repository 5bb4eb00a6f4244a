"""What a map colours by: the measures, their colour scales, and the hover text of a unit.

Shared by every map (choropleth, schematic, the 2025 map); the scores themselves come from the
query layer, never from here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from plotly.colors import sample_colorscale

from core.scoring import LEVEL_COLOUR
from i18n import N_, t
from ui import labels

NO_DATA = "#D4D4D4"
NO_DATA_LABEL = N_("No data")
SCORE_SCALE = [[0.0, LEVEL_COLOUR["red"]], [0.5, LEVEL_COLOUR["yellow"]], [1.0, LEVEL_COLOUR["green"]]]
RED_SCALE = [[0.0, "#FFF4E8"], [1.0, LEVEL_COLOUR["red"]]]
# Colour-blind-safe diverging scale (ColorBrewer PuOr): orange = fell, purple = rose.
CHANGE_SCALE = [[0.0, "#B35806"], [0.25, "#F1A340"], [0.5, "#F7F7F7"], [0.75, "#998EC3"], [1.0, "#542788"]]
COMMUNE_TYPES = ("phuong", "xa", "thi_tran")
LAYER_LEVELS: dict[str, str] = {"district": N_("district level"), "commune": N_("commune level")}
OVERALL_LABEL = N_("Overall score")
RED_LABEL = N_("Red indicators (count)")
CHANGE_LABEL = N_("Change in overall score since {year}")


@dataclass(frozen=True)
class Measure:
    """What the map colours by: a column of query.geo.map_measures and how to colour it."""

    key: str
    label: str
    scale: list[list[object]]
    cmin: float
    cmax: float
    digits: int

    def text(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return t(NO_DATA_LABEL)
        return labels.signed(value, self.digits) if self.key == "change" else labels.num(value, self.digits)

    def colour(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return NO_DATA
        span = (self.cmax - self.cmin) or 1.0
        return sample_colorscale(self.scale, [min(max((value - self.cmin) / span, 0.0), 1.0)])[0]


def measure_options(pillar_names: dict[int, str], previous_year: int | None) -> dict[str, str]:
    """measure key -> label in the UI language (pillar names come from the catalogue)."""
    out = {"overall": t(OVERALL_LABEL)}
    for p in (1, 2, 3, 4):
        if p in pillar_names:
            out[f"p{p}"] = pillar_names[p]
    out["red"] = t(RED_LABEL)
    if previous_year is not None:
        out["change"] = t(CHANGE_LABEL, year=previous_year)
    return out


def measure(key: str, label: str, values: pd.Series) -> Measure:
    """The colour scale for ``key``: scores 0-100 in level colours, red counts, change diverging."""
    vals = pd.to_numeric(values, errors="coerce").dropna()
    if key == "red":
        return Measure(key, label, RED_SCALE, 0.0, float(max(vals.max() if len(vals) else 0, 1)), 0)
    if key == "change":
        top = float(max(vals.abs().max() if len(vals) else 0, 5.0))
        return Measure(key, label, CHANGE_SCALE, -top, top, 1)
    return Measure(key, label, SCORE_SCALE, 0.0, 100.0, 1)


def hover_rows(
    values: pd.DataFrame, m: Measure, codes: Sequence[str], names: dict[str, str], types: dict[str, str]
) -> list[list[object]]:
    """customdata per unit: code, name, type, measure, overall, red count, change."""
    by_code = values.set_index("locality_code") if not values.empty else pd.DataFrame()
    rows = []
    for c in codes:
        r = by_code.loc[c] if c in by_code.index else None
        rows.append(
            [
                c,
                names.get(c, c),
                labels.unit_type(types.get(c)),
                m.text(None if r is None else r[m.key]),
                labels.num(None if r is None else r["overall"]),
                labels.num(None if r is None else r["red"], 0),
                labels.signed(None if r is None else r["change"]),
            ]
        )
    return rows


def hovertemplate(m: Measure) -> str:
    return (
        "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>"
        + f"{m.label}: <b>%{{customdata[3]}}</b><br>"
        + t("Overall score")
        + ": %{customdata[4]}<br>"
        + t("Red indicators")
        + ": %{customdata[5]}<br>"
        + t("Change")
        + ": %{customdata[6]}<extra></extra>"
    )


COLOURBAR_PX = 58  # height of the horizontal colour bar under the map: bar, ticks and its title


def coloraxis(m: Measure) -> dict[str, object]:
    """The colour axis, its bar horizontal under the map: it never covers the map or its inset,
    whatever the width the chart is drawn at (a phone's 420 px as a desktop's 1400)."""
    return {
        "colorscale": m.scale,
        "cmin": m.cmin,
        "cmax": m.cmax,
        "colorbar": {
            "title": {"text": m.label, "side": "top"},
            "orientation": "h",
            "thickness": 12,
            "len": 0.6,
            "lenmode": "fraction",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "top",
            "ypad": 6,
            "tickfont": {"size": 11},
        },
    }


def value_of(values: pd.DataFrame, key: str) -> dict[str, float]:
    """locality_code -> the measure's value, for the units that have one."""
    if values.empty:
        return {}
    v = values.set_index("locality_code")[key]
    return {c: float(x) for c, x in v.items() if pd.notna(x)}


def text_colour(fill: str) -> str:
    """Dark ink on light fills, white on dark ones."""
    if fill.startswith("rgb"):
        r, g, b = (float(x) for x in fill[fill.index("(") + 1 : -1].split(",")[:3])
    else:
        h = fill.lstrip("#")
        r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return "#111111" if (0.299 * r + 0.587 * g + 0.114 * b) > 140 else "#FFFFFF"
