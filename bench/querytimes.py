"""Query timings with the arguments the pages really pass.

Each page is run once through Streamlit's AppTest with ``ui.data``'s cache replaced by a recorder
(``cached(fn, *args)`` -> the call is noted and run directly), so the list of calls is exactly what
the page asks of the query layer for that URL. Every distinct call is then run again, directly
(no cache), ``repeats`` times; p50 and p95 per call, named ``module.function[scope]``.
"""

from __future__ import annotations

import importlib
import os
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Call:
    module: str
    name: str
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]
    pages: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return repr((self.module, self.name, self.args, self.kwargs))

    def label(self, known: dict[str, str] | None = None) -> str:
        scope = scope_of(self.args, self.kwargs, known or {})
        return f"{self.module.removeprefix('query.')}.{self.name}[{scope}]"

    def run(self, db: str) -> Any:
        fn = getattr(importlib.import_module(self.module), self.name)
        return fn(db, *self.args, **dict(self.kwargs))


def scope_of(args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...], known: dict[str, str]) -> str:
    """A short name for what a call covers: national, province, district, a type, units, a unit.

    ``known`` names identifiers the caller knows ({'2020:01': 'province'}); any other
    locality_id is 'unit'.
    """
    from query.scope import Scope

    values = [*args, *(v for _, v in kwargs)]
    for v in values:
        if isinstance(v, Scope):
            name = "national" if v.national else "district" if v.district else "province"
            return name + (f"+{v.unit_type}" if v.unit_type else "")
    for v in values:
        if isinstance(v, list) and v and all(isinstance(x, str) and ":" in x for x in v):
            return f"{len(v)} units"
    for v in values:
        if isinstance(v, str) and v in known:
            return known[v]
    for v in values:
        if isinstance(v, str) and v.count(":") == 1 and v.split(":")[1]:
            return "unit"
    return "-"


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the closest ranks (numpy's default)."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def record(db: Path, views: list[tuple[str, str, dict[str, str]]]) -> list[Call]:
    """Run each (label, page, query params) through AppTest; the distinct query calls, in order."""
    os.environ["ISO18091_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    import ui.data as cache

    seen: dict[str, Call] = {}
    current = {"page": ""}

    def recorder(module: str, name: str, db_: str, version: object, args: tuple, kwargs: tuple) -> Any:
        call = Call(module, name, args, kwargs)
        call = seen.setdefault(call.key, call)
        if current["page"] not in call.pages:
            call.pages.append(current["page"])
        return call.run(db_)

    real = cache._call
    cache._call = recorder  # type: ignore[assignment]
    try:
        for label, page, params in views:
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
            at.query_params.update(params)
            current["page"] = ""  # the first run draws the default view; only the page's own run counts
            at.run()
            current["page"] = label
            at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()
            if at.exception:
                raise RuntimeError(f"{label}: {[e.value for e in at.exception]}")
    finally:
        cache._call = real  # type: ignore[assignment]
    return [c for c in seen.values() if any(c.pages)]


def measure(
    db: Path, calls: list[Call], repeats: int, known: dict[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """{label: {p50_ms, p95_ms, max_ms, runs, pages}} for every call, each run ``repeats`` times."""
    out: dict[str, dict[str, Any]] = {}
    for call in calls:
        call.run(str(db))  # the first run may load the database's pages; it is not counted
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            call.run(str(db))
            times.append((time.perf_counter() - t0) * 1000)
        label = base = call.label(known)
        n = 2
        while label in out:  # the same function and scope with other arguments
            label = f"{base}#{n}"
            n += 1
        out[label] = {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 95), 2),
            "max_ms": round(max(times), 2),
            "runs": repeats,
            "pages": [p for p in call.pages if p],
        }
    return out
