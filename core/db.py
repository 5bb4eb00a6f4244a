"""DuckDB connections for a world where one process writes at a time.

DuckDB lets one process write a file, or several processes read it, never both. So:

- Readers in one process share one read-only database instance per file: each ``connect(...,
  read_only=True)`` gets its own cursor on it, so the dashboard's sessions run their queries side by
  side instead of queueing, and the instance (and DuckDB's cache of the data) stays open for a
  short grace period after the last reader, so a page's queries do not each pay for opening the
  file (~12 ms) and for a cold cache.
- A writer (``connect()`` / ``transaction()``) first waits for this process's readers to finish,
  then opens the file read-write, retrying while another process holds it. While it waits it
  leaves a flag file beside the database; readers in every process that see it close their idle
  instance at once and hold new queries back briefly, so a bulk load in a shell is never starved
  by a busy dashboard, and a dashboard query waits at most one write transaction.
"""

from __future__ import annotations

import atexit
import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from core.config import db_path

LOCK_TIMEOUT_S = 60.0
READER_GRACE_S = 2.0  # an idle shared read instance is closed after this long
FLAG_WAIT_S = 1.0  # a reader holds back at most this long for waiting writers, then takes its turn


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "conflicting" in text or "different configuration" in text


def _configure(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    con.execute("SET autoinstall_known_extensions=false")
    con.execute("SET autoload_known_extensions=false")
    return con


def _open(path: Path, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + timeout
    delay = 0.002
    while True:
        try:
            return _configure(duckdb.connect(str(path), read_only=read_only))
        except (duckdb.IOException, duckdb.ConnectionException) as exc:
            if not _is_lock_error(exc) or time.monotonic() > deadline:
                raise
            # DuckDB's file lock is not fair: short, jittered retries keep a waiting reader from
            # always arriving while one of several writers holds the file.
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 0.04)


def writer_flag(path: Path, pid: int | None = None) -> Path:
    """The file a writer process leaves beside the database while it waits for or holds the lock."""
    return path.with_name(f"{path.name}.writer-{pid or os.getpid()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _writer_waiting(path: Path) -> bool:
    """A live writer (any process) wants the file; flags left by dead processes are ignored."""
    prefix = path.name + ".writer-"
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix)]
    except OSError:
        return False
    for name in names:
        try:
            pid = int(name[len(prefix) :])
        except ValueError:
            continue
        if pid == os.getpid() or _alive(pid):
            return True
    return False


@dataclass
class _Shared:
    con: duckdb.DuckDBPyConnection
    users: int = 0
    last_used: float = field(default_factory=time.monotonic)


class _Pool:
    """The process's shared read instances and the writers waiting for them."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.shared: dict[Path, _Shared] = {}
        self.writers: dict[Path, int] = {}
        self.write_lock = threading.RLock()
        self._reaper: threading.Thread | None = None

    def _close(self, key: Path) -> None:
        entry = self.shared.pop(key, None)
        if entry is not None:
            entry.con.close()

    def _start_reaper(self) -> None:
        if self._reaper is None or not self._reaper.is_alive():
            self._reaper = threading.Thread(target=self._reap, name="duckdb-reader-reaper", daemon=True)
            self._reaper.start()

    def _reap(self) -> None:
        while True:
            time.sleep(READER_GRACE_S / 4)
            with self.cond:
                now = time.monotonic()
                for key, entry in list(self.shared.items()):
                    idle = entry.users == 0
                    if idle and (now - entry.last_used > READER_GRACE_S or _writer_waiting(key)):
                        self._close(key)
                if not self.shared:
                    self._reaper = None
                    return

    def acquire(self, key: Path, timeout: float) -> _Shared:
        deadline = time.monotonic() + timeout
        held_back_until = time.monotonic() + FLAG_WAIT_S
        with self.cond:
            while True:
                if self.writers.get(key):
                    self.cond.wait(0.05)
                    continue
                entry = self.shared.get(key)
                if _writer_waiting(key) and time.monotonic() < held_back_until:
                    # Let the writer in: drop our idle instance, hold new queries back a moment.
                    if entry is not None and entry.users == 0:
                        self._close(key)
                    if entry is None or entry.users == 0:
                        self.cond.wait(0.02)
                        continue
                if entry is None:
                    con = _open(key, True, max(0.0, deadline - time.monotonic()))
                    entry = self.shared[key] = _Shared(con)
                    self._start_reaper()
                entry.users += 1
                return entry

    def release(self, key: Path, entry: _Shared) -> None:
        with self.cond:
            entry.users -= 1
            entry.last_used = time.monotonic()
            waiting = self.writers.get(key) or _writer_waiting(key)
            if entry.users == 0 and waiting and self.shared.get(key) is entry:
                self._close(key)
            self.cond.notify_all()

    @contextmanager
    def writing(self, key: Path) -> Iterator[None]:
        """Exclusive in this process: wait for our readers to leave, flag other processes' readers."""
        with self.cond:
            self.writers[key] = self.writers.get(key, 0) + 1
        try:
            with self.write_lock:
                with self.cond:
                    while (entry := self.shared.get(key)) is not None and entry.users > 0:
                        self.cond.wait(0.05)
                    self._close(key)
                flag = writer_flag(key)
                try:
                    flag.touch()
                except OSError:
                    flag = None  # a read-only folder: no flag, plain retries
                try:
                    yield
                finally:
                    if flag is not None:
                        flag.unlink(missing_ok=True)
        finally:
            with self.cond:
                self.writers[key] -= 1
                self.cond.notify_all()


_POOL = _Pool()


@atexit.register
def _close_at_exit() -> None:
    # A DuckDB instance still open when the interpreter tears down can abort the process.
    with _POOL.cond:
        for key in list(_POOL.shared):
            _POOL._close(key)


@contextmanager
def connect(
    path: str | Path | None = None, *, read_only: bool = False, timeout: float = LOCK_TIMEOUT_S
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection; waits (up to ``timeout``) while another process writes.

    Read-only connections are cursors on the process's shared read instance of the file.
    """
    key = db_path(path).absolute()
    if read_only:
        entry = _POOL.acquire(key, timeout)
        try:
            cur = _configure(entry.con.cursor())
            try:
                yield cur
            finally:
                cur.close()
        finally:
            _POOL.release(key, entry)
        return
    with _POOL.writing(key):
        con = _open(key, False, timeout)
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


def close_readers() -> None:
    """Close every idle shared read instance now (tests, and before a process hands a file over)."""
    with _POOL.cond:
        for key, entry in list(_POOL.shared.items()):
            if entry.users == 0:
                _POOL._close(key)


def data_version(path: str | Path | None = None) -> tuple[float, int]:
    """Cheap change stamp for caches: the database file's mtime and size (no connection)."""
    p = db_path(path)
    stamps = [(f.stat().st_mtime, f.stat().st_size) for f in (p, Path(str(p) + ".wal")) if f.exists()]
    if not stamps:
        return (0.0, 0)
    return (max(s[0] for s in stamps), sum(s[1] for s in stamps))
