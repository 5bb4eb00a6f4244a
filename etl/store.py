"""Writing validated files to the database, history kept.

Files are written in groups (group commit): a group's uploads, assessments and results go in with
a handful of set-based statements inside one transaction, which is what makes bulk loads fast.
If a group fails, it is rolled back and its files are written again one transaction each, so a
file is never half-loaded and one bad file does not block the others.

A file whose bytes were already loaded is a no-op (``duplicate``); a rejected file leaves only an
audit row in ``upload``. A new assessment for the same unit, year and stage supersedes the
current one; the old one stays, pointing at its successor. A roll-back withdraws an upload's
assessments and restores the ones they superseded.
"""

from __future__ import annotations

import json
import logging
import sys
from array import array
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from core import readmodel
from core.problems import Tr, problem
from etl.model import Parsed, Results
from i18n import N_

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    status: str  # 'loaded' | 'duplicate' | 'rejected'
    upload_id: int | None
    assessments: int


@dataclass
class Item:
    """One file to write: its parse, who sent it, and where its original bytes are kept."""

    parsed: Parsed
    user: str
    stored_path: str | None = None


def _ids(con: duckdb.DuckDBPyConnection, seq: str, n: int) -> list[int]:
    if n == 0:
        return []
    return [r[0] for r in con.execute(f"SELECT nextval('{seq}') FROM range(?)", [n]).fetchall()]


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if len(frame):
        cols = ", ".join(frame.columns)
        con.register("_rows", frame)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _rows")
        con.unregister("_rows")


def _insert_results(con: duckdb.DuckDBPyConnection, aids: list[int], assessments: list) -> None:
    """All results of a group in one INSERT from Arrow columns (the assessments keep them as
    columns: no object per result on the way from a file to the table)."""
    if not assessments:
        return
    names = ("indicator", "level", "score", "evidence", "note")
    cols: dict[str, list] = {k: [] for k in ("assessment_id", *names, "cell", "col")}
    rows = array("l")
    for aid, a in zip(aids, assessments, strict=True):
        res = a.results if isinstance(a.results, Results) else Results(a.results)
        n = len(res)
        cols["assessment_id"].extend([aid] * n)
        for name in names:
            cols[name].extend(getattr(res, name))
        col, where = res.cells()
        if col is None:  # cell addresses as text
            cols["cell"].extend(where)
            cols["col"].extend([None] * n)
            rows.extend([0] * n)
        else:  # one column, row numbers
            cols["cell"].extend([None] * n)
            cols["col"].extend([col] * n)
            rows.extend(where)
    table = pa.table(
        {
            "assessment_id": pa.array(cols["assessment_id"], pa.int32()),
            "indicator": pa.array(cols["indicator"], pa.string()),
            "level": pa.array(cols["level"], pa.string()),
            "score": pa.array(cols["score"], pa.float64()),
            "evidence": pa.array(cols["evidence"], pa.string()),
            "note": pa.array(cols["note"], pa.string()),
            "cell": pa.array(cols["cell"], pa.string()),
            "col": pa.array(cols["col"], pa.string()),
            "row": pa.array(
                np.frombuffer(rows, dtype=np.int64) if rows.itemsize == 8 else list(rows), pa.int64()
            ),
        }
    )
    sheets = pa.table(
        {
            "assessment_id": pa.array(aids, pa.int32()),
            "sheet": pa.array([a.sheet for a in assessments], pa.string()),
        }
    )
    con.register("_results", table)
    con.register("_sheets", sheets)
    con.execute(
        """INSERT INTO result (assessment_id, indicator_code, level, reported_score, evidence, note, source_cell)
           SELECT r.assessment_id, r.indicator, r.level, r.score, r.evidence, r.note,
                  s.sheet || '!' || coalesce(r.cell, r.col || r.row::VARCHAR)
           FROM _results r JOIN _sheets s USING (assessment_id)"""
    )
    con.unregister("_results")
    con.unregister("_sheets")


def write_group(con: duckdb.DuckDBPyConnection, items: list[Item]) -> list[Outcome]:
    """Write files inside the caller's open transaction; one outcome per item, in order."""
    con.register("shas", pd.DataFrame({"sha256": [i.parsed.sha256 for i in items]}))
    loaded = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT u.sha256 FROM upload u JOIN shas USING (sha256) WHERE u.outcome = 'loaded'"
        ).fetchall()
    }
    statuses = []
    for i in items:
        if not i.parsed.ok:
            statuses.append("rejected")
        elif i.parsed.sha256 in loaded:
            statuses.append("duplicate")
        else:
            statuses.append("loaded")
            loaded.add(i.parsed.sha256)  # the same bytes twice in one group: the second is a duplicate

    upload_ids = _ids(con, "upload_seq", len(items))
    uploads = pd.DataFrame(
        {
            "upload_id": upload_ids,
            "file_name": [i.parsed.file_name for i in items],
            "size_bytes": [i.parsed.size for i in items],
            "sha256": [i.parsed.sha256 for i in items],
            "uploaded_by": [i.user for i in items],
            "outcome": statuses,
            "assessments": [
                len(i.parsed.assessments) if s == "loaded" else 0
                for i, s in zip(items, statuses, strict=True)
            ],
            "problems": [
                json.dumps([p.to_dict() for p in i.parsed.problems], ensure_ascii=False) for i in items
            ],
            "stored_path": [
                i.stored_path if s == "loaded" else None for i, s in zip(items, statuses, strict=True)
            ],
            "illustrative": [i.parsed.illustrative for i in items],
        }
    )

    new = [
        (uid, a)
        for uid, i, s in zip(upload_ids, items, statuses, strict=True)
        if s == "loaded"
        for a in i.parsed.assessments
    ]
    aids = _ids(con, "assessment_seq", len(new))
    keys = pd.DataFrame(
        {
            "locality_id": [a.unit.locality_id for _, a in new],
            "year": [a.year for _, a in new],
            "stage": [a.stage for _, a in new],
        }
    ).drop_duplicates()
    current: dict[tuple[str, int, str], int] = {}
    if len(keys):
        con.register("keys", keys)
        for aid, lid, year, stage in con.execute(
            """SELECT a.assessment_id, a.locality_id, a.year, a.stage FROM current_assessments a
               JOIN keys k ON a.locality_id = k.locality_id AND a.year = k.year AND a.stage = k.stage"""
        ).fetchall():
            current[(lid, year, stage)] = aid
    supersede: list[tuple[int, int]] = []
    for aid, (_, a) in zip(aids, new, strict=True):
        key = (a.unit.locality_id, a.year, a.stage)
        if key in current:
            supersede.append((current[key], aid))
        current[key] = aid

    assessments = pd.DataFrame(
        {
            "assessment_id": aids,
            "locality_id": [a.unit.locality_id for _, a in new],
            "year": [a.year for _, a in new],
            "stage": [a.stage for _, a in new],
            "upload_id": [uid for uid, _ in new],
            "source_sheet": [a.sheet for _, a in new],
            "source_column": [a.column for _, a in new],
            "prepared_by": [a.prepared_by for _, a in new],
            "prepared_on": pd.Series([a.prepared_on for _, a in new], dtype="object"),
        }
    )
    _insert(con, "upload", uploads)
    _insert(con, "assessment", assessments)
    _insert_results(con, aids, [a for _, a in new])
    if supersede:
        con.register("links", pd.DataFrame(supersede, columns=["old_id", "new_id"]))
        con.execute(
            "UPDATE assessment SET superseded_by = links.new_id FROM links WHERE assessment.assessment_id = links.old_id"
        )
    if aids:
        readmodel.add_scores(con, aids)
        readmodel.bump(con, readmodel.provinces_of_assessments(con, aids))
    return [
        Outcome(s, uid, len(i.parsed.assessments) if s == "loaded" else 0)
        for i, s, uid in zip(items, statuses, upload_ids, strict=True)
    ]


def write_items(con: duckdb.DuckDBPyConnection, items: list[Item]) -> list[Outcome]:
    """Group commit; on failure, roll back and write each file in its own transaction.

    A file the database refuses is recorded as rejected (``load-failed``, the database's own words
    in the log), so one file never stops the others; only a database that cannot even take the
    audit row raises.
    """
    try:
        return _in_transaction(con, items)
    except Exception:  # the database refused something, or a value could not be framed
        if len(items) == 1:
            return [_refused(con, items[0])]
    outcomes = []
    for item in items:
        try:
            outcomes.extend(_in_transaction(con, [item]))
        except Exception:
            outcomes.append(_refused(con, item))
    return outcomes


def _in_transaction(con: duckdb.DuckDBPyConnection, items: list[Item]) -> list[Outcome]:
    con.execute("BEGIN TRANSACTION")
    try:
        out = write_group(con, items)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return out


def _refused(con: duckdb.DuckDBPyConnection, item: Item) -> Outcome:
    """Record a file the database would not take: nothing of it is written but its audit row."""
    exc = sys.exc_info()[1]
    log.warning("the database refused %s: %s", item.parsed.file_name, exc)
    reason = (
        Tr(N_("a value breaks a rule of the database"))
        if isinstance(exc, duckdb.ConstraintException)
        else Tr(N_("the database could not write it"))
    )
    item.parsed.problems.append(problem("load-failed", value=item.parsed.file_name, reason=reason))
    return _in_transaction(con, [item])[0]


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
    readmodel.bump(con, readmodel.provinces_of_assessments(con, ids))
    return len(ids)
