"""The choropleth of district-level units (boundaries loaded): coloured by a measure, named on
the map, pilot wards/communes as polygons or markers, a far-off island in an inset.

A plotly geo subplot (``go.Choropleth`` on the units' own GeoJSON, no base map); show it with
``geo_config()`` (ui/maps/export.py). Unit names are SVG text placed by ``place_labels`` so that
none covers another.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import shapely

from geo.shapes import bounds, collection, inset_box, inset_px, outliers
from i18n import t
from ui.map_labels import MapView, label_box, place_labels, place_markers
from ui.maps.frame import finish, geo_layout, inset_frame, legend_entry, names_trace, plot_box
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
    value = value_of(values, m.key)
    hover = hovertemplate(m)
    geoms = {
        c: shapely.from_geojson(g)
        for c, g in zip(districts["locality_code"], districts["geometry"], strict=True)
    }
    away = outliers(districts)
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
        bounds([geoms[c] for c in main["locality_code"]] + list(drawn_geoms.values())),
        plot_box(width, height, illustrative),
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
                    geojson=collection(part, shapes),  # each trace carries only its own units
                    locations=part,
                    z=[value[c] for c in part] if coloured else [0] * len(part),
                    coloraxis="coloraxis" if coloured else None,
                    colorscale=None if coloured else [[0, NO_DATA], [1, NO_DATA]],
                    showscale=False if not coloured else None,
                    marker={"line": {"color": outline, "width": line_width}},
                    customdata=hover_rows(values, m, part, names, types),
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
        inset_dom = inset_box(view, [view.project(geoms[c]) for c in main["locality_code"]])
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
        custom = hover_rows(values, m, codes, names, types)
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

    ink = [text_colour(m.colour(value.get(lb.code))) for lb in names_on_map]  # light on dark fills
    fig.add_trace(names_trace(names_on_map, ink))
    legend_entry(fig, t(NO_DATA_LABEL), {"symbol": "square", "size": 14, "color": NO_DATA})
    if not rest.empty:
        legend_entry(
            fig,
            t("Pilot wards and communes (marker)"),
            {"size": 13, "color": "#FFFFFF", "line": {"color": "#111111", "width": 2}},
        )
    elif drawn_geoms:
        legend_entry(
            fig,
            t("Pilot wards and communes (black outline)"),
            {"symbol": "square", "size": 13, "color": "#FFFFFF", "line": {"color": "#111111", "width": 2}},
        )

    fig.update_layout(geo=geo_layout(view, {"x": [0, 1], "y": [0, 1]}))
    if away and inset_dom is not None:
        polygons(away, geoms, "geo2", "#666666", 1.0)
        caption = ", ".join(names.get(c, c) for c in away)
        inset_frame(fig, view, inset_dom, [geoms[c] for c in away], caption, label_size)
    fig.update_layout(coloraxis=coloraxis(m))
    finish(fig, title, illustrative, height, attribution)
    # A marker answers only near it; elsewhere the district under the pointer does.
    fig.update_layout(hoverdistance=10)
    return fig
