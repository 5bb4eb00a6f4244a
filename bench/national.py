"""National-scale loading: long CSVs for every commune of Vietnam, loaded through ``python -m etl load``.

Importable by other benchmarks (bench/run.py builds its national database with it)::

    from bench.national import generate_long_csvs, measure_load
    paths = generate_long_csvs(Path("out/national"))            # 63 provinces x 5 years = 315 files
    paths = generate_long_csvs(Path("out/th"), provinces=["38"])  # one province
    figures = measure_load(Path("out/national"), Path("out/national.duckdb"))

The files are the long layout (bulk exchange): one row per commune, year, stage and indicator, one
file per province and year, as a ministry export would be. Levels are seeded and plausible
(units differ, later years a little better), never real results; every file says it is illustrative.

``measure_load`` runs the real CLI in a child process and samples the memory of its whole process
tree (the loader and its parse workers) every 20 ms: ``load_peak_mb`` is the peak of the tree's
proportional set size (PSS: a page shared by the loader and a forked worker counts once), and
``load_peak_rss_mb`` the peak of the plain sum of resident sizes (which counts shared pages once
per process, so overstates it).
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = (2019, 2020, 2021, 2022, 2023)
QUICK_PROVINCE = "38"  # Tỉnh Thanh Hóa: 559 communes, the second largest province (Hà Nội: 579)
LEVEL_WORDS = ("Đỏ", "Vàng", "Xanh")


def communes_by_province(provinces: Iterable[str] | None = None, vintage: str = "2020") -> dict[str, list]:
    """The communes (wards, communes, townships; special zones after 2025) of a unit list, by province."""
    from core.units import registry

    reg = registry(vintage)
    wanted = set(provinces) if provinces is not None else None
    out: dict[str, list] = {}
    for u in sorted(reg.units.values(), key=lambda u: u.code):
        if u.level == "commune" and (wanted is None or u.province_code in wanted):
            out.setdefault(u.province_code, []).append(u)
    return out


def generate_long_csvs(
    out: Path,
    provinces: Iterable[str] | None = None,
    years: Iterable[int] = YEARS,
    seed: int = 18091,
    vintage: str = "2020",
) -> list[Path]:
    """Write one long CSV per province and year into ``out``; returns the paths (sorted).

    ``provinces``: GSO province codes ('01', '38'...); None = all of the unit list (63 provinces of
    2020-2023, or 34 after the 2025 reform with ``vintage='2025'``, whose files must carry years
    from 2026 on so that they match the 2025 list). Each file has every commune of its province x
    39 indicators, with level, score and a short evidence text.
    """
    from core.catalogue import indicator_codes
    from etl.samples import ILLUSTRATIVE_LABEL, LONG_CSV_HEADER

    out.mkdir(parents=True, exist_ok=True)
    codes = list(indicator_codes())
    paths = []
    for province, units in communes_by_province(provinces, vintage).items():
        rng = random.Random(f"{seed}:{province}")
        base = {u.code: rng.gauss(0.5, 0.15) for u in units}
        for i, year in enumerate(sorted(years)):
            path = out / (
                f"{province}-{year}.csv" if vintage == "2020" else f"{vintage}-{province}-{year}.csv"
            )
            with open(path, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow([ILLUSTRATIVE_LABEL, "có"])
                w.writerow(LONG_CSV_HEADER)
                for u in units:
                    quality = base[u.code] + 0.04 * i
                    for code in codes:
                        x = quality + rng.gauss(0, 0.2)
                        level = 0 if x < 0.38 else 1 if x < 0.68 else 2
                        w.writerow(
                            [
                                u.code,
                                u.name_with_type,
                                year,
                                "Tự đánh giá",
                                code,
                                LEVEL_WORDS[level],
                                (0, 50, 100)[level],
                                "Báo cáo năm",
                            ]
                        )
            paths.append(path)
    return sorted(paths)


def _tree_memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in bytes of a process and all its descendants."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0
    pss = rss = 0
    for p in procs:
        try:
            info = p.memory_full_info()
            pss += getattr(info, "pss", info.rss)
            rss += info.rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return pss, rss


def measure_load(folder: Path, db: Path, jobs: int | None = None) -> dict[str, float]:
    """Load every CSV of ``folder`` with ``python -m etl load`` into ``db``; time and peak memory."""
    cmd = [sys.executable, "-m", "etl", "load", str(folder), "--db", str(db), "--format", "json"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    # The schema and reference data are built first, outside the timing (as for a live database).
    subprocess.run(
        [sys.executable, "-m", "etl", "status", "--db", str(db)], cwd=ROOT, check=True, capture_output=True
    )
    peak = {"pss": 0, "rss": 0}
    import resource

    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            pss, rss = _tree_memory(proc.pid)
            peak["pss"], peak["rss"] = max(peak["pss"], pss), max(peak["rss"], rss)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(stderr.decode()[-2000:])
    reports = json.loads(stdout)
    bad = [r for r in reports if r["status"] != "loaded"]
    if bad:
        raise RuntimeError(f"{len(bad)} files not loaded: {json.dumps(bad[:2], ensure_ascii=False)[:2000]}")
    rows = sum(r["assessments"] for r in reports) * 39
    return {
        "load_files": len(reports),
        "load_rows": rows,
        "load_seconds": round(elapsed, 2),
        "load_rows_per_s": round(rows / elapsed),
        "load_peak_mb": round(peak["pss"] / 2**20, 1),
        "load_peak_rss_mb": round(peak["rss"] / 2**20, 1),
        # CPU time of the loader and its workers: steadier than wall time on a busy machine.
        "load_cpu_seconds": round(cpu, 1),
        "load_rows_per_cpu_s": round(rows / cpu) if cpu else None,
        "load_avg_during": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    import argparse
    import tempfile

    ap = argparse.ArgumentParser(description="national long-CSV load: time and peak memory")
    ap.add_argument("--quick", action="store_true", help=f"one large province ({QUICK_PROVINCE}) only")
    ap.add_argument("--out", type=Path, default=None, help="keep the files and database here")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = a.out or Path(tmp)
        folder = base / ("quick" if a.quick else "national")
        t0 = time.perf_counter()
        generate_long_csvs(folder, [QUICK_PROVINCE] if a.quick else None)
        gen = time.perf_counter() - t0
        db = base / f"{folder.name}.duckdb"
        for f in (db, Path(str(db) + ".wal")):
            if f.exists():
                os.remove(f)
        figures = measure_load(folder, db, a.jobs)
    figures["generate_seconds"] = round(gen, 1)
    print(
        f"national ({'quick' if a.quick else 'full'}): {figures['load_files']} files, "
        f"{figures['load_rows']:,} rows in {figures['load_seconds']} s = {figures['load_rows_per_s']:,} rows/s; "
        f"peak {figures['load_peak_mb']} MB PSS ({figures['load_peak_rss_mb']} MB RSS sum)"
    )
    if a.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
