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

_NAMES = """LEFT JOIN locality nm ON nm.locality_id = {alias}.locality_id"""
_NAME_COLS = "nm.code AS locality_code, nm.name AS locality_name, nm.name_with_type"


def _wide(where: str) -> str:
    """One row per unit (its current assessment of a year and stage): attributes, p1..p4, overall,
    level counts (``where`` selects year, stage and scope on ``current_scores``)."""
    return f"SELECT * FROM current_scores WHERE {where}"


def _long(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Wide score columns (p1..p4, overall) -> one row per pillar (0 = overall) in ``score``."""
    out = df.melt(id_vars=keys, value_vars=list(SCORE_COLUMNS), var_name="pillar", value_name="score")
    out["pillar"] = out["pillar"].map(lambda c: OVERALL if c == "overall" else int(c[1:])).astype("int64")
    return out


def previous_year(db: str | Path | None, year: int, stage: str, scope: Scope) -> int | None:
    """The latest year before ``year`` with results of this stage in the scope (the baseline of every
    change), or None."""
    where, params = scope.where()
    df = frame(
        f"SELECT max(year) AS y FROM current_scores WHERE year < ? AND stage = ? AND {where}",
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
    parent_id, parent_name, province_id, province_name, p1..p4, overall, n_<level>, indicators,
    change (overall minus the previous year's, NaN when the unit was not assessed then),
    p<n>_change, previous_year, illustrative, total (units matching the search, for paging). The
    rank is within the scope, whatever the search.
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
                FROM cur c LEFT JOIN prev p USING (locality_id)),
             named AS (
                SELECT r.*, {_NAME_COLS} FROM ranked r {_NAMES.format(alias="r")}
                WHERE CAST(? AS VARCHAR) IS NULL OR {search_sql("nm.name_with_type")} LIKE ? OR nm.code = ?)
        SELECT n.*, pa.name_with_type AS parent_name, pr.name AS province_name, count(*) OVER () AS total
        FROM named n
        LEFT JOIN locality pa ON pa.locality_id = n.parent_id AND pa.level = 'district'
        LEFT JOIN locality pr ON pr.locality_id = n.province_id
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
    return df.drop(columns=["levels"])


def score_bins(db: str | Path | None, year: int, stage: str, scope: Scope, width: int = 10) -> pd.DataFrame:
    """How many units fall in each band of the overall score: low (0, 10, ... 90), units, by type."""
    where, params = scope.where()
    return frame(
        f"""SELECT least(floor(overall / ?) * ?, 100 - ?)::INTEGER AS low, locality_type, count(*) AS units
            FROM current_scores WHERE year = ? AND stage = ? AND {where}
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


def _group_means(select_group: str) -> str:
    means = ", ".join(f"avg({c}) AS {c}" for c in SCORE_COLUMNS)
    return (
        f'SELECT {select_group} AS "group", {means}, count(*) AS units, bool_or(illustrative) AS illustrative'
    )


def reference(db: str | Path | None, year: int, stage: str, scope: Scope) -> pd.DataFrame:
    """Averages to compare a unit with: the scope ('scope'), the whole country when the scope is a
    province ('national', units of the same vintage) and each unit type within the scope.

    Columns: group ('scope', 'national' or a unit type), pillar (0 = overall), score, units, illustrative.
    """
    where, params = scope.where()
    national = ""
    nat_params: list[object] = []
    if scope.province:
        national = f"""UNION ALL {_group_means("'national'")} FROM current_scores
            WHERE year = ? AND stage = ? AND vintage = split_part(?, ':', 1)"""
        nat_params = [year, stage, scope.province]
    sql = f"""
        {_group_means("'scope'")} FROM current_scores WHERE year = ? AND stage = ? AND {where}
        UNION ALL
        {_group_means("locality_type")} FROM current_scores WHERE year = ? AND stage = ? AND {where}
        GROUP BY locality_type
        {national}"""
    wide = frame(sql, [year, stage, *params, year, stage, *params, *nat_params], db=db)
    wide = wide[wide["units"] > 0]
    out = _long(wide, ["group", "units", "illustrative"])
    out["illustrative"] = out["illustrative"].astype(bool)
    return (
        out[["group", "pillar", "score", "units", "illustrative"]]
        .sort_values(["group", "pillar"])
        .reset_index(drop=True)
    )


def unit_series(db: str | Path | None, ids: list[str], stage: str) -> pd.DataFrame:
    """Scores of given units in every loaded year: locality_id, year, pillar (0 = overall), score,
    illustrative."""
    if not ids:
        return pd.DataFrame(columns=["locality_id", "year", "pillar", "score", "illustrative"])
    wide = frame(
        """SELECT locality_id, year, p1, p2, p3, p4, overall, illustrative FROM current_scores
           WHERE locality_id IN (SELECT unnest(?::VARCHAR[])) AND stage = ?""",
        [ids, stage],
        db=db,
    )
    out = _long(wide, ["locality_id", "year", "illustrative"])
    out["year"] = out["year"].astype("int64")
    return out.sort_values(["locality_id", "year", "pillar"]).reset_index(drop=True)


def units_wide(db: str | Path | None, ids: list[str], year: int, stage: str) -> pd.DataFrame:
    """One row per given unit assessed in ``year``/``stage``: identity, names, p1..p4, overall, counts."""
    if not ids:
        return pd.DataFrame(columns=["locality_id", "locality_name", "locality_type", *SCORE_COLUMNS])
    return frame(
        f"""SELECT s.* EXCLUDE (levels), {_NAME_COLS} FROM current_scores s {_NAMES.format(alias="s")}
            WHERE s.year = ? AND s.stage = ? AND s.locality_id IN (SELECT unnest(?::VARCHAR[]))""",
        [year, stage, ids],
        db=db,
    )


def top_of_types(db: str | Path | None, year: int, stage: str, scope: Scope) -> list[str]:
    """The best-scoring unit of each unit type in the scope (the compare view's default choice)."""
    where, params = scope.where()
    df = frame(
        f"""SELECT arg_max(locality_id, overall) AS locality_id FROM current_scores
            WHERE year = ? AND stage = ? AND {where}
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
    units_province, rank_type, units_type, rank_national, units_national, illustrative (any of the
    province's units is sample data).
    """
    per_pillar = []
    for col in ("p1", "p2", "p3", "p4", "overall"):
        p = OVERALL if col == "overall" else int(col[1:])
        per_pillar.append(
            f"""SELECT {p} AS pillar, m.{col} AS score, m.{col} - pv.{col} AS change,
                   avg(s.{col}) FILTER (WHERE s.province_id = m.province_id) AS province_average,
                   avg(s.{col}) FILTER (WHERE s.province_id = m.province_id AND s.locality_type = m.locality_type)
                       AS type_average,
                   avg(s.{col}) AS national_average,
                   1 + count(*) FILTER (WHERE s.province_id = m.province_id AND s.{col} > m.{col}) AS rank_province,
                   count(*) FILTER (WHERE s.province_id = m.province_id) AS units_province,
                   1 + count(*) FILTER (WHERE s.province_id = m.province_id AND s.locality_type = m.locality_type
                                        AND s.{col} > m.{col}) AS rank_type,
                   count(*) FILTER (WHERE s.province_id = m.province_id AND s.locality_type = m.locality_type)
                       AS units_type,
                   1 + count(*) FILTER (WHERE s.{col} > m.{col}) AS rank_national,
                   count(*) AS units_national,
                   bool_or(s.illustrative) FILTER (WHERE s.province_id = m.province_id) AS illustrative
               FROM me m JOIN peers s ON TRUE LEFT JOIN prev pv ON TRUE
               GROUP BY m.{col}, pv.{col}"""
        )
    sql = f"""
        WITH me AS (SELECT * FROM current_scores WHERE locality_id = ? AND year = ? AND stage = ?),
             peers AS (SELECT s.* FROM current_scores s WHERE s.year = ? AND s.stage = ?
                       AND s.vintage = (SELECT vintage FROM me)),
             prev AS (SELECT * FROM current_scores WHERE locality_id = ? AND stage = ? AND year = (
                          SELECT max(year) FROM current_scores WHERE locality_id = ? AND stage = ? AND year < ?))
        {" UNION ALL ".join(per_pillar)}"""
    df = frame(
        sql, [locality_id, year, stage, year, stage, locality_id, stage, locality_id, stage, year], db=db
    )
    return df.sort_values("pillar", key=lambda s: s.replace(OVERALL, 9)).reset_index(drop=True)


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
             j AS (SELECT b.locality_id, b.locality_type, b.parent_id,
                          {cols_from}, {cols_to}, b.overall - a.overall AS change,
                          a.illustrative OR b.illustrative AS illustrative
                   FROM a JOIN b USING (locality_id)),
             up AS (SELECT *, 'up' AS side FROM j WHERE change > 0 ORDER BY change DESC, locality_id LIMIT ?),
             down AS (SELECT *, 'down' AS side FROM j WHERE change < 0 ORDER BY change, locality_id LIMIT ?)
        SELECT x.*, nm.name AS locality_name, nm.name_with_type, pa.name_with_type AS parent_name
        FROM (SELECT * FROM up UNION ALL SELECT * FROM down) x
        {_NAMES.format(alias="x")}
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
    wide = frame(
        f"""{_group_means("year")} FROM current_scores WHERE stage = ? AND {where} GROUP BY year""",
        [stage, *params],
        db=db,
    ).rename(columns={"group": "year"})
    out = _long(wide, ["year", "units", "illustrative"])
    out["year"] = out["year"].astype("int64")
    return out.sort_values(["year", "pillar"]).reset_index(drop=True)
