"""Results of 2020-2023 units carried onto the 2025 units by the stated rule (core/reform.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from bench.national import generate_long_csvs
from core.db import connect
from core.reform import CarryRule
from etl.load import load_files
from query import reform


@pytest.fixture(scope="module")
def hai_phong_2023(tmp_path_factory: pytest.TempPathFactory):
    """Every commune of Hải Phòng 2020-2023 assessed in 2023 (generated, illustrative)."""
    tmp = tmp_path_factory.mktemp("reform")
    paths = generate_long_csvs(tmp / "csv", ["31"], (2023,))
    db = tmp / "hp.duckdb"
    reports = load_files(paths, db, jobs=1)
    assert [r.status for r in reports] == ["loaded"]
    return db


def _expected(db) -> pd.DataFrame:
    """Per new unit: predecessor communes, whether all lie wholly in it, and their mean overall score."""
    with connect(db, read_only=True) as con:
        return (
            con.execute(
                """SELECT x.to_id, count(*) AS n, bool_and(x.relation = 'whole') AS whole,
                      count(s.score) AS assessed, avg(s.score) AS mean
               FROM locality_crosswalk x
               JOIN locality n ON n.locality_id = x.to_id AND n.province_code = '31'
               LEFT JOIN current_unit_scores s ON s.locality_id = x.from_id AND s.pillar = 0 AND s.year = 2023
               WHERE x.from_level = 'commune' GROUP BY x.to_id"""
            )
            .df()
            .set_index("to_id")
        )


def test_new_units_get_derived_partial_or_no_figures(hai_phong_2023):
    got = reform.carried_scores(hai_phong_2023, "2025:31", 2023, "self").set_index("locality_id")
    assert len(got) == 114
    exp = _expected(hai_phong_2023)
    for lid, row in got.iterrows():
        if lid not in exp.index:
            assert row["status"] == "none"  # Bạch Long Vĩ's district had no commune and no assessment
            continue
        e = exp.loc[lid]
        if e["assessed"] == 0:
            assert row["status"] == "none" and pd.isna(row["overall"])  # a ward of old Hải Dương
        elif e["assessed"] == e["n"] and e["whole"]:
            assert row["status"] == "derived" and row["overall"] == pytest.approx(e["mean"])
        else:
            assert row["status"] == "partial" and row["overall"] == pytest.approx(e["mean"])
            assert row["coverage"] == pytest.approx(e["assessed"] / e["n"])
    counts = got["status"].value_counts()
    assert counts["derived"] > 0 and counts["partial"] > 0 and counts["none"] >= 64  # old Hải Dương's 64
    assert got["illustrative"][got["status"] != "none"].all()


def test_partial_figures_below_the_coverage_threshold_are_not_drawn(hai_phong_2023):
    strict = reform.carried_scores(hai_phong_2023, "2025:31", 2023, "self", CarryRule(min_coverage=1.01))
    partial = strict[strict["status"] == "partial"]
    assert len(partial) and partial["overall"].isna().all()
    assert strict[strict["status"] == "derived"]["overall"].notna().all()
