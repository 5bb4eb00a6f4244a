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
    assert result["plain_baseline_files_per_s"] > 0
    # The printed figures are rounded, so the ratio recomputed from them may differ in the last digit.
    assert result["ratio"] == pytest.approx(
        result["etl_files_per_s"] / result["baseline_files_per_s"], abs=0.15
    )


def test_national_long_csvs_generate_and_load_through_the_cli(tmp_path):
    """The generator the lead's benchmark imports, and the load measurement, on one small province."""
    import sys

    sys.path.insert(0, str(ROOT))
    from bench.national import communes_by_province, generate_long_csvs, measure_load

    province = min(communes_by_province(), key=lambda p: len(communes_by_province([p])[p]))
    paths = generate_long_csvs(tmp_path / "csv", [province], years=(2022, 2023))
    assert [p.name for p in paths] == [f"{province}-2022.csv", f"{province}-2023.csv"]
    figures = measure_load(tmp_path / "csv", tmp_path / "n.duckdb")
    units = len(communes_by_province([province])[province])
    assert figures["load_rows"] == 2 * units * 39 and figures["load_files"] == 2
    assert figures["load_rows_per_s"] > 0 and 0 < figures["load_peak_mb"] < 2000
