"""Rollout analysis at national scale: every query of query/rollout.py on ~2 million results.

Builds a synthetic database (outside the timing): every commune-level unit of the 2020-2023 list
(10,599) assessed in 5 years, 39 indicators each (2,066,805 results), written straight into the
tables with set-based SQL and scored by core/readmodel.py as the loader would. Then times each
analysis for the whole country and for one province (median of --runs), each on its own short
connection as the dashboard runs them, and all of them on one connection as a report does.
Target: < 50 ms each.
With --json the last line is one JSON object.

    python bench/rollout.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import readmodel
from core.db import connect
from core.schema import ensure_database
from query import rollout

YEARS = (2021, 2022, 2023, 2024, 2025)
TARGET_MS = 50.0


def build(db: Path, years: tuple[int, ...] = YEARS, level: str = "commune") -> int:
    """Write one illustrative upload, an assessment per unit and year, 39 results each; returns results."""
    ensure_database(db)
    with connect(db) as con:
        con.execute("BEGIN TRANSACTION")
        con.execute(
            """INSERT INTO upload (upload_id, file_name, size_bytes, sha256, uploaded_by, outcome, assessments,
                                   illustrative)
               VALUES (1, 'bench-synthetic', 0, 'bench', 'bench', 'loaded', 0, true)"""
        )
        con.execute(
            """INSERT INTO assessment (assessment_id, locality_id, year, stage, upload_id)
               SELECT row_number() OVER (), l.locality_id, y.year, 'self', 1
               FROM locality l CROSS JOIN (SELECT unnest(?::INTEGER[]) AS year) y
               WHERE l.vintage = '2020' AND l.level = ?""",
            [list(years), level],
        )
        # Levels drift upwards over the years, differ by indicator and unit (a deterministic hash).
        con.execute(
            """INSERT INTO result (assessment_id, indicator_code, level)
               SELECT a.assessment_id, i.code,
                      CASE WHEN (hash(a.locality_id || i.code) % 100 + (a.year - 2021) * 6
                                 + hash(a.assessment_id * 7 + i.seq) % 25) < 45 THEN 'red'
                           WHEN (hash(a.locality_id || i.code) % 100 + (a.year - 2021) * 6
                                 + hash(a.assessment_id * 7 + i.seq) % 25) < 85 THEN 'yellow'
                           ELSE 'green' END
               FROM assessment a CROSS JOIN indicator i"""
        )
        readmodel.add_scores(con)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        return int(con.execute("SELECT count(*) FROM result").fetchone()[0])


def timed(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm the file cache
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return statistics.median(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--keep", help="keep the database at this path (built if absent)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(a.keep) if a.keep else Path(tmp) / "national.duckdb"
        t0 = time.perf_counter()
        results = build(db) if not db.exists() else -1
        build_s = time.perf_counter() - t0
        year, stage = max(YEARS), "self"
        queries: dict[str, Callable[..., object]] = {
            "periods": lambda p: rollout.periods(db, p),
            "baseline_year": lambda p: rollout.baseline_year(db, year, stage, p),
            "by_unit_type": lambda p: rollout.by_unit_type(db, year, stage, p),
            "pillar_summary": lambda p: rollout.pillar_summary(db, year, stage, p),
            "indicator_summary": lambda p: rollout.indicator_summary(db, year, stage, p),
            "indicator_moves": lambda p: rollout.indicator_moves(db, year, stage, p),
            "level_transitions": lambda p: rollout.level_transitions(db, year, stage, p),
            "class_counts_band": lambda p: rollout.class_counts(db, year, stage, "band", p),
            "class_counts_readiness": lambda p: rollout.class_counts(db, year, stage, "readiness", p),
            "coverage": lambda p: rollout.coverage(db, year, stage, p),
            "unit_classes": lambda p: rollout.unit_classes(db, year, stage, p),
            "rollout_scale": lambda p: rollout.rollout_scale(db, "2020"),
        }
        timings: dict[str, dict[str, float]] = {}
        together: dict[str, float] = {}
        for scope, province in (("country", None), ("province", "2020:01")):
            timings[scope] = {
                name: round(timed(lambda q=q, p=province: q(p), a.runs), 1) for name, q in queries.items()
            }

            def batch(p: str | None = province) -> None:
                for q in queries.values():
                    q(p)

            together[scope] = round(timed(batch, a.runs), 1)
    worst = max(v for s in timings.values() for v in s.values())
    result = {
        "results": results,
        "build_seconds": round(build_s, 1),
        "year": year,
        "timings_ms": timings,
        "all_queries_ms": together,
        "worst_ms": worst,
        "target_ms": TARGET_MS,
        "met": worst < TARGET_MS,
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    print(f"synthetic national database: {results:,} results (built in {build_s:.1f} s)")
    print(f"{'query':<24}{'country ms':>12}{'province ms':>13}")
    for name in queries:
        print(f"{name:<24}{timings['country'][name]:>12.1f}{timings['province'][name]:>13.1f}")
    print(f"{'all, one connection':<24}{together['country']:>12.1f}{together['province']:>13.1f}")
    print(f"worst: {worst:.1f} ms (target < {TARGET_MS:.0f} ms): {'met' if worst < TARGET_MS else 'NOT met'}")
    if a.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
