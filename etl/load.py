"""The ETL pipeline for many files: read and validate in parallel, then write one file per transaction.

Reading and validating (the slow part) happen in worker processes and never hold the database;
only the short writes do, in the calling process, so other writers and readers wait milliseconds.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from core.config import db_path, store_dir
from core.db import connect
from core.problems import Problem
from core.schema import ensure_database
from core.units import registry
from etl.model import Parsed
from etl.readers import ACCEPTED
from etl.store import Item, write_items
from etl.validate import parse_bytes

PARALLEL_MIN_FILES = 8
GROUP_SIZE = 64  # files per write transaction; other writers get a turn between groups


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


def _init_worker() -> None:
    registry()  # build the unit index once per worker


def _parse_path(path: str, keep_in: str | None = None) -> tuple[Parsed, str | None]:
    """Read and validate one file; with ``keep_in`` (a database path), also keep its original.

    Runs in the worker processes, which hold the bytes already: keeping originals here rather than
    in the writer measured 10-30 % faster on the benchmark (bench/etl.py, BENCHMARKS.md).
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        from core.problems import problem

        parsed = Parsed(p.name, 0, "")
        parsed.problems.append(problem("file-unreadable", value=p.name, reason=exc.strerror or str(exc)))
        return parsed, None
    parsed = parse_bytes(p.name, data)
    stored = keep_original(Path(keep_in), parsed, data) if keep_in and parsed.ok else None
    return parsed, stored


def _parse_paths(
    paths: list[Path], jobs: int | None, keep_in: Path | None
) -> Iterator[tuple[Parsed, str | None]]:
    jobs = jobs or os.cpu_count() or 1
    keep = str(keep_in) if keep_in else None
    if jobs <= 1 or len(paths) < PARALLEL_MIN_FILES:
        for p in paths:
            yield _parse_path(str(p), keep)
        return
    registry()  # built before the fork, so forked workers inherit it instead of rebuilding
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker) as pool:
        yield from pool.map(_parse_path, [str(p) for p in paths], [keep] * len(paths), chunksize=8)


def parse_paths(paths: list[Path], jobs: int | None = None) -> Iterator[Parsed]:
    """Parse files in order, in worker processes when there are enough of them."""
    for parsed, _ in _parse_paths(paths, jobs, None):
        yield parsed


def keep_original(db: Path, parsed: Parsed, data: bytes) -> str:
    """Store the original bytes content-addressed (sha256) beside the database; return the path.

    Written to a temporary name and renamed, so a reader never sees half a file; the same bytes
    sent twice at once end as one file.
    """
    ext = Path(parsed.file_name).suffix.lower()
    if ext not in ACCEPTED:
        ext = ".bin"
    target = store_dir(db) / parsed.sha256[:2] / f"{parsed.sha256}{ext}"
    if not target.exists():
        if not target.parent.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp" + str(os.getpid()))
        tmp.write_bytes(data)
        os.replace(tmp, target)
    return str(target.relative_to(db.parent))


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
            p,
        )
        for f, p in zip(files, parse_paths(files, jobs), strict=True)
    ]


def store_parsed(
    items: Iterable[tuple[str, Parsed, bytes | None]], db: str | Path | None = None, user: str = "cli"
) -> Iterator[FileReport]:
    """Write already-parsed files in groups (see etl/store.py); yields one report per file, in order."""
    path = ensure_database(db)
    kept = (
        (label, parsed, keep_original(path, parsed, data) if parsed.ok and data is not None else None)
        for label, parsed, data in items
    )
    return _write(kept, path, user)


def _write(items: Iterable[tuple[str, Parsed, str | None]], path: Path, user: str) -> Iterator[FileReport]:
    """The write lock is held only while a group is written, never while files are parsed."""
    it = iter(items)
    while group := list(islice(it, GROUP_SIZE)):
        batch = [(label, Item(parsed, user, stored)) for label, parsed, stored in group]
        with connect(path) as con:
            outcomes = write_items(con, [item for _, item in batch])
        for (label, item), out in zip(batch, outcomes, strict=True):
            p = item.parsed
            yield FileReport(label, out.status, out.assessments, p.problems, out.upload_id, p.layout, p)


def load_files(
    paths: Iterable[str | os.PathLike[str]],
    db: str | Path | None = None,
    user: str = "cli",
    jobs: int | None = None,
) -> list[FileReport]:
    """Validate and load files (directories allowed). Each file lands whole or not at all."""
    files = expand_paths(paths)
    path = ensure_database(db_path(db))
    parsed = _parse_paths(files, jobs, path)
    return list(
        _write(((str(f), p, stored) for f, (p, stored) in zip(files, parsed, strict=True)), path, user)
    )


def load_bytes(name: str, data: bytes, db: str | Path | None = None, user: str = "cli") -> FileReport:
    """Validate and load one file given as bytes (the upload view's path in)."""
    parsed = parse_bytes(name, data)
    return next(store_parsed([(parsed.file_name, parsed, data)], db, user))
