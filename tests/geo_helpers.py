"""Small boundary files the geo tests make themselves (no shared data needed)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import Polygon, box


def squares(names: list[str], codes: list[str | None] | None = None, size: float = 0.05) -> gpd.GeoDataFrame:
    """Adjacent squares in a row near Hải Phòng (lon 106.5, lat 20.8), one per name."""
    geoms = [box(106.5 + i * size, 20.8, 106.5 + (i + 1) * size, 20.8 + size) for i in range(len(names))]
    data = {"name": names}
    if codes is not None:
        data["code"] = codes
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:4326")


def bowtie(x: float = 106.7, y: float = 20.8, d: float = 0.05) -> Polygon:
    """A self-intersecting (invalid) polygon."""
    return Polygon([(x, y), (x + d, y + d), (x + d, y), (x, y + d), (x, y)])


def write(gdf: gpd.GeoDataFrame, path: Path, driver: str = "GeoJSON") -> Path:
    gdf.to_file(path, driver=driver)
    return path
