"""The query layer: rankings, headline figures, averages, changes and moves, each checked against an
independent computation from current_results; and one key per unit (2020:11311 is not 2025:11311)."""

from __future__ import annotations

import pandas as pd
import pytest

from core.db import connect
from core.scoring import LEVEL_RANK, LEVEL_SCORE
from core.units import registry
from etl.load import load_files, store_parsed
from etl.validate import parse_bytes
from query import reform, results, scores
from query import units as uq
from query.scope import Scope
from tests import files
from tests.conftest import ROOT

HP = Scope(province="2020:31")


def _truth(db, year: int | None = None) -> pd.DataFrame:
    """Per unit and year: p1..p4 and overall by the rule, computed here in pandas."""
    with connect(db, read_only=True) as con:
        df = con.execute(
            "SELECT locality_id, locality_type, year, stage, pillar, level FROM current_results"
        ).df()
    df["s"] = df["level"].map(LEVEL_SCORE)
    if year is not None:
        df = df[df["year"] == year]
    p = df.groupby(["locality_id", "locality_type", "year", "pillar"])["s"].mean().unstack("pillar")
    p.columns = [f"p{c}" for c in p.columns]
    p["overall"] = p[["p1", "p2", "p3", "p4"]].mean(axis=1)
    return p.reset_index()


def test_ranking_ranks_and_measures_change_against_the_previous_year(demo_db):
    table = scores.ranking(demo_db, 2023, "self", HP, limit=None)
    t23, t22 = _truth(demo_db, 2023).set_index("locality_id"), _truth(demo_db, 2022).set_index("locality_id")
    assert len(table) == 12 == table["total"].iloc[0]
    assert list(table["overall"]) == sorted(table["overall"], reverse=True) and table["rank"].iloc[0] == 1
    for r in table.itertuples():
        assert r.overall == pytest.approx(t23.loc[r.locality_id, "overall"])
        assert r.change == pytest.approx(
            t23.loc[r.locality_id, "overall"] - t22.loc[r.locality_id, "overall"]
        )
    assert (table[["n_green", "n_yellow", "n_red"]].sum(axis=1) == 39).all()
    assert scores.ranking(demo_db, 2022, "self", HP)["change"].isna().all()
    # A search keeps the scope's ranks; a page is a slice of the same order.
    found = scores.ranking(demo_db, 2023, "self", HP, search="hong bang")
    assert set(found["name_with_type"]) == {"Quận Hồng Bàng"}
    assert found["rank"].iloc[0] == table.set_index("locality_id").loc["2020:303", "rank"]
    page2 = scores.ranking(demo_db, 2023, "self", HP, offset=5, limit=5)
    assert list(page2["locality_id"]) == list(table["locality_id"].iloc[5:10])


def test_headline_compares_like_with_like(tmp_path, tmp_db):
    load_files([ROOT / "data" / "samples"], tmp_db, jobs=1)
    # One more unit assessed in 2023 only: the change must leave it out and say so.
    load_files([files.template(tmp_path / "new.xlsx", unit_name="Phường Hạ Lý", unit_code="11308")], tmp_db)
    head = scores.headline(tmp_db, 2023, "self", HP)
    assert head["units"] == 13 and head["previous_year"] == 2022
    comp = head["compare"]
    assert (comp["units"], comp["new"], comp["dropped"]) == (12, 1, 0)
    t23, t22 = _truth(tmp_db, 2023), _truth(tmp_db, 2022)
    both = t23[t23["locality_id"].isin(t22["locality_id"])]
    assert comp["now"]["overall"] == pytest.approx(both["overall"].mean())
    assert comp["before"]["overall"] == pytest.approx(t22["overall"].mean())
    assert head["overall"] == pytest.approx(t23["overall"].mean())
    with connect(tmp_db, read_only=True) as con:
        lv = con.execute("SELECT level FROM current_results WHERE year = 2023").df()["level"]
    assert head["share_green"] == pytest.approx((lv == "green").mean())
    first = scores.headline(tmp_db, 2022, "self", HP)
    assert first["compare"] is None and first["previous_year"] is None


def test_reference_and_peer_standing_share_one_definition(demo_db):
    ref = scores.reference(demo_db, 2023, "self", HP).set_index(["group", "pillar"])["score"]
    t23 = _truth(demo_db, 2023)
    assert ref[("scope", 1)] == pytest.approx(t23["p1"].mean())
    for utype, part in t23.groupby("locality_type"):
        assert ref[(utype, 0)] == pytest.approx(part["overall"].mean())
    table = scores.ranking(demo_db, 2023, "self", HP, limit=None).set_index("locality_id")
    for unit in ("2020:303", "2020:311", table.index[-1]):
        st = scores.peer_standing(demo_db, unit, 2023, "self").set_index("pillar")
        utype = table.loc[unit, "locality_type"]
        assert st.loc[0, "province_average"] == pytest.approx(ref[("scope", 0)])
        assert st.loc[0, "type_average"] == pytest.approx(ref[(utype, 0)])
        assert st.loc[0, "rank_province"] == table.loc[unit, "rank"]
        assert (st["units_province"] == 12).all() and (st["units_type"] == 3).all()
    assert scores.peer_standing(demo_db, "2020:303", 2030, "self").empty


def test_every_level_move_is_counted(demo_db):
    with connect(demo_db, read_only=True) as con:
        df = con.execute(
            """SELECT a.indicator_code, a.level AS a, b.level AS b FROM current_results a JOIN current_results b
               USING (locality_id, indicator_code, stage) WHERE a.year = 2022 AND b.year = 2023"""
        ).df()
    move = df["b"].map(LEVEL_RANK) - df["a"].map(LEVEL_RANK)
    ind = results.indicator_moves(demo_db, "self", 2022, 2023, HP).set_index("indicator_code")
    assert ind["up"].sum() == (move > 0).sum() and ind["down"].sum() == (move < 0).sum()
    assert ind["levels_up"].sum() == move[move > 0].sum()
    per = df.assign(move=move).groupby("indicator_code")["move"]
    for code, m in per:
        assert ind.loc[code, "down"] == (m < 0).sum()
    totals = results.move_totals(demo_db, "self", 2022, 2023, HP)
    assert (totals["units"], totals["results"]) == (12, 12 * 39)
    only_p2 = results.indicator_moves(demo_db, "self", 2022, 2023, HP, pillar=2)
    assert set(only_p2["pillar"]) == {2}
    bins = scores.change_bins(demo_db, "self", 2022, 2023, HP)
    assert bins["units"].sum() == 12


def test_indicator_summary_and_groups(demo_db):
    summary = results.indicator_summary(demo_db, 2023, "self", HP)
    assert len(summary) == 39 and (summary["units"] == 12).all()
    assert (summary[["n_red", "n_yellow", "n_green"]].sum(axis=1) == 12).all()
    groups = scores.group_scores(demo_db, 2023, "self", HP, "district").set_index("group_id")
    t23 = _truth(demo_db, 2023)
    reg = registry()
    t23["district"] = [
        lid if reg.units[lid[5:]].level == "district" else f"2020:{reg.units[lid[5:]].parent_code}"
        for lid in t23["locality_id"]
    ]
    for d, part in t23.groupby("district"):
        assert groups.loc[d, "units"] == len(part)
        assert groups.loc[d, "overall"] == pytest.approx(part["overall"].mean())
    assert groups.loc["2020:303", "registry_units"] == len(reg.children("303")) + 1
    provinces = scores.group_scores(demo_db, 2023, "self", Scope(), "province")
    assert list(provinces["group_id"]) == ["2020:31"] and provinces["registry_units"].iloc[0] == 232


def test_an_absent_or_empty_database_has_no_results(tmp_db):
    from core.schema import ensure_database

    assert results.has_results(tmp_db) is False
    ensure_database(tmp_db)
    assert results.has_results(tmp_db) is False
    assert scores.ranking(tmp_db, 2023, "self", Scope()).empty
    assert len(results.indicator_catalogue(tmp_db)) == 39


def test_one_key_per_unit_keeps_2020_and_2025_units_with_the_same_code_apart(tmp_path, tmp_db):
    """2020:11311 (Phường Minh Khai) and 2025:11311 (Phường Hồng Bàng) share a GSO code, nothing else."""
    old = files.template(
        tmp_path / "old.xlsx", year=2023, results=files.results({c: "green" for c in files.results()})
    )
    new_path = files.template(
        tmp_path / "new.xlsx",
        unit_name="Phường Hồng Bàng",
        unit_code="11311",
        district=None,
        year=2023,
        results=files.results({c: "red" for c in files.results()}),
    )
    parsed_old = parse_bytes("old.xlsx", old.read_bytes())
    parsed_new = parse_bytes("new.xlsx", new_path.read_bytes(), reg=registry("2025"))
    assert parsed_new.assessments[0].unit.locality_id == "2025:11311"
    reports = list(
        store_parsed(
            [("old", parsed_old, old.read_bytes()), ("new", parsed_new, new_path.read_bytes())], tmp_db
        )
    )
    assert [r.status for r in reports] == ["loaded", "loaded"]

    for scope in (Scope(), Scope(province="2020:31"), Scope(province="2025:31")):
        table = scores.ranking(tmp_db, 2023, "self", scope, limit=None)
        assert table["locality_id"].is_unique
        assert set(table["locality_id"]) <= {"2020:11311", "2025:11311"}
    table = scores.ranking(tmp_db, 2023, "self", Scope(), limit=None).set_index("locality_id")
    assert table.loc["2020:11311", "overall"] == 100 and table.loc["2025:11311", "overall"] == 0
    assert (table["indicators"] == 39).all()
    head = scores.headline(tmp_db, 2023, "self", Scope())
    assert head["units"] == 2 and head["results"] == 78
    assert scores.headline(tmp_db, 2023, "self", Scope(province="2025:31"))["units"] == 1
    series = scores.unit_series(tmp_db, ["2020:11311"], "self")
    assert set(series["locality_id"]) == {"2020:11311"} and (series["score"] == 100).all()
    wide = scores.units_wide(tmp_db, ["2020:11311", "2025:11311"], 2023, "self").set_index("locality_id")
    assert wide.loc["2020:11311", "overall"] == 100 and wide.loc["2025:11311", "overall"] == 0
    for lid, level in (("2020:11311", "green"), ("2025:11311", "red")):
        lv = results.unit_levels(tmp_db, lid, 2023, "self")
        assert len(lv) == 39 and set(lv["level"]) == {level}
        st = scores.peer_standing(tmp_db, lid, 2023, "self")
        assert (st["units_province"] == 1).all()
    cells = results.grid_cells(tmp_db, ["2020:11311", "2025:11311"], 2023, "self")
    assert cells.groupby("locality_id").size().to_dict() == {"2020:11311": 39, "2025:11311": 39}
    summary = results.indicator_summary(tmp_db, 2023, "self", Scope())
    assert (summary["units"] == 2).all()
    provinces = uq.provinces(tmp_db, 2023, "self")
    assert set(provinces["province_id"]) == {"2020:31", "2025:31"}
    # An old link naming the code alone is ambiguous now, and says so by finding two units.
    assert sorted(uq.resolve_unit(tmp_db, "11311")) == ["2020:11311", "2025:11311"]
    assert uq.resolve_unit(tmp_db, "2025:11311") == ["2025:11311"]
    # On the 2025 map, the new ward's own assessment wins over what its predecessors carry.
    carried = reform.carried_scores(tmp_db, "2025:31", 2023, "self").set_index("locality_id")
    assert carried.loc["2025:11311", "status"] == "assessed" and carried.loc["2025:11311", "overall"] == 0


def test_unit_levels_name_the_level_of_the_year_before_and_the_move(demo_db):
    """A unit's 39 levels in a year beside its levels in its previous assessed year (same stage),
    checked against the results table read plainly."""
    from core.db import connect

    with connect(demo_db, read_only=True) as con:
        lid, year, before_year = con.execute(
            "SELECT locality_id, max(year), min(year) FROM current_assessments WHERE stage = 'self' "
            "GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 LIMIT 1"
        ).fetchone()
        plain = dict(
            con.execute(
                "SELECT indicator_code, level FROM current_results WHERE locality_id = ? AND year = ? "
                "AND stage = 'self'",
                [lid, before_year],
            ).fetchall()
        )
        rank = dict(con.execute("SELECT level, rank FROM level").fetchall())
    lv = results.unit_levels(demo_db, lid, year, "self").set_index("indicator_code")
    assert len(lv) == 39 and (lv["previous_year"] == before_year).all()
    assert lv["level_before"].to_dict() == plain
    assert all(lv.at[c, "move"] == rank[lv.at[c, "level"]] - rank[plain[c]] for c in lv.index)
    first = results.unit_levels(demo_db, lid, before_year, "self")
    assert len(first) == 39 and first["previous_year"].isna().all() and first["level_before"].isna().all()
    assert results.unit_levels(demo_db, lid, 1990, "self").empty
