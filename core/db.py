"""DuckDB connections for a world where one process writes at a time.

Connections are short: open, do one thing, close. Opening retries while another process holds
the write lock, so a CLI load, the dashboard and an upload can run together. Inside one process
a lock serialises opens, because DuckDB refuses two connections to one file with different
read-only settings in the same process.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from core.config import db_path

_PROCESS_LOCK = threading.RLock()
LOCK_TIMEOUT_S = 60.0


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "different configuration" in text


def _open(path: Path, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + timeout
    delay = 0.002
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            con.execute("SET autoinstall_known_extensions=false")
            con.execute("SET autoload_known_extensions=false")
            return con
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_error(exc) or time.monotonic() > deadline:
                raise
            # DuckDB's file lock is not fair: short, jittered retries keep a waiting reader from
            # always arriving while one of several writers holds the file.
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 0.04)


@contextmanager
def connect(
    path: str | Path | None = None, *, read_only: bool = False, timeout: float = LOCK_TIMEOUT_S
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection; waits (up to ``timeout``) while another process writes."""
    p = db_path(path)
    with _PROCESS_LOCK:
        con = _open(p, read_only, timeout)
        try:
            yield con
        finally:
            con.close()


@contextmanager
def transaction(
    path: str | Path | None = None, *, timeout: float = LOCK_TIMEOUT_S
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A write connection inside one transaction: all of it lands, or none of it."""
    with connect(path, timeout=timeout) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")


def data_version(path: str | Path | None = None) -> tuple[float, int]:
    """Cheap change stamp for caches: the database file's mtime and size (no connection)."""
    p = db_path(path)
    stamps = [(f.stat().st_mtime, f.stat().st_size) for f in (p, Path(str(p) + ".wal")) if f.exists()]
    if not stamps:
        return (0.0, 0)
    return (max(s[0] for s in stamps), sum(s[1] for s in stamps))
