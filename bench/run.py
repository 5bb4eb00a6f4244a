"""National-scale benchmark: ETL, load, queries, pages, memory, concurrent sessions. Prints a table;
with --json the last line is one JSON object.

    python bench/run.py            # every province (10,599 communes x 39 indicators x 5 years)
    python bench/run.py --quick    # one large province (Hà Nội, 579 communes), under 5 minutes
    python bench/run.py --tiny     # a small province, two years, few repeats (the test suite's run)

Steps, all in one run on one machine:
1. ETL: N generated workbooks (bench/etl.py's layout mix) through the project's loader, the naive
   baseline (openpyxl, one INSERT per row) and the plain baseline (calamine, one bulk INSERT per
   file): files/s each (bench/etl.measure: the best of three alternated runs of the loader and the
   plain baseline, reference data built before the clock starts).
2. National data (bench/national.py: long CSVs, one per province and year) loaded with
   ``python -m etl load DIR --db X`` in a subprocess: rows/s and the peak RSS of its process tree.
3. Queries: every call each page makes (recorded through AppTest with the cache replaced by a
   recorder, so with the arguments the page passes) at national and province scope and for a unit,
   each run ``--repeats`` times directly: p50/p95 per ``module.function[scope]``.
4. Pages: ``streamlit run`` on the database, headless Chromium; seconds from navigation until every
   chart is drawn: first visit after a server start (cold cache), warm, and a returning visitor
   (browser cache holding the app's scripts, as after one visit); server peak RSS.
   Also each page opened from the sidebar menu of the app open on another view (how people move
   between views: the tab keeps its session and scripts).
5. ``--sessions`` at the same moment: first-time visitors (fresh browser contexts), visitors in the
   app who each click a view in the menu, and the same requests from websocket clients without a
   browser (bench/wsclient.py: the server's share); CPU seconds of the server and of the browsers
   in each.

Targets (checked by reading the output, never by a test): query p95 < 50 ms, page < 2 s, server
< 500 MB, 20 sessions p95 < 4 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from bench import wsclient  # noqa: E402
from bench.pagetimes import (  # noqa: E402
    Server,
    Visit,
    concurrent,
    concurrent_navigate,
    navigate,
    sequential,
    start_of,
)
from bench.procmem import CpuSplit  # noqa: E402
from bench.querytimes import measure, percentile, record  # noqa: E402

TARGETS = {
    "query_p95_ms": 50.0,
    "page_s": 2.0,
    "server_rss_mb": 500.0,
    "concurrent_page_p95_s": 4.0,
}
QUICK_PROVINCE = "01"  # Hà Nội: the most communes of the 2020-2023 list (579)
TINY_PROVINCE = "48"  # Đà Nẵng: the fewest (56)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- 1. ETL -------------------------------------------------------------------------------


def etl_files(tmp: Path, n: int, jobs: int) -> dict[str, Any]:
    """bench/etl.py's measurement on ``n`` generated workbooks: the best of three alternated runs
    of the project's ETL and the plain baseline, and one run of the naive baseline."""
    import bench.etl as etl_bench

    src = tmp / "etl-files"
    src.mkdir()
    t0 = time.perf_counter()
    paths = etl_bench.generate(src, n)
    gen_s = time.perf_counter() - t0
    runs = etl_bench.measure(paths, tmp, jobs, repeat=3)
    base_s = etl_bench.baseline(paths, tmp / "baseline.duckdb")
    return {
        "files": len(paths),
        "jobs": jobs,
        "generate_s": round(gen_s, 1),
        "etl_files_per_s": round(len(paths) / min(runs["etl"]), 1),
        "etl_runs_s": [round(x, 3) for x in runs["etl"]],
        "baseline_files_per_s": round(len(paths) / base_s, 1),
        "plain_baseline_files_per_s": round(len(paths) / min(runs["plain"]), 1),
        "plain_runs_s": [round(x, 3) for x in runs["plain"]],
        "bare_calamine_files_per_s": round(len(paths) / min(runs["bare"]), 1),
    }


# --- 2. National data and its load --------------------------------------------------------


def national_load(tmp: Path, provinces: list[str] | None, years: tuple[int, ...]) -> dict[str, Any]:
    """Generate the long CSVs and load them with ``python -m etl load`` (bench/national.py's
    measurement: wall time, and the peak of the loader's process tree as PSS and as summed RSS)."""
    from bench.national import generate_long_csvs, measure_load

    out = tmp / "national"
    t0 = time.perf_counter()
    paths = generate_long_csvs(out, provinces, years)
    gen_s = time.perf_counter() - t0
    db = tmp / "national.duckdb"
    m = measure_load(out, db)
    if m["load_files"] != len(paths):
        raise SystemExit(f"load failed: {m['load_files']} of {len(paths)} files loaded")
    return {
        "db": db,
        "files": len(paths),
        "rows": m["load_rows"],
        "generate_s": round(gen_s, 1),
        "load_s": m["load_seconds"],
        "load_rows_per_s": m["load_rows_per_s"],
        "load_peak_mb": m["load_peak_mb"],
        "load_peak_rss_mb": m["load_peak_rss_mb"],
    }


# --- 3./4./5. What the pages ask and how fast they draw ------------------------------------


def scope_facts(db: Path) -> dict[str, Any]:
    """The latest year and stage, the province with the most assessed units, and its best unit."""
    from query import scores
    from query.base import frame
    from query.scope import Scope

    per = frame("SELECT year, stage FROM current_results GROUP BY 1, 2 ORDER BY 1 DESC, 2", db=db)
    year, stage = int(per["year"].iloc[0]), str(per["stage"].iloc[0])
    big = frame(
        "SELECT province_id, count(DISTINCT locality_id) AS n, count(DISTINCT province_id) OVER () AS provinces "
        "FROM current_results WHERE year = ? AND stage = ? GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
        [year, stage],
        db=db,
    )
    province = str(big["province_id"].iloc[0])
    top = scores.ranking(db, year, stage, Scope(province=province), None, 0, 1)
    return {
        "year": year,
        "stage": stage,
        "province": province,
        "province_units": int(big["n"].iloc[0]),
        "provinces": int(big["provinces"].iloc[0]),
        "unit": str(top["locality_id"].iloc[0]),
    }


def views(facts: dict[str, Any], tiny: bool) -> list[tuple[str, str, dict[str, str]]]:
    """(label, page, URL parameters): each leadership page at national and province scope, a unit."""
    nat = {"province": "all"}
    prov = {"province": facts["province"]}
    unit = facts["unit"]
    if tiny:
        return [("overview[province]", "overview", prov)]
    return [
        ("overview[national]", "overview", nat),
        ("overview[province]", "overview", prov),
        ("compare[national]", "compare", nat),
        ("compare[province]", "compare", prov),
        ("compare[unit, years, 39]", "compare", {**prov, "mode": "years", "unit": unit, "detail": "1"}),
        ("grid[national]", "grid", nat),
        ("grid[province]", "grid", prov),
        ("trends[national]", "trends", nat),
        ("trends[province]", "trends", prov),
        ("map", "map", {}),
        ("profile[national]", "profile", {**nat, "unit": unit}),
        ("profile[province]", "profile", {**prov, "unit": unit}),
        ("method", "method", {}),
    ]


def _visits(vs: list[tuple[str, str, dict[str, str]]]) -> list[Visit]:
    out = []
    for label, page, params in vs:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        out.append(Visit(label, f"/{page}" + (f"?{query}" if query else ""), 0 if page == "method" else 1))
    return out


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pages(
    db: Path,
    vs: list[tuple[str, str, dict[str, str]]],
    tmp: Path,
    repeats: int,
    sessions: int,
    restarts: bool,
    returning_pass: bool = True,
) -> dict[str, Any]:
    """Page times in Chromium: cold (first visit of a page on a server), warm, and many at once."""
    visits = _visits(vs)
    logs = tmp / "streamlit.log"
    peaks: list[float] = []
    cold: dict[str, float] = {}
    # The first visit to a new server imports the app (plotly, pandas...): a start-up cost paid
    # once per server, not a page's. /account draws no data; it takes that cost before measuring.
    warmup = Visit("account", "/account", -1)
    if restarts:
        # Cold: a fresh server per page, then that page's visits, each the first of its kind there.
        by_page: dict[str, list[Visit]] = {}
        for v in visits:
            by_page.setdefault(v.path.split("?")[0], []).append(v)
        for group in by_page.values():
            server = Server(db, _port(), logs)
            try:
                got = sequential(server.url, [warmup, *group])
            finally:
                peaks.append(server.stop())
            cold.update({v.label: got[v.label].drawn for v in group})
            log(f"  cold: {', '.join(f'{v.label} {cold[v.label]:.2f} s' for v in group)}")
    server = Server(db, _port(), logs)
    try:
        if restarts and returning_pass:
            # A returning visitor (the browser has the app's scripts cached, as after one visit) on
            # a server started for this pass: each page's first visit there, in turn.
            returning = sequential(server.url, [warmup, *visits], cached=warmup)
        elif restarts:
            returning = {}
        else:
            first = sequential(server.url, [warmup, *visits])
            cold = {v.label: first[v.label].drawn for v in visits}  # one server: first visits are cold
            returning = sequential(server.url, visits, cached=warmup)
        log(f"  warm: {repeats} pass(es) over the {len(visits)} pages")
        warm_runs = [sequential(server.url, visits) for _ in range(repeats)]
        warm = {v.label: statistics.median(r[v.label].drawn for r in warm_runs) for v in visits if warm_runs}
        log("  in the app: each page opened from the menu of another view")
        moved = navigate(server.url, visits)
        chosen = [visits[i % len(visits)] for i in range(sessions)]
        log(f"[5/5] {sessions} sessions at once: first-time visitors, visitors moving in the app, no browser")
        cpu_fresh = CpuSplit(server.proc.pid)
        together = concurrent(server.url, visits, sessions, cpu=cpu_fresh)
        cpu_moving = CpuSplit(server.proc.pid)
        moving = concurrent_navigate(server.url, visits, sessions, cpu=cpu_moving)
        # The server's share alone: the same page requests over Streamlit's websocket protocol, no
        # renderer on the machine (bench/wsclient.py); a visitor's own browser adds its drawing time.
        cpu_bare = CpuSplit(server.proc.pid)
        bare = wsclient.concurrent(
            server.url, [start_of(v).path for v in chosen], [v.path for v in chosen], cpu=cpu_bare
        )
    finally:
        peaks.append(server.stop())
    drawn = [t.drawn for _, t in together]
    moved_at_once = [t for _, t in moving]
    answered = [a.seconds for a in bare]
    return {
        "cold_s": {k: round(v, 2) for k, v in cold.items()},
        "warm_s": {k: round(v, 2) for k, v in warm.items()},
        "concurrent_s": sorted(round(t, 2) for t in drawn),
        "sessions": sessions,
        "page_s": round(max(cold.values()), 2),
        "slowest_page": max(cold, key=cold.__getitem__),
        "page_warm_s": round(max(warm.values()), 2) if warm else None,
        "pages_returning_s": {k: round(v.drawn, 2) for k, v in returning.items() if k != warmup.label},
        "page_returning_s": round(max(returning[v.label].drawn for v in visits), 2) if returning else None,
        "pages_navigate_s": {k: round(v, 2) for k, v in moved.items()},
        "page_navigate_s": round(max(moved.values()), 2),
        "concurrent_page_p50_s": round(percentile(drawn, 50), 2),
        "concurrent_page_p95_s": round(percentile(drawn, 95), 2),
        # Where the time of the sessions at once goes: the app loaded and connected, the server's
        # script runs done (queries, figures, sending), every chart drawn.
        "concurrent_connected_p95_s": round(percentile([t.connected for _, t in together], 95), 2),
        "concurrent_script_done_p95_s": round(percentile([t.script_done for _, t in together], 95), 2),
        "concurrent_navigate_p50_s": round(percentile(moved_at_once, 50), 2),
        "concurrent_navigate_p95_s": round(percentile(moved_at_once, 95), 2),
        "concurrent_server_p50_s": round(percentile(answered, 50), 2),
        "concurrent_server_p95_s": round(percentile(answered, 95), 2),
        "concurrent_server_kb": round(statistics.mean(a.bytes for a in bare) / 1024, 1),
        # CPU seconds used by the server and by the browsers while the sessions ran: on one 2-core
        # machine the browsers' share decides the page times above.
        "concurrent_cpu_s": {
            "first_visits": {"server": cpu_fresh.server_s, "browsers": cpu_fresh.browser_s},
            "moving_in_app": {"server": cpu_moving.server_s, "browsers": cpu_moving.browser_s},
            "no_browser": {"server": cpu_bare.server_s, "browsers": cpu_bare.browser_s},
        },
        "server_rss_mb": round(max(peaks), 1),
    }


# --- the run -------------------------------------------------------------------------------


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    distro = ""
    with contextlib.suppress(OSError, StopIteration):
        distro = next(
            line.split("=", 1)[1].strip().strip('"')
            for line in Path("/etc/os-release").read_text().splitlines()
            if line.startswith("PRETTY_NAME=")
        )
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, {distro}, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="one large province (Hà Nội), 5 years")
    size.add_argument("--tiny", action="store_true", help="a small province, 2 years, few repeats")
    ap.add_argument("--json", action="store_true", help="end with one JSON object on the last line")
    ap.add_argument("--provinces", default=None, help="comma-separated province codes (overrides the size)")
    ap.add_argument("--years", default=None, help="first-last (default 2019-2023; --tiny 2022-2023)")
    ap.add_argument(
        "--etl-files", type=int, default=None, help="workbooks for the ETL step (300; --quick 200; --tiny 12)"
    )
    ap.add_argument("--repeats", type=int, default=None, help="runs of each query (20; --tiny 3)")
    ap.add_argument(
        "--page-repeats", type=int, default=None, help="warm visits of each page (3; --quick 0; --tiny 1)"
    )
    ap.add_argument("--sessions", type=int, default=None, help="browser sessions at once (20; --tiny 2)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="ETL worker processes")
    ap.add_argument("--keep", type=Path, default=None, help="keep the generated files and databases here")
    a = ap.parse_args()

    tiny = a.tiny
    provinces = (
        [p for p in a.provinces.split(",") if p]
        if a.provinces
        else [TINY_PROVINCE]
        if tiny
        else [QUICK_PROVINCE]
        if a.quick
        else None
    )
    first, _, last = (a.years or ("2022-2023" if tiny else "2019-2023")).partition("-")
    years = tuple(range(int(first), int(last or first) + 1))
    mode = "tiny" if tiny else "quick" if a.quick else "full"
    n_files = a.etl_files or (12 if tiny else 200 if a.quick else 300)
    repeats = a.repeats or (3 if tiny else 20)
    # --quick leaves out the warm passes to stay under five minutes.
    page_repeats = a.page_repeats if a.page_repeats is not None else {"full": 3, "quick": 0}.get(mode, 1)
    sessions = a.sessions or (2 if tiny else 20)

    started = time.perf_counter()
    load_before = os.getloadavg()
    phases: dict[str, float] = {}
    clock = [started]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = round(now - clock[0], 1)
        clock[0] = now

    where = "all provinces" if not provinces else ",".join(provinces)
    tmp_ctx = tempfile.TemporaryDirectory(prefix="bench-run-")
    tmp = Path(tmp_ctx.name)
    try:
        log(f"[1/5] ETL: {n_files} workbooks, project loader vs baselines")
        etl = etl_files(tmp, n_files, a.jobs)
        lap("etl")
        log(f"[2/5] national data ({where}, {years[0]}-{years[-1]}): generate and load")
        load = national_load(tmp, provinces, years)
        lap("national_load")
        db = load.pop("db")
        facts = scope_facts(db)
        vs = views(facts, tiny)
        log(f"[3/5] queries: record what {len(vs)} page views ask, run each call {repeats} times")
        calls = record(db, vs)
        queries = measure(db, calls, repeats, {facts["province"]: "province"})
        lap("queries")
        log(
            f"[4/5] pages in Chromium ({'one server' if tiny else 'a fresh server per page for cold visits'})"
        )
        # --quick leaves out the returning visitors' pass too (five minutes in all); the in-app pass
        # then warms the server before the sessions at once.
        pg = pages(db, vs, tmp, page_repeats, sessions, restarts=not tiny, returning_pass=mode != "quick")
        lap("pages")
        if a.keep:
            a.keep.mkdir(parents=True, exist_ok=True)
            for name in ("national", "national.duckdb"):
                src = tmp / name
                if src.is_dir():
                    shutil.copytree(src, a.keep / name, dirs_exist_ok=True)
                elif src.exists():
                    shutil.copy(src, a.keep / name)
    finally:
        tmp_ctx.cleanup()

    worst = max(queries, key=lambda k: queries[k]["p95_ms"])
    result: dict[str, Any] = {
        "mode": mode,
        "command": "python bench/run.py " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "seconds": round(time.perf_counter() - started, 1),
        "phase_s": phases,
        # Other work on the machine slows every figure: the 1-minute load average at start and end.
        "loadavg": [round(load_before[0], 1), round(os.getloadavg()[0], 1)],
        "provinces": facts["provinces"],
        "rows": load["rows"],
        "largest_province": facts["province"],
        "largest_province_units": facts["province_units"],
        "year": facts["year"],
        "stage": facts["stage"],
        **{k: etl[k] for k in ("etl_files_per_s", "baseline_files_per_s", "plain_baseline_files_per_s")},
        "etl_files": etl["files"],
        "etl_runs_s": etl["etl_runs_s"],
        "plain_runs_s": etl["plain_runs_s"],
        "bare_calamine_files_per_s": etl["bare_calamine_files_per_s"],
        "load_rows_per_s": load["load_rows_per_s"],
        "load_s": load["load_s"],
        "load_peak_mb": load["load_peak_mb"],
        "load_peak_rss_mb": load["load_peak_rss_mb"],
        "query_p95_ms": queries[worst]["p95_ms"],
        "slowest_query": worst,
        "queries": queries,
        "page_s": pg["page_s"],
        "slowest_page": pg["slowest_page"],
        "page_warm_s": pg["page_warm_s"],
        "pages_returning_s": pg["pages_returning_s"],
        "page_returning_s": pg["page_returning_s"],
        "pages_navigate_s": pg["pages_navigate_s"],
        "page_navigate_s": pg["page_navigate_s"],
        "pages_cold_s": pg["cold_s"],
        "pages_warm_s": pg["warm_s"],
        "server_rss_mb": pg["server_rss_mb"],
        "sessions": pg["sessions"],
        "concurrent_page_p50_s": pg["concurrent_page_p50_s"],
        "concurrent_page_p95_s": pg["concurrent_page_p95_s"],
        "concurrent_connected_p95_s": pg["concurrent_connected_p95_s"],
        "concurrent_script_done_p95_s": pg["concurrent_script_done_p95_s"],
        "concurrent_s": pg["concurrent_s"],
        **{
            k: pg[k]
            for k in (
                "concurrent_navigate_p50_s",
                "concurrent_navigate_p95_s",
                "concurrent_server_p50_s",
                "concurrent_server_p95_s",
                "concurrent_server_kb",
                "concurrent_cpu_s",
            )
        },
        "targets": TARGETS,
    }
    result["met"] = {k: bool(result[k] < limit) for k, limit in TARGETS.items()}
    print_table(result)
    if a.json:
        print(json.dumps(result, ensure_ascii=False))


def _opt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def print_table(r: dict[str, Any]) -> None:
    def line(name: str, value: str, target: str = "") -> None:
        print(f"{name:<46} {value:>14}  {target}")

    def verdict(key: str, unit: str) -> str:
        return f"target < {TARGETS[key]:g} {unit}: {'met' if r['met'][key] else 'MISSED'}"

    print(f"# bench/run.py ({r['mode']}): {r['machine']}")
    print(
        f"# {r['rows']:,} result rows, {r['provinces']} province(s); largest {r['largest_province']} "
        f"({r['largest_province_units']} units); {r['year']} {r['stage']}; {r['seconds']} s in all; "
        f"load average {r['loadavg'][0]} at start, {r['loadavg'][1]} at end"
    )
    line("ETL, project loader (files/s)", f"{r['etl_files_per_s']:.1f}", f"{r['etl_files']} workbooks")
    line("ETL, naive baseline (files/s)", f"{r['baseline_files_per_s']:.1f}", "openpyxl, one INSERT per row")
    line(
        "ETL, plain baseline (files/s)",
        f"{r['plain_baseline_files_per_s']:.1f}",
        f"pandas+calamine, one bulk INSERT per file (bare calamine {r['bare_calamine_files_per_s']:.1f})",
    )
    line("load national CSVs (rows/s)", f"{r['load_rows_per_s']:,}", f"{r['load_s']} s, python -m etl load")
    line(
        "load, peak memory of the loader's tree (MB)",
        f"{r['load_peak_mb']:.0f}",
        f"PSS (shared pages once); summed RSS {r['load_peak_rss_mb']:.0f} MB",
    )
    print()
    print(f"{'query (p50 / p95 ms, ' + str(next(iter(r['queries'].values()))['runs']) + ' runs)':<62} pages")
    for name, q in sorted(r["queries"].items(), key=lambda kv: -kv[1]["p95_ms"]):
        print(f"{name:<46} {q['p50_ms']:>6.1f} / {q['p95_ms']:>6.1f}  {', '.join(q['pages'])}")
    print()
    print(
        f"{'page (seconds to every chart drawn)':<46} {'cold':>6} / {'warm':>6} / {'return':>6}"
        f" / {'in app':>6}"
    )
    for name, cold in r["pages_cold_s"].items():
        print(
            f"{name:<46} {cold:>6.2f} / {_opt(r['pages_warm_s'].get(name)):>6}"
            f" / {_opt(r['pages_returning_s'].get(name)):>6} / {r['pages_navigate_s'][name]:>6.2f}"
        )
    print()
    line(
        "worst query p95 (ms)",
        f"{r['query_p95_ms']:.1f}",
        f"{r['slowest_query']}; " + verdict("query_p95_ms", "ms"),
    )
    line(
        "slowest page, first visit (s)",
        f"{r['page_s']:.2f}",
        f"{r['slowest_page']}; " + verdict("page_s", "s"),
    )
    line("slowest page, warm (s)", _opt(r["page_warm_s"]), "" if r["page_warm_s"] else "--page-repeats 0")
    line(
        "slowest page, returning visitor (s)",
        _opt(r["page_returning_s"]),
        "the browser has the app's scripts cached" if r["page_returning_s"] else "not in --quick",
    )
    line("server peak RSS (MB)", f"{r['server_rss_mb']:.0f}", verdict("server_rss_mb", "MB"))
    line(
        f"{r['sessions']} sessions at once, p95 (s)",
        f"{r['concurrent_page_p95_s']:.2f}",
        f"p50 {r['concurrent_page_p50_s']:.2f} s; " + verdict("concurrent_page_p95_s", "s"),
    )
    line(
        "  of which: app loaded and connected, p95 (s)",
        f"{r['concurrent_connected_p95_s']:.2f}",
    )
    line("  of which: server's script runs done, p95 (s)", f"{r['concurrent_script_done_p95_s']:.2f}")
    line(
        "slowest page opened from the app's menu (s)",
        f"{r['page_navigate_s']:.2f}",
        "the app already open on another view",
    )
    line(
        f"{r['sessions']} sessions moving in the app at once, p95 (s)",
        f"{r['concurrent_navigate_p95_s']:.2f}",
        f"p50 {r['concurrent_navigate_p50_s']:.2f} s; each clicks a view in the menu",
    )
    line(
        f"{r['sessions']} sessions at once, server only, p95 (s)",
        f"{r['concurrent_server_p95_s']:.2f}",
        f"p50 {r['concurrent_server_p50_s']:.2f} s; websocket clients, no browser on the machine",
    )
    for phase, split in r["concurrent_cpu_s"].items():
        line(
            f"  CPU s while {phase.replace('_', ' ')}",
            f"{split['server']:.1f} / {split['browsers']:.1f}",
            "server / browsers",
        )


if __name__ == "__main__":
    main()
