"""Read-only access for the query layer: short connections that wait out a writer.

Each query takes a cursor on the process's shared read instance of the database (core/db.py), so
many queries in a row (a page, a report) read a warm file without holding it against writers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.config import db_path
from core.db import connect


def frame(sql: str, params: list[object] | None = None, db: str | Path | None = None) -> pd.DataFrame:
    """Run one read query and return its rows; an absent database raises FileNotFoundError."""
    p = db_path(db)
    if not p.exists():
        raise FileNotFoundError(p)
    with connect(p, read_only=True) as con:
        return con.execute(sql, params or []).df()
