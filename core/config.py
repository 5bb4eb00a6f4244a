"""Where things live. One place reads the environment so every entry point agrees."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "iso18091.duckdb"
DB_ENV = "ISO18091_DB"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file: an explicit path, else $ISO18091_DB, else data/iso18091.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV)
    return Path(env) if env else DEFAULT_DB


def store_dir(db: Path) -> Path:
    """Content-addressed originals live beside the database they belong to."""
    return db.parent / (db.stem + ".files")
