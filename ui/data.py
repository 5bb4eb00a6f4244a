"""Cached calls into the query layer, shared by every session and refreshed only by the data they read.

``cached(scores.headline, year, stage, scope)`` runs the query once per state of the data it reads:
the cache key holds the change counter of the scope's province (``data_version`` in the database,
bumped by every load and roll-back in the same transaction), so a load in one province leaves the
cached answers of every other province in place; a national answer, or one with no scope, is keyed
on the counter of any change. The counters themselves are read at most once per change of the
database file (its mtime and size), so an unchanged database costs no query at all.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from core.config import db_path
from core.db import data_version
from core.readmodel import GLOBAL_SCOPE
from query.base import frame
from query.scope import Scope

T = TypeVar("T")


@st.cache_data(show_spinner=False, max_entries=64)
def _versions(db: str, stamp: tuple[float, int]) -> dict[str, int]:
    try:
        df = frame("SELECT scope, version FROM data_version", db=db)
    except FileNotFoundError:
        return {}
    return dict(zip(df["scope"], df["version"].astype(int), strict=True))


def _version_for(db: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[object, ...]:
    versions = _versions(db, data_version(db))
    scopes = [a for a in (*args, *kwargs.values()) if isinstance(a, Scope)]
    if scopes and all(s.cache_scope() for s in scopes):
        return tuple(versions.get(str(s.cache_scope()), 0) for s in scopes)
    return (versions.get(GLOBAL_SCOPE, 0), data_version(db) if not versions else None)


def cached(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(db, *args, **kwargs)`` through st.cache_data, keyed on the data it depends on."""
    db = str(db_path())
    version = _version_for(db, args, kwargs)
    return _call(fn.__module__, fn.__qualname__, db, version, args, tuple(sorted(kwargs.items())))


@st.cache_data(show_spinner=False, max_entries=2048)
def _call(
    module: str,
    name: str,
    db: str,
    version: tuple[object, ...],
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    fn = getattr(importlib.import_module(module), name)
    return fn(db, *args, **dict(kwargs))
