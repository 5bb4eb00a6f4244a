"""A bulk load killed with SIGKILL half-way, several times: the database holds only whole files, no
worker process outlives its loader, and a reload completes the rest (each file loaded once)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from core.config import store_dir
from core.db import connect
from core.units import registry
from etl import samples
from tests import files

ROOT = Path(__file__).resolve().parent.parent
FILES = 360
KILLS = 4


def _files(folder: Path) -> list[Path]:
    """FILES single-assessment files (template, CSV, .ods, .xls) of distinct Hải Phòng units."""
    folder.mkdir()
    units = sorted(
        (u for u in registry().units.values() if u.province_code == "31" and u.level == "commune"),
        key=lambda u: u.code,
    )
    layouts = ["csv", "template", "csv", "ods", "csv", "xls"]
    out = []
    for i in range(FILES):
        unit, year = units[i % len(units)], 2020 + i // len(units)
        layout = layouts[i % len(layouts)]
        a = samples.SampleAssessment(unit, year, "self", files.results())
        out.append(samples.WRITERS[layout](a, folder / f"{i:04d}{samples.EXTENSIONS[layout]}"))
    return out


def _check_whole(db: Path) -> int:
    """Every assessment in the database is whole; returns how many uploads are loaded."""
    with connect(db, read_only=True) as con:
        broken = con.execute(
            """SELECT a.assessment_id, count(r.indicator_code) AS n
               FROM assessment a LEFT JOIN result r USING (assessment_id)
               GROUP BY a.assessment_id HAVING n <> 39"""
        ).fetchall()
        assert broken == []
        unscored = con.execute(
            """SELECT count(*) FROM assessment a
               WHERE (SELECT count(*) FROM unit_score s WHERE s.assessment_id = a.assessment_id) <> 1"""
        ).fetchone()[0]
        assert unscored == 0
        mismatched = con.execute(
            """SELECT u.upload_id FROM upload u LEFT JOIN assessment a USING (upload_id)
               WHERE u.outcome = 'loaded' GROUP BY u.upload_id, u.assessments
               HAVING count(a.assessment_id) <> u.assessments"""
        ).fetchall()
        assert mismatched == []
        orphans = con.execute(
            "SELECT count(*) FROM assessment a LEFT JOIN upload u USING (upload_id) WHERE u.upload_id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        return con.execute("SELECT count(*) FROM upload WHERE outcome = 'loaded'").fetchone()[0]


def _load(folder: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "etl", "load", str(folder), "--db", str(db), "--jobs", "2"],
        cwd=ROOT,
        env={**os.environ, "ISO18091_GROUP_FILES": "24"},  # many commits to fall between
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_sigkill_mid_load_leaves_whole_files_no_orphans_and_a_reload_completes(tmp_path):
    folder = tmp_path / "in"
    paths = _files(folder)
    db = tmp_path / "db" / "crash.duckdb"
    store = store_dir(db)
    rng = random.Random(9)
    loaded_before = 0
    kills = []
    with_workers = 0  # kills that found parse workers running
    for _ in range(KILLS):
        proc = _load(folder, db)
        # Wait until the loader is really loading (its workers keep originals), then kill it.
        deadline = time.monotonic() + 60
        kept_at_start = len(list(store.glob("??/*"))) if store.is_dir() else 0
        while time.monotonic() < deadline and proc.poll() is None:
            kept = len(list(store.glob("??/*"))) if store.is_dir() else 0
            if kept > kept_at_start + 5:
                break
            time.sleep(0.01)
        time.sleep(rng.uniform(0.02, 0.3))
        if proc.poll() is not None:
            continue  # finished first: this round interrupted nothing
        children = psutil.Process(proc.pid).children(recursive=True)
        with_workers += bool(children)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        _, alive = psutil.wait_procs(children, timeout=10)
        assert alive == [], f"workers outlived their loader: {[p.pid for p in alive]}"
        loaded = _check_whole(db)
        assert loaded >= loaded_before
        kills.append(loaded)
        loaded_before = loaded
    print(f"\ncrash: {len(kills)} SIGKILLs mid-load, files loaded after each: {kills} of {FILES}")
    assert len(kills) >= KILLS - 1 and kills[-1] < FILES, "the kills came too late to interrupt anything"
    assert with_workers >= 2, "too few kills caught the loader with its workers"

    proc = _load(folder, db)
    assert proc.wait(120) in (0, 1)
    assert _check_whole(db) == FILES
    with connect(db, read_only=True) as con:
        loaded = con.execute("SELECT sha256, stored_path FROM upload WHERE outcome = 'loaded'").fetchall()
    assert len({sha for sha, _ in loaded}) == FILES  # each file once
    kept = {p.resolve() for p in store.glob("??/*")}
    assert kept == {(db.parent / stored).resolve() for _, stored in loaded}  # no orphan left behind
    assert len(paths) == FILES
