"""Report packs on the 24 illustrative sample assessments: time to write Excel, Word and PDF.

Loads data/samples into a fresh database (outside the timing), then builds the ministry's rollout
pack (the target: < 20 s on the 2-core reference machine), one unit's pack and a chosen set's pack,
each as .xlsx + .docx + .pdf, in a new process state (the first pack pays for Chromium and
LibreOffice starting). With --json the last line is one JSON object.

    python bench/reports.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.config import DATA_DIR
from etl.load import load_files
from reports import build

TARGET_S = 20.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "samples.duckdb"
        loaded = load_files([DATA_DIR / "samples"], db, user="bench", jobs=1)
        assessments = sum(r.assessments for r in loaded if r.status == "loaded")
        timings: dict[str, float] = {}
        steps: list[tuple[float, str]] = []
        start = time.perf_counter()
        paths = build.ministry_pack(
            db, Path(tmp) / "ministry", progress=lambda f, m: steps.append((time.perf_counter() - start, m))
        )
        timings["ministry"] = time.perf_counter() - start
        start = time.perf_counter()
        build.unit_pack(db, "2020:311", None, None, Path(tmp) / "unit")
        timings["unit"] = time.perf_counter() - start
        start = time.perf_counter()
        build.units_pack(
            db, ["2020:303", "2020:311", "2020:11296", "2020:11476"], None, None, Path(tmp) / "units"
        )
        timings["units"] = time.perf_counter() - start
        sizes = {fmt: p.stat().st_size for fmt, p in paths.items()}
    result = {
        "assessments": assessments,
        "ministry_seconds": round(timings["ministry"], 2),
        "unit_seconds": round(timings["unit"], 2),
        "units_seconds": round(timings["units"], 2),
        "target_seconds": TARGET_S,
        "met": timings["ministry"] < TARGET_S,
        "ministry_bytes": sizes,
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    print(f"sample assessments: {assessments}")
    previous = 0.0
    for at, message in steps:
        print(f"  {at:6.2f} s (+{at - previous:5.2f})  {message}")
        previous = at
    print(f"ministry pack (xlsx+docx+pdf): {timings['ministry']:.2f} s (target < {TARGET_S:.0f} s)")
    print(f"unit pack: {timings['unit']:.2f} s; chosen-set pack (4 units): {timings['units']:.2f} s")
    print("sizes: " + ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in sizes.items()))
    if a.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
