"""Indicator-level results and the reference data the views draw next to them.

Everything is filtered in DuckDB by year, stage, scope and unit; no function here returns the
country's two million results to Python.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core import codes
from core.scoring import LEVEL_RANK, LEVELS
from query.base import frame
from query.scope import Scope


def has_results(db: str | Path | None = None) -> bool:
    """True when at least one current result is loaded (an absent database has none)."""
    try:
        return bool(frame("SELECT EXISTS (SELECT 1 FROM current_assessments) AS x", db=db)["x"].iloc[0])
    except FileNotFoundError:
        return False


def periods(db: str | Path | None = None) -> pd.DataFrame:
    """Years and stages loaded: year, stage, units, illustrative (any of its results is sample data)."""
    df = frame(
        """SELECT year, stage, count(DISTINCT locality_id) AS units, bool_or(illustrative) AS illustrative
           FROM current_assessments GROUP BY year, stage ORDER BY year, stage""",
        db=db,
    )
    df["year"] = df["year"].astype("int64")
    return df


def unit_types_in(db: str | Path | None, scope: Scope, year: int | None, stage: str | None) -> list[str]:
    """The unit types with current assessments in the scope (and year/stage when given), in the code
    table's order."""
    where, params = scope.where()
    df = frame(
        f"""SELECT DISTINCT locality_type FROM current_assessments
            WHERE {where} AND (CAST(? AS INTEGER) IS NULL OR year = ?) AND (CAST(? AS VARCHAR) IS NULL OR stage = ?)""",
        [*params, year, year, stage, stage],
        db=db,
    )
    order = {c: i for i, c in enumerate(codes.codes("unit_type"))}
    return sorted(df["locality_type"], key=lambda c: order.get(c, 99))


def unit_levels(db: str | Path | None, locality_id: str, year: int, stage: str) -> pd.DataFrame:
    """A unit's 39 results in ``year``/``stage`` with the indicator's names and the unit's level in its
    previous assessed year (same stage): indicator_code, pillar, seq, name_vi, name_en, level, score,
    reported_score, evidence, note, previous_year, level_before, move (+ levels up, - down), illustrative."""
    # The unit's assessments first (a few rows of current_assessments), then their results by
    # assessment id: the result table is read for two assessments, not joined whole (17 -> 13 ms).
    df = frame(
        """WITH mine AS (SELECT assessment_id, year FROM current_assessments
                         WHERE locality_id = ? AND stage = ?),
                prev_year AS (SELECT max(year) AS y FROM mine WHERE year < ?),
                before AS (SELECT r.indicator_code, r.level FROM result r
                           WHERE r.assessment_id = (SELECT any_value(assessment_id)
                                                    FROM mine, prev_year WHERE mine.year = prev_year.y)),
                cur AS (SELECT a.illustrative, r.indicator_code, r.level, r.reported_score, r.evidence, r.note
                        FROM current_assessments a JOIN result r USING (assessment_id)
                        WHERE a.assessment_id = (SELECT any_value(assessment_id) FROM mine WHERE year = ?))
           SELECT r.indicator_code, i.pillar, i.seq, i.name_vi, i.name_en, r.level, la.score, r.reported_score,
                  r.evidence, r.note, (SELECT y FROM prev_year) AS previous_year, b.level AS level_before,
                  la.rank - lb.rank AS move, r.illustrative
           FROM cur r
           JOIN indicator i ON i.code = r.indicator_code
           JOIN level la ON la.level = r.level
           LEFT JOIN before b USING (indicator_code)
           LEFT JOIN level lb ON lb.level = b.level
           ORDER BY i.seq""",
        [locality_id, stage, year, year],
        db=db,
    )
    return df


def grid_cells(
    db: str | Path | None, ids: list[str], year: int, stage: str, pillar: int | None = None
) -> pd.DataFrame:
    """Results of given units (a page of the grid): locality_id, indicator_code, pillar, seq, name_vi,
    name_en, level, score, evidence, illustrative."""
    if not ids:
        return pd.DataFrame(columns=["locality_id", "indicator_code", "level"])
    return frame(
        """SELECT r.locality_id, r.indicator_code, r.pillar, i.seq, i.name_vi, i.name_en, r.level, r.score,
                  r.evidence, r.illustrative
           FROM current_results r JOIN indicator i ON i.code = r.indicator_code
           WHERE r.locality_id IN (SELECT unnest(?::VARCHAR[])) AND r.year = ? AND r.stage = ?
             AND (CAST(? AS INTEGER) IS NULL OR r.pillar = ?)
           ORDER BY i.seq""",
        [ids, year, stage, pillar, pillar],
        db=db,
    )


# One indicator's level in a unit is one item of the unit's list of levels (core/readmodel.py), so
# these summaries read one row per unit instead of 39.
_CELLS = """cells AS (
    SELECT unnest(s.levels) AS r, generate_subscripts(s.levels, 1) AS seq, s.illustrative{extra} FROM scoped s)"""
_RANK_COUNTS = ", ".join(f"count(*) FILTER (WHERE c.r = {LEVEL_RANK[lv]}) AS n_{lv}" for lv in LEVELS)


def indicator_summary(
    db: str | Path | None, year: int, stage: str, scope: Scope, pillar: int | None = None
) -> pd.DataFrame:
    """Per indicator over the scope's units: units, n_<level>, share_<level>, mean score; in catalogue
    order, with names. The weakest indicators are the ones with the lowest mean."""
    where, params = scope.where()
    shares = ", ".join(f"n_{lv} / units AS share_{lv}" for lv in LEVELS)
    return frame(
        f"""WITH scoped AS (SELECT levels, illustrative FROM current_scores WHERE year = ? AND stage = ? AND {where}),
            {_CELLS.format(extra="")},
            s AS (
               SELECT i.code AS indicator_code, count(*) AS units, {_RANK_COUNTS}, avg(lv.score) AS score,
                      bool_or(c.illustrative) AS illustrative
               FROM cells c JOIN indicator i ON i.seq = c.seq JOIN level lv ON lv.rank = c.r
               WHERE c.r IS NOT NULL AND (CAST(? AS INTEGER) IS NULL OR i.pillar = ?)
               GROUP BY i.code)
            SELECT s.*, {shares}, i.pillar, i.seq, i.name_vi, i.name_en
            FROM s JOIN indicator i ON i.code = s.indicator_code ORDER BY i.seq""",
        [year, stage, *params, pillar, pillar],
        db=db,
    )


def indicator_moves(
    db: str | Path | None,
    stage: str,
    from_year: int,
    to_year: int,
    scope: Scope,
    pillar: int | None = None,
) -> pd.DataFrame:
    """Per indicator, over the units assessed in both years: how many units moved up a level or more,
    down, and the levels moved (red -> green counts 2), net = up - down (units).

    Columns: indicator_code, pillar, seq, name_vi, name_en, units, up, down, same, levels_up, levels_down,
    net, illustrative; most improved first.
    """
    where, params = scope.where()
    return frame(
        f"""WITH a AS (SELECT locality_id, levels, illustrative FROM current_scores
                       WHERE year = ? AND stage = ? AND {where}),
                 b AS (SELECT locality_id, levels, illustrative FROM current_scores
                       WHERE year = ? AND stage = ? AND {where}),
                 pairs AS (
                    SELECT unnest(a.levels) AS ra, unnest(b.levels) AS rb, generate_subscripts(a.levels, 1) AS seq,
                           a.illustrative OR b.illustrative AS illustrative
                    FROM a JOIN b USING (locality_id)),
                 m AS (
                    SELECT i.code AS indicator_code, rb - ra AS move, illustrative
                    FROM pairs JOIN indicator i ON i.seq = pairs.seq
                    WHERE ra IS NOT NULL AND rb IS NOT NULL AND (CAST(? AS INTEGER) IS NULL OR i.pillar = ?))
            SELECT m.indicator_code, i.pillar, i.seq, i.name_vi, i.name_en, count(*) AS units,
                   count(*) FILTER (WHERE move > 0) AS up, count(*) FILTER (WHERE move < 0) AS down,
                   count(*) FILTER (WHERE move = 0) AS same,
                   coalesce(sum(move) FILTER (WHERE move > 0), 0) AS levels_up,
                   coalesce(-sum(move) FILTER (WHERE move < 0), 0) AS levels_down,
                   count(*) FILTER (WHERE move > 0) - count(*) FILTER (WHERE move < 0) AS net,
                   bool_or(m.illustrative) AS illustrative
            FROM m JOIN indicator i ON i.code = m.indicator_code
            GROUP BY ALL ORDER BY net DESC, i.seq""",
        [from_year, stage, *params, to_year, stage, *params, pillar, pillar],
        db=db,
    )


def move_totals(
    db: str | Path | None, stage: str, from_year: int, to_year: int, scope: Scope, pillar: int | None = None
) -> dict[str, int]:
    """Every level move between two years over the units assessed in both: units, results, up, down
    (results that moved), levels_up, levels_down."""
    df = indicator_moves(db, stage, from_year, to_year, scope, pillar)
    return {
        "units": int(df["units"].max()) if len(df) else 0,  # every assessment rates all 39 (validation)
        "results": int(df["units"].sum()),
        "up": int(df["up"].sum()),
        "down": int(df["down"].sum()),
        "levels_up": int(df["levels_up"].sum()),
        "levels_down": int(df["levels_down"].sum()),
    }


def province_indicator_scores(
    db: str | Path | None, year: int, stage: str, pillar: int | None = None
) -> pd.DataFrame:
    """Mean indicator score per province (the national grid): province_id, name, indicator_code, seq,
    score, units."""
    return frame(
        f"""WITH scoped AS (SELECT levels, illustrative, province_id FROM current_scores WHERE year = ? AND stage = ?),
            {_CELLS.format(extra=", s.province_id")}
            SELECT c.province_id, p.name, i.code AS indicator_code, i.seq, avg(lv.score) AS score,
                   count(*) AS units, bool_or(c.illustrative) AS illustrative
            FROM cells c JOIN level lv ON lv.rank = c.r
            JOIN indicator i ON i.seq = c.seq JOIN locality p ON p.locality_id = c.province_id
            WHERE c.r IS NOT NULL AND (CAST(? AS INTEGER) IS NULL OR i.pillar = ?)
            GROUP BY ALL ORDER BY p.name, i.seq""",
        [year, stage, pillar, pillar],
        db=db,
    )


def pillars(db: str | Path | None = None) -> pd.DataFrame:
    df = frame(
        "SELECT pillar, name_vi, name_en, short_vi, short_en, source FROM pillar ORDER BY pillar", db=db
    )
    df["pillar"] = df["pillar"].astype("int64")
    return df


def indicator_catalogue(db: str | Path | None = None) -> pd.DataFrame:
    """The 39 indicators with their red/yellow/green criteria and the doubts (confidence, notes)."""
    df = frame(
        """SELECT code, pillar, seq, name_vi, name_en, name_es, source_vi, source_en, confidence, notes,
                  red_vi, yellow_vi, green_vi, red_en, yellow_en, green_en, criteria_source
           FROM indicator ORDER BY seq""",
        db=db,
    )
    df["pillar"] = df["pillar"].astype("int64")
    return df


def levels(db: str | Path | None = None) -> pd.DataFrame:
    """The three levels with the score the project rule gives each (from the ``level`` table)."""
    return frame(
        "SELECT level, rank, score, name_vi, name_en, meaning_vi, meaning_en, source FROM level ORDER BY rank",
        db=db,
    )


def registry_summary(db: str | Path | None = None) -> pd.DataFrame:
    """How many units of each vintage and type the registry holds, and where it comes from."""
    return frame(
        """SELECT vintage, unit_type, count(*) AS units, any_value(source) AS source
           FROM locality GROUP BY vintage, unit_type ORDER BY vintage, count(*) DESC""",
        db=db,
    )


def crosswalk_summary(db: str | Path | None = None) -> pd.DataFrame:
    """The crosswalk's rows by level of the old unit, method and relation."""
    return frame(
        """SELECT from_level, method, relation, count(*) AS rows, count(DISTINCT from_id) AS old_units,
                  count(DISTINCT to_id) AS new_units
           FROM locality_crosswalk GROUP BY ALL ORDER BY from_level, method, relation""",
        db=db,
    )


def illustrative_uploads(db: str | Path | None = None) -> pd.DataFrame:
    """Files whose current assessments are loaded: file, year, stage, assessments, illustrative."""
    return frame(
        """SELECT file_name, year, stage, count(*) AS assessments, bool_or(illustrative) AS illustrative
           FROM current_assessments GROUP BY file_name, year, stage ORDER BY year, file_name LIMIT 500""",
        db=db,
    )
