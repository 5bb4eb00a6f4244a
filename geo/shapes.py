"""Geometry helpers the maps share: ring orientation for plotly, GeoJSON collections, bounds, the
units far from the rest (an island 130 km offshore) and a free corner for their inset.

Pure shapely/numpy: no plotly, no Streamlit. Pixel boxes are anything with ``x0, y0, width,
height`` (ui.map_labels.MapView is one).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient

Domain = dict[str, list[float]]  # a plotly domain: {"x": [x0, x1], "y": [y0, y1]} in paper units


class PixelBox(Protocol):
    x0: float
    y0: float
    width: float
    height: float


def clockwise(geom: shapely.Geometry) -> shapely.Geometry:
    """plotly's geo traces (d3-geo) want clockwise exterior rings; RFC 7946 files are the other way."""
    if isinstance(geom, Polygon):
        return orient(geom, sign=-1.0)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p, sign=-1.0) for p in geom.geoms])
    if isinstance(geom, shapely.GeometryCollection):
        return shapely.GeometryCollection([clockwise(g) for g in geom.geoms])
    return geom


def collection(codes: Sequence[str], geoms: dict[str, shapely.Geometry]) -> dict[str, object]:
    """A GeoJSON FeatureCollection of ``codes`` (feature id = code), rings clockwise."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": c,
                "properties": {},
                "geometry": json.loads(shapely.to_geojson(clockwise(geoms[c]))),
            }
            for c in codes
        ],
    }


def bounds(geoms: Sequence[shapely.Geometry]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of all ``geoms``."""
    b = shapely.total_bounds(np.array(list(geoms), dtype=object))
    return float(b[0]), float(b[1]), float(b[2]), float(b[3])


def outliers(layer: pd.DataFrame) -> list[str]:
    """Units far from the rest (an island district 130 km offshore) go to an inset.

    ``layer``: locality_code, label_lon, label_lat (query.geo.boundary_layer)."""
    if len(layer) < 4:
        return []
    pts = layer[["label_lon", "label_lat"]].to_numpy(dtype=float)
    centre = np.median(pts, axis=0)
    dist = np.linalg.norm(pts - centre, axis=1)
    limit = max(0.5, 4 * float(np.median(dist)))
    return [c for c, d in zip(layer["locality_code"], dist, strict=True) if d > limit]


INSET_W, INSET_H = 0.2, 0.24  # share of the plot area
INSET_CAPTION_PX = 18  # the inset's caption sits above it
TOP = 0.9  # a top corner's inset ends below the plot's top: its caption stays clear of the title


def inset_box(main: PixelBox, shapes: Sequence[shapely.Geometry]) -> Domain:
    """A free corner of the plot area for the inset (paper coordinates), the emptiest of four.

    ``shapes``: the main map's units in pixels (MapView.project)."""
    w, h = INSET_W, INSET_H
    options = [
        {"x": [1 - w - 0.01, 0.99], "y": [0.02, 0.02 + h]},
        {"x": [1 - w - 0.01, 0.99], "y": [TOP - h, TOP]},
        {"x": [0.01, 0.01 + w], "y": [0.02, 0.02 + h]},
        {"x": [0.01, 0.01 + w], "y": [TOP - h, TOP]},
    ]
    taken = shapely.union_all(list(shapes))

    def px_box(d: Domain) -> shapely.Geometry:
        return shapely.box(
            main.x0 + d["x"][0] * main.width,
            main.y0 + (1 - d["y"][1]) * main.height - INSET_CAPTION_PX,
            main.x0 + d["x"][1] * main.width,
            main.y0 + (1 - d["y"][0]) * main.height,
        )

    return min(options, key=lambda d: shapely.area(shapely.intersection(px_box(d), taken)))


def inset_px(main: PixelBox, dom: Domain) -> tuple[float, float, float, float]:
    """The inset's pixel box (x0, y0, width, height) inside ``main``."""
    x0 = main.x0 + dom["x"][0] * main.width
    y0 = main.y0 + (1 - dom["y"][1]) * main.height
    return x0, y0, (dom["x"][1] - dom["x"][0]) * main.width, (dom["y"][1] - dom["y"][0]) * main.height
