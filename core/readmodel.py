"""Derived tables the writers keep in step with the results, inside their own transactions.

``unit_score`` holds one row per assessment: its pillar and overall scores by the rule in
core/scoring.py, its level counts, its levels in catalogue order (a list of ranks, 0 red to 2 green,
NULL where not assessed, so that comparing two years of the whole country reads 10,000 rows, not a
join of two million results), and the unit's fixed attributes (vintage, province, parent, type),
so that a view of the country or of a province filters one table. An assessment's results never
change, so its row never goes stale; supersession and roll-back only change which assessments are
current, which the views decide (core/schema.py). ``data_version`` counts changes per province, so
a cache of one province's answers survives loads in another.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from core.scoring import LEVELS, RULE_SQL_OVERALL, RULE_SQL_PILLAR

GLOBAL_SCOPE = "*"
PILLARS = (1, 2, 3, 4)

_COUNTS = ", ".join(f"count(*) FILTER (WHERE r.level = '{lv}') AS n_{lv}" for lv in LEVELS)
_PILLAR_COLS = ", ".join(f"max(pillar_score) FILTER (WHERE pillar = {p}) AS p{p}" for p in PILLARS)
_PILLAR_LISTS = ", ".join(
    f"[{', '.join(f'coalesce(max({c}) FILTER (WHERE pillar = {p}), 0)' for p in PILLARS)}] AS pillar_{c.removeprefix('n_')}"
    for c in ("indicators", *(f"n_{lv}" for lv in LEVELS))
)

# The scoring rule applied to the results of the assessments in temp table ``_score_todo``.
_SCORE_SQL = f"""
INSERT INTO unit_score
WITH r AS (
    SELECT r.assessment_id, i.pillar, lv.score, r.level
    FROM result r
    JOIN _score_todo USING (assessment_id)
    JOIN indicator i ON i.code = r.indicator_code
    JOIN level lv ON lv.level = r.level
),
by_pillar AS (
    SELECT r.assessment_id, r.pillar, {RULE_SQL_PILLAR} AS pillar_score, count(*) AS indicators, {_COUNTS}
    FROM r GROUP BY r.assessment_id, r.pillar
),
pillars AS (
    SELECT assessment_id, {_PILLAR_COLS}, {RULE_SQL_OVERALL} AS overall,
           {_PILLAR_LISTS}
    FROM by_pillar GROUP BY assessment_id
),
counts AS (SELECT r.assessment_id, count(*) AS indicators, {_COUNTS} FROM r GROUP BY r.assessment_id),
vector AS (
    SELECT t.assessment_id, list(lv.rank::TINYINT ORDER BY i.seq) AS levels
    FROM _score_todo t CROSS JOIN indicator i
    LEFT JOIN result x ON x.assessment_id = t.assessment_id AND x.indicator_code = i.code
    LEFT JOIN level lv ON lv.level = x.level
    GROUP BY t.assessment_id
)
SELECT a.assessment_id, a.locality_id, a.year, a.stage, l.vintage, l.vintage || ':' || l.province_code,
       CASE WHEN l.parent_code IS NULL THEN NULL ELSE l.vintage || ':' || l.parent_code END,
       l.unit_type, l.level, u.illustrative,
       p.p1, p.p2, p.p3, p.p4, p.overall, c.indicators, c.n_red, c.n_yellow, c.n_green,
       p.pillar_indicators, p.pillar_red, p.pillar_yellow, p.pillar_green, v.levels
FROM _score_todo t
JOIN assessment a USING (assessment_id)
JOIN locality l USING (locality_id)
JOIN upload u USING (upload_id)
JOIN pillars p USING (assessment_id)
JOIN counts c USING (assessment_id)
JOIN vector v USING (assessment_id)
"""


def add_scores(con: duckdb.DuckDBPyConnection, assessment_ids: Iterable[int] | None = None) -> int:
    """Score the given assessments (default: every assessment not scored yet); returns how many."""
    con.execute("CREATE OR REPLACE TEMP TABLE _score_todo (assessment_id INTEGER)")
    if assessment_ids is None:
        con.execute(
            """INSERT INTO _score_todo SELECT assessment_id FROM assessment
               WHERE assessment_id NOT IN (SELECT assessment_id FROM unit_score)"""
        )
    else:
        ids = sorted(set(assessment_ids))
        if ids:
            con.execute("INSERT INTO _score_todo SELECT unnest(?::INTEGER[])", [ids])
    n = con.execute("SELECT count(*) FROM _score_todo").fetchone()[0]
    if n:
        con.execute(_SCORE_SQL)
    con.execute("DROP TABLE _score_todo")
    return int(n)


def rescore_all(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute every row (the level scores, the catalogue or the unit registry changed)."""
    con.execute("DELETE FROM unit_score")
    n = add_scores(con)
    bump(con, None)
    return n


def bump(con: duckdb.DuckDBPyConnection, provinces: Iterable[str] | None) -> None:
    """Count a change in these provinces (locality_ids); None = every province."""
    if provinces is None:
        con.execute("UPDATE data_version SET version = version + 1")
        return
    scopes = sorted({*provinces, GLOBAL_SCOPE})
    con.execute(
        """INSERT INTO data_version SELECT unnest(?::VARCHAR[]), 1
           ON CONFLICT (scope) DO UPDATE SET version = data_version.version + 1""",
        [scopes],
    )


def provinces_of_assessments(con: duckdb.DuckDBPyConnection, assessment_ids: Iterable[int]) -> list[str]:
    """The provinces (locality_ids) of some assessments' units."""
    ids = sorted(set(assessment_ids))
    if not ids:
        return []
    rows = con.execute(
        "SELECT DISTINCT province_id FROM unit_score WHERE assessment_id IN (SELECT unnest(?::INTEGER[]))",
        [ids],
    ).fetchall()
    return [r[0] for r in rows]
