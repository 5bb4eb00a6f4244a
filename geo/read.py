"""Read a boundary file into polygons in EPSG:4326, repaired, with its problems.

Accepts what GIS offices hand out: GeoJSON, GeoPackage (first polygon layer) and Shapefiles,
zipped or not. Anything GDAL reads as a table without polygons (a CSV, a spreadsheet) is
refused with a clear problem, never half-loaded.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError

from core.problems import Problem
from geo.problems import GeoError, geo_problem

WGS84 = "EPSG:4326"
_POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass
class Boundaries:
    """Polygons of one file, one row per source feature (properties kept as columns)."""

    frame: gpd.GeoDataFrame
    source_crs: str | None
    problems: list[Problem] = field(default_factory=list)


def _open_path(path: Path) -> str:
    """The path GDAL should open: zipped Shapefiles through /vsizip/ at their .shp inside."""
    if path.suffix.lower() != ".zip":
        return str(path)
    with zipfile.ZipFile(path) as z:
        inner = [n for n in z.namelist() if n.lower().endswith((".shp", ".geojson", ".json", ".gpkg"))]
    if not inner:
        raise ValueError("the archive holds no .shp, .geojson or .gpkg file")
    return f"/vsizip/{path}/{sorted(inner)[0]}"


def _polygon_layer(source: str) -> str | None:
    """The first layer with polygons (GeoPackages may hold several); None = the default layer."""
    try:
        layers = pyogrio.list_layers(source)
    except (DataSourceError, DataLayerError):
        return None
    if len(layers) <= 1:
        return None
    for name, kind in layers:
        if kind and "polygon" in str(kind).lower():
            return str(name)
    return None


def _polygonal(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """Keep only the areas of a geometry (make_valid may return lines or points beside them)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in _POLYGONAL:
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in _POLYGONAL and not p.is_empty]
    if not parts:
        return None
    polys = [q for p in parts for q in shapely.get_parts(p)]
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def _label(row: object, index: int) -> str:
    for key in ("name", "Name", "NAME", "ten", "Ten", "shapeName", "code"):
        value = getattr(row, key, None) if not isinstance(row, dict) else row.get(key)
        if value is not None and str(value).strip():
            return str(value)
    return f"#{index}"


def read_boundaries(path: str | Path) -> Boundaries:
    """Read, reproject to EPSG:4326 and repair; raise GeoError when the file is unusable."""
    p = Path(path)
    name = p.name
    if not p.is_file():
        raise GeoError([geo_problem("geo-file-missing", value=str(p))])
    try:
        source = _open_path(p)
        gdf = gpd.read_file(source, layer=_polygon_layer(source))
    except (DataSourceError, DataLayerError, ValueError, zipfile.BadZipFile, OSError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise GeoError([geo_problem("geo-file-unreadable", file=name, value=name, reason=reason)]) from exc
    problems: list[Problem] = []
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.isna().all() or len(gdf) == 0:
        raise GeoError([geo_problem("geo-no-geometry", file=name, value=name)])
    types = set(gdf.geometry.dropna().geom_type)
    if not types & {*_POLYGONAL, "GeometryCollection"}:
        raise GeoError([geo_problem("geo-no-geometry", file=name, value=name)])

    source_crs = gdf.crs.to_string() if gdf.crs is not None else None
    if gdf.crs is None:
        minx, miny, maxx, maxy = gdf.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise GeoError([geo_problem("geo-unknown-crs", file=name)])
        problems.append(geo_problem("geo-no-crs", file=name))
        gdf = gdf.set_crs(WGS84)
    elif not gdf.crs.equals(WGS84):
        gdf = gdf.to_crs(WGS84)

    repaired: list[str] = []
    geoms = []
    for i, (row, geom) in enumerate(
        zip(gdf.drop(columns="geometry").to_dict("records"), gdf.geometry, strict=True)
    ):
        if geom is not None and not geom.is_empty and not geom.is_valid:
            repaired.append(_label(row, i + 1))
            geom = shapely.make_valid(geom)
        geom = _polygonal(geom)
        if geom is None:
            problems.append(
                geo_problem("geo-empty-geometry", file=name, index=i + 1, value=_label(row, i + 1))
            )
        geoms.append(geom)
    if repaired:
        shown = ", ".join(repaired[:10]) + (" …" if len(repaired) > 10 else "")
        problems.append(geo_problem("geo-repaired", file=name, count=len(repaired), names=shown))
    gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=WGS84))
    gdf["feature_index"] = range(1, len(gdf) + 1)
    gdf = gdf[gdf.geometry.notna()]
    if gdf.empty:
        raise GeoError([*problems, geo_problem("geo-no-geometry", file=name, value=name)])
    return Boundaries(gdf, source_crs, problems)
