"""Boundaries and the values a map colours them by.

The measures are not computed here: they are the dashboard's score table
(query/scores.py, the one place the scoring rule is applied), reshaped for the map.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.units import VINTAGE
from query.base import frame
from query.reform import carried_scores
from query.scope import Scope
from query.scores import ranking

PROVINCE = "31"  # Hải Phòng, the pilot


def boundary_sources(db: str | Path | None = None, active_only: bool = True) -> pd.DataFrame:
    """Loaded boundary layers, newest first, with how many problems each load reported."""
    return frame(
        f"""SELECT s.*, (SELECT count(*) FROM boundary_problem p WHERE p.source_id = s.source_id) AS problems
            FROM boundary_source s {"WHERE s.active" if active_only else ""}
            ORDER BY s.source_id DESC""",
        db=db,
    )


def boundary_layer(
    db: str | Path | None, level: str, province: str = PROVINCE, vintage: str = VINTAGE
) -> pd.DataFrame:
    """The active layer of ``level`` in ``province`` of the unit list ``vintage``: one row per unit
    with its display geometry (the newest active load's, when two active loads hold the unit).

    Columns: locality_id, locality_code, name, name_with_type, unit_type, parent_code, geometry
    (GeoJSON text, simplified), label_lon, label_lat, area_km2, file_name, licence, attribution,
    loaded_at.
    """
    return frame(
        """SELECT l.locality_id, l.code AS locality_code, l.name, l.name_with_type, l.unit_type,
                  l.parent_code, f.display_geometry AS geometry, f.label_lon, f.label_lat, f.area_km2,
                  s.file_name, s.licence, s.attribution, s.loaded_at
           FROM boundary_feature f
           JOIN boundary_source s USING (source_id)
           JOIN locality l ON l.locality_id = f.locality_id
           WHERE s.active AND f.level = ? AND l.province_code = ? AND l.vintage = ?
             AND coalesce(s.vintage, '2020') = l.vintage
           QUALIFY row_number() OVER (PARTITION BY l.locality_id ORDER BY s.source_id DESC) = 1
           ORDER BY l.code""",
        [level, province, vintage],
        db=db,
    )


def district_units(db: str | Path | None, province: str = PROVINCE) -> pd.DataFrame:
    """The district-level units of a province from the registry (the map's 15 units for Hải Phòng)."""
    return frame(
        """SELECT code AS locality_code, name, name_with_type, unit_type
           FROM locality WHERE vintage = ? AND level = 'district' AND parent_code = ? ORDER BY code""",
        [VINTAGE, province],
        db=db,
    )


def pilot_units(db: str | Path | None, province: str = PROVINCE) -> pd.DataFrame:
    """Every unit of the province with a current assessment in any year (the pilot units)."""
    return frame(
        """SELECT DISTINCT r.locality_code, l.name, l.name_with_type, l.unit_type, l.level, l.parent_code
           FROM current_assessments r JOIN locality l ON l.locality_id = r.locality_id
           WHERE l.province_code = ? AND l.vintage = ? ORDER BY r.locality_code""",
        [province, VINTAGE],
        db=db,
    )


MEASURES: tuple[str, ...] = ("overall", "p1", "p2", "p3", "p4", "red", "change")


def map_measures(
    db: str | Path | None, year: int, stage: str, province: str = "2020:" + PROVINCE
) -> pd.DataFrame:
    """One row per unit of a province assessed in ``year``/``stage``, with every map measure as a column.

    Columns: locality_id, locality_code, locality_name, locality_type, parent_code, illustrative,
    overall, p1..p4, red (count of red indicators), change (overall minus the previous loaded
    year's, NaN when there is none), previous_year. The scores are the ranking's (query/scores.py).
    """
    table = ranking(db, year, stage, Scope(province=province), None, 0, None)
    cols = [
        "locality_id",
        "locality_code",
        "locality_name",
        "locality_type",
        "parent_code",
        "illustrative",
        *MEASURES,
    ]
    if table.empty:
        return pd.DataFrame(columns=[*cols, "previous_year"])
    out = table.rename(columns={"n_red": "red"})
    out["parent_code"] = out["parent_id"].map(lambda v: v.split(":", 1)[1] if isinstance(v, str) else None)
    out = out[[*cols, "previous_year"]].copy()
    out["red"] = out["red"].astype("float64")
    return out.reset_index(drop=True)


def map_2025(db: str | Path | None, year: int, stage: str, province: str = PROVINCE) -> pd.DataFrame:
    """The 2025 map's figures: the province's 2025 units with the results of ``year``/``stage``
    carried onto them by the rule of core/reform.py (query.reform.carried_scores)."""
    return carried_scores(db, "2025:" + province, year, stage)


def boundary_layer_2025(db: str | Path | None, province: str = PROVINCE) -> pd.DataFrame:
    """The active 2025 layer of the province's units (level 'commune': phường, xã, đặc khu)."""
    return boundary_layer(db, "commune", province, "2025")
