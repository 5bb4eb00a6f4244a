"""Read-only access for the query layer: short connections that wait out a writer.

``frame`` opens a connection per query. A caller that asks many questions at once (a report) can
wrap them in ``one_connection(db)``: the queries inside share one read-only connection, so DuckDB
plans and reads the file once warm instead of from a cold start each time. Keep such blocks short:
a writer in another process waits while the connection is open.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from core.config import db_path
from core.db import connect

_SHARED: contextvars.ContextVar[tuple[Path, duckdb.DuckDBPyConnection] | None] = contextvars.ContextVar(
    "shared_read_connection", default=None
)


@contextmanager
def one_connection(db: str | Path | None = None) -> Iterator[None]:
    """Run the ``frame`` calls inside the block on one read-only connection to ``db``."""
    p = db_path(db)
    if not p.exists():
        raise FileNotFoundError(p)
    current = _SHARED.get()
    if current is not None and current[0] == p.resolve():
        yield
        return
    with connect(p, read_only=True) as con:
        token = _SHARED.set((p.resolve(), con))
        try:
            yield
        finally:
            _SHARED.reset(token)


def frame(sql: str, params: list[object] | None = None, db: str | Path | None = None) -> pd.DataFrame:
    """Run one read query and return its rows; an absent database reads as no rows."""
    p = db_path(db)
    shared = _SHARED.get()
    if shared is not None and shared[0] == p.resolve():
        return shared[1].execute(sql, params or []).df()
    if not p.exists():
        raise FileNotFoundError(p)
    with connect(p, read_only=True) as con:
        return con.execute(sql, params or []).df()
