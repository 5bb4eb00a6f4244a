"""Simplify a layer for display while keeping shared borders shared.

A layer whose polygons form a clean coverage (neighbours share their border vertex for vertex)
is simplified as a coverage (GEOS CoverageSimplifier via shapely), so neighbours keep one common
border and no gaps or overlaps appear. A layer that is not a clean coverage (borders digitised
twice, slivers) cannot keep borders it never shared; each polygon is then simplified on its own
with topology preserved, and the load reports it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

DEFAULT_TOLERANCE = 0.0003  # degrees, about 30 m: invisible at city scale
DISPLAY_DECIMALS = 5  # about 1 m


def _round(geom: shapely.Geometry) -> shapely.Geometry:
    rounded = shapely.transform(geom, lambda xy: np.round(xy, DISPLAY_DECIMALS))
    return rounded if rounded.is_valid else shapely.make_valid(rounded)


def simplify_layer(
    geoms: Sequence[shapely.Geometry], tolerance: float = DEFAULT_TOLERANCE
) -> tuple[list[shapely.Geometry], str]:
    """(display geometries, method) where method is 'coverage' or 'per-polygon'."""
    arr = np.array(list(geoms), dtype=object)
    if len(arr) == 0:
        return [], "coverage"
    if shapely.coverage_is_valid(arr):
        simple = shapely.coverage_simplify(arr, tolerance, simplify_boundary=True)
        method = "coverage"
    else:
        simple = shapely.simplify(arr, tolerance, preserve_topology=True)
        method = "per-polygon"
    return [_round(g) for g in simple], method


def vertex_count(geoms: Sequence[shapely.Geometry]) -> int:
    return int(shapely.get_num_coordinates(np.array(list(geoms), dtype=object)).sum())
