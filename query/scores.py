"""Scores per unit and pillar, and every aggregate of them the views draw, computed in DuckDB.

The scores themselves are computed once per assessment by the rule in core/scoring.py
(core/readmodel.py keeps them in ``unit_score``); this module only selects, ranks and averages
them, with the year, stage and scope passed into the SQL, so a view of one province never reads
the whole country. Every function returns how many units stand behind each figure.

Two definitions used everywhere here:
- an average over units gives every unit the same weight (the mean of the units' scores);
- a change compares like with like: only units assessed in both years count, and the answer says
  how many did.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from core.scoring import LEVELS
from query.base import frame
from query.scope import Scope, search_sql, search_term

OVERALL = 0  # the pillar number of a unit's overall score
PILLARS = (1, 2, 3, 4)
SCORE_COLUMNS = ("p1", "p2", "p3", "p4", "overall")

_WIDE_COLS = ", ".join(
    [
        *(f"max(score) FILTER (WHERE pillar = {p}) AS p{p}" for p in PILLARS),
        f"max(score) FILTER (WHERE pillar = {OVERALL}) AS overall",
        *(f"max(n_{lv}) FILTER (WHERE pillar = {OVERALL}) AS n_{lv}" for lv in LEVELS),
        f"max(indicators) FILTER (WHERE pillar = {OVERALL}) AS indicators",
    ]
)


def _wide(where: str) -> str:
    """One row per unit: identity, p1..p4, overall, level counts (``where`` selects year, stage, scope)."""
    return f"""
        SELECT locality_id, any_value(locality_code) AS locality_code, any_value(locality_name) AS locality_name,
               any_value(name_with_type) AS name_with_type, any_value(locality_type) AS locality_type,
               any_value(locality_level) AS locality_level, any_value(parent_id) AS parent_id,
               any_value(province_id) AS province_id, any_value(vintage) AS vintage,
               bool_or(illustrative) AS illustrative, {_WIDE_COLS}
        FROM current_unit_scores WHERE {where} GROUP BY locality_id"""


def previous_year(db: str | Path | None, year: int, stage: str, scope: Scope) -> int | None:
    """The latest year before ``year`` with results of this stage in the scope (the baseline of every
    change), or None."""
    where, params = scope.where()
    df = frame(
        f"SELECT max(year) AS y FROM current_unit_scores WHERE year < ? AND stage = ? AND pillar = 0 AND {where}",
        [year, stage, *params],
        db=db,
    )
    y = df["y"].iloc[0]
    return None if pd.isna(y) else int(y)


def _int(value: object) -> int:
    return 0 if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)  # type: ignore[arg-type]


def headline(db: str | Path | None, year: int, stage: str, scope: Scope) -> dict[str, object]:
    """The headline figures of a year, and their change against the previous year over the SAME units.

    Keys: year, units, results, share_<level>, p1..p4, overall (means over units), illustrative,
    previous_year, and ``compare`` (None when there is no earlier year): units (assessed in both
    years), new (assessed now only), dropped (assessed then only), and ``now``/``before`` holding
    the same figures for the units of both years.
    """
    where, params = scope.where()
    prev = previous_year(db, year, stage, scope)
    shares = ", ".join(f"sum(n_{lv}) / sum(indicators) AS share_{lv}" for lv in LEVELS)
    means = ", ".join(f"avg({c}) AS {c}" for c in SCORE_COLUMNS)
    sql = f"""
        WITH cur AS ({_wide(f"year = ? AND stage = ? AND {where}")}),
             prev AS ({_wide(f"year = ? AND stage = ? AND {where}")}),
             both_now AS (SELECT * FROM cur WHERE locality_id IN (SELECT locality_id FROM prev)),
             both_then AS (SELECT * FROM prev WHERE locality_id IN (SELECT locality_id FROM cur))
        SELECT 'all' AS part, count(*) AS units, sum(indicators) AS results, {shares}, {means},
               bool_or(illustrative) AS illustrative FROM cur
        UNION ALL SELECT 'now', count(*), sum(indicators), {shares}, {means}, bool_or(illustrative) FROM both_now
        UNION ALL SELECT 'before', count(*), sum(indicators), {shares}, {means}, bool_or(illustrative) FROM both_then
        UNION ALL SELECT 'prev', count(*), sum(indicators), {shares}, {means}, bool_or(illustrative) FROM prev"""
    df = frame(sql, [year, stage, *params, prev or -1, stage, *params], db=db).set_index("part")

    def figures(part: str) -> dict[str, object]:
        r = df.loc[part]
        out: dict[str, object] = {"units": _int(r["units"]), "results": _int(r["results"])}
        for lv in LEVELS:
            out[f"share_{lv}"] = float(r[f"share_{lv}"]) if pd.notna(r[f"share_{lv}"]) else float("nan")
        for c in SCORE_COLUMNS:
            out[c] = float(r[c]) if pd.notna(r[c]) else float("nan")
        return out

    head: dict[str, object] = {
        "year": year,
        **figures("all"),
        "illustrative": bool(df.loc["all", "illustrative"]),
    }
    head["previous_year"] = prev
    head["compare"] = None
    if prev is not None:
        both = _int(df.loc["now", "units"])
        head["compare"] = {
            "units": both,
            "new": head["units"] - both,  # type: ignore[operator]
            "dropped": _int(df.loc["prev", "units"]) - both,
            "now": figures("now"),
            "before": figures("before"),
        }
        head["illustrative"] = bool(head["illustrative"]) or bool(df.loc["before", "illustrative"])
    return head


def ranking(
    db: str | Path | None,
    year: int,
    stage: str,
    scope: Scope,
    search: str | None = None,
    offset: int = 0,
    limit: int | None = 50,
    worst_first: bool = False,
) -> pd.DataFrame:
    """Units of the scope ranked by overall score (1 = best; ties share a rank), one page of them.

    Columns: rank, locality_id, locality_code, locality_name, name_with_type, locality_type,
    parent_name, province_name, p1..p4, overall, n_<level>, change (overall minus the previous
    year's, NaN when the unit was not assessed then), p<n>_change, previous_year, illustrative,
    total (units matching the search, for paging). The rank is within the scope, whatever the search.
    """
    where, params = scope.where()
    prev = previous_year(db, year, stage, scope)
    pattern = search_term(search)
    order = "rank DESC, locality_name DESC" if worst_first else "rank, locality_name"
    changes = ", ".join(
        f"c.{col} - p.{col} AS {'change' if col == 'overall' else col + '_change'}" for col in SCORE_COLUMNS
    )
    sql = f"""
        WITH cur AS ({_wide(f"year = ? AND stage = ? AND {where}")}),
             prev AS ({_wide(f"year = ? AND stage = ? AND {where}")}),
             ranked AS (
                SELECT c.*, rank() OVER (ORDER BY c.overall DESC) AS rank, {changes}
                FROM cur c LEFT JOIN prev p USING (locality_id))
        SELECT r.*, pa.name_with_type AS parent_name, pr.name AS province_name, count(*) OVER () AS total
        FROM ranked r
        LEFT JOIN locality pa ON pa.locality_id = r.parent_id AND pa.level = 'district'
        LEFT JOIN locality pr ON pr.locality_id = r.province_id
        WHERE CAST(? AS VARCHAR) IS NULL OR {search_sql("r.name_with_type")} LIKE ? OR r.locality_code = ?
        ORDER BY {order}
        LIMIT ? OFFSET ?"""
    df = frame(
        sql,
        [year, stage, *params, prev or -1, stage, *params, pattern, pattern, search, limit, offset],
        db=db,
    )
    df["previous_year"] = prev
    for c in ("rank", "total", *(f"n_{lv}" for lv in LEVELS), "indicators"):
        df[c] = df[c].astype("int64")
    df["illustrative"] = df["illustrative"].astype(bool)
    return df


def score_bins(db: str | Path | None, year: int, stage: str, scope: Scope, width: int = 10) -> pd.DataFrame:
    """How many units fall in each band of the overall score: low (0, 10, ... 90), units, by type."""
    where, params = scope.where()
    return frame(
        f"""SELECT least(floor(score / ?) * ?, 100 - ?)::INTEGER AS low, locality_type, count(*) AS units
            FROM current_unit_scores WHERE year = ? AND stage = ? AND pillar = 0 AND {where}
            GROUP BY ALL ORDER BY low, locality_type""",
        [width, width, width, year, stage, *params],
        db=db,
    )


def group_scores(db: str | Path | None, year: int, stage: str, scope: Scope, by: str) -> pd.DataFrame:
    """Units of the scope grouped ``by`` 'province', 'district' (2020-2023 units) or 'type': one row per
    group with its units, registry_units (all units of that group in the registry, for coverage), mean
    p1..p4 and overall, level shares, change (mean over units assessed in both years) and
    units_compared, ranked best first."""
    where, params = scope.where()
    prev = previous_year(db, year, stage, scope)
    key = {
        "province": "c.province_id",
        "district": "CASE WHEN c.locality_level = 'district' THEN c.locality_id ELSE c.parent_id END",
        "type": "c.locality_type",
    }[by]
    registry = {
        "province": """(SELECT count(*) FROM locality u WHERE u.vintage || ':' || u.province_code = g.group_id
                          AND u.level <> 'province')""",
        "district": """(SELECT count(*) + 1 FROM locality u WHERE u.vintage || ':' || u.parent_code = g.group_id)""",
        "type": "NULL",
    }[by]
    name = "g.group_id" if by == "type" else "l.name_with_type"
    means = ", ".join(f"avg(c.{col}) AS {col}" for col in SCORE_COLUMNS)
    shares = ", ".join(f"sum(c.n_{lv}) / sum(c.indicators) AS share_{lv}" for lv in LEVELS)
    sql = f"""
        WITH cur AS ({_wide(f"year = ? AND stage = ? AND {where}")}),
             prev AS ({_wide(f"year = ? AND stage = ? AND {where}")}),
             g AS (
                SELECT {key} AS group_id, count(*) AS units, {means}, {shares},
                       avg(c.overall - p.overall) AS change, count(p.locality_id) AS units_compared,
                       bool_or(c.illustrative) AS illustrative
                FROM cur c LEFT JOIN prev p USING (locality_id)
                GROUP BY 1)
        SELECT g.*, {name} AS name, {registry} AS registry_units,
               rank() OVER (ORDER BY g.overall DESC) AS rank
        FROM g LEFT JOIN locality l ON l.locality_id = g.group_id
        WHERE g.group_id IS NOT NULL
        ORDER BY rank, name"""
    df = frame(sql, [year, stage, *params, prev or -1, stage, *params], db=db)
    df["previous_year"] = prev
    return df


def reference(db: str | Path | None, year: int, stage: str, scope: Scope) -> pd.DataFrame:
    """Averages to compare a unit with: the scope ('scope'), the whole country when the scope is a
    province ('national', units of the same vintage) and each unit type within the scope.

    Columns: group ('scope', 'national' or a unit type), pillar (0 = overall), score, units, illustrative.
    """
    where, params = scope.where()
    national = ""
    nat_params: list[object] = []
    if scope.province:
        national = """UNION ALL
            SELECT 'national', pillar, avg(score), count(*), bool_or(illustrative) FROM current_unit_scores
            WHERE year = ? AND stage = ? AND vintage = split_part(?, ':', 1) GROUP BY pillar"""
        nat_params = [year, stage, scope.province]
    sql = f"""
        SELECT 'scope' AS "group", pillar, avg(score) AS score, count(*) AS units, bool_or(illustrative) AS illustrative
        FROM current_unit_scores WHERE year = ? AND stage = ? AND {where} GROUP BY pillar
        UNION ALL
        SELECT locality_type, pillar, avg(score), count(*), bool_or(illustrative) FROM current_unit_scores
        WHERE year = ? AND stage = ? AND {where} GROUP BY locality_type, pillar
        {national}
        ORDER BY 1, 2"""
    df = frame(sql, [year, stage, *params, year, stage, *params, *nat_params], db=db)
    df["illustrative"] = df["illustrative"].astype(bool)
    return df


def unit_series(db: str | Path | None, ids: list[str], stage: str) -> pd.DataFrame:
    """Scores of given units in every loaded year: locality_id, year, pillar, score, n_<level>, illustrative."""
    if not ids:
        return pd.DataFrame(columns=["locality_id", "year", "pillar", "score", "illustrative"])
    cols = ", ".join(f"n_{lv}" for lv in LEVELS)
    df = frame(
        f"""SELECT locality_id, year, pillar, score, indicators, {cols}, illustrative FROM current_unit_scores
            WHERE locality_id IN (SELECT unnest(?::VARCHAR[])) AND stage = ? ORDER BY locality_id, year, pillar""",
        [ids, stage],
        db=db,
    )
    df["year"] = df["year"].astype("int64")
    return df


def units_wide(db: str | Path | None, ids: list[str], year: int, stage: str) -> pd.DataFrame:
    """One row per given unit assessed in ``year``/``stage``: identity, p1..p4, overall, level counts."""
    if not ids:
        return pd.DataFrame(columns=["locality_id", "locality_name", *SCORE_COLUMNS])
    return frame(
        _wide("year = ? AND stage = ? AND locality_id IN (SELECT unnest(?::VARCHAR[]))"),
        [year, stage, ids],
        db=db,
    )


def top_of_types(db: str | Path | None, year: int, stage: str, scope: Scope) -> list[str]:
    """The best-scoring unit of each unit type in the scope (the compare view's default choice)."""
    where, params = scope.where()
    df = frame(
        f"""SELECT arg_max(locality_id, score) AS locality_id FROM current_unit_scores
            WHERE year = ? AND stage = ? AND pillar = 0 AND {where}
            GROUP BY locality_type ORDER BY locality_type""",
        [year, stage, *params],
        db=db,
    )
    return list(df["locality_id"])


def peer_standing(db: str | Path | None, locality_id: str, year: int, stage: str) -> pd.DataFrame:
    """Where one unit stands, per pillar (0 = overall): its score and change, and its rank among the
    units of its province, of its type in its province, and of its vintage in the whole country,
    with those groups' averages. Empty when the unit was not assessed in ``year``/``stage``.

    Columns: pillar, score, change, province_average, type_average, national_average, rank_province,
    units_province, rank_type, units_type, rank_national, units_national.
    """
    sql = """
        WITH me AS (SELECT province_id, locality_type, vintage FROM current_unit_scores
                    WHERE locality_id = ? AND year = ? AND stage = ? AND pillar = 0),
             peers AS (SELECT s.* FROM current_unit_scores s, me
                       WHERE s.year = ? AND s.stage = ? AND s.vintage = me.vintage),
             prev AS (SELECT pillar, score FROM current_unit_scores
                      WHERE locality_id = ? AND stage = ? AND year = (
                          SELECT max(year) FROM current_unit_scores WHERE locality_id = ? AND stage = ? AND year < ?)),
             mine AS (SELECT pillar, score FROM peers WHERE locality_id = ?)
        SELECT m.pillar, m.score, m.score - pv.score AS change,
               avg(p.score) FILTER (WHERE p.province_id = me.province_id) AS province_average,
               avg(p.score) FILTER (WHERE p.province_id = me.province_id AND p.locality_type = me.locality_type)
                   AS type_average,
               avg(p.score) AS national_average,
               1 + count(*) FILTER (WHERE p.province_id = me.province_id AND p.score > m.score) AS rank_province,
               count(*) FILTER (WHERE p.province_id = me.province_id) AS units_province,
               1 + count(*) FILTER (WHERE p.province_id = me.province_id AND p.locality_type = me.locality_type
                                    AND p.score > m.score) AS rank_type,
               count(*) FILTER (WHERE p.province_id = me.province_id AND p.locality_type = me.locality_type)
                   AS units_type,
               1 + count(*) FILTER (WHERE p.score > m.score) AS rank_national,
               count(*) AS units_national
        FROM mine m CROSS JOIN me JOIN peers p ON p.pillar = m.pillar LEFT JOIN prev pv ON pv.pillar = m.pillar
        GROUP BY m.pillar, m.score, pv.score
        ORDER BY CASE WHEN m.pillar = 0 THEN 9 ELSE m.pillar END"""
    return frame(
        sql,
        [locality_id, year, stage, year, stage, locality_id, stage, locality_id, stage, year, locality_id],
        db=db,
    )


def movers(
    db: str | Path | None, stage: str, from_year: int, to_year: int, scope: Scope, n: int = 10
) -> pd.DataFrame:
    """The ``n`` units whose overall score rose most and the ``n`` that fell most between two years
    (units assessed in both), with their pillar scores in both years.

    Columns: locality_id, locality_name, name_with_type, locality_type, parent_name, side ('up'|'down'),
    overall_from, overall_to, change, p<n>_from, p<n>_to, illustrative.
    """
    where, params = scope.where()
    cols_from = ", ".join(f"a.{c} AS {c}_from" for c in SCORE_COLUMNS)
    cols_to = ", ".join(f"b.{c} AS {c}_to" for c in SCORE_COLUMNS)
    sql = f"""
        WITH a AS ({_wide(f"year = ? AND stage = ? AND {where}")}),
             b AS ({_wide(f"year = ? AND stage = ? AND {where}")}),
             j AS (SELECT b.locality_id, b.locality_name, b.name_with_type, b.locality_type, b.parent_id,
                          {cols_from}, {cols_to}, b.overall - a.overall AS change,
                          a.illustrative OR b.illustrative AS illustrative
                   FROM a JOIN b USING (locality_id)),
             up AS (SELECT *, 'up' AS side FROM j WHERE change > 0 ORDER BY change DESC, locality_name LIMIT ?),
             down AS (SELECT *, 'down' AS side FROM j WHERE change < 0 ORDER BY change, locality_name LIMIT ?)
        SELECT x.*, pa.name_with_type AS parent_name
        FROM (SELECT * FROM up UNION ALL SELECT * FROM down) x
        LEFT JOIN locality pa ON pa.locality_id = x.parent_id AND pa.level = 'district'
        ORDER BY side DESC, abs(change) DESC, locality_name"""
    return frame(sql, [from_year, stage, *params, to_year, stage, *params, n, n], db=db).drop(
        columns=["parent_id"]
    )


def change_bins(
    db: str | Path | None, stage: str, from_year: int, to_year: int, scope: Scope, width: int = 5
) -> pd.DataFrame:
    """How many units' overall score moved by how much (units assessed in both years): low, units."""
    where, params = scope.where()
    return frame(
        f"""WITH a AS ({_wide(f"year = ? AND stage = ? AND {where}")}),
                 b AS ({_wide(f"year = ? AND stage = ? AND {where}")})
            SELECT (floor((b.overall - a.overall) / ?) * ?)::INTEGER AS low, count(*) AS units
            FROM a JOIN b USING (locality_id) GROUP BY 1 ORDER BY 1""",
        [from_year, stage, *params, to_year, stage, *params, width, width],
        db=db,
    )


def pillar_trend(db: str | Path | None, stage: str, scope: Scope) -> pd.DataFrame:
    """Mean score per year and pillar (0 = overall) over the scope's units: year, pillar, score, units."""
    where, params = scope.where()
    df = frame(
        f"""SELECT year, pillar, avg(score) AS score, count(*) AS units, bool_or(illustrative) AS illustrative
            FROM current_unit_scores WHERE stage = ? AND {where} GROUP BY year, pillar ORDER BY year, pillar""",
        [stage, *params],
        db=db,
    )
    df["year"] = df["year"].astype("int64")
    return df
