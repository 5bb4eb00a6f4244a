"""The benchmark scripts run and report their figures.

Speed targets are checked by reading the figures (BENCHMARKS.md), never here: the machine is
shared, so a test only checks that every figure is measured (present and positive).
"""

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


# The figures bench/run.py promises in its JSON (README, BENCHMARKS.md).
RUN_KEYS = (
    "etl_files_per_s",
    "baseline_files_per_s",
    "plain_baseline_files_per_s",
    "load_rows_per_s",
    "load_peak_mb",
    "query_p95_ms",
    "page_s",
    "server_rss_mb",
    "concurrent_page_p95_s",
)


@pytest.mark.e2e  # it starts a streamlit server and drives Chromium
@pytest.mark.timeout(300)  # a whole benchmark in small: ETL, a load, AppTest runs, a server, a browser
def test_national_bench_tiny_run_reports_every_figure():
    r = subprocess.run(
        [sys.executable, "bench/run.py", "--tiny", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    result = json.loads(r.stdout.strip().splitlines()[-1])
    for key in RUN_KEYS:
        assert isinstance(result[key], (int, float)) and result[key] > 0, (key, result[key])
    # The table before the JSON names each figure, and every query is named module.function[scope].
    assert "worst query p95" in r.stdout and "server peak RSS" in r.stdout
    assert result["queries"] and all("[" in name for name in result["queries"])
    assert result["slowest_query"] in result["queries"]
    assert all(q["p95_ms"] >= q["p50_ms"] > 0 for q in result["queries"].values())
    assert set(result["pages_cold_s"]) == set(result["pages_warm_s"]) and result["pages_cold_s"]
    assert set(result["pages_returning_s"]) == set(result["pages_cold_s"])
    assert result["page_returning_s"] > 0
    # Pages opened from the app's menu, sessions moving in the app at once, and the same requests
    # without a browser (the server's share), with where the CPU went in each.
    assert set(result["pages_navigate_s"]) == set(result["pages_cold_s"]) and result["page_navigate_s"] > 0
    for key in ("concurrent_navigate_p95_s", "concurrent_server_p95_s", "concurrent_server_kb"):
        assert result[key] > 0, key
    assert set(result["concurrent_cpu_s"]) == {"first_visits", "moving_in_app", "no_browser"}
    assert all(split["server"] > 0 for split in result["concurrent_cpu_s"].values())
    assert result["concurrent_cpu_s"]["first_visits"]["browsers"] > 0
    assert len(result["concurrent_s"]) == result["sessions"]
    assert set(result["met"]) == set(result["targets"])


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
