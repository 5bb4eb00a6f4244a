"""Cached calls into the query layer, refreshed by themselves when new data is loaded.

``cached(query.results.periods)`` runs the query once per database state: the cache key holds
``core.db.data_version`` (the file's mtime and size), so a load by the CLI or the upload page
shows on the next rerun with no restart. Query functions take the database path first.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from core.config import db_path
from core.db import data_version

T = TypeVar("T")


def cached(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(db, *args, **kwargs)`` through st.cache_data, keyed on the database's change stamp."""
    db = str(db_path())
    return _call(fn.__module__, fn.__qualname__, db, data_version(db), args, tuple(sorted(kwargs.items())))


@st.cache_data(show_spinner=False, max_entries=512)
def _call(
    module: str,
    name: str,
    db: str,
    version: tuple[float, int],
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    fn = getattr(importlib.import_module(module), name)
    return fn(db, *args, **dict(kwargs))
