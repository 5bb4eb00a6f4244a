"""The upload workflow as a service: preview, load, roll back. The upload and history pages only draw.

- **preview**: each dropped file is read and validated in a limited worker (etl/sandbox.py), once
  per content (SHA-256) in a session; a refused file is recorded in the history at once; for the
  others, what each assessment would replace is read from what is loaded now.
- **load**: the confirmed files are written in groups, each file whole or not at all
  (etl/load.py, etl/store.py), originals kept content-addressed.
- **roll back**: one transaction withdraws an upload's assessments and restores what they had
  replaced (etl/store.py).

The CLI and the tests use the same functions, so a page shows exactly what ``python -m etl``
would do.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.db import connect, transaction
from core.schema import ensure_database
from etl.load import FileReport, store_parsed
from etl.model import Assessment, Parsed
from etl.readers import base_name
from etl.sandbox import annotate_untrusted, parse_many_untrusted
from etl.store import rollback_upload

log = logging.getLogger(__name__)

Key = tuple[str, int, str]  # (locality_id, year, stage)


@dataclass
class Entry:
    """One dropped file as a session has seen it (kept by SHA-256 across reruns)."""

    name: str
    data: bytes = field(repr=False)
    parsed: Parsed
    annotated: bytes | None = field(default=None, repr=False)
    annotated_done: bool = False
    outcome: str | None = None  # 'loaded' | 'duplicate' | 'rejected' once written
    upload_id: int | None = None
    before: dict[Key, dict[str, str]] = field(default_factory=dict)  # levels each assessment replaces

    @property
    def sha256(self) -> str:
        return self.parsed.sha256


def key(a: Assessment) -> Key:
    return (a.unit.locality_id, a.year, a.stage)


def entries(files: Iterable[tuple[str, bytes]], cache: MutableMapping[str, Entry]) -> list[Entry]:
    """The files as entries, parsing only content not seen before; files no longer given are forgotten."""
    todo: list[tuple[str, str, bytes]] = []
    order: list[str] = []
    for name, data in files:
        sha = hashlib.sha256(data).hexdigest()
        if sha in order:
            continue  # the same bytes twice in one drop: one file
        order.append(sha)
        if sha not in cache:
            todo.append((sha, base_name(name), data))
    for (sha, name, data), parsed in zip(
        todo, parse_many_untrusted([(n, d) for _, n, d in todo]), strict=True
    ):
        cache[sha] = Entry(name, data, parsed)
    for sha in set(cache) - set(order):  # files taken off the uploader: forget them (and their bytes)
        del cache[sha]
    return [cache[sha] for sha in order]


def record_rejections(items: list[Entry], db: str | Path, user: str) -> None:
    """A refused file is written to the history at once (who, when, name, size, hash, problems)."""
    todo = [e for e in items if not e.parsed.ok and e.outcome is None]
    for e, report in zip(todo, store_parsed([(e.name, e.parsed, None) for e in todo], db, user), strict=True):
        e.outcome, e.upload_id = report.status, report.upload_id


def loaded_uploads(sha256s: Iterable[str], db: str | Path) -> dict[str, int]:
    """sha256 -> upload_id of the files among ``sha256s`` that are loaded now."""
    shas = sorted(set(sha256s))
    if not shas:
        return {}
    with connect(ensure_database(db), read_only=True) as con:
        rows = con.execute(
            """SELECT sha256, min(upload_id) FROM upload
               WHERE outcome = 'loaded' AND sha256 IN (SELECT unnest(?::VARCHAR[])) GROUP BY sha256""",
            [shas],
        ).fetchall()
    return {sha: int(uid) for sha, uid in rows}


def current_levels(keys: Iterable[Key], db: str | Path) -> dict[Key, dict[str, str]]:
    """For each (locality_id, year, stage) that has a current assessment: indicator -> level."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    frame = pd.DataFrame(wanted, columns=["locality_id", "year", "stage"])
    with connect(ensure_database(db), read_only=True) as con:
        con.register("wanted", frame)
        rows = con.execute(
            """SELECT a.locality_id, a.year, a.stage, r.indicator_code, r.level
               FROM assessment a JOIN result r USING (assessment_id)
               JOIN wanted w ON w.locality_id = a.locality_id AND w.year = a.year AND w.stage = a.stage
               WHERE a.superseded_by IS NULL AND a.withdrawn_at IS NULL"""
        ).fetchall()
    out: dict[Key, dict[str, str]] = {}
    for lid, year, stage, code, level in rows:
        out.setdefault((lid, int(year), stage), {})[code] = level
    return out


def status(e: Entry, loaded: dict[str, int]) -> str:
    """'loaded' | 'rejected' | 'duplicate' (the same bytes are loaded already) | 'ready'."""
    if e.outcome == "loaded":
        return "loaded"
    if not e.parsed.ok:
        return "rejected"
    if e.sha256 in loaded:
        return "duplicate"
    return "ready"


@dataclass
class Preview:
    """What the page shows for a drop: each file's state and what it would change."""

    entries: list[Entry]
    statuses: list[str]
    loaded: dict[str, int]  # sha256 -> upload_id of files loaded already

    @property
    def ready(self) -> list[Entry]:
        return [e for e, s in zip(self.entries, self.statuses, strict=True) if s == "ready"]


def preview(
    files: Iterable[tuple[str, bytes]], cache: MutableMapping[str, Entry], db: str | Path, user: str
) -> Preview:
    """Parse (new content only), record refusals, and compare with what is loaded now."""
    items = entries(files, cache)
    record_rejections(items, db, user)
    loaded = loaded_uploads([e.sha256 for e in items], db)
    pending = [e for e in items if e.outcome != "loaded"]
    current = current_levels([key(a) for e in pending for a in e.parsed.assessments], db)
    for e in pending:  # what each file would replace, kept once it is loaded
        e.before = {key(a): current[key(a)] for a in e.parsed.assessments if key(a) in current}
    return Preview(items, [status(e, loaded) for e in items], loaded)


def load(
    items: list[Entry], db: str | Path, user: str, progress: Callable[[int, int], None] | None = None
) -> list[FileReport]:
    """Write the files (each whole or not at all); their outcome is kept on the entries."""
    reports = []
    stream = store_parsed([(e.name, e.parsed, e.data) for e in items], db, user)
    for i, (e, report) in enumerate(zip(items, stream, strict=False), start=1):
        e.outcome, e.upload_id = report.status, report.upload_id
        reports.append(report)
        if progress:
            progress(i, len(items))
    return reports


def annotated(e: Entry) -> bytes | None:
    """The file back as .xlsx with its problems marked (made once, in a limited worker)."""
    from etl.annotate import can_annotate

    if not e.annotated_done:
        e.annotated = (
            annotate_untrusted(e.name, e.data, e.parsed.problems) if can_annotate(e.parsed.problems) else None
        )
        e.annotated_done = True
    return e.annotated


def roll_back(upload_id: int, db: str | Path, user: str) -> int:
    """Withdraw an upload's assessments and restore what they replaced; returns how many."""
    with transaction(db) as con:
        return rollback_upload(con, upload_id, user)
