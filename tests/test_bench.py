"""The benchmark script runs and reports its figures (speed targets are checked by reading them)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_prints_a_json_line():
    r = subprocess.run(
        [sys.executable, "bench/etl.py", "--files", "12", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout.strip().splitlines()[-1])
    assert result["files"] == 12
    assert result["etl_files_per_s"] > 0 and result["baseline_files_per_s"] > 0
    assert result["ratio"] == round(result["etl_files_per_s"] / result["baseline_files_per_s"], 1)
