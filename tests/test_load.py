"""Real files into a real DuckDB file: atomicity, duplicates, superseding, history, roll-back."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from core.config import store_dir
from core.db import connect, transaction
from core.schema import SCHEMA_VERSION, ensure_database
from etl.load import load_bytes, load_files, store_parsed
from etl.store import rollback_upload
from etl.validate import parse_bytes
from tests import files

VIEW_COLUMNS = [
    "locality_code",
    "locality_name",
    "locality_type",
    "parent_code",
    "province_code",
    "year",
    "stage",
    "indicator_code",
    "pillar",
    "level",
    "score",
    "reported_score",
    "evidence",
    "note",
    "upload_id",
    "assessment_id",
    "illustrative",
    "locality_id",
    "vintage",
    "province_id",
    "parent_id",
]


def counts(db: Path) -> dict[str, int]:
    with connect(db, read_only=True) as con:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("assessment", "result", "upload")
        }


def current(db: Path, sql: str = "SELECT * FROM current_results", params=None):
    with connect(db, read_only=True) as con:
        return con.execute(sql, params or []).df()


def test_new_database_has_schema_catalogue_and_units(tmp_db):
    assert not tmp_db.exists()
    ensure_database(tmp_db)
    with connect(tmp_db, read_only=True) as con:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("SELECT count(*) FROM indicator").fetchone()[0] == 39
        hai_phong = con.execute(
            "SELECT vintage, count(*) FROM locality WHERE province_code = '31' GROUP BY 1 ORDER BY 1"
        ).fetchall()
        assert hai_phong == [("2020", 1 + 15 + 217), ("2025", 1 + 114)]
        assert con.execute("SELECT score FROM level ORDER BY rank").fetchall() == [(0.0,), (50.0,), (100.0,)]
    ensure_database(tmp_db)  # idempotent


def test_load_one_file_and_read_current_results(tmp_path, tmp_db):
    [r] = load_files([files.template(tmp_path / "t.xlsx")], tmp_db, user="analyst1")
    assert (r.status, r.assessments) == ("loaded", 1)
    df = current(tmp_db)
    assert list(df.columns) == VIEW_COLUMNS
    assert len(df) == 39 and set(df["locality_code"]) == {"11311"}
    assert set(df["level"]) == {"red", "yellow", "green"}
    assert df.set_index("indicator_code").loc["1.1", "score"] == 100.0  # green -> 100 by the rule
    assert df.set_index("indicator_code").loc["1.1", "reported_score"] == 50.0
    assert df["parent_code"].iloc[0] == "303" and df["province_code"].iloc[0] == "31"
    assert not df["illustrative"].any()
    up = current(tmp_db, "SELECT * FROM upload").iloc[0]
    assert (up.file_name, up.uploaded_by, up.outcome, up.size_bytes) == (
        "t.xlsx",
        "analyst1",
        "loaded",
        (tmp_path / "t.xlsx").stat().st_size,
    )
    kept = tmp_db.parent / up.stored_path
    assert kept.read_bytes() == (tmp_path / "t.xlsx").read_bytes() and up.sha256 in kept.name


def test_rejected_file_changes_nothing_but_is_audited(tmp_path, tmp_db):
    load_files([files.template(tmp_path / "ok.xlsx")], tmp_db)
    before = counts(tmp_db)
    bad = files.edit(
        files.template(tmp_path / "bad.xlsx", unit_code="305", unit_name="Quận Lê Chân", district=None),
        {f"C{files.level_row('4.9')}": "Tím"},
    )
    [r] = load_files([bad], tmp_db)
    assert r.status == "rejected" and r.assessments == 0
    after = counts(tmp_db)
    assert after["assessment"] == before["assessment"] and after["result"] == before["result"]
    assert after["upload"] == before["upload"] + 1
    assert current(tmp_db, "SELECT outcome, stored_path FROM upload ORDER BY upload_id DESC LIMIT 1").iloc[
        0
    ].tolist() == ["rejected", None]


def test_same_bytes_twice_is_a_duplicate(tmp_path, tmp_db):
    p = files.template(tmp_path / "t.xlsx")
    assert load_files([p], tmp_db)[0].status == "loaded"
    copy = tmp_path / "renamed copy.xlsx"
    copy.write_bytes(p.read_bytes())
    assert [r.status for r in load_files([copy, p], tmp_db)] == ["duplicate", "duplicate"]
    assert counts(tmp_db)["assessment"] == 1


def test_same_bytes_twice_in_one_batch(tmp_path, tmp_db):
    p = files.template(tmp_path / "t.xlsx")
    data = p.read_bytes()
    reports = list(
        store_parsed(
            [("a", parse_bytes("a.xlsx", data), data), ("b", parse_bytes("b.xlsx", data), data)], tmp_db
        )
    )
    assert [r.status for r in reports] == ["loaded", "duplicate"]


def test_new_file_supersedes_and_history_is_kept(tmp_path, tmp_db):
    first = files.template(tmp_path / "v1.xlsx")
    second = files.template(tmp_path / "v2.xlsx", results=files.results({"1.1": "red"}))
    verified = files.template(tmp_path / "v3.xlsx", stage="verified")
    load_files([first], tmp_db)
    load_files([second, verified], tmp_db)
    df = current(
        tmp_db,
        "SELECT stage, indicator_code, level FROM current_results WHERE indicator_code = '1.1' ORDER BY stage",
    )
    assert df.values.tolist() == [["self", "1.1", "red"], ["verified", "1.1", "green"]]
    hist = current(
        tmp_db, "SELECT assessment_id, coalesce(superseded_by, 0) AS s, stage FROM assessment ORDER BY 1"
    )
    assert hist.values.tolist() == [[1, 2, "self"], [2, 0, "self"], [3, 0, "verified"]]
    assert counts(tmp_db)["result"] == 3 * 39


def test_failure_in_the_middle_of_a_group_loses_only_that_file(tmp_path, tmp_db):
    """A file the database refuses (here: a level that breaks a CHECK) rolls back alone."""
    good1 = files.template(tmp_path / "g1.xlsx")
    good2 = files.template(tmp_path / "g2.xlsx", unit_code="305", unit_name="Quận Lê Chân", district=None)
    broken = parse_bytes(
        "b.xlsx",
        files.template(
            tmp_path / "b.xlsx", unit_code="306", unit_name="Quận Hải An", district=None
        ).read_bytes(),
    )
    a = broken.assessments[0]
    a.results[-1] = dataclasses.replace(a.results[-1], level="purple")
    items = [(p.name, parse_bytes(p.name, p.read_bytes()), p.read_bytes()) for p in (good1, good2)]
    items.insert(1, ("b.xlsx", broken, b"x"))
    reports = list(store_parsed(items, tmp_db))
    assert [r.status for r in reports] == ["loaded", "rejected", "loaded"]
    assert reports[1].problems[-1].code == "load-failed"
    assert set(current(tmp_db)["locality_code"]) == {"11311", "305"}
    with connect(tmp_db, read_only=True) as con:
        assert (
            con.execute(
                "SELECT count(*) FROM assessment a JOIN locality l USING (locality_id) WHERE l.code = '306'"
            ).fetchone()[0]
            == 0
        )
        assert con.execute("SELECT count(*) FROM result").fetchone()[0] == 2 * 39


def test_rollback_restores_what_was_superseded(tmp_path, tmp_db):
    ids = []
    for i, lvl in enumerate(("green", "yellow", "red")):
        [r] = load_files(
            [files.template(tmp_path / f"v{i}.xlsx", results=files.results({"1.1": lvl}))], tmp_db
        )
        ids.append(r.upload_id)

    def level11() -> str:
        return current(tmp_db, "SELECT level FROM current_results WHERE indicator_code = '1.1'")[
            "level"
        ].tolist()

    assert level11() == ["red"]
    with transaction(tmp_db) as con:
        assert rollback_upload(con, ids[1], "admin") == 1  # the middle one: the newest still wins
    assert level11() == ["red"]
    with transaction(tmp_db) as con:
        rollback_upload(con, ids[2], "admin")
    assert level11() == ["green"]  # back to the first, since the second is withdrawn too
    assert current(tmp_db, "SELECT outcome FROM upload ORDER BY upload_id")["outcome"].tolist() == [
        "loaded",
        "rolled_back",
        "rolled_back",
    ]
    with transaction(tmp_db) as con:
        assert rollback_upload(con, ids[2], "admin") == 0  # idempotent


def test_file_name_is_never_a_path(tmp_path, tmp_db):
    data = files.template(tmp_path / "t.xlsx").read_bytes()
    r = load_bytes("../../../etc/evil.xlsx", data, tmp_db, user="a")
    assert r.status == "loaded"
    stored = current(tmp_db, "SELECT file_name, stored_path FROM upload").iloc[0]
    assert stored.file_name == "evil.xlsx"
    assert (tmp_db.parent / stored.stored_path).resolve().is_relative_to(store_dir(tmp_db).resolve())
    assert not (tmp_path.parent / "etc").exists()


def test_demo_sample_data(demo_db):
    df = current(
        demo_db,
        "SELECT year, count(DISTINCT assessment_id) AS n, avg(score) AS s, bool_and(illustrative) AS ill FROM current_results GROUP BY year ORDER BY year",
    )
    assert df["n"].tolist() == [12, 12] and df["ill"].all()
    assert df["s"].iloc[1] > df["s"].iloc[0]  # illustrative pattern: better in 2023
    types = current(
        demo_db, "SELECT locality_type, count(DISTINCT locality_code) n FROM current_results GROUP BY 1"
    )
    assert dict(zip(types.locality_type, types.n, strict=True)) == {
        "quan": 3,
        "huyen": 3,
        "phuong": 3,
        "xa": 3,
    }


def test_readers_wait_while_another_process_writes(tmp_path, tmp_db):
    """DuckDB lets one process hold the file for writing; readers retry instead of failing."""
    load_files([files.template(tmp_path / "t.xlsx")], tmp_db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(1.5)",
            str(tmp_db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(duckdb.IOException), connect(tmp_db, read_only=True, timeout=0.2):
        pass
    t0 = time.monotonic()
    with connect(tmp_db, read_only=True, timeout=30) as con:
        assert con.execute("SELECT count(*) FROM current_results").fetchone()[0] == 39
    assert time.monotonic() - t0 > 0.5  # it waited for the writer to let go
    holder.wait(10)
