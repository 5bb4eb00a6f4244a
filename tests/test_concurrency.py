"""Two uploaders, a CLI load and a reader, as separate processes on one DuckDB file.

DuckDB lets one process write at a time; core.db retries while another holds the lock and every
file is one transaction. This checks that under real contention every file lands exactly once,
no assessment is half-loaded, identical bytes sent twice at once load once, and a reader
querying in a loop never fails and never sees a half-written state.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

from core.schema import ensure_database
from query.base import frame
from tests.uploadkit import good_file, hai_phong_communes

ROOT = Path(__file__).resolve().parent.parent


def _wait(start_at: float) -> None:
    time.sleep(max(0.0, start_at - time.time()))


def uploader(db: str, user: str, files: list[str], start_at: float, out: str) -> None:
    """Like the upload view: load_bytes per file, recorded as ``user``."""
    from etl.load import load_bytes

    results = []
    try:
        _wait(start_at)
        began = time.time()
        for f in files:
            p = Path(f)
            r = load_bytes(p.name, p.read_bytes(), db, user)
            results.append((p.name, r.status))
        window = [began, time.time()]
        Path(out).write_text(json.dumps({"results": results, "error": None, "window": window}))
    except BaseException:
        Path(out).write_text(json.dumps({"results": results, "error": traceback.format_exc()}))


def reader(db: str, stop: str, out: str) -> None:
    """Query current_results in a loop until told to stop; record every failure and odd state."""
    from query.base import frame

    queries, errors, odd, counts, times = 0, [], [], [], []
    while not Path(stop).exists():
        try:
            df = frame(
                """SELECT assessment_id, count(*) AS n, count(DISTINCT indicator_code) AS codes
                   FROM current_results GROUP BY assessment_id""",
                db=db,
            )
            bad = df[(df["n"] != 39) | (df["codes"] != 39)]
            if len(bad):
                odd.append(bad.to_dict(orient="records"))
            counts.append(len(df))
            times.append(time.time())
            queries += 1
        except Exception:
            errors.append(traceback.format_exc())
        time.sleep(0.01)
    Path(out).write_text(
        json.dumps({"queries": queries, "errors": errors, "odd": odd, "counts": counts, "times": times})
    )


def test_two_uploaders_a_cli_load_and_a_reader(tmp_path):
    db = ensure_database(tmp_path / "db" / "shared.duckdb")
    units = hai_phong_communes(19)
    set_a = [good_file(tmp_path / "a", u, seed=i) for i, u in enumerate(units[0:6])]
    set_b = [good_file(tmp_path / "b", u, seed=i) for i, u in enumerate(units[6:12])]
    set_cli = [good_file(tmp_path / "cli", u, seed=i) for i, u in enumerate(units[12:18])]
    # Both uploaders also send the very same bytes at the same time, and each sends its own
    # version of one more unit (the later one supersedes the other; one current result).
    shared = good_file(tmp_path / "shared", units[18], year=2023, seed=99, name="shared.xlsx")
    contested_a = good_file(tmp_path / "a", units[0], year=2023, seed=1, name="contested-a.xlsx")
    contested_b = good_file(tmp_path / "b", units[0], year=2023, seed=2, name="contested-b.xlsx")
    files_a = [str(p) for p in [shared, contested_a, *set_a]]
    files_b = [str(p) for p in [shared, contested_b, *set_b]]

    ctx = mp.get_context("spawn")
    stop = tmp_path / "stop"
    start_at = time.time() + 4.0  # every process imported and waiting: they start together
    read = ctx.Process(target=reader, args=(str(db), str(stop), str(tmp_path / "reader.json")))
    ups = [
        ctx.Process(target=uploader, args=(str(db), user, files, start_at, str(tmp_path / f"{user}.json")))
        for user, files in (("ana", files_a), ("binh", files_b))
    ]
    started = time.monotonic()
    read.start()
    for p in ups:
        p.start()
    _wait(start_at)
    cli = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(tmp_path / "cli"), "--db", str(db), "--user", "cli-batch"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    for p in ups:
        p.join(120)
        assert p.exitcode == 0
    stop.touch()
    read.join(60)
    elapsed = time.monotonic() - started
    print(f"concurrency: {elapsed:.1f} s wall for {len(files_a) + len(files_b) + len(set_cli)} files")

    assert cli.returncode == 0, cli.stdout + cli.stderr
    results = {u: json.loads((tmp_path / f"{u}.json").read_text()) for u in ("ana", "binh")}
    for u, r in results.items():
        assert r["error"] is None, f"{u}: {r['error']}"
    rd = json.loads((tmp_path / "reader.json").read_text())
    assert rd["errors"] == [], rd["errors"][:2]
    assert rd["odd"] == []
    assert rd["queries"] >= 10, "the reader must have run during the loads"
    assert rd["counts"] == sorted(rd["counts"]), "the number of current assessments never went down"
    # The reader was not starved: it got answers while the uploaders were writing.
    start = min(r["window"][0] for r in results.values())
    end = max(r["window"][1] for r in results.values())
    during = [t for t in rd["times"] if start < t < end]
    assert during, "the reader got no answer while the uploads ran"
    print(f"reader: {rd['queries']} queries, {len(set(rd['counts']))} distinct states, no error")

    uploads = frame("SELECT file_name, sha256, uploaded_by, outcome FROM upload", db=db)
    loaded = uploads[uploads["outcome"] == "loaded"]
    # The shared bytes: loaded once, recorded once more as a duplicate.
    assert sorted(uploads[uploads["file_name"] == "shared.xlsx"]["outcome"]) == ["duplicate", "loaded"]
    expected = {Path(f).name for f in files_a + files_b} | {p.name for p in set_cli}
    assert sorted(loaded["file_name"]) == sorted(expected), "every file loaded exactly once"
    assert loaded["sha256"].is_unique
    assert set(uploads["uploaded_by"]) == {"ana", "binh", "cli-batch"}
    assert len(uploads) == len(expected) + 1

    per_assessment = frame(
        """SELECT a.assessment_id, count(r.indicator_code) AS n
           FROM assessment a LEFT JOIN result r USING (assessment_id) GROUP BY a.assessment_id""",
        db=db,
    )
    assert len(per_assessment) == len(expected) and (per_assessment["n"] == 39).all()
    current = frame(
        "SELECT locality_id, year, stage, count(*) AS n FROM current_assessments GROUP BY ALL", db=db
    )
    assert (current["n"] == 1).all() and len(current) == len(expected) - 1  # the contested unit once
    stored = list((db.parent / f"{db.stem}.files").rglob("*.xlsx"))
    assert len(stored) == len(expected)
    shutil.rmtree(tmp_path / "a")  # nothing depends on the analysts' copies once loaded
