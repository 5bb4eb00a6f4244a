"""Results of 2020-2023 units carried onto the 2025 units by the rule in core/reform.py."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.reform import RULE, CarryRule
from query.base import frame

_PILLAR_COLS = ", ".join(f"avg(s.p{p}) AS p{p}" for p in (1, 2, 3, 4))


def carried_scores(
    db: str | Path | None, province_2025: str, year: int, stage: str, rule: CarryRule = RULE
) -> pd.DataFrame:
    """One row per 2025 unit of ``province_2025`` ('2025:31'): locality_id, locality_code, name,
    name_with_type, unit_type, status (assessed | derived | partial | none), overall, p1..p4,
    predecessors, assessed (predecessors with a result), coverage (assessed / predecessors),
    all_whole, illustrative, predecessor_names (assessed ones first)."""
    sql = f"""
        WITH new AS (SELECT * FROM locality WHERE vintage = '2025' AND level = 'commune'
                     AND '2025:' || province_code = ?),
             pred AS (
                SELECT x.to_id, x.from_id, x.relation, o.name_with_type AS from_name
                FROM locality_crosswalk x JOIN new ON new.locality_id = x.to_id
                JOIN locality o ON o.locality_id = x.from_id
                WHERE x.from_level = 'commune'
                   OR (x.from_level = 'district' AND (? OR NOT EXISTS (
                        SELECT 1 FROM locality k WHERE k.vintage = '2020' AND k.parent_code = o.code)))),
             s AS (SELECT locality_id, p1, p2, p3, p4, overall, illustrative FROM current_scores
                   WHERE year = ? AND stage = ?),
             agg AS (
                SELECT p.to_id, count(DISTINCT p.from_id) AS predecessors,
                       count(DISTINCT p.from_id) FILTER (WHERE s.locality_id IS NOT NULL) AS assessed,
                       bool_and(p.relation = 'whole') AS all_whole,
                       avg(s.overall) AS overall, {_PILLAR_COLS},
                       bool_or(s.illustrative) AS illustrative,
                       list(DISTINCT p.from_name ORDER BY p.from_name) FILTER (WHERE s.locality_id IS NOT NULL)
                           AS assessed_names,
                       list(DISTINCT p.from_name ORDER BY p.from_name) FILTER (WHERE s.locality_id IS NULL)
                           AS other_names
                FROM pred p LEFT JOIN s ON s.locality_id = p.from_id
                GROUP BY p.to_id),
             own AS (
                SELECT locality_id AS to_id, avg(overall) AS overall, {_PILLAR_COLS.replace("s.", "")},
                       bool_or(illustrative) AS illustrative
                FROM s WHERE locality_id IN (SELECT locality_id FROM new) GROUP BY locality_id)
        SELECT n.locality_id, n.code AS locality_code, n.name, n.name_with_type, n.unit_type,
               CASE WHEN own.to_id IS NOT NULL THEN 'assessed'
                    WHEN coalesce(a.assessed, 0) = 0 THEN 'none'
                    WHEN a.assessed = a.predecessors AND a.all_whole THEN 'derived'
                    ELSE 'partial' END AS status,
               coalesce(own.overall, a.overall) AS overall,
               coalesce(own.p1, a.p1) AS p1, coalesce(own.p2, a.p2) AS p2,
               coalesce(own.p3, a.p3) AS p3, coalesce(own.p4, a.p4) AS p4,
               coalesce(a.predecessors, 0) AS predecessors, coalesce(a.assessed, 0) AS assessed,
               coalesce(a.assessed, 0) / nullif(a.predecessors, 0) AS coverage,
               coalesce(a.all_whole, false) AS all_whole,
               coalesce(own.illustrative, a.illustrative, false) AS illustrative,
               a.assessed_names, a.other_names
        FROM new n LEFT JOIN agg a ON a.to_id = n.locality_id LEFT JOIN own ON own.to_id = n.locality_id
        ORDER BY n.code"""
    df = frame(sql, [province_2025, rule.carry_districts, year, stage], db=db)
    hide = (df["status"] == "partial") & (df["coverage"].fillna(0) < rule.min_coverage)
    for c in ("overall", "p1", "p2", "p3", "p4"):
        df.loc[hide, c] = float("nan")
    for c in ("assessed_names", "other_names"):
        df[c] = [list(v) if isinstance(v, (list, tuple)) or hasattr(v, "tolist") else [] for v in df[c]]
    return df


def provinces_2025_of(db: str | Path | None, year: int, stage: str) -> pd.DataFrame:
    """The 2025 provinces that hold units assessed in ``year``/``stage`` (2020-2023 units through the
    crosswalk, or 2025 units themselves): province_id, name, name_with_type."""
    return frame(
        """WITH touched AS (
               SELECT DISTINCT '2025:' || n.province_code AS province_id
               FROM current_assessments c
               JOIN locality_crosswalk x ON x.from_id = c.locality_id
               JOIN locality n ON n.locality_id = x.to_id
               WHERE c.year = ? AND c.stage = ?
               UNION
               SELECT DISTINCT province_id FROM current_assessments WHERE vintage = '2025' AND year = ? AND stage = ?)
           SELECT t.province_id, p.name, p.name_with_type FROM touched t
           JOIN locality p ON p.locality_id = t.province_id ORDER BY p.name""",
        [year, stage, year, stage],
        db=db,
    )
