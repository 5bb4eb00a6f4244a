"""Units and provinces as the views need them: names, pickers, lookups, and the 2025 crosswalk.

Every function names units by ``locality_id``; a plain GSO code is accepted only through
``resolve_unit``, which says when it is ambiguous.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from query.base import frame
from query.scope import Scope, search_sql, search_term


def resolve_unit(db: str | Path | None, text: str | None) -> list[str]:
    """The locality_ids a URL's unit may mean: itself ('2020:303'), or every unit with that code
    ('303'), assessed ones first. Empty when nothing matches."""
    value = (text or "").strip()
    if not value:
        return []
    if ":" in value:
        df = frame("SELECT locality_id FROM locality WHERE locality_id = ?", [value], db=db)
        return list(df["locality_id"])
    df = frame(
        """SELECT l.locality_id, EXISTS (SELECT 1 FROM current_assessments c WHERE c.locality_id = l.locality_id)
                  AS assessed
           FROM locality l WHERE l.code = ? ORDER BY assessed DESC, l.vintage""",
        [value.zfill(2) if len(value) == 1 else value],
        db=db,
    )
    assessed = df[df["assessed"]]
    return list(assessed["locality_id"]) if len(assessed) else list(df["locality_id"])


def unit_info(db: str | Path | None, locality_id: str) -> dict[str, object] | None:
    """One unit: names, type, level, vintage, parent (its district) and province names, the years,
    stages and (year, stage) periods assessed, whether any is illustrative; None when unknown."""
    df = frame(
        """SELECT l.locality_id, l.code, l.name, l.name_with_type, l.unit_type, l.level, l.vintage,
                  l.vintage || ':' || l.province_code AS province_id, pr.name_with_type AS province_name,
                  CASE WHEN l.parent_code IS NULL OR l.level = 'province' THEN NULL
                       ELSE l.vintage || ':' || l.parent_code END AS parent_id,
                  pa.name_with_type AS parent_name, pa.level AS parent_level,
                  (SELECT list(DISTINCT year ORDER BY year) FROM current_assessments c
                    WHERE c.locality_id = l.locality_id) AS years,
                  (SELECT list(DISTINCT stage ORDER BY stage) FROM current_assessments c
                    WHERE c.locality_id = l.locality_id) AS stages,
                  (SELECT list(DISTINCT struct_pack(year := c.year, stage := c.stage)) FROM current_assessments c
                    WHERE c.locality_id = l.locality_id) AS periods,
                  (SELECT bool_or(illustrative) FROM current_assessments c
                    WHERE c.locality_id = l.locality_id) AS illustrative
           FROM locality l
           LEFT JOIN locality pr ON pr.locality_id = l.vintage || ':' || l.province_code
           LEFT JOIN locality pa ON pa.locality_id = l.vintage || ':' || l.parent_code
           WHERE l.locality_id = ?""",
        [locality_id],
        db=db,
    )
    if df.empty:
        return None
    row = df.iloc[0].to_dict()
    row["years"] = [int(y) for y in (row["years"] if row["years"] is not None else [])]
    row["stages"] = list(row["stages"] if row["stages"] is not None else [])
    row["periods"] = sorted(
        (int(p["year"]), str(p["stage"])) for p in (row["periods"] if row["periods"] is not None else [])
    )
    row["illustrative"] = bool(row["illustrative"]) if pd.notna(row["illustrative"]) else False
    if row["parent_level"] == "province":  # a district or a 2025 commune: its parent is the province
        row["parent_id"] = row["parent_name"] = None
    return row


def provinces(db: str | Path | None, year: int | None = None, stage: str | None = None) -> pd.DataFrame:
    """Provinces with current assessments (in ``year``/``stage`` when given): province_id, name,
    name_with_type, vintage, units (assessed), registry_units (all its communes and districts)."""
    return frame(
        """WITH assessed AS (
               SELECT province_id, count(DISTINCT locality_id) AS units
               FROM current_assessments
               WHERE (CAST(? AS INTEGER) IS NULL OR year = ?) AND (CAST(? AS VARCHAR) IS NULL OR stage = ?)
               GROUP BY province_id)
           SELECT a.province_id, p.name, p.name_with_type, p.vintage, a.units,
                  (SELECT count(*) FROM locality u WHERE u.vintage = p.vintage AND u.province_code = p.code
                     AND u.level <> 'province') AS registry_units
           FROM assessed a JOIN locality p ON p.locality_id = a.province_id
           ORDER BY p.vintage, p.name""",
        [year, year, stage, stage],
        db=db,
    )


def districts(
    db: str | Path | None, province: str, year: int | None = None, stage: str | None = None
) -> pd.DataFrame:
    """The districts of a 2020-2023 province that hold assessed units (the district or its communes)."""
    return frame(
        """SELECT d.locality_id AS district_id, d.name, d.name_with_type, d.unit_type,
                  count(DISTINCT c.locality_id) AS units
           FROM current_assessments c
           JOIN locality d ON d.locality_id = coalesce(
                CASE WHEN c.locality_level = 'district' THEN c.locality_id END, c.parent_id)
           WHERE c.province_id = ? AND d.level = 'district'
             AND (CAST(? AS INTEGER) IS NULL OR c.year = ?) AND (CAST(? AS VARCHAR) IS NULL OR c.stage = ?)
           GROUP BY ALL ORDER BY d.name""",
        [province, year, year, stage, stage],
        db=db,
    )


def unit_options(
    db: str | Path | None,
    scope: Scope,
    year: int | None = None,
    stage: str | None = None,
    search: str | None = None,
    limit: int = 200,
) -> pd.DataFrame:
    """Assessed units for a picker: locality_id, code, name, name_with_type, locality_type, parent_name,
    province_name, vintage; at most ``limit`` (search narrows them), alphabetical."""
    where, params = scope.where("c")
    pattern = search_term(search)
    return frame(
        f"""SELECT DISTINCT c.locality_id, c.locality_code AS code, c.locality_name AS name, c.name_with_type,
                   c.locality_type, pa.name_with_type AS parent_name, pr.name AS province_name, c.vintage
            FROM current_assessments c
            LEFT JOIN locality pa ON pa.locality_id = c.parent_id AND pa.level = 'district'
            LEFT JOIN locality pr ON pr.locality_id = c.province_id
            WHERE {where}
              AND (CAST(? AS INTEGER) IS NULL OR c.year = ?) AND (CAST(? AS VARCHAR) IS NULL OR c.stage = ?)
              AND (CAST(? AS VARCHAR) IS NULL OR {search_sql("c.name_with_type")} LIKE ?
                   OR c.locality_code = ? OR c.locality_id = ?)
            ORDER BY c.locality_name, c.locality_id
            LIMIT ?""",
        [*params, year, year, stage, stage, pattern, pattern, search, search, limit],
        db=db,
    )


def unit_labels(db: str | Path | None, ids: list[str]) -> pd.DataFrame:
    """Names of given units (for chips and titles): locality_id, name, name_with_type, locality_type,
    parent_name, province_name."""
    if not ids:
        return pd.DataFrame(
            columns=["locality_id", "name", "name_with_type", "locality_type", "parent_name", "province_name"]
        )
    return frame(
        """SELECT l.locality_id, l.name, l.name_with_type, l.unit_type AS locality_type,
                  pa.name_with_type AS parent_name, pr.name AS province_name
           FROM locality l
           LEFT JOIN locality pa ON pa.locality_id = l.vintage || ':' || l.parent_code AND pa.level = 'district'
           LEFT JOIN locality pr ON pr.locality_id = l.vintage || ':' || l.province_code
           WHERE l.locality_id IN (SELECT unnest(?::VARCHAR[]))""",
        [ids],
        db=db,
    )


def successors(db: str | Path | None, ids: list[str]) -> pd.DataFrame:
    """The 2025 units that 2020-2023 units went into: from_id, to_id, name_with_type, unit_type,
    relation (whole/part, seen from the old unit), method, via_code, effective, and whether the new
    unit has its own current assessment."""
    return frame(
        """SELECT x.from_id, x.to_id, n.name_with_type, n.unit_type, x.relation, x.method, x.via_code, x.effective,
                  EXISTS (SELECT 1 FROM current_assessments c WHERE c.locality_id = x.to_id) AS assessed
           FROM locality_crosswalk x JOIN locality n ON n.locality_id = x.to_id
           WHERE x.from_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY x.from_id, n.name""",
        [list(ids)],
        db=db,
    )


def predecessors(db: str | Path | None, locality_id: str) -> pd.DataFrame:
    """The 2020-2023 units a 2025 unit was formed from (communes and whole districts), with whether
    each was assessed: from_id, name_with_type, unit_type, level, relation, method, years."""
    return frame(
        """SELECT x.from_id, o.name_with_type, o.unit_type, o.level, x.relation, x.method,
                  (SELECT list(DISTINCT year ORDER BY year) FROM current_assessments c
                    WHERE c.locality_id = x.from_id) AS years
           FROM locality_crosswalk x JOIN locality o ON o.locality_id = x.from_id
           WHERE x.to_id = ? AND x.from_level IN ('commune', 'district')
             AND (x.from_level = 'commune' OR NOT EXISTS (
                  SELECT 1 FROM locality k WHERE k.vintage = o.vintage AND k.parent_code = o.code))
           ORDER BY o.level DESC, o.name""",
        [locality_id],
        db=db,
    )


def district_successors(db: str | Path | None, locality_id: str) -> pd.DataFrame:
    """For a district (2020 vintage): the 2025 units its area went into, one row each."""
    return frame(
        """SELECT x.to_id, n.name_with_type, n.unit_type, x.relation
           FROM locality_crosswalk x JOIN locality n ON n.locality_id = x.to_id
           WHERE x.from_id = ? ORDER BY n.name""",
        [locality_id],
        db=db,
    )
