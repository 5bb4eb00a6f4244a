"""The stored scores (unit_score) always equal the scoring rule applied to current_results.

The rule is recomputed here in pandas from the level scores, independently of the SQL in
core/readmodel.py, after loads, a superseding file, a roll-back and a change of the level scores.
"""

from __future__ import annotations

import pandas as pd

from core.db import connect, transaction
from core.scoring import LEVEL_SCORE
from etl.load import load_files
from etl.store import rollback_upload
from tests import files
from tests.conftest import ROOT


def _by_rule(db) -> pd.DataFrame:
    with connect(db, read_only=True) as con:
        res = con.execute("SELECT locality_id, year, stage, pillar, level FROM current_results").df()
    res["score"] = res["level"].map(LEVEL_SCORE)
    pillars = res.groupby(["locality_id", "year", "stage", "pillar"], as_index=False)["score"].mean()
    overall = (
        pillars.groupby(["locality_id", "year", "stage"], as_index=False)["score"].mean().assign(pillar=0)
    )
    out = pd.concat([pillars, overall], ignore_index=True)
    return out.sort_values(["locality_id", "year", "stage", "pillar"]).reset_index(drop=True)


def _stored(db) -> pd.DataFrame:
    with connect(db, read_only=True) as con:
        df = con.execute("SELECT locality_id, year, stage, pillar, score FROM current_unit_scores").df()
    return df.sort_values(["locality_id", "year", "stage", "pillar"]).reset_index(drop=True)


def _assert_equal(db) -> None:
    want, got = _by_rule(db), _stored(db)
    assert len(got) == len(want) > 0
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_exact=False, rtol=1e-12)


def test_stored_scores_follow_loads_supersession_and_rollback(tmp_path, tmp_db):
    load_files([ROOT / "data" / "samples"], tmp_db, jobs=1)
    _assert_equal(tmp_db)
    # A corrected file for a unit, year and stage already loaded supersedes it.
    all_red = {code: "red" for code in files.results()}
    [r] = load_files([files.template(tmp_path / "fix.xlsx", results=files.results(all_red))], tmp_db)
    assert r.status == "loaded"
    _assert_equal(tmp_db)
    with connect(tmp_db, read_only=True) as con:
        (score,) = con.execute(
            "SELECT score FROM current_unit_scores WHERE locality_id = '2020:11311' AND year = 2023 AND pillar = 0"
        ).fetchone()
    assert score == 0.0
    with transaction(tmp_db) as con:
        assert rollback_upload(con, r.upload_id, "admin") == 1
    _assert_equal(tmp_db)


def test_a_change_of_level_scores_rescores_everything(tmp_db, monkeypatch):
    from core import readmodel

    load_files([ROOT / "data" / "samples"], tmp_db, jobs=1)
    with transaction(tmp_db) as con:
        con.execute("UPDATE level SET score = 60 WHERE level = 'yellow'")
        readmodel.rescore_all(con)
    monkeypatch.setitem(LEVEL_SCORE, "yellow", 60.0)
    _assert_equal(tmp_db)


def test_data_version_counts_changes_per_province(tmp_path, tmp_db):
    load_files([files.template(tmp_path / "a.xlsx")], tmp_db)
    with connect(tmp_db, read_only=True) as con:
        before = dict(con.execute("SELECT scope, version FROM data_version").fetchall())
    load_files([files.template(tmp_path / "b.xlsx", year=2022)], tmp_db)
    with connect(tmp_db, read_only=True) as con:
        after = dict(con.execute("SELECT scope, version FROM data_version").fetchall())
    assert after["2020:31"] == before["2020:31"] + 1 and after["*"] == before["*"] + 1
    assert "2020:01" not in after  # Hà Nội has had no load: its cached answers stay valid
