"""Writing validated files to the database: one transaction per file, history kept.

A file whose bytes were already loaded is a no-op (``duplicate``). A new assessment for the same
unit, year and stage supersedes the current one; the old one stays, pointing at its successor.
A roll-back withdraws an upload's assessments and restores the ones they superseded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from etl.model import Parsed


@dataclass
class Outcome:
    status: str  # 'loaded' | 'duplicate' | 'rejected'
    upload_id: int | None
    assessments: int


def loaded_upload(con: duckdb.DuckDBPyConnection, sha256: str) -> int | None:
    row = con.execute(
        "SELECT upload_id FROM upload WHERE sha256 = ? AND outcome = 'loaded' ORDER BY upload_id LIMIT 1",
        [sha256],
    ).fetchone()
    return row[0] if row else None


def _problems_json(parsed: Parsed) -> str:
    return json.dumps([p.to_dict() for p in parsed.problems], ensure_ascii=False)


def record_upload(
    con: duckdb.DuckDBPyConnection, parsed: Parsed, user: str, outcome: str, stored_path: str | None
) -> int:
    return con.execute(
        """INSERT INTO upload (file_name, size_bytes, sha256, uploaded_by, outcome, assessments,
                               problems, stored_path, illustrative)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING upload_id""",
        [
            parsed.file_name,
            parsed.size,
            parsed.sha256,
            user,
            outcome,
            len(parsed.assessments) if outcome == "loaded" else 0,
            _problems_json(parsed),
            stored_path,
            parsed.illustrative,
        ],
    ).fetchone()[0]


def write_parsed(
    con: duckdb.DuckDBPyConnection, parsed: Parsed, user: str, stored_path: str | None = None
) -> Outcome:
    """Store one file inside the caller's open transaction. Rejected files leave only an audit row."""
    if not parsed.ok:
        uid = record_upload(con, parsed, user, "rejected", None)
        return Outcome("rejected", uid, 0)
    if loaded_upload(con, parsed.sha256) is not None:
        uid = record_upload(con, parsed, user, "duplicate", None)
        return Outcome("duplicate", uid, 0)
    uid = record_upload(con, parsed, user, "loaded", stored_path)
    rows = []
    for a in parsed.assessments:
        aid = con.execute(
            """INSERT INTO assessment (locality_id, year, stage, upload_id, source_sheet, source_column,
                                       prepared_by, prepared_on)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING assessment_id""",
            [a.unit.locality_id, a.year, a.stage, uid, a.sheet, a.column, a.prepared_by, a.prepared_on],
        ).fetchone()[0]
        con.execute(
            """UPDATE assessment SET superseded_by = ?
               WHERE locality_id = ? AND year = ? AND stage = ? AND assessment_id <> ?
                 AND superseded_by IS NULL AND withdrawn_at IS NULL""",
            [aid, a.unit.locality_id, a.year, a.stage, aid],
        )
        rows.extend(
            (aid, r.indicator, r.level, r.score, r.evidence, r.note, f"{a.sheet}!{r.cell}") for r in a.results
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "assessment_id",
            "indicator_code",
            "level",
            "reported_score",
            "evidence",
            "note",
            "source_cell",
        ],
    )
    con.register("_results", frame)
    con.execute("INSERT INTO result SELECT * FROM _results")
    con.unregister("_results")
    return Outcome("loaded", uid, len(parsed.assessments))


def rollback_upload(con: duckdb.DuckDBPyConnection, upload_id: int, user: str) -> int:
    """Withdraw an upload's assessments and restore what they superseded; returns how many."""
    ids = [
        r[0]
        for r in con.execute(
            "SELECT assessment_id FROM assessment WHERE upload_id = ? AND withdrawn_at IS NULL", [upload_id]
        ).fetchall()
    ]
    if not ids:
        return 0
    con.execute(
        "UPDATE assessment SET withdrawn_at = current_timestamp WHERE upload_id = ? AND withdrawn_at IS NULL",
        [upload_id],
    )
    # What a withdrawn assessment superseded now points at what superseded the withdrawn one:
    # current again if the withdrawn one was current, still superseded if a later upload won.
    con.execute(
        f"""UPDATE assessment AS a SET superseded_by = w.superseded_by
            FROM assessment AS w
            WHERE a.superseded_by = w.assessment_id AND w.assessment_id IN ({",".join("?" * len(ids))})""",
        ids,
    )
    con.execute(
        """UPDATE upload SET outcome = 'rolled_back', rolled_back_at = current_timestamp, rolled_back_by = ?
           WHERE upload_id = ?""",
        [user, upload_id],
    )
    return len(ids)
