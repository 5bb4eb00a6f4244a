"""``load_file``: read -> match -> simplify -> store, validated before anything is written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from core.config import db_path
from core.db import connect
from core.problems import Problem, has_errors
from core.schema import ensure_database
from core.units import VINTAGES, registry
from geo.match import LEVELS, MatchResult, match_any
from geo.problems import LEVEL_WORDS, GeoError, geo_problem
from geo.read import WGS84, read_boundaries
from geo.simplify import DEFAULT_TOLERANCE, simplify_layer, vertex_count
from geo.store import SourceInfo, active_source, geometry_json, write_layer

PILOT_PROVINCE = "31"  # Hải Phòng


@dataclass
class LoadReport:
    """What happened to one boundary file (the CLI prints it; tests read it)."""

    file: str
    status: str  # loaded | duplicate | rejected
    level: str | None = None
    province: str | None = None
    vintage: str | None = None
    source_id: int | None = None
    features_read: int = 0
    matched: list[str] = field(default_factory=list)
    simplify_method: str | None = None
    vertices: tuple[int, int] = (0, 0)  # before, after simplification
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "duplicate")

    def codes(self, code: str) -> list[Problem]:
        return [p for p in self.problems if p.code == code]

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "status": self.status,
            "level": self.level,
            "province": self.province,
            "vintage": self.vintage,
            "source_id": self.source_id,
            "features_read": self.features_read,
            "units_matched": len(self.matched),
            "matched": self.matched,
            "simplify_method": self.simplify_method,
            "vertices_before": self.vertices[0],
            "vertices_after": self.vertices[1],
            "problems": [p.to_dict() for p in self.problems],
        }


def _province_names(gdf: pd.DataFrame) -> str | None:
    """The provinces a file's features name by code, when every feature is one (a province layer)."""
    found = []
    for col in ("code", "ma", "ma_tinh", "province_code"):
        if col not in gdf.columns:
            continue
        for v in gdf[col]:
            for vintage in VINTAGES:
                u = registry(vintage).by_code(v)
                if u is not None and u.level == "province":
                    found.append(u.name_with_type)
                    break
            else:
                return None
        break
    return ", ".join(dict.fromkeys(found)) or None


def _label_point(geom: shapely.Geometry) -> shapely.Point:
    """A point inside the unit's largest part (an island district's main island)."""
    parts = list(shapely.get_parts(geom))
    largest = max(parts, key=lambda g: g.area)
    return largest.representative_point()


def _features(result: MatchResult, tolerance: float) -> tuple[pd.DataFrame, str, tuple[int, int]]:
    geoms = [m.geometry for m in result.units]
    display, method = simplify_layer(geoms, tolerance)
    series = gpd.GeoSeries(geoms, crs=WGS84)
    areas = series.to_crs(series.estimate_utm_crs()).area / 1e6
    points = [_label_point(g) for g in geoms]
    frame = pd.DataFrame(
        {
            "locality_id": [m.unit.locality_id for m in result.units],
            "feature_name": [m.feature_name for m in result.units],
            "feature_code": [m.feature_code for m in result.units],
            "matched_by": [m.how for m in result.units],
            "parts": [m.parts for m in result.units],
            "geometry": [geometry_json(g) for g in geoms],
            "display_geometry": [geometry_json(g) for g in display],
            "label_lon": [p.x for p in points],
            "label_lat": [p.y for p in points],
            "area_km2": list(areas.round(3)),
        }
    )
    return frame, method, (vertex_count(geoms), vertex_count(display))


def load_file(
    path: str | Path,
    db: str | Path | None = None,
    *,
    level: str | None = None,
    province: str | None = PILOT_PROVINCE,
    tolerance: float = DEFAULT_TOLERANCE,
    user: str | None = None,
    url: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    file_name: str | None = None,
    vintage: str | None = None,
) -> LoadReport:
    """Load one boundary file as the active layer of its level and unit list; nothing is written on
    error. ``vintage`` ('2020' | '2025'): the unit list the features are matched in; None detects
    it from the file's codes and names."""
    p = Path(path)
    name = file_name or p.name
    if level is not None and level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    if vintage is not None and vintage not in VINTAGES:
        raise ValueError(f"vintage must be one of {VINTAGES}")
    report = LoadReport(name, "rejected", level=level, province=province, vintage=vintage)
    try:
        read = read_boundaries(p)
    except GeoError as exc:
        report.problems = exc.problems
        return report
    report.features_read = len(read.frame)
    result = match_any(read.frame, level, province, vintage, file=name)
    report.level, report.vintage = result.level, result.vintage
    report.problems = read.problems + result.problems
    if not result.units:
        if not has_errors(report.problems):
            # A province layer (one province's outline) is named as such: the map draws units only.
            provinces = _province_names(read.frame)
            within = f" ({province})" if province else ""
            if provinces:
                within = f" (ranh giới cấp tỉnh / a province boundary: {provinces})"
            report.problems.append(
                geo_problem(
                    "geo-nothing-matched",
                    file=name,
                    value=name,
                    level=LEVEL_WORDS[result.level],
                    within=within,
                )
            )
        return report
    data = p.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    target = ensure_database(db_path(db))
    with connect(target, read_only=True) as con:
        current = active_source(con, result.level, result.vintage, province)
    if current and current[1] == sha:
        report.status, report.source_id = "duplicate", current[0]
        report.matched = result.matched_codes
        report.problems = [geo_problem("geo-duplicate-file", file=name, level=LEVEL_WORDS[result.level])]
        return report

    frame, method, vertices = _features(result, tolerance)
    if method == "per-polygon":
        report.problems.append(geo_problem("geo-coverage-gaps", file=name))
    info = SourceInfo(
        file_name=name,
        size_bytes=len(data),
        sha256=sha,
        file_date=datetime.fromtimestamp(p.stat().st_mtime),
        source_crs=read.source_crs,
        url=url,
        licence=licence,
        attribution=attribution,
        loaded_by=user,
    )
    report.source_id = write_layer(
        target,
        info,
        result.level,
        province,
        frame,
        report.problems,
        method,
        tolerance,
        len(read.frame),
        result.vintage,
    )
    report.status = "loaded"
    report.matched = result.matched_codes
    report.simplify_method = method
    report.vertices = vertices
    return report
