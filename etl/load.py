"""The ETL pipeline for many files: read and validate in limited worker processes, then write in groups.

Reading and validating (the slow and the risky part) happen in the parse workers of
etl/sandbox.py and never hold the database; only the short writes do, in the calling process, so
other writers and readers wait milliseconds. Every file gets a report, whatever happened to it:
one file's failure never stops the others.

Memory stays bounded whatever the number of files: the parse window is bounded (etl/sandbox.py),
a write group is bounded in files and in result rows, and a report keeps only the problems once
its file is written.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from core.config import db_path
from core.db import connect
from core.problems import Problem
from core.schema import ensure_database
from etl.model import Parsed
from etl.originals import keep_original, loading
from etl.readers import ACCEPTED, base_name
from etl.sandbox import ParsePool, Task, parse_untrusted, shared_pool
from etl.store import Item, write_items

log = logging.getLogger(__name__)

# Files per write transaction (other writers get a turn between groups; each group costs a
# database open, a commit and a checkpoint, ~50-150 ms); ISO18091_GROUP_FILES tunes it.
GROUP_SIZE = int(os.environ.get("ISO18091_GROUP_FILES", "256") or 256)
GROUP_MIN = 96  # ... but a group that big is written when the next file is not parsed yet
GROUP_ROWS = 100_000  # ... and result rows: a group of province-sized files stays small
__all__ = ["FileReport", "keep_original", "load_bytes", "load_files", "store_parsed", "validate_files"]


@dataclass
class FileReport:
    file: str
    status: str  # valid | loaded | duplicate | rejected
    assessments: int
    problems: list[Problem] = field(default_factory=list)
    upload_id: int | None = None
    layout: str | None = None
    parsed: Parsed | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "status": self.status,
            "assessments": self.assessments,
            "layout": self.layout,
            "upload_id": self.upload_id,
            "problems": [p.to_dict() for p in self.problems],
        }


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, and the accepted files inside any directory (sorted, recursive)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file() and f.suffix.lower() in ACCEPTED and not f.name.startswith(("~$", "."))
                )
            )
        else:
            out.append(p)
    return out


SMALL_BATCH = 8  # fewer files than this use the process's shared workers (no start-up per call)


def _workers(jobs: int | None, files: int) -> int:
    return max(1, min(jobs or os.cpu_count() or 1, files))


@contextlib.contextmanager
def _pool(jobs: int | None, files: int) -> Iterator[ParsePool]:
    """The shared workers for a few files, else a pool of ``jobs`` workers for this batch."""
    if files < SMALL_BATCH and jobs is None:
        yield shared_pool()
        return
    with ParsePool(_workers(jobs, files)) as pool:
        yield pool


def parse_paths(paths: list[Path], jobs: int | None = None) -> Iterator[Parsed]:
    """Parse files in order, in limited worker processes."""
    with _pool(jobs, len(paths)) as pool:
        for done in pool.run((Task(p.name, path=str(p)) for p in paths), expected=len(paths)):
            yield done.parsed


def validate_files(paths: Iterable[str | os.PathLike[str]], jobs: int | None = None) -> list[FileReport]:
    """Read and validate; writes nothing."""
    files = expand_paths(paths)
    return [
        FileReport(
            str(f),
            "valid" if p.ok else "rejected",
            len(p.assessments) if p.ok else 0,
            p.problems,
            None,
            p.layout,
        )
        for f, p in zip(files, parse_paths(files, jobs), strict=True)
    ]


def store_parsed(
    items: Iterable[tuple[str, Parsed, bytes | None]], db: str | Path | None = None, user: str = "cli"
) -> Iterator[FileReport]:
    """Write already-parsed files in groups (see etl/store.py); yields one report per file, in order."""
    path = ensure_database(db)

    def kept() -> Iterator[tuple[str, Parsed, str | None]]:
        for label, parsed, data in items:
            yield label, parsed, keep_original(path, parsed, data) if parsed.ok and data is not None else None

    def run() -> Iterator[FileReport]:
        with loading(path):
            yield from _write(kept(), path, user, keep_parsed=True)

    return run()


def _groups(
    items: Iterable[tuple[str, Parsed, str | None]], ready: Callable[[], bool] | None = None
) -> Iterator[list[tuple[str, Parsed, str | None]]]:
    """Consecutive files, at most GROUP_SIZE of them and about GROUP_ROWS result rows per group.

    With ``ready`` (is the next parsed file there already?), a group of at least GROUP_MIN files
    is also written as soon as the writer would have to wait: the workers go on parsing while it
    writes, instead of the writer waiting for a full group.
    """
    group: list[tuple[str, Parsed, str | None]] = []
    rows = 0
    for item in items:
        group.append(item)
        rows += sum(len(a.results) for a in item[1].assessments) if item[1].ok else 0
        if (
            len(group) >= GROUP_SIZE
            or rows >= GROUP_ROWS
            or (ready is not None and len(group) >= GROUP_MIN and not ready())
        ):
            yield group
            group, rows = [], 0
    if group:
        yield group


def _write(
    items: Iterable[tuple[str, Parsed, str | None]],
    path: Path,
    user: str,
    keep_parsed: bool = False,
    ready: Callable[[], bool] | None = None,
) -> Iterator[FileReport]:
    """The write lock is held only while a group is written, never while files are parsed."""
    for group in _groups(items, ready):
        batch = [(label, Item(parsed, user, stored)) for label, parsed, stored in group]
        with connect(path) as con:
            outcomes = write_items(con, [item for _, item in batch])
        for (label, item), out in zip(batch, outcomes, strict=True):
            p = item.parsed
            yield FileReport(
                label,
                out.status,
                out.assessments,
                p.problems,
                out.upload_id,
                p.layout,
                p if keep_parsed else None,
            )


def load_files(
    paths: Iterable[str | os.PathLike[str]],
    db: str | Path | None = None,
    user: str = "cli",
    jobs: int | None = None,
) -> list[FileReport]:
    """Validate and load files (directories allowed). Each file lands whole or not at all."""
    return list(iter_load_files(paths, db, user, jobs))


def iter_load_files(
    paths: Iterable[str | os.PathLike[str]],
    db: str | Path | None = None,
    user: str = "cli",
    jobs: int | None = None,
) -> Iterator[FileReport]:
    """load_files, one report at a time as groups are written (for progress and bounded memory)."""
    files = expand_paths(paths)
    path = ensure_database(db_path(db))
    keep = str(path)
    with loading(path), _pool(jobs, len(files)) as pool:
        done = pool.run((Task(f.name, path=str(f), keep_in=keep) for f in files), expected=len(files))
        yield from _write(
            ((str(f), d.parsed, d.stored) for f, d in zip(files, done, strict=True)), path, user
        )


def load_bytes(name: str, data: bytes, db: str | Path | None = None, user: str = "cli") -> FileReport:
    """Validate (in a limited worker process) and load one file given as bytes."""
    parsed = parse_untrusted(base_name(name), data)
    return next(store_parsed([(parsed.file_name, parsed, data)], db, user))
