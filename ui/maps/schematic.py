"""The schematic tile map (no boundaries loaded): the district-level units in their approximate
arrangement (data/geo/schematic_haiphong.csv), coloured like the choropleth, clearly labelled as
schematic."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from core.config import DATA_DIR
from i18n import t
from ui.maps.frame import finish
from ui.maps.measures import (
    COMMUNE_TYPES,
    NO_DATA,
    NO_DATA_LABEL,
    Measure,
    coloraxis,
    hover_rows,
    hovertemplate,
    text_colour,
    value_of,
)

SCHEMATIC_CSV = DATA_DIR / "geo" / "schematic_haiphong.csv"


def schematic_layout(path: Path = SCHEMATIC_CSV) -> pd.DataFrame:
    """The hand-made tile grid: code, row, col (names come from the registry)."""
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return pd.DataFrame(
        {
            "locality_code": [r["code"] for r in rows],
            "row": [int(r["row"]) for r in rows],
            "col": [int(r["col"]) for r in rows],
        }
    )


def schematic(
    units: pd.DataFrame,
    values: pd.DataFrame,
    pilot: pd.DataFrame,
    m: Measure,
    title: str,
    illustrative: bool,
    height: int = 700,
) -> go.Figure:
    """Tile map of the district-level units in their approximate arrangement, coloured by ``m``.

    ``units``: query.geo.district_units (names from the registry); pilot wards/communes are dots
    on their district's tile.
    """
    grid = schematic_layout().merge(units, on="locality_code", how="inner")
    names = dict(zip(grid["locality_code"], grid["name"], strict=True))
    names.update(dict(zip(pilot["locality_code"], pilot["name"], strict=True)))
    types = dict(zip(grid["locality_code"], grid["unit_type"], strict=True))
    types.update(dict(zip(pilot["locality_code"], pilot["unit_type"], strict=True)))
    value = value_of(values, m.key)
    hover = hovertemplate(m)
    fig = go.Figure()
    x, y, texts, fonts = [], [], [], []
    for r in grid.itertuples(index=False):
        fill = m.colour(value.get(r.locality_code))
        fig.add_shape(
            type="rect",
            x0=r.col - 0.47,
            x1=r.col + 0.47,
            y0=r.row - 0.47,
            y1=r.row + 0.47,
            fillcolor=fill,
            line={"color": "#FFFFFF", "width": 2},
            layer="below",
        )
        x.append(r.col)
        y.append(r.row)
        label = (
            names[r.locality_code].replace(" ", "<br>", 1)
            if len(names[r.locality_code]) > 9
            else names[r.locality_code]
        )
        shown = m.text(value.get(r.locality_code))
        if r.locality_code not in value and " " in shown:  # "Không có dữ liệu" on two lines, inside the tile
            words = shown.split()
            shown = " ".join(words[: len(words) // 2]) + "<br>" + " ".join(words[len(words) // 2 :])
        texts.append(f"<b>{label}</b><br>{shown}")
        fonts.append(text_colour(fill))
    codes = list(grid["locality_code"])
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers+text",
            text=texts,
            textfont={"color": fonts, "size": 11},
            marker={
                "symbol": "square",
                "size": 1,
                "opacity": 0,
                "color": [value.get(c, m.cmin) for c in codes],
                "coloraxis": "coloraxis",
            },
            customdata=hover_rows(values, m, codes, names, types),
            hovertemplate=hover,
            showlegend=False,
        )
    )
    # A transparent square over each tile so a hover or click anywhere on it finds the unit.
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="markers",
            marker={"symbol": "square", "size": 60, "opacity": 0.0},
            customdata=hover_rows(values, m, codes, names, types),
            hovertemplate=hover,
            showlegend=False,
        )
    )
    pc = pilot[pilot["unit_type"].isin(COMMUNE_TYPES) & pilot["parent_code"].isin(codes)]
    if not pc.empty:
        pos = grid.set_index("locality_code")
        cx, cy, cc = [], [], []
        for parent, group in pc.groupby("parent_code"):
            for i, c in enumerate(group["locality_code"]):
                cx.append(pos.loc[parent, "col"] + 0.32 - 0.2 * i)
                cy.append(pos.loc[parent, "row"] + 0.30)
                cc.append(c)
        colours = [m.colour(value.get(c)) for c in cc]
        fig.add_trace(
            go.Scatter(
                x=cx,
                y=cy,
                mode="markers",
                marker={
                    "size": 15,
                    "color": colours,
                    "line": {"color": "#111111", "width": 2},
                    "symbol": "circle",
                },
                customdata=hover_rows(values, m, cc, names, types),
                hovertemplate=hover,
                name=t("Pilot wards and communes (dot on their district)"),
                showlegend=True,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "square", "size": 14, "color": NO_DATA},
            name=t(NO_DATA_LABEL),
            showlegend=True,
        )
    )
    rows = grid["row"].max() + 1
    cols = grid["col"].max() + 1
    fig.update_xaxes(visible=False, range=[-0.6, cols - 0.4], fixedrange=True)
    fig.update_yaxes(visible=False, range=[rows - 0.4, -0.6], scaleanchor="x", fixedrange=True)
    fig.update_layout(coloraxis=coloraxis(m), plot_bgcolor="#FFFFFF")
    return finish(
        fig,
        title,
        illustrative,
        height,
        t("Schematic: tiles show the approximate arrangement of the districts, not their shape or size."),
    )
