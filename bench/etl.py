"""ETL benchmark: N generated assessment workbooks, validated and loaded into a fresh DuckDB.

Runs the project's loader and, on the same files in the same run, two baselines:
- naive: pandas read_excel with openpyxl (xlrd, odf), then one INSERT per result row;
- plain: pandas with the calamine engine (read_excel; read_csv for CSV), then one bulk INSERT of
  each file's rows per file (no validation, colours or metadata), one process, one connection;
- bare calamine (reported beside it): python-calamine's cells without pandas, the least work a
  loader can do.
Then, unless --national none, a national-scale long-CSV load (bench/national.py): every commune x 39
indicators x 5 years through ``python -m etl load``, with rows/s and the peak memory of the loading
process tree (--national quick: one large province).

    python bench/etl.py --files 300 --json
    python bench/etl.py --files 300 --national full --json

Prints the figures; with --json the last line is one JSON object (keys etl_files_per_s,
baseline_files_per_s, plain_baseline_files_per_s, load_rows_per_s, load_peak_mb, ...).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb
import pandas as pd

from core.schema import ensure_database
from etl import samples
from etl.load import load_files
from etl.validate import parse_bytes

# Layout mix: mostly the template as analysts fill it, plus every other accepted layout.
MIX = ["template"] * 4 + ["fill", "messy", "xls", "ods", "csv"]


def generate(out: Path, n: int, seed: int = 7) -> list[Path]:
    """n single-assessment files over Hải Phòng's communes and years, in the layout mix."""
    from core.units import registry

    rng = random.Random(seed)
    units = [u for u in registry().units.values() if u.province_code == "31" and u.level == "commune"]
    paths = []
    for i in range(n):
        unit = units[i % len(units)]
        year = 2016 + (i // len(units)) % 10
        latent = samples.make_levels(rng, unit, year)
        results = {c: (samples._level(x), None, "Báo cáo", None) for c, x in latent.items()}
        a = samples.SampleAssessment(unit, year, "self", results)
        layout = MIX[i % len(MIX)]
        p = out / f"{i:05d}-{layout}{samples.EXTENSIONS[layout]}"
        samples.WRITERS[layout](a, p)
        paths.append(p)
    return paths


def baseline(paths: list[Path], db: Path) -> float:
    """The naive way: openpyxl/xlrd/odf through pandas, one INSERT per row. Returns seconds."""
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE r (file VARCHAR, code VARCHAR, level VARCHAR)")
    t0 = time.perf_counter()
    for p in paths:
        if p.suffix == ".csv":
            df = pd.read_csv(p, header=None, names=range(8), skip_blank_lines=False)
        else:
            engine = {".xlsx": "openpyxl", ".xls": "xlrd", ".ods": "odf"}[p.suffix]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pandas deprecates xlrd; the baseline is naive on purpose
                sheets = pd.read_excel(p, sheet_name=None, header=None, engine=engine)
            df = max(sheets.values(), key=len)
        for row in df.itertuples(index=False):
            code = str(row[0]) if row[0] == row[0] else ""
            if code[:1].isdigit():
                con.execute("INSERT INTO r VALUES (?, ?, ?)", [p.name, code, str(row[2])])
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed


def plain_baseline(paths: list[Path], db: Path) -> float:
    """The plain way: pandas with the calamine engine (read_csv for CSV), then one bulk INSERT of
    the file's rows (its DataFrame) per file, one process, one connection. Returns seconds,
    closing the database (its data written) included."""
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE r (file VARCHAR, code VARCHAR, level VARCHAR)")
    t0 = time.perf_counter()
    for p in paths:
        if p.suffix == ".csv":
            frames = [pd.read_csv(p, header=None, names=range(8), skip_blank_lines=False, dtype=str)]
        else:
            frames = list(pd.read_excel(p, sheet_name=None, header=None, engine="calamine").values())
        rows = pd.concat(
            [f.iloc[:, :3].set_axis(["code", "x", "level"], axis=1) for f in frames if f.shape[1] >= 3]
        )
        rows = rows[rows["code"].astype(str).str[:1].str.isdigit()]
        batch = pd.DataFrame(
            {"file": p.name, "code": rows["code"].astype(str), "level": rows["level"].astype(str)}
        )
        con.register("_batch", batch)
        con.execute("INSERT INTO r SELECT * FROM _batch")
        con.unregister("_batch")
    con.close()  # its data on disk, as the project's loader leaves it
    return time.perf_counter() - t0


def bare_calamine(paths: list[Path], db: Path) -> float:
    """The least a loader can do: python-calamine's cells (csv for CSV), no DataFrame, no checks,
    one bulk INSERT per file, one process. Returns seconds, closing the database included."""
    import csv

    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE r (file VARCHAR, code VARCHAR, level VARCHAR)")
    t0 = time.perf_counter()
    for p in paths:
        if p.suffix == ".csv":
            with open(p, encoding="utf-8-sig", newline="") as f:
                rows = list(csv.reader(f))
        else:
            wb = CalamineWorkbook.from_path(str(p))
            rows = [row for name in wb.sheet_names for row in wb.get_sheet_by_name(name).to_python()]
        recs = [r for r in rows if r and str(r[0])[:1].isdigit()]
        table = pa.table(
            {
                "file": [p.name] * len(recs),
                "code": [str(r[0]) for r in recs],
                "level": [str(r[2]) if len(r) > 2 else None for r in recs],
            }
        )
        con.register("_rows", table)
        con.execute("INSERT INTO r SELECT * FROM _rows")
        con.unregister("_rows")
    con.close()
    return time.perf_counter() - t0


def measure(
    paths: list[Path], tmp: Path, jobs: int, repeat: int = 3, baselines: bool = True
) -> dict[str, list[float]]:
    """Seconds of each run of the project's ETL and of the plain and bare baselines on ``paths``,
    alternated ``repeat`` times (a shared machine's load varies from second to second; report the
    best of each). The unit registry, code tables and catalogue, and each run's schema, are built
    before the clock starts: they are per process and per database, not per file. bench/run.py
    measures the same way."""
    from etl.sandbox import _warm

    _warm()
    runs: dict[str, list[float]] = {"etl": [], "plain": [], "bare": []}
    for i in range(max(1, repeat)):
        db = ensure_database(tmp / f"etl-{i}.duckdb")
        t0 = time.perf_counter()
        reports = load_files([paths[0].parent], db, user="bench", jobs=jobs)
        runs["etl"].append(time.perf_counter() - t0)
        loaded = sum(r.status == "loaded" for r in reports)
        if loaded != len(paths):
            bad = [r.to_dict() for r in reports if r.status != "loaded"][:3]
            raise SystemExit(f"only {loaded}/{len(paths)} loaded: {bad}")
        if baselines:
            runs["plain"].append(plain_baseline(paths, tmp / f"plain-{i}.duckdb"))
            runs["bare"].append(bare_calamine(paths, tmp / f"bare-{i}.duckdb"))
    return runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=500)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of the ETL and the plain baseline, alternated; the best of each is reported "
        "(a shared machine's load varies from second to second)",
    )
    ap.add_argument(
        "--national",
        choices=("none", "quick", "full"),
        default="none",
        help="also load long CSVs of one large province (quick) or every commune of Vietnam (full)",
    )
    a = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "files"
        src.mkdir()
        t0 = time.perf_counter()
        paths = generate(src, a.files)
        gen_s = time.perf_counter() - t0

        runs = measure(paths, tmp, a.jobs, a.repeat, baselines=not a.skip_baseline)
        etl_runs, plain_runs, bare_runs = runs["etl"], runs["plain"], runs["bare"]
        etl_s = min(etl_runs)

        # Median single-file latency (validate + load, one 39-indicator template workbook).
        singles = [p for p in paths if "-template" in p.name][:25]
        db1 = ensure_database(tmp / "single.duckdb")
        from etl.load import store_parsed

        lat = []
        for p in singles:
            data = p.read_bytes()
            s = time.perf_counter()
            parsed = parse_bytes(p.name, data)
            list(store_parsed([(p.name, parsed, data)], db1, "bench"))
            lat.append(time.perf_counter() - s)
        median_ms = statistics.median(lat) * 1000

        base_s = None if a.skip_baseline else baseline(paths, tmp / "baseline.duckdb")
        plain_s = min(plain_runs) if plain_runs else None
        national = None
        if a.national != "none":
            from bench.national import QUICK_PROVINCE, generate_long_csvs, measure_load

            folder = tmp / "national"
            generate_long_csvs(folder, [QUICK_PROVINCE] if a.national == "quick" else None)
            national = measure_load(folder, tmp / "national.duckdb", a.jobs)

    etl_fps = len(paths) / etl_s
    base_fps = len(paths) / base_s if base_s else None
    plain_fps = len(paths) / plain_s if plain_s else None
    result = {
        "files": len(paths),
        "jobs": a.jobs,
        "etl_seconds": round(etl_s, 3),
        "etl_seconds_runs": [round(x, 3) for x in etl_runs],
        "plain_seconds_runs": [round(x, 3) for x in plain_runs],
        "bare_calamine_seconds_runs": [round(x, 3) for x in bare_runs],
        "etl_files_per_s": round(etl_fps, 1),
        "baseline_seconds": round(base_s, 3) if base_s else None,
        "baseline_files_per_s": round(base_fps, 1) if base_fps else None,
        "ratio": round(etl_fps / base_fps, 1) if base_fps else None,
        "plain_baseline_files_per_s": round(plain_fps, 1) if plain_fps else None,
        "plain_ratio": round(etl_fps / plain_fps, 2) if plain_fps else None,
        "bare_calamine_files_per_s": round(len(paths) / min(bare_runs), 1) if bare_runs else None,
        "bare_calamine_ratio": round(etl_fps * min(bare_runs) / len(paths), 2) if bare_runs else None,
        "median_single_file_ms": round(median_ms, 2),
        "generate_seconds": round(gen_s, 1),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_avg": round(os.getloadavg()[0], 1),
    }
    if national:
        result.update(national)
        result["national"] = a.national
    print(f"files: {len(paths)} (generated in {gen_s:.1f} s)")
    print(f"project ETL : {etl_s:7.2f} s  {etl_fps:8.1f} files/s  (jobs={a.jobs})")
    if base_s:
        print(f"baseline    : {base_s:7.2f} s  {base_fps:8.1f} files/s  (openpyxl + one INSERT per row)")
        print(f"ratio       : {etl_fps / base_fps:.1f}x")
        print(
            f"plain       : {plain_s:7.2f} s  {plain_fps:8.1f} files/s  (pandas+calamine, one bulk INSERT per file)"
        )
        print(f"vs plain    : {etl_fps / plain_fps:.2f}x")
        bare = len(paths) / min(bare_runs)
        print(
            f"bare        : {min(bare_runs):7.2f} s  {bare:8.1f} files/s  (python-calamine cells; vs ETL {etl_fps / bare:.2f}x)"
        )
    if national:
        print(
            f"national ({a.national}): {national['load_files']} files, {national['load_rows']:,} rows in "
            f"{national['load_seconds']} s = {national['load_rows_per_s']:,} rows/s; peak {national['load_peak_mb']} MB"
        )
    print(f"median validate+load of one 39-indicator workbook: {median_ms:.1f} ms")
    if a.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
