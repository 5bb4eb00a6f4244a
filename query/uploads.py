"""Upload history and what an upload would change: the read side of the upload and history pages."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from core.catalogue import indicator_codes, indicator_names
from core.config import db_path, store_dir
from core.scoring import LEVEL_RANK
from query.base import frame

Key = tuple[str, int, str]  # (locality_id, year, stage)


def upload_history(db: str | Path | None = None, limit: int = 1000) -> pd.DataFrame:
    """Every upload, newest first: who, when, file name, size, SHA-256, outcome, assessments."""
    return frame(
        """SELECT upload_id, uploaded_at, uploaded_by, file_name, size_bytes, sha256, outcome, assessments,
                  stored_path, illustrative, rolled_back_at, rolled_back_by
           FROM upload ORDER BY upload_id DESC LIMIT ?""",
        [limit],
        db=db,
    )


def upload_problems(upload_id: int, db: str | Path | None = None) -> list[dict[str, str | None]]:
    """The problems recorded with an upload (as Problem.to_dict() values)."""
    df = frame("SELECT problems FROM upload WHERE upload_id = ?", [upload_id], db=db)
    if df.empty or not isinstance(df["problems"].iloc[0], str):
        return []
    return json.loads(df["problems"].iloc[0])


def loaded_uploads(sha256s: Iterable[str], db: str | Path | None = None) -> dict[str, int]:
    """sha256 -> upload_id for the files among ``sha256s`` that are loaded (a re-upload is a no-op)."""
    shas = sorted(set(sha256s))
    if not shas:
        return {}
    df = frame(
        """SELECT sha256, min(upload_id) AS upload_id FROM upload
           WHERE outcome = 'loaded' AND sha256 IN (SELECT unnest(?)) GROUP BY sha256""",
        [shas],
        db=db,
    )
    return dict(zip(df["sha256"], df["upload_id"].astype(int), strict=True))


def current_levels(keys: Iterable[Key], db: str | Path | None = None) -> dict[Key, dict[str, str]]:
    """For each (locality_id, year, stage) that has a current assessment: indicator -> level."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    keys_df = pd.DataFrame(wanted, columns=["locality_id", "year", "stage"])
    df = frame(
        """SELECT a.locality_id, a.year, a.stage, r.indicator_code, r.level
           FROM assessment a JOIN current_assessment_ids USING (assessment_id) JOIN result r USING (assessment_id)
           WHERE (a.locality_id, a.year, a.stage) IN (
                 SELECT (k.locality_id, k.year, k.stage) FROM (SELECT unnest(?, recursive := true)) AS k)""",
        [keys_df.to_dict(orient="records")],
        db=db,
    )
    out: dict[Key, dict[str, str]] = {}
    for row in df.itertuples(index=False):
        out.setdefault((row.locality_id, int(row.year), row.stage), {})[row.indicator_code] = row.level
    return out


def level_changes(new: dict[str, str], old: dict[str, str] | None) -> pd.DataFrame:
    """One row per indicator in catalogue order: code, name_vi, name_en, level, current_level, change.

    ``change`` is ``new`` (nothing loaded yet), ``same``, ``better`` or ``worse`` (by level rank).
    """
    names = indicator_names()
    rows = []
    for code in indicator_codes():
        level = new.get(code)
        before = old.get(code) if old else None
        if old is None or before is None:
            change = "new"
        elif level == before:
            change = "same"
        elif level is not None and LEVEL_RANK[level] > LEVEL_RANK[before]:
            change = "better"
        else:
            change = "worse"
        rows.append((code, *names[code], level, before, change))
    return pd.DataFrame(rows, columns=["code", "name_vi", "name_en", "level", "current_level", "change"])


def upload_assessments(upload_id: int, db: str | Path | None = None) -> pd.DataFrame:
    """The assessments an upload holds and what a roll-back would restore.

    Columns: assessment_id, locality_code, locality_name, year, stage, state (current | superseded |
    withdrawn), restores_assessment_id, restores_upload_id (the assessment it superseded, which a
    roll-back makes current again when this one is current).
    """
    return frame(
        """SELECT a.assessment_id, l.code AS locality_code, l.name_with_type AS locality_name, a.year, a.stage,
                  CASE WHEN a.withdrawn_at IS NOT NULL THEN 'withdrawn'
                       WHEN a.superseded_by IS NOT NULL THEN 'superseded' ELSE 'current' END AS state,
                  p.assessment_id AS restores_assessment_id, p.upload_id AS restores_upload_id
           FROM assessment a JOIN locality l USING (locality_id)
           LEFT JOIN assessment p ON p.superseded_by = a.assessment_id
           WHERE a.upload_id = ? ORDER BY l.code, a.year, a.stage""",
        [upload_id],
        db=db,
    )


def original_file(stored_path: object, db: str | Path | None = None) -> Path | None:
    """The kept original of an upload, only if it lies inside the content-addressed store."""
    if not isinstance(stored_path, str) or not stored_path:  # None, or NaN from a DataFrame
        return None
    base = db_path(db).resolve().parent
    p = (base / stored_path).resolve()
    store = store_dir(db_path(db).resolve())
    if not p.is_relative_to(store) or not p.is_file():
        return None
    return p
