"""Map figures: the choropleth of district-level units and the schematic tile map.

Both draw offline. The choropleth is a plotly geo subplot (``go.Choropleth`` on the units' own
GeoJSON, no base map); plotly.js still loads its world topojson for any geo subplot, so the
file ships in static/topojson/ and every geo chart is shown with ``geo_config()`` (the browser)
or exported by ``figure_png`` (kaleido, from the file). Unit names are SVG text placed by
``place_labels`` so that none covers another, in the system's fonts (no glyph downloads), in
the browser and in the PNG alike. The schematic (no boundaries loaded) is an SVG tile grid.
Both colour units the same way, with the project's level colours for scores.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import shapely
import streamlit as st
from plotly.colors import sample_colorscale
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient

from core.config import DATA_DIR
from core.scoring import LEVEL_COLOUR
from i18n import N_, t
from ui import charts, labels
from ui.map_labels import MapView, label_box, place_labels, place_markers

NO_DATA = "#D4D4D4"
NO_DATA_LABEL = N_("No data")
SCORE_SCALE = [[0.0, LEVEL_COLOUR["red"]], [0.5, LEVEL_COLOUR["yellow"]], [1.0, LEVEL_COLOUR["green"]]]
RED_SCALE = [[0.0, "#FFF4E8"], [1.0, LEVEL_COLOUR["red"]]]
# Colour-blind-safe diverging scale (ColorBrewer PuOr): orange = fell, purple = rose.
CHANGE_SCALE = [[0.0, "#B35806"], [0.25, "#F1A340"], [0.5, "#F7F7F7"], [0.75, "#998EC3"], [1.0, "#542788"]]
SCHEMATIC_CSV = DATA_DIR / "geo" / "schematic_haiphong.csv"
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


# ---------------------------------------------------------------- shared pieces


def _hover_rows(
    values: pd.DataFrame, m: Measure, codes: Sequence[str], names: dict[str, str], types: dict[str, str]
):
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


def _hovertemplate(m: Measure) -> str:
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


def _coloraxis(m: Measure) -> dict[str, object]:
    return {
        "colorscale": m.scale,
        "cmin": m.cmin,
        "cmax": m.cmax,
        "colorbar": {"title": {"text": m.label, "side": "right"}, "thickness": 14, "len": 0.75, "x": 1.0},
    }


def _value(values: pd.DataFrame, key: str) -> dict[str, float]:
    if values.empty:
        return {}
    v = values.set_index("locality_code")[key]
    return {c: float(x) for c, x in v.items() if pd.notna(x)}


# ---------------------------------------------------------------- choropleth (boundaries loaded)

# plotly.js fetches this world topojson for every geo subplot, even one that shows none of it;
# it is shipped in static/ (Streamlit serves it at /app/static/) so the map needs no internet.
TOPOJSON_DIR = Path(__file__).resolve().parent.parent / "static" / "topojson"
TOPOJSON_URL = "/app/static/topojson/"
LABEL_COLOUR = "#111111"
# A halo in the opposite colour keeps a name readable where it spills over a neighbour.
HALO = {
    "#111111": "0 0 2px #FFFFFF, 0 0 2px #FFFFFF, 0 0 3px #FFFFFF",
    "#FFFFFF": "0 0 2px #111111, 0 0 2px #111111, 0 0 3px #111111",
}


def geo_config(config: dict[str, object] | None = None) -> dict[str, object]:
    """plotly config for a chart with geo subplots: the local topojson instead of cdn.plot.ly
    (under the server's base path when the app is served below one)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return {**(config or {}), "topojsonURL": f"/{base}{TOPOJSON_URL}" if base else TOPOJSON_URL}


def _clockwise(geom: shapely.Geometry) -> shapely.Geometry:
    """plotly's geo traces (d3-geo) want clockwise exterior rings; RFC 7946 files are the other way."""
    if isinstance(geom, Polygon):
        return orient(geom, sign=-1.0)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p, sign=-1.0) for p in geom.geoms])
    if isinstance(geom, shapely.GeometryCollection):
        return shapely.GeometryCollection([_clockwise(g) for g in geom.geoms])
    return geom


def _collection(codes: Sequence[str], geoms: dict[str, shapely.Geometry]) -> dict[str, object]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": c,
                "properties": {},
                "geometry": json.loads(shapely.to_geojson(_clockwise(geoms[c]))),
            }
            for c in codes
        ],
    }


def _bounds(geoms: Sequence[shapely.Geometry]) -> tuple[float, float, float, float]:
    b = shapely.total_bounds(np.array(list(geoms), dtype=object))
    return float(b[0]), float(b[1]), float(b[2]), float(b[3])


def _outliers(layer: pd.DataFrame) -> list[str]:
    """Units far from the rest (an island district 130 km offshore) go to an inset."""
    if len(layer) < 4:
        return []
    pts = layer[["label_lon", "label_lat"]].to_numpy(dtype=float)
    centre = np.median(pts, axis=0)
    dist = np.linalg.norm(pts - centre, axis=1)
    limit = max(0.5, 4 * float(np.median(dist)))
    return [c for c, d in zip(layer["locality_code"], dist, strict=True) if d > limit]


def _plot_box(width: float, height: float, illustrative: bool) -> tuple[float, float, float, float]:
    """Where plotly puts the plot area (x0, y0, w, h in px) for the margins, colour bar and legend
    that ``choropleth`` sets."""
    top = 80 if illustrative else 60
    colourbar = 76  # measured in the exported SVG; the legend sits in the bottom margin
    return 8.0, float(top), width - 16 - colourbar, height - top - 56


def _inset_box(main: MapView, shapes: Sequence[shapely.Geometry]) -> dict[str, list[float]]:
    """A free corner of the plot area for the inset (paper coordinates), the emptiest of four."""
    w, h = 0.2, 0.24
    options = [
        {"x": [1 - w - 0.01, 0.99], "y": [0.02, 0.02 + h]},
        {"x": [1 - w - 0.01, 0.99], "y": [0.96 - h, 0.96]},
        {"x": [0.01, 0.01 + w], "y": [0.02, 0.02 + h]},
        {"x": [0.01, 0.01 + w], "y": [0.96 - h, 0.96]},
    ]
    taken = shapely.union_all(list(shapes))

    def px_box(d: dict[str, list[float]]) -> shapely.Geometry:
        return shapely.box(
            main.x0 + d["x"][0] * main.width,
            main.y0 + (1 - d["y"][1]) * main.height - 18,  # the inset's caption sits above it
            main.x0 + d["x"][1] * main.width,
            main.y0 + (1 - d["y"][0]) * main.height,
        )

    return min(options, key=lambda d: shapely.area(shapely.intersection(px_box(d), taken)))


def inset_px(main: MapView, dom: dict[str, list[float]]) -> tuple[float, float, float, float]:
    x0 = main.x0 + dom["x"][0] * main.width
    y0 = main.y0 + (1 - dom["y"][1]) * main.height
    return x0, y0, (dom["x"][1] - dom["x"][0]) * main.width, (dom["y"][1] - dom["y"][0]) * main.height


def _geo(view: MapView, domain: dict[str, list[float]]) -> dict[str, object]:
    return {
        "visible": False,
        "projection": {"type": "mercator"},
        "lonaxis": {"range": [view.west, view.east]},
        "lataxis": {"range": [view.south, view.north]},
        "domain": domain,
        "bgcolor": "rgba(0,0,0,0)",
    }


def choropleth(
    districts: pd.DataFrame,
    communes: pd.DataFrame | None,
    values: pd.DataFrame,
    pilot: pd.DataFrame,
    m: Measure,
    title: str,
    attribution: str,
    illustrative: bool,
    width: int = 900,
    height: int = 640,
) -> go.Figure:
    """District-level units coloured by ``m`` and named on the map; pilot wards/communes as
    polygons or markers; a far-off island in an inset.

    ``districts``/``communes``: query.geo.boundary_layer; ``values``: query.geo.map_measures;
    ``pilot``: query.geo.pilot_units. Units without a value are grey and named "no data".
    ``width``/``height`` are the size the labels are laid out for (the page draws at about
    900 px; a wider drawing only gives the names more room). Show it with ``geo_config()``.
    """
    names = dict(zip(pilot["locality_code"], pilot["name"], strict=True))
    names.update(dict(zip(districts["locality_code"], districts["name"], strict=True)))
    types = dict(zip(districts["locality_code"], districts["unit_type"], strict=True))
    types.update(dict(zip(pilot["locality_code"], pilot["unit_type"], strict=True)))
    value = _value(values, m.key)
    hover = _hovertemplate(m)
    geoms = {
        c: shapely.from_geojson(g)
        for c, g in zip(districts["locality_code"], districts["geometry"], strict=True)
    }
    away = _outliers(districts)
    main = districts[~districts["locality_code"].isin(away)]
    pilot_communes = pilot[pilot["unit_type"].isin(COMMUNE_TYPES)]
    drawn = (
        communes[communes["locality_code"].isin(pilot_communes["locality_code"])]
        if communes is not None
        else None
    )
    drawn_geoms = {}
    if drawn is not None:
        drawn_geoms = {
            c: shapely.from_geojson(g) for c, g in zip(drawn["locality_code"], drawn["geometry"], strict=True)
        }
    label_size = 12.0 if width < 1200 else 14.0
    view = MapView.fit(
        _bounds([geoms[c] for c in main["locality_code"]] + list(drawn_geoms.values())),
        _plot_box(width, height, illustrative),
        pad=0.02,
    )
    fig = go.Figure()

    def polygons(
        codes: Sequence[str], shapes: dict[str, shapely.Geometry], geo: str, outline: str, line_width: float
    ) -> None:
        for part, coloured in (
            ([c for c in codes if c not in value], False),
            ([c for c in codes if c in value], True),
        ):
            if not part:
                continue
            fig.add_trace(
                go.Choropleth(
                    geojson=_collection(part, shapes),  # each trace carries only its own units
                    locations=part,
                    z=[value[c] for c in part] if coloured else [0] * len(part),
                    coloraxis="coloraxis" if coloured else None,
                    colorscale=None if coloured else [[0, NO_DATA], [1, NO_DATA]],
                    showscale=False if not coloured else None,
                    marker={"line": {"color": outline, "width": line_width}},
                    customdata=_hover_rows(values, m, part, names, types),
                    hovertemplate=hover,
                    name=m.label if coloured else t(NO_DATA_LABEL),
                    showlegend=False,
                    geo=geo,
                )
            )

    polygons(list(main["locality_code"]), geoms, "geo", "#FFFFFF", 1.2)
    if drawn_geoms:
        polygons(list(drawn_geoms), drawn_geoms, "geo", "#111111", 2.0)

    obstacles: list[shapely.Geometry] = []
    inset_dom = None
    if away:
        inset_dom = _inset_box(view, [view.project(geoms[c]) for c in main["locality_code"]])
        x0, y0, w, h = inset_px(view, inset_dom)
        obstacles.append(shapely.box(x0, y0 - 18, x0 + w, y0 + h))
    outlined = [view.project(g).boundary.buffer(1.5) for g in drawn_geoms.values()]  # keep outlines visible
    names_on_map = place_labels(main, geoms, view, label_size, obstacles, outlined)
    label_boxes = [label_box(view, lb) for lb in names_on_map]

    rest = pilot_communes[~pilot_communes["locality_code"].isin(list(drawn_geoms))]
    rest = rest[rest["parent_code"].isin(list(main["locality_code"]))].sort_values("locality_code")
    if not rest.empty:
        near = {lb.code: label_box(view, lb, 0).centroid for lb in names_on_map}
        spots = place_markers(
            list(rest["parent_code"]),
            geoms,
            view,
            obstacles + label_boxes,
            {c: (p.x, p.y) for c, p in near.items()},
        )
        codes = list(rest["locality_code"])
        custom = _hover_rows(values, m, codes, names, types)
        colours = [value.get(c) for c in codes]
        scored = [i for i, v in enumerate(colours) if v is not None]
        nodata = [i for i, v in enumerate(colours) if v is None]
        for idx, colour in ((scored, None), (nodata, NO_DATA)):
            if not idx:
                continue
            fig.add_trace(
                go.Scattergeo(
                    lon=[spots[i][0] for i in idx],
                    lat=[spots[i][1] for i in idx],
                    mode="markers",
                    marker={
                        "size": 14,
                        "color": colour or [colours[i] for i in idx],
                        "coloraxis": None if colour else "coloraxis",
                        "line": {"color": "#111111", "width": 2},
                    },
                    customdata=[custom[i] for i in idx],
                    hovertemplate=hover,
                    name=t("Pilot wards and communes (marker)"),
                    showlegend=False,
                    geo="geo",
                )
            )

    ink = [_text_colour(m.colour(value.get(lb.code))) for lb in names_on_map]  # light on dark fills
    fig.add_trace(
        go.Scattergeo(
            lon=[lb.lon for lb in names_on_map],
            lat=[lb.lat for lb in names_on_map],
            text=[lb.text for lb in names_on_map],
            mode="text",
            textposition="middle center",
            textfont={
                "family": charts.FONT,
                "size": [lb.size for lb in names_on_map],
                "color": ink,
                "shadow": [HALO[c] for c in ink],
            },
            hoverinfo="skip",
            showlegend=False,
            name="labels",
            geo="geo",
        )
    )
    # Legend entries (a geo choropleth has no legend symbol of its own).
    legend = [(t(NO_DATA_LABEL), {"symbol": "square", "size": 14, "color": NO_DATA})]
    if not rest.empty:
        legend.append(
            (
                t("Pilot wards and communes (marker)"),
                {"size": 13, "color": "#FFFFFF", "line": {"color": "#111111", "width": 2}},
            )
        )
    elif drawn_geoms:
        legend.append(
            (
                t("Pilot wards and communes (black outline)"),
                {
                    "symbol": "square",
                    "size": 13,
                    "color": "#FFFFFF",
                    "line": {"color": "#111111", "width": 2},
                },
            )
        )
    for name, marker in legend:
        fig.add_trace(
            go.Scattergeo(lon=[None], lat=[None], mode="markers", marker=marker, name=name, showlegend=True)
        )

    fig.update_layout(geo=_geo(view, {"x": [0, 1], "y": [0, 1]}))
    if away and inset_dom is not None:
        inset_view = MapView.fit(_bounds([geoms[c] for c in away]), inset_px(view, inset_dom), pad=1.2)
        polygons(away, geoms, "geo2", "#666666", 1.0)
        fig.update_layout(geo2=_geo(inset_view, inset_dom))
        fig.add_shape(
            type="rect",
            xref="paper",
            yref="paper",
            x0=inset_dom["x"][0],
            x1=inset_dom["x"][1],
            y0=inset_dom["y"][0],
            y1=inset_dom["y"][1],
            line={"color": "#888", "width": 1},
        )
        fig.add_annotation(
            text=", ".join(names.get(c, c) for c in away) + " (" + t("inset") + ")",
            xref="paper",
            yref="paper",
            x=inset_dom["x"][0],
            y=inset_dom["y"][1],
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            font={"size": label_size, "color": LABEL_COLOUR},
        )
    fig.update_layout(coloraxis=_coloraxis(m))
    charts.style(fig, title, illustrative=illustrative, height=height)
    fig.update_layout(
        width=None,
        dragmode=False,
        hoverdistance=10,  # a marker answers only near it; elsewhere the district under the pointer does
        margin={"l": 8, "r": 8, "t": 80 if illustrative else 60, "b": 56},
        legend={"orientation": "h", "x": 0, "y": -0.01, "yanchor": "top", "bgcolor": "rgba(255,255,255,0.8)"},
    )
    _attribution(fig, attribution)
    return fig


def _attribution(fig: go.Figure, text: str) -> None:
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=1,
        y=0,
        yshift=-30,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        font={"size": 10, "color": "#555"},
    )


# ---------------------------------------------------------------- schematic (nothing loaded)


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


def _text_colour(fill: str) -> str:
    if fill.startswith("rgb"):
        r, g, b = (float(x) for x in fill[fill.index("(") + 1 : -1].split(",")[:3])
    else:
        h = fill.lstrip("#")
        r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return "#111111" if (0.299 * r + 0.587 * g + 0.114 * b) > 140 else "#FFFFFF"


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
    value = _value(values, m.key)
    hover = _hovertemplate(m)
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
        fonts.append(_text_colour(fill))
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
            customdata=_hover_rows(values, m, codes, names, types),
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
            customdata=_hover_rows(values, m, codes, names, types),
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
                customdata=_hover_rows(values, m, cc, names, types),
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
    fig.update_layout(coloraxis=_coloraxis(m), plot_bgcolor="#FFFFFF", dragmode=False)
    charts.style(fig, title, illustrative=illustrative, height=height)
    fig.update_layout(
        margin={"l": 8, "r": 8, "t": 80 if illustrative else 60, "b": 56},
        legend={"orientation": "h", "x": 0, "y": -0.01, "yanchor": "top"},
    )
    _attribution(
        fig, t("Schematic: tiles show the approximate arrangement of the districts, not their shape or size.")
    )
    return fig


# ---------------------------------------------------------------- export


def figure_png(fig: go.Figure, width: int = 1400, height: int = 900, scale: float = 1.0) -> bytes:
    """PNG bytes of a map (kaleido with the system's Chromium; draws offline, Vietnamese intact)."""
    if TOPOJSON_DIR.is_dir():  # kaleido's Chromium would fetch it from cdn.plot.ly otherwise
        pio.defaults.topojson = TOPOJSON_DIR.as_uri() + "/"
    out = go.Figure(fig)
    out.update_layout(width=width, height=height, font={"family": charts.FONT})
    return out.to_image(format="png", width=width, height=height, scale=scale)
