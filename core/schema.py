"""Schema, migrations and reference data. The database is built by code, never committed.

``ensure_database`` is idempotent and cheap when nothing changed: it applies any migration
newer than the stored schema version and re-seeds a reference table (catalogue, units) only
when its source file's hash changed.

The read model (documented in README.md, "Database"):
- ``current_results``: one row per current (not superseded, not withdrawn) result, with
  ``locality_code, locality_name, locality_type, parent_code, province_code, year, stage,
  indicator_code, pillar, level, score, reported_score, evidence, note, upload_id,
  assessment_id, illustrative, locality_id, vintage``. A GSO code can be reused across vintages
  (2020 list vs the 2025 reform), so ``locality_id`` ('2020:303') is the unit's key. ``score`` is the project rule (core/scoring.py) applied to ``level``;
  ``reported_score`` is the optional 0-100 figure written in the file.
- ``current_assessments``: the assessments behind it, with their upload's provenance. "Current"
  (not superseded, not withdrawn) is defined here and nowhere else.
- ``current_scores``: one row per current assessment with its pillar and overall scores, level
  counts and levels in catalogue order (``unit_score``, core/readmodel.py), and the unit's vintage,
  province, parent and type; ``current_unit_scores`` is the same, one row per pillar (0 = overall)
  with the unit's names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from core import catalogue, readmodel, units
from core.config import db_path
from core.db import connect

_VIEWS = """
CREATE OR REPLACE VIEW current_assessment_ids AS
SELECT assessment_id FROM assessment WHERE superseded_by IS NULL AND withdrawn_at IS NULL;

CREATE OR REPLACE VIEW current_assessments AS
SELECT a.assessment_id, a.locality_id, l.code AS locality_code, l.name AS locality_name,
       l.unit_type AS locality_type, l.parent_code, l.province_code, a.year, a.stage,
       a.upload_id, u.file_name, u.sha256, u.uploaded_by, u.uploaded_at, a.source_sheet,
       a.source_column, a.prepared_by, a.prepared_on, a.loaded_at, u.illustrative, l.vintage,
       l.vintage || ':' || l.province_code AS province_id,
       CASE WHEN l.parent_code IS NULL THEN NULL ELSE l.vintage || ':' || l.parent_code END AS parent_id,
       l.name_with_type, l.level AS locality_level
FROM assessment a JOIN current_assessment_ids USING (assessment_id)
JOIN locality l USING (locality_id) JOIN upload u USING (upload_id);

CREATE OR REPLACE VIEW current_results AS
SELECT c.locality_code, c.locality_name, c.locality_type, c.parent_code, c.province_code, c.year,
       c.stage, r.indicator_code, i.pillar, r.level, lv.score, r.reported_score, r.evidence, r.note,
       c.upload_id, c.assessment_id, c.illustrative, c.locality_id, c.vintage, c.province_id,
       c.parent_id
FROM current_assessments c
JOIN result r USING (assessment_id)
JOIN indicator i ON i.code = r.indicator_code
JOIN level lv ON lv.level = r.level;

CREATE OR REPLACE VIEW current_scores AS
SELECT s.* FROM unit_score s JOIN current_assessment_ids USING (assessment_id);

CREATE OR REPLACE VIEW current_unit_scores AS
SELECT s.locality_id, l.code AS locality_code, l.name AS locality_name, l.name_with_type,
       s.locality_type, s.locality_level, s.parent_id, s.province_id, s.vintage, s.year, s.stage,
       p.pillar, CASE p.pillar WHEN 0 THEN s.overall WHEN 1 THEN s.p1 WHEN 2 THEN s.p2
                               WHEN 3 THEN s.p3 ELSE s.p4 END AS score,
       CASE p.pillar WHEN 0 THEN s.indicators ELSE s.pillar_indicators[p.pillar] END AS indicators,
       CASE p.pillar WHEN 0 THEN s.n_green ELSE s.pillar_green[p.pillar] END AS n_green,
       CASE p.pillar WHEN 0 THEN s.n_yellow ELSE s.pillar_yellow[p.pillar] END AS n_yellow,
       CASE p.pillar WHEN 0 THEN s.n_red ELSE s.pillar_red[p.pillar] END AS n_red,
       s.illustrative, s.assessment_id
FROM current_scores s JOIN locality l USING (locality_id)
CROSS JOIN (SELECT unnest([0, 1, 2, 3, 4]) AS pillar) p;
"""

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _migrations() -> list[tuple[int, str]]:
    """(version, DDL) from core/migrations/vNNN_name.sql. Add a file; never edit a released one."""
    out = []
    for f in sorted(MIGRATIONS_DIR.glob("v[0-9][0-9][0-9]_*.sql")):
        out.append((int(f.name[1:4]), f.read_text(encoding="utf-8")))
    return out


MIGRATIONS = _migrations()
SCHEMA_VERSION = max(v for v, _ in MIGRATIONS)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _replace(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> None:
    con.execute(f"DELETE FROM {table}")
    con.register("_seed", df)
    cols = ", ".join(df.columns)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _seed")
    con.unregister("_seed")


_REFERENCE: list[tuple[str, str, Callable[[], list[Path]], Callable[[], pd.DataFrame]]] = [
    ("pillar", "pillar", catalogue.source_files, catalogue.pillars_frame),
    ("indicator", "indicator", catalogue.source_files, catalogue.indicators_frame),
    ("level", "level", catalogue.source_files, catalogue.levels_frame),
    ("locality", "locality", units.source_files, units.localities_frame),
    ("locality_crosswalk", "locality_crosswalk", units.source_files, units.crosswalk_frame),
]


def _seed(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Re-seed the reference tables whose source files changed; returns their names."""
    changed = set()
    for name, table, files, frame in _REFERENCE:
        digest = hashlib.sha256("".join(_sha(f) for f in files()).encode()).hexdigest()
        row = con.execute("SELECT sha256 FROM reference_data WHERE name = ?", [name]).fetchone()
        if row and row[0] == digest:
            continue
        df = frame()
        _replace(con, table, df)
        con.execute(
            "INSERT OR REPLACE INTO reference_data (name, sha256, rows) VALUES (?, ?, ?)",
            [name, digest, len(df)],
        )
        changed.add(name)
    return changed


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


_ENSURED: set[Path] = set()


def ensure_database(path: str | Path | None = None) -> Path:
    """Create or migrate the database at ``path`` and seed its reference data; return the path.

    Checked once per process and file: later calls return at once while the file exists.
    """
    p = db_path(path)
    if p.resolve() in _ENSURED and p.exists():
        return p
    p.parent.mkdir(parents=True, exist_ok=True)
    with connect(p) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            version = current_version(con)
            for v, ddl in MIGRATIONS:
                if v > version:
                    con.execute(ddl)
                    con.execute("INSERT INTO schema_version (version) VALUES (?)", [v])
            con.execute(_VIEWS)
            changed = _seed(con)
            if changed & {"level", "indicator", "locality"} and version:
                readmodel.rescore_all(con)  # the rule's inputs changed: every score is recomputed
            else:
                readmodel.add_scores(con)  # assessments written before the scores table existed
            if changed and version:
                readmodel.bump(con, None)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    _ENSURED.add(p.resolve())
    return p
