"""Loaded files' original bytes, kept beside the database under their SHA-256, and never left orphaned.

An original is written before its upload row is committed (so a committed upload always has its
file). A loader killed in between leaves a file that no upload row names. Every loader holds a
shared lock on ``<db>.files/.loading.lock`` while it may write originals; a loader that finds no
other loader (it gets the lock exclusively for a moment) first deletes the files that no upload
row names and the temporary files of interrupted writes. The kernel releases the lock of a killed
process, so a crash never blocks the clean-up, and a running loader's pending files are never
touched by another's.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from core.config import store_dir
from core.db import connect
from etl.model import Parsed
from etl.readers import ACCEPTED

log = logging.getLogger(__name__)
LOCK_NAME = ".loading.lock"


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


def orphans(db: Path) -> list[Path]:
    """Kept files that no upload row names, and leftovers of interrupted writes."""
    store = store_dir(db)
    kept = [f for f in store.glob("??/*") if f.is_file()] if store.is_dir() else []
    if not kept:
        return []
    with connect(db, read_only=True) as con:
        named = {
            (db.parent / r[0]).resolve()
            for r in con.execute("SELECT stored_path FROM upload WHERE stored_path IS NOT NULL").fetchall()
        }
    return [f for f in kept if ".tmp" in f.suffix or f.resolve() not in named]


def clean_orphans(db: Path) -> int:
    """Delete the orphans (the caller holds the lock exclusively); returns how many."""
    n = 0
    for f in orphans(db):
        with contextlib.suppress(OSError):
            f.unlink()
            n += 1
    if n:
        log.info("removed %d kept files that no upload names (an interrupted load)", n)
    return n


@contextlib.contextmanager
def loading(db: Path) -> Iterator[None]:
    """Hold the loaders' shared lock; clean up orphans first when no other loader runs."""
    store = store_dir(db)
    store.mkdir(parents=True, exist_ok=True)
    fd = os.open(store / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # another loader is running: its pending originals are not orphans
        else:
            try:
                clean_orphans(db)
            except Exception:  # a clean-up must never stop a load
                log.exception("could not clean up kept files")
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)
