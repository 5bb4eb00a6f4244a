"""The benchmark script runs and reports its figures (speed targets are checked by reading them)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

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
    # The printed figures are rounded, so the ratio recomputed from them may differ in the last digit.
    assert result["ratio"] == pytest.approx(
        result["etl_files_per_s"] / result["baseline_files_per_s"], abs=0.15
    )
