"""Write one boundary layer to DuckDB in one transaction: source, features, problems.

The newest load of a (level, vintage, province) becomes its active layer; older loads stay for
history. A 2025 commune layer therefore leaves the 2020 district and commune layers active.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from core.db import transaction
from core.problems import Problem


@dataclass(frozen=True)
class SourceInfo:
    """Where a layer came from, as stored beside it."""

    file_name: str
    size_bytes: int
    sha256: str
    file_date: datetime | None
    source_crs: str | None
    url: str | None = None
    licence: str | None = None
    attribution: str | None = None
    loaded_by: str | None = None


_SAME_LAYER = "level = ? AND coalesce(vintage, '2020') = ? AND province_code IS NOT DISTINCT FROM ?"


def active_source(
    con: duckdb.DuckDBPyConnection, level: str, vintage: str = "2020", province: str | None = None
) -> tuple[int, str] | None:
    """(source_id, sha256) of the active layer of ``level`` in ``vintage`` and ``province``."""
    row = con.execute(
        f"SELECT source_id, sha256 FROM boundary_source WHERE {_SAME_LAYER} AND active "
        "ORDER BY source_id DESC LIMIT 1",
        [level, vintage, province],
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def write_layer(
    db: str | Path,
    info: SourceInfo,
    level: str,
    province: str | None,
    features: pd.DataFrame,
    problems: list[Problem],
    simplify_method: str,
    tolerance: float,
    features_read: int,
    vintage: str = "2020",
) -> int:
    """Store the layer and make it the active one for (``level``, ``vintage``, ``province``);
    returns its source_id."""
    with transaction(db) as con:
        con.execute(
            f"UPDATE boundary_source SET active = false WHERE {_SAME_LAYER} AND active",
            [level, vintage, province],
        )
        source_id = con.execute(
            """INSERT INTO boundary_source (level, vintage, province_code, file_name, size_bytes, sha256,
                   file_date, loaded_by, source_crs, features_read, units_matched, simplify_method,
                   simplify_tolerance, url, licence, attribution)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING source_id""",
            [
                level,
                vintage,
                province,
                info.file_name,
                info.size_bytes,
                info.sha256,
                info.file_date,
                info.loaded_by,
                info.source_crs,
                features_read,
                len(features),
                simplify_method,
                tolerance,
                info.url,
                info.licence,
                info.attribution,
            ],
        ).fetchone()[0]
        rows = features.assign(source_id=source_id, level=level)
        con.register("_features", rows)
        con.execute(
            """INSERT INTO boundary_feature (source_id, locality_id, level, feature_name, feature_code,
                   matched_by, parts, geometry, display_geometry, label_lon, label_lat, area_km2)
               SELECT source_id, locality_id, level, feature_name, feature_code, matched_by, parts,
                      geometry, display_geometry, label_lon, label_lat, area_km2 FROM _features"""
        )
        con.unregister("_features")
        for seq, p in enumerate(problems, start=1):
            index = int(p.cell[1:]) if p.cell and p.cell.startswith("#") else None
            con.execute(
                "INSERT INTO boundary_problem VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [source_id, seq, p.code, p.severity, index, p.value, p.message_vi, p.message_en],
            )
    return int(source_id)


def geometry_json(geom: object) -> str:
    """Compact GeoJSON text of a shapely geometry."""
    import shapely

    return json.dumps(json.loads(shapely.to_geojson(geom)), separators=(",", ":"))
