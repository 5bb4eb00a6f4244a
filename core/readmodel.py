"""Derived tables the writers keep in step with the results, inside their own transactions.

``unit_score`` holds every assessment's pillar and overall scores, computed once by the rule in
core/scoring.py when the assessment is written (an assessment's results never change, so its
scores never go stale; supersession and roll-back only change which assessments are current,
which the ``current_unit_scores`` view decides). ``data_version`` counts changes per province,
so a cache of one province's answers survives loads in another.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from core.scoring import LEVELS, RULE_SQL_OVERALL, RULE_SQL_PILLAR

GLOBAL_SCOPE = "*"

_COUNTS = ", ".join(f"count(*) FILTER (WHERE level = '{lv}') AS n_{lv}" for lv in LEVELS)
_SUMS = ", ".join(f"sum(n_{lv})" for lv in LEVELS)
_COLS = ", ".join(f"n_{lv}" for lv in LEVELS)

# The scoring rule applied to the results of the assessments in temp table ``_score_todo``.
_SCORE_SQL = f"""
INSERT INTO unit_score (assessment_id, pillar, score, indicators, {_COLS})
WITH by_pillar AS (
    SELECT r.assessment_id, i.pillar, {RULE_SQL_PILLAR} AS pillar_score, count(*) AS indicators, {_COUNTS}
    FROM result r
    JOIN _score_todo USING (assessment_id)
    JOIN indicator i ON i.code = r.indicator_code
    JOIN level USING (level)
    GROUP BY r.assessment_id, i.pillar
)
SELECT assessment_id, pillar, pillar_score, indicators, {_COLS} FROM by_pillar
UNION ALL
SELECT assessment_id, 0, {RULE_SQL_OVERALL}, sum(indicators), {_SUMS} FROM by_pillar GROUP BY assessment_id
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
    """Recompute every score (the level scores changed)."""
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
        """SELECT DISTINCT l.vintage || ':' || l.province_code FROM assessment a JOIN locality l USING (locality_id)
           WHERE a.assessment_id IN (SELECT unnest(?::INTEGER[]))""",
        [ids],
    ).fetchall()
    return [r[0] for r in rows]
