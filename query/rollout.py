"""The rollout analysis: what the ministry needs to decide on a nationwide rollout, in SQL.

Every function filters and aggregates inside DuckDB (the national read model holds ~2 million
results; nothing pulls a whole table into pandas) and answers with a small DataFrame that carries
the number of units behind each figure (``units``) and whether any of them is sample data
(``illustrative``). The rules (complete assessment, bands, readiness, top-N) come from
core/rollout_rules.py and the scores from the read model (core/scoring.py's rule, kept per
assessment in ``unit_score``); nothing here restates them.

Scope: ``province_id`` ('2020:31') limits to one province; None means every loaded unit (the
country). ``units`` (locality_ids) limits to a chosen set. "Change" compares like with like: the
baseline is the latest earlier year with complete assessments of the same stage in the scope, and
only units complete in both years count.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from core import rollout_rules as rules
from core.scoring import LEVELS
from query.base import frame

Db = str | Path | None
PILLARS = (1, 2, 3, 4)
ALL = "*"  # the unit_type of a total row


def _scope(province_id: str | None, units: Sequence[str] | None, alias: str = "") -> tuple[str, list[object]]:
    """A WHERE fragment (and its parameters) limiting rows to a province and/or a set of units."""
    p = f"{alias}." if alias else ""
    parts, params = [], []
    if province_id:
        parts.append(f"{p}province_id = ?")
        params.append(province_id)
    if units is not None:
        parts.append(f"{p}locality_id IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(units))
    return (" AND ".join(parts) or "TRUE"), params


def _band_case(col: str = "overall") -> str:
    """The band of an overall score, from rules.BANDS (best first)."""
    whens = " ".join(f"WHEN {col} >= {float(b.min_score)!r} THEN '{b.code}'" for b in rules.BANDS)
    return f"CASE WHEN NOT complete THEN '{rules.NOT_CLASSIFIED}' {whens} ELSE '{rules.BANDS[-1].code}' END"


def _readiness_case() -> str:
    """The readiness group of an assessment, from rules.READINESS (first match wins)."""
    whens = []
    for g in rules.READINESS:
        cond = []
        if g.min_overall is not None:
            cond.append(f"overall >= {float(g.min_overall)!r}")
        if g.max_red_key_pillar is not None:
            cond.append(f"red_key <= {int(g.max_red_key_pillar)}")
        if g.min_pillar_score is not None:
            cond.append(f"least(p1, p2, p3, p4) >= {float(g.min_pillar_score)!r}")
        whens.append(f"WHEN {' AND '.join(cond) or 'TRUE'} THEN '{g.code}'")
    return f"CASE WHEN NOT complete THEN '{rules.NOT_CLASSIFIED}' {' '.join(whens)} END"


def _wide(where: str) -> str:
    """One row per current assessment: names, pillar and overall scores, level counts, red results in
    the key pillar, complete flag (``where`` filters ``current_scores``)."""
    return f"""
        SELECT s.assessment_id, s.locality_id, nm.code AS locality_code, nm.name AS locality_name,
               nm.name_with_type, s.locality_type, s.vintage, s.province_id, s.parent_id, s.year, s.stage,
               s.illustrative, s.overall, s.p1, s.p2, s.p3, s.p4, s.indicators, s.n_green, s.n_yellow, s.n_red,
               s.pillar_red[{int(rules.KEY_PILLAR)}] AS red_key,
               s.indicators >= {rules.complete_min_indicators()} AS complete
        FROM (SELECT * FROM current_scores WHERE {where}) s JOIN locality nm USING (locality_id)"""


def _baseline_cte(scope: str) -> str:
    """bl(y): the latest earlier year with complete assessments of the stage in the scope (or the given one)."""
    return f"""bl AS (SELECT coalesce(CAST(? AS INTEGER), (
            SELECT max(year) FROM current_scores
            WHERE stage = ? AND year < ? AND indicators >= {rules.complete_min_indicators()}
              AND {scope})) AS y)"""


def _pair_params(baseline: int | None, stage: str, year: int, params: list) -> list:
    """The parameters of a query comparing ``year`` with its baseline, in the order its placeholders
    come: ``_baseline_cte`` (baseline, stage, year, scope), then the two years' filter (stage,
    year, scope; as in ``_moves_cte``'s ``comp``), then the current year."""
    return [baseline, stage, year, *params, stage, year, *params, year]


def _ints(df: pd.DataFrame, cols: Sequence[str]) -> pd.DataFrame:
    for c in cols:
        if c in df.columns:
            df[c] = df[c].fillna(0).astype("int64")
    if "illustrative" in df.columns:
        df["illustrative"] = df["illustrative"].fillna(False).astype(bool)
    return df


# --- periods and scope -------------------------------------------------------------------------


def periods(db: Db, province_id: str | None = None, units: Sequence[str] | None = None) -> pd.DataFrame:
    """Years and stages with current assessments in the scope: year, stage, units, complete, illustrative."""
    scope, params = _scope(province_id, units)
    df = frame(
        f"""SELECT year, stage, count(DISTINCT locality_id) AS units,
                   count(*) FILTER (WHERE indicators >= {rules.complete_min_indicators()}) AS complete,
                   bool_or(illustrative) AS illustrative
            FROM current_scores WHERE {scope}
            GROUP BY year, stage ORDER BY year, stage""",
        params,
        db=db,
    )
    return _ints(df, ["year", "units", "complete"])


def default_period(
    db: Db, province_id: str | None = None, units: Sequence[str] | None = None
) -> tuple[int | None, str]:
    """The latest year in the scope and, within it, the verified stage when there is one."""
    per = periods(db, province_id, units)
    if per.empty:
        return None, "self"
    year = int(per["year"].max())
    stages = set(per.loc[per["year"] == year, "stage"])
    return year, "verified" if "verified" in stages else "self"


def baseline_year(
    db: Db, year: int, stage: str, province_id: str | None = None, units: Sequence[str] | None = None
) -> int | None:
    """The year every change in this scope is measured from (None: no earlier complete year)."""
    scope, params = _scope(province_id, units)
    df = frame(f"WITH {_baseline_cte(scope)} SELECT y FROM bl", [None, stage, year, *params], db=db)
    y = df["y"].iloc[0]
    return None if pd.isna(y) else int(y)


def place_name(db: Db, locality_id: str | None) -> dict[str, object]:
    """A unit or province of the registry: name, name_with_type, unit_type, vintage (empty when unknown)."""
    if not locality_id:
        return {}
    df = frame(
        """SELECT locality_id, code, name, name_with_type, unit_type, level, vintage, parent_code, province_code
           FROM locality WHERE locality_id = ?""",
        [locality_id],
        db=db,
    )
    return {} if df.empty else df.iloc[0].to_dict()


def sources(
    db: Db,
    year: int | None,
    stage: str | None,
    province_id: str | None = None,
    units: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Provenance: the files behind the current assessments of the scope (all years when ``year`` is None)."""
    scope, params = _scope(province_id, units)
    df = frame(
        f"""SELECT file_name, sha256, min(year) AS first_year, max(year) AS last_year,
                   count(*) AS assessments, bool_or(illustrative) AS illustrative,
                   min(uploaded_at) AS uploaded_at
            FROM current_assessments
            WHERE (CAST(? AS INTEGER) IS NULL OR year = ?) AND (CAST(? AS VARCHAR) IS NULL OR stage = ?)
              AND {scope}
            GROUP BY file_name, sha256 ORDER BY min(year), file_name""",
        [year, year, stage, stage, *params],
        db=db,
    )
    return _ints(df, ["first_year", "last_year", "assessments"])


# --- results by unit type ----------------------------------------------------------------------


def by_unit_type(
    db: Db,
    year: int,
    stage: str,
    province_id: str | None = None,
    units: Sequence[str] | None = None,
    baseline: int | None = None,
) -> pd.DataFrame:
    """Per unit type (and a total row, unit_type '*'): mean overall and pillar scores, level shares,
    and the like-with-like change since the baseline year.

    Columns: vintage, unit_type, units (complete), partial, overall, p1..p4, share_green/yellow/red
    (of the indicator results of complete assessments), baseline_year, units_both, overall_then,
    overall_now, change, p1_change..p4_change, illustrative.
    """
    scope, params = _scope(province_id, units)
    means = ", ".join(f"avg(p{p}) FILTER (WHERE complete) AS p{p}" for p in PILLARS)
    shares = ", ".join(
        f"sum(n_{lv}) FILTER (WHERE complete) / sum(indicators) FILTER (WHERE complete) AS share_{lv}"
        for lv in LEVELS
    )
    pair_means = ", ".join(f"avg(c.p{p} - b.p{p}) AS p{p}_change" for p in PILLARS)
    sql = f"""
    WITH {_baseline_cte(scope)},
    a AS ({_wide(f"stage = ? AND (year = ? OR year = (SELECT y FROM bl)) AND {scope}")}),
    cur AS (SELECT * FROM a WHERE year = ?),
    agg AS (
        SELECT coalesce(vintage, '{ALL}') AS vintage, coalesce(locality_type, '{ALL}') AS unit_type,
               count(*) FILTER (WHERE complete) AS units, count(*) FILTER (WHERE NOT complete) AS partial,
               avg(overall) FILTER (WHERE complete) AS overall, {means}, {shares},
               bool_or(illustrative) AS illustrative
        FROM cur GROUP BY GROUPING SETS ((vintage, locality_type), ())),
    pair AS (
        SELECT coalesce(c.vintage, '{ALL}') AS vintage, coalesce(c.locality_type, '{ALL}') AS unit_type,
               count(*) AS units_both, avg(b.overall) AS overall_then, avg(c.overall) AS overall_now,
               avg(c.overall - b.overall) AS change, {pair_means}
        FROM cur c JOIN a b ON b.locality_id = c.locality_id AND b.year = (SELECT y FROM bl) AND b.complete
        WHERE c.complete
        GROUP BY GROUPING SETS ((c.vintage, c.locality_type), ()))
    SELECT agg.*, (SELECT y FROM bl) AS baseline_year, pair.* EXCLUDE (vintage, unit_type)
    FROM agg LEFT JOIN pair USING (vintage, unit_type)
    WHERE agg.units + agg.partial > 0
    """
    df = frame(sql, _pair_params(baseline, stage, year, params), db=db)
    df = _ints(df, ["units", "partial", "units_both"])
    df["baseline_year"] = df["baseline_year"].astype("Int64")
    return _order_types(df)


def _order_types(df: pd.DataFrame) -> pd.DataFrame:
    """Rows vintage by vintage in the code table's order of unit types, the total row last (stable)."""
    from core import codes

    order = {c: i for i, c in enumerate(codes.codes("unit_type"))}
    return (
        df.assign(
            _v=df["vintage"].map(lambda v: "~" if v == ALL else str(v)),
            _k=df["unit_type"].map(lambda c: 10_000 if c == ALL else order.get(c, 999)),
        )
        .sort_values(["_v", "_k"], kind="stable")
        .drop(columns=["_v", "_k"])
        .reset_index(drop=True)
    )


# --- pillars -----------------------------------------------------------------------------------


def pillar_summary(
    db: Db,
    year: int,
    stage: str,
    province_id: str | None = None,
    units: Sequence[str] | None = None,
    baseline: int | None = None,
) -> pd.DataFrame:
    """Per pillar (1-4, and 0 = overall): mean score over complete assessments, red/yellow/green counts
    and shares of the results, units with at least one red, weakest rank, and the like-with-like change.
    """
    scope, params = _scope(province_id, units)
    need = rules.complete_min_indicators()
    sql = f"""
    WITH {_baseline_cte(scope)},
    comp AS (SELECT assessment_id, locality_id, year FROM current_scores
             WHERE indicators >= {need} AND stage = ?
               AND (year = ? OR year = (SELECT y FROM bl)) AND {scope}),
    s AS (SELECT s.locality_id, s.year, s.pillar, s.score, s.indicators, s.n_green, s.n_yellow, s.n_red,
                 s.illustrative
          FROM current_unit_scores s JOIN comp USING (assessment_id)),
    cur AS (SELECT * FROM s WHERE year = ?),
    agg AS (SELECT pillar, count(*) AS units, avg(score) AS score, sum(indicators) AS results,
                   sum(n_green) AS n_green, sum(n_yellow) AS n_yellow, sum(n_red) AS n_red,
                   count(*) FILTER (WHERE n_red > 0) AS units_with_red, bool_or(illustrative) AS illustrative
            FROM cur GROUP BY pillar),
    pair AS (SELECT c.pillar, count(*) AS units_both, avg(b.score) AS score_then, avg(c.score - b.score) AS change
             FROM cur c JOIN s b ON b.locality_id = c.locality_id AND b.pillar = c.pillar
                                AND b.year = (SELECT y FROM bl)
             GROUP BY c.pillar)
    SELECT p.pillar, p.name_vi, p.name_en, coalesce(agg.units, 0) AS units, agg.score, agg.results,
           agg.n_green, agg.n_yellow, agg.n_red,
           agg.n_green / agg.results AS share_green, agg.n_yellow / agg.results AS share_yellow,
           agg.n_red / agg.results AS share_red, agg.units_with_red,
           (SELECT y FROM bl) AS baseline_year, pair.units_both, pair.score_then, pair.change,
           agg.illustrative
    FROM (SELECT pillar, name_vi, name_en FROM pillar UNION ALL SELECT 0, NULL, NULL) p
    LEFT JOIN agg USING (pillar) LEFT JOIN pair USING (pillar)
    ORDER BY p.pillar = 0, p.pillar
    """
    df = frame(sql, _pair_params(baseline, stage, year, params), db=db)
    df = _ints(
        df, ["pillar", "units", "results", "n_green", "n_yellow", "n_red", "units_with_red", "units_both"]
    )
    df["baseline_year"] = df["baseline_year"].astype("Int64")
    ranked = df[df["pillar"] > 0].sort_values(["score", "n_red", "pillar"], ascending=[True, False, True])
    df["weakest_rank"] = df["pillar"].map({p: i for i, p in enumerate(ranked["pillar"], start=1)})
    df["weakest_rank"] = df["weakest_rank"].astype("Int64")
    return df


# --- indicators --------------------------------------------------------------------------------


def indicator_summary(
    db: Db, year: int, stage: str, province_id: str | None = None, units: Sequence[str] | None = None
) -> pd.DataFrame:
    """All 39 indicators in catalogue order: level counts and shares over the complete assessments,
    mean score, units affected (below green) and the weakest rank (1 = weakest; rules.weakest_rule)."""
    scope, params = _scope(province_id, units)
    need = rules.complete_min_indicators()
    counts = ", ".join(f"count(*) FILTER (WHERE r.level = '{lv}') AS n_{lv}" for lv in LEVELS)
    sql = f"""
    WITH comp AS (SELECT assessment_id FROM current_scores
                  WHERE indicators >= {need} AND year = ? AND stage = ? AND {scope}),
    r AS (SELECT r.indicator_code, r.level, r.score, r.illustrative FROM current_results r
          WHERE r.assessment_id IN (SELECT assessment_id FROM comp)),
    agg AS (SELECT indicator_code, count(*) AS units, avg(r.score) AS score, {counts},
                   bool_or(illustrative) AS illustrative
            FROM r GROUP BY indicator_code)
    SELECT i.code AS indicator_code, i.pillar, i.seq, i.name_vi, i.name_en,
           coalesce(agg.units, 0) AS units, agg.score, agg.n_green, agg.n_yellow, agg.n_red,
           agg.n_green / agg.units AS share_green, agg.n_yellow / agg.units AS share_yellow,
           agg.n_red / agg.units AS share_red, agg.n_red + agg.n_yellow AS units_affected,
           CASE WHEN agg.units > 0 THEN row_number() OVER (
                ORDER BY agg.units > 0 DESC, agg.score, agg.n_red DESC, i.seq) END AS weakest_rank,
           agg.illustrative
    FROM indicator i LEFT JOIN agg ON agg.indicator_code = i.code
    ORDER BY i.seq
    """
    df = frame(sql, [year, stage, *params], db=db)
    df = _ints(df, ["pillar", "seq", "units", "n_green", "n_yellow", "n_red", "units_affected"])
    df["weakest_rank"] = df["weakest_rank"].astype("Int64")
    return df


def weakest_indicators(
    db: Db,
    year: int,
    stage: str,
    province_id: str | None = None,
    units: Sequence[str] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """The ``top`` (rules.WEAKEST_TOP_N) weakest indicators, weakest first."""
    df = indicator_summary(db, year, stage, province_id, units)
    df = df[df["weakest_rank"].notna()].sort_values("weakest_rank")
    return df.head(top or rules.WEAKEST_TOP_N).reset_index(drop=True)


def _moves_cte(scope: str) -> str:
    """m: one row per unit and indicator complete in both the year and the baseline, with its move.

    The pairs of assessments (baseline, year) of each unit come from the scores view (which decides
    what is current); their results are joined on the indicator (faster than the results view)."""
    need = rules.complete_min_indicators()
    return f"""{_baseline_cte(scope)},
    comp AS (SELECT assessment_id, locality_id, year, illustrative FROM current_scores
             WHERE indicators >= {need} AND stage = ?
               AND (year = ? OR year = (SELECT y FROM bl)) AND {scope}),
    pairs AS (SELECT a.locality_id, a.assessment_id AS id_from, b.assessment_id AS id_to,
                     a.illustrative OR b.illustrative AS illustrative
              FROM comp a JOIN comp b ON b.locality_id = a.locality_id
              WHERE a.year = (SELECT y FROM bl) AND b.year = ?),
    both_units AS (SELECT locality_id FROM pairs),
    m AS (SELECT p.locality_id, ra.indicator_code, ra.level AS level_from, rb.level AS level_to,
                 lb.rank - la.rank AS move, p.illustrative
          FROM pairs p
          JOIN result ra ON ra.assessment_id = p.id_from
          JOIN result rb ON rb.assessment_id = p.id_to AND rb.indicator_code = ra.indicator_code
          JOIN level la ON la.level = ra.level
          JOIN level lb ON lb.level = rb.level)"""


def indicator_moves(
    db: Db,
    year: int,
    stage: str,
    province_id: str | None = None,
    units: Sequence[str] | None = None,
    baseline: int | None = None,
) -> pd.DataFrame:
    """Per indicator (catalogue order): every level move between the baseline and ``year``.

    Columns: units (in both years), units_up, units_down, levels_up, levels_down (red -> green counts
    2), net, one count per kind of move (red_yellow, yellow_green, red_green, green_yellow,
    yellow_red, green_red), baseline_year, illustrative.
    """
    scope, params = _scope(province_id, units)
    kinds = ", ".join(
        f"count(*) FILTER (WHERE level_from = '{a}' AND level_to = '{b}') AS {a}_{b}"
        for a in LEVELS
        for b in LEVELS
        if a != b
    )
    sql = f"""
    WITH {_moves_cte(scope)},
    agg AS (SELECT indicator_code, count(*) AS units, count(*) FILTER (WHERE move > 0) AS units_up,
                   count(*) FILTER (WHERE move < 0) AS units_down,
                   sum(greatest(move, 0)) AS levels_up, sum(greatest(-move, 0)) AS levels_down,
                   {kinds}, bool_or(illustrative) AS illustrative
            FROM m GROUP BY indicator_code)
    SELECT i.code AS indicator_code, i.pillar, i.seq, i.name_vi, i.name_en, agg.* EXCLUDE (indicator_code),
           coalesce(agg.levels_up, 0) - coalesce(agg.levels_down, 0) AS net, (SELECT y FROM bl) AS baseline_year
    FROM indicator i LEFT JOIN agg ON agg.indicator_code = i.code
    ORDER BY i.seq
    """
    df = frame(sql, _pair_params(baseline, stage, year, params), db=db)
    ints = ["pillar", "seq", "units", "units_up", "units_down", "levels_up", "levels_down", "net"]
    ints += [f"{a}_{b}" for a in LEVELS for b in LEVELS if a != b]
    df = _ints(df, ints)
    df["baseline_year"] = df["baseline_year"].astype("Int64")
    return df


def most_moved(moves: pd.DataFrame, direction: str, top: int | None = None) -> pd.DataFrame:
    """The most improved ('up': most levels up) or most declined ('down': most levels down) indicators.

    Ranked by levels moved in that direction (not by the net), then units moved, then catalogue order;
    indicators with no move in that direction are left out.
    """
    col, units = ("levels_up", "units_up") if direction == "up" else ("levels_down", "units_down")
    part = moves[moves[col] > 0].sort_values([col, units, "seq"], ascending=[False, False, True])
    return part.head(top or rules.MOVES_TOP_N).reset_index(drop=True)


def level_transitions(
    db: Db,
    year: int,
    stage: str,
    province_id: str | None = None,
    units: Sequence[str] | None = None,
    baseline: int | None = None,
) -> pd.DataFrame:
    """From-level x to-level counts of indicator results (units in both years): level_from, level_to,
    results, move (levels, + up), units, baseline_year, illustrative. Every pair of levels has a row."""
    scope, params = _scope(province_id, units)
    levels = ", ".join(f"('{lv}')" for lv in LEVELS)
    sql = f"""
    WITH {_moves_cte(scope)},
    agg AS (SELECT level_from, level_to, count(*) AS results, count(DISTINCT locality_id) AS units,
                   bool_or(illustrative) AS illustrative FROM m GROUP BY level_from, level_to)
    SELECT f.l AS level_from, t.l AS level_to, coalesce(agg.results, 0) AS results,
           lt.rank - lf.rank AS move, coalesce(agg.units, 0) AS units, (SELECT y FROM bl) AS baseline_year,
           agg.illustrative
    FROM (VALUES {levels}) f(l) CROSS JOIN (VALUES {levels}) t(l)
    JOIN level lf ON lf.level = f.l JOIN level lt ON lt.level = t.l
    LEFT JOIN agg ON agg.level_from = f.l AND agg.level_to = t.l
    ORDER BY lf.rank, lt.rank
    """
    df = frame(sql, _pair_params(baseline, stage, year, params), db=db)
    df = _ints(df, ["results", "move", "units"])
    df["baseline_year"] = df["baseline_year"].astype("Int64")
    return df


def units_in_both(
    db: Db,
    year: int,
    stage: str,
    province_id: str | None = None,
    units: Sequence[str] | None = None,
    baseline: int | None = None,
) -> int:
    """How many units have complete assessments in both ``year`` and the baseline."""
    scope, params = _scope(province_id, units)
    sql = f"WITH {_moves_cte(scope)} SELECT count(*) AS n FROM both_units"
    df = frame(sql, _pair_params(baseline, stage, year, params), db=db)
    return int(df["n"].iloc[0])


# --- units: bands, readiness -------------------------------------------------------------------


def unit_classes(
    db: Db,
    year: int,
    stage: str,
    province_id: str | None = None,
    units: Sequence[str] | None = None,
    baseline: int | None = None,
) -> pd.DataFrame:
    """One row per assessed unit in ``year``/``stage``: scores, level counts, complete, band, readiness,
    and the overall score in the baseline year with the change (NaN when not comparable).

    For lists and exports; views draw counts (``class_counts``), never one mark per unit.
    """
    scope, params = _scope(province_id, units)
    sql = f"""
    WITH {_baseline_cte(scope)},
    a AS ({_wide(f"stage = ? AND (year = ? OR year = (SELECT y FROM bl)) AND {scope}")}),
    cur AS (SELECT *, {_band_case()} AS band, {_readiness_case()} AS readiness FROM a WHERE year = ?)
    SELECT cur.* EXCLUDE (assessment_id), cur.assessment_id, (SELECT y FROM bl) AS baseline_year,
           b.overall AS overall_then, CASE WHEN cur.complete THEN cur.overall - b.overall END AS change
    FROM cur LEFT JOIN a b ON b.locality_id = cur.locality_id AND b.year = (SELECT y FROM bl) AND b.complete
    ORDER BY cur.complete DESC, cur.overall DESC NULLS LAST, cur.locality_name, cur.locality_id
    """
    df = frame(sql, _pair_params(baseline, stage, year, params), db=db)
    df = _ints(df, ["year", "indicators", "n_green", "n_yellow", "n_red", "red_key"])
    df["baseline_year"] = df["baseline_year"].astype("Int64")
    df["complete"] = df["complete"].astype(bool)
    return df


def class_counts(
    db: Db,
    year: int,
    stage: str,
    kind: str,
    province_id: str | None = None,
    units: Sequence[str] | None = None,
) -> pd.DataFrame:
    """How many units fall in each band (``kind='band'``) or readiness group (``kind='readiness'``),
    per unit type and in total (unit_type '*'); every group has a row, incomplete ones included.

    Columns: vintage, unit_type, group, units, share (of the type's complete units), illustrative.
    """
    if kind not in ("band", "readiness"):
        raise ValueError(kind)
    scope, params = _scope(province_id, units)
    case = _band_case() if kind == "band" else _readiness_case()
    sql = f"""
    WITH a AS ({_wide(f"stage = ? AND year = ? AND {scope}")}),
    c AS (SELECT vintage, locality_type, complete, illustrative, {case} AS grp FROM a)
    SELECT coalesce(vintage, '{ALL}') AS vintage, coalesce(locality_type, '{ALL}') AS unit_type, grp AS "group",
           count(*) AS units, bool_or(illustrative) AS illustrative
    FROM c GROUP BY GROUPING SETS ((vintage, locality_type, grp), (grp))
    """
    df = frame(sql, [stage, year, *params], db=db)
    groups = [*(rules.band_codes() if kind == "band" else rules.readiness_codes()), rules.NOT_CLASSIFIED]
    types = df[["vintage", "unit_type"]].drop_duplicates()
    if types.empty:
        return pd.DataFrame(columns=["vintage", "unit_type", "group", "units", "share", "illustrative"])
    full = types.merge(pd.DataFrame({"group": groups}), how="cross")
    df = full.merge(df, on=["vintage", "unit_type", "group"], how="left")
    df = _ints(df, ["units"])
    complete = (
        df[df["group"] != rules.NOT_CLASSIFIED].groupby(["vintage", "unit_type"])["units"].transform("sum")
    )
    df["share"] = (df["units"] / complete.where(complete > 0)).where(df["group"] != rules.NOT_CLASSIFIED)
    df["illustrative"] = df.groupby(["vintage", "unit_type"])["illustrative"].transform("max").astype(bool)
    order = {g: i for i, g in enumerate(groups)}
    df = df.assign(_g=df["group"].map(order)).sort_values("_g", kind="stable").drop(columns="_g")
    return _order_types(df)


# --- coverage and the size of a rollout --------------------------------------------------------


def coverage(db: Db, year: int, stage: str, province_id: str | None = None) -> pd.DataFrame:
    """Per unit type of the registry in the scope (and a total row '*'): registry units, assessed,
    complete, partial, coverage (complete / registry) and the share of indicators answered.

    The registry scope is the province (its vintage), or for the whole country every unit of the
    vintages that have assessments in ``year``/``stage``.
    """
    scope, params = _scope(province_id, None)
    total = rules.catalogue_size()
    need = rules.complete_min_indicators()
    if province_id:
        reg_where = "vintage || ':' || province_code = ?"
        reg_params: list[object] = [province_id]
    else:
        reg_where = "vintage IN (SELECT DISTINCT vintage FROM a)"
        reg_params = []
    sql = f"""
    WITH a AS (SELECT locality_id, vintage, locality_type, indicators, illustrative FROM current_scores
               WHERE year = ? AND stage = ? AND {scope}),
    reg AS (SELECT vintage, unit_type, count(*) AS registry FROM locality
            WHERE level <> 'province' AND {reg_where} GROUP BY vintage, unit_type),
    got AS (SELECT vintage, locality_type AS unit_type, count(DISTINCT locality_id) AS assessed,
                   count(*) FILTER (WHERE indicators >= {need}) AS complete,
                   count(*) FILTER (WHERE indicators < {need}) AS partial,
                   sum(indicators) AS answered, bool_or(illustrative) AS illustrative
            FROM a GROUP BY vintage, locality_type),
    j AS (SELECT vintage, unit_type, coalesce(reg.registry, 0) AS registry, coalesce(got.assessed, 0) AS assessed,
                 coalesce(got.complete, 0) AS complete, coalesce(got.partial, 0) AS partial,
                 coalesce(got.answered, 0) AS answered, got.illustrative
          FROM reg FULL JOIN got USING (vintage, unit_type))
    SELECT coalesce(vintage, '{ALL}') AS vintage, coalesce(unit_type, '{ALL}') AS unit_type,
           sum(registry) AS registry, sum(assessed) AS assessed, sum(complete) AS complete, sum(partial) AS partial,
           sum(complete) / nullif(sum(registry), 0) AS coverage,
           sum(answered) / nullif(sum(complete) + sum(partial), 0) / {total} AS answered_share,
           bool_or(illustrative) AS illustrative
    FROM j GROUP BY GROUPING SETS ((vintage, unit_type), ())
    """
    df = frame(sql, [year, stage, *params, *reg_params], db=db)
    df = _ints(df, ["registry", "assessed", "complete", "partial"])
    return _order_types(df)


def registry_counts(db: Db) -> pd.DataFrame:
    """Units per vintage in the registry (provinces and the rest): vintage, provinces, units."""
    df = frame(
        """SELECT vintage, count(*) FILTER (WHERE level = 'province') AS provinces,
                  count(*) FILTER (WHERE level <> 'province') AS units
           FROM locality GROUP BY vintage ORDER BY vintage""",
        db=db,
    )
    return _ints(df, ["provinces", "units"])


def rollout_scale(db: Db, vintage: str = "2025", province_id: str | None = None) -> pd.DataFrame:
    """How many units of each type each province has in the registry of ``vintage`` (long form):
    province_id, province_name, unit_type, level, units. The base of a nationwide rollout's size."""
    df = frame(
        """SELECT p.locality_id AS province_id, p.name_with_type AS province_name, u.unit_type, u.level,
                  count(*) AS units
           FROM locality u JOIN locality p ON p.vintage = u.vintage AND p.code = u.province_code
                                          AND p.level = 'province'
           WHERE u.vintage = ? AND u.level <> 'province' AND (CAST(? AS VARCHAR) IS NULL OR p.locality_id = ?)
           GROUP BY ALL ORDER BY p.locality_id, u.level, u.unit_type""",
        [vintage, province_id, province_id],
        db=db,
    )
    return _ints(df, ["units"])


# --- tidy data ---------------------------------------------------------------------------------


def tidy_results(
    db: Db,
    province_id: str | None = None,
    units: Sequence[str] | None = None,
    year: int | None = None,
    stage: str | None = None,
) -> pd.DataFrame:
    """The full data of the scope: one row per unit, year, stage and indicator, every year and stage
    unless given, with the unit's names, the indicator's names, the assessment's completeness and file."""
    scope, params = _scope(province_id, units, alias="r")
    need = rules.complete_min_indicators()
    df = frame(
        f"""SELECT r.locality_id, r.locality_code, a.name_with_type, r.locality_type, r.vintage, r.province_id,
                   pv.name_with_type AS province_name, pa.name_with_type AS parent_name, r.year, r.stage,
                   r.indicator_code, r.pillar, i.name_vi AS indicator_vi, i.name_en AS indicator_en, r.level,
                   r.score, r.reported_score, r.evidence, r.note, s.indicators >= {need} AS complete,
                   r.illustrative, a.file_name, r.assessment_id
            FROM current_results r
            JOIN current_assessments a USING (assessment_id)
            JOIN unit_score s ON s.assessment_id = r.assessment_id
            JOIN indicator i ON i.code = r.indicator_code
            LEFT JOIN locality pv ON pv.locality_id = r.province_id
            LEFT JOIN locality pa ON pa.locality_id = r.parent_id
            WHERE (CAST(? AS INTEGER) IS NULL OR r.year = ?) AND (CAST(? AS VARCHAR) IS NULL OR r.stage = ?)
              AND {scope}
            ORDER BY r.vintage, r.province_id, r.locality_id, r.year, r.stage, i.seq""",
        [year, year, stage, stage, *params],
        db=db,
    )
    df = _ints(df, ["year", "pillar", "assessment_id"])
    df["complete"] = df["complete"].astype(bool)
    return df


# --- one unit and chosen sets ------------------------------------------------------------------


def unit_history(db: Db, locality_id: str) -> pd.DataFrame:
    """Every current assessment of one unit (all years and stages): scores, counts, band, readiness."""
    sql = f"""
    WITH a AS ({_wide("locality_id = ?")})
    SELECT * EXCLUDE (assessment_id), {_band_case()} AS band, {_readiness_case()} AS readiness, assessment_id
    FROM a ORDER BY year, stage
    """
    df = frame(sql, [locality_id], db=db)
    df = _ints(df, ["year", "indicators", "n_green", "n_yellow", "n_red", "red_key"])
    df["complete"] = df["complete"].astype(bool)
    return df


def unit_levels(
    db: Db, units: Sequence[str], year: int, stage: str, baseline: int | None = None
) -> pd.DataFrame:
    """The indicator results of chosen units in ``year``/``stage`` with the level in the baseline year
    of the set (the latest earlier year with a complete assessment of any of them) and the move."""
    scope, params = _scope(None, units)
    sql = f"""
    WITH {_baseline_cte(scope)},
    cur AS (SELECT r.* FROM current_results r WHERE r.year = ? AND r.stage = ? AND {scope}),
    old AS (SELECT r.locality_id, r.indicator_code, r.level FROM current_results r
            WHERE r.year = (SELECT y FROM bl) AND r.stage = ? AND {scope})
    SELECT cur.locality_id, cur.locality_code, cur.locality_name, cur.locality_type, cur.indicator_code,
           cur.pillar, i.seq, i.name_vi, i.name_en, cur.level, cur.score, cur.reported_score, cur.evidence,
           cur.note, old.level AS level_then, lb.rank - la.rank AS move, (SELECT y FROM bl) AS baseline_year,
           cur.illustrative
    FROM cur JOIN indicator i ON i.code = cur.indicator_code
    LEFT JOIN old ON old.locality_id = cur.locality_id AND old.indicator_code = cur.indicator_code
    LEFT JOIN level la ON la.level = old.level
    LEFT JOIN level lb ON lb.level = cur.level
    ORDER BY cur.locality_id, i.seq
    """
    df = frame(sql, [baseline, stage, year, *params, year, stage, *params, stage, *params], db=db)
    df = _ints(df, ["pillar", "seq"])
    df["move"] = df["move"].astype("Int64")
    df["baseline_year"] = df["baseline_year"].astype("Int64")
    return df


def unit_moves(
    db: Db,
    year: int,
    stage: str,
    province_id: str | None = None,
    units: Sequence[str] | None = None,
    baseline: int | None = None,
) -> pd.DataFrame:
    """Per unit complete in both years: indicators compared, indicators up / down, levels up / down."""
    scope, params = _scope(province_id, units)
    sql = f"""
    WITH {_moves_cte(scope)}
    SELECT locality_id, count(*) AS indicators, count(*) FILTER (WHERE move > 0) AS up,
           count(*) FILTER (WHERE move < 0) AS down, sum(greatest(move, 0)) AS levels_up,
           sum(greatest(-move, 0)) AS levels_down, (SELECT y FROM bl) AS baseline_year,
           bool_or(illustrative) AS illustrative
    FROM m GROUP BY locality_id ORDER BY locality_id
    """
    df = frame(sql, _pair_params(baseline, stage, year, params), db=db)
    df = _ints(df, ["indicators", "up", "down", "levels_up", "levels_down"])
    df["baseline_year"] = df["baseline_year"].astype("Int64")
    return df
