"""The query layer applies the one scoring rule (core.scoring) and reshapes it correctly."""

from __future__ import annotations

import pandas as pd
import pytest

from core.db import connect
from core.scoring import LEVEL_SCORE
from query import results, scores


def _raw(db) -> pd.DataFrame:
    with connect(db, read_only=True) as con:
        df = con.execute(
            "SELECT locality_code, locality_type, year, stage, pillar, level FROM current_results"
        ).df()
    df["s"] = df["level"].map(LEVEL_SCORE)
    return df


def test_pillar_and_overall_scores_follow_the_rule(demo_db):
    raw = _raw(demo_db)
    got = scores.unit_scores(demo_db).set_index(["locality_code", "year", "pillar"])["score"]
    pillar = raw.groupby(["locality_code", "year", "pillar"])["s"].mean()
    for key, value in pillar.items():
        assert got[key] == pytest.approx(value)
    # overall = mean of the four pillar scores, not the mean over the 39 indicators
    overall = pillar.groupby(["locality_code", "year"]).mean()
    for (code, year), value in overall.items():
        assert got[(code, year, scores.OVERALL)] == pytest.approx(value)
    by_indicator = raw.groupby(["locality_code", "year"])["s"].mean()
    assert any(abs(overall[k] - by_indicator[k]) > 0.01 for k in overall.index)


def test_score_table_ranks_and_measures_change_against_the_previous_year(demo_db):
    table = scores.score_table(demo_db, 2023, "self")
    assert len(table) == 12
    assert list(table["overall"]) == sorted(table["overall"], reverse=True)
    assert table["rank"].iloc[0] == 1
    long = scores.unit_scores(demo_db, stage="self")
    ov = long[long["pillar"] == scores.OVERALL].set_index(["locality_code", "year"])["score"]
    for r in table.itertuples():
        assert r.change == pytest.approx(ov[(r.locality_code, 2023)] - ov[(r.locality_code, 2022)])
    assert (table[["n_green", "n_yellow", "n_red"]].sum(axis=1) == 39).all()
    first = scores.score_table(demo_db, 2022, "self")
    assert first["change"].isna().all()


def test_headline_shares_and_reference_averages(demo_db):
    raw = _raw(demo_db)
    head = scores.headline(demo_db, 2023, "self")
    r23 = raw[raw["year"] == 2023]
    assert head["units"] == r23["locality_code"].nunique()
    assert head["share_green"] == pytest.approx((r23["level"] == "green").mean())
    assert head["previous"]["year"] == 2022
    ref = scores.reference_scores(demo_db, "self", [2023])
    city = ref[(ref["group"] == "all") & (ref["pillar"] == 1)]["score"].iloc[0]
    per_unit = r23[r23["pillar"] == 1].groupby("locality_code")["s"].mean()
    assert city == pytest.approx(per_unit.mean())
    types = set(ref["group"]) - {"all"}
    assert types == set(r23["locality_type"])


def test_level_moves_count_each_indicator_once(demo_db):
    counts = results.move_counts(demo_db, "self", 2022, 2023)
    assert ((counts["up"] + counts["same"] + counts["down"]) == 39).all()
    ind = results.indicator_moves(demo_db, "self", 2022, 2023)
    assert ind["up"].sum() == counts["up"].sum() and ind["down"].sum() == counts["down"].sum()
    only_p2 = results.indicator_moves(demo_db, "self", 2022, 2023, pillar=2)
    assert set(only_p2["pillar"]) == {2}


def test_an_absent_or_empty_database_has_no_results(tmp_db):
    from core.schema import ensure_database

    assert results.has_results(tmp_db) is False
    ensure_database(tmp_db)
    assert results.has_results(tmp_db) is False
    assert scores.unit_scores(tmp_db).empty
    assert len(results.indicator_catalogue(tmp_db)) == 39


def test_peer_standing_agrees_with_reference_scores_and_ranking(demo_db):
    """One definition of 'city average', 'type average' and 'rank', whichever view asks."""
    table = scores.score_table(demo_db, 2023, "self")
    ref = scores.reference_scores(demo_db, "self", [2023]).set_index(["group", "pillar"])["score"]
    for unit in (table["locality_code"].iloc[0], table["locality_code"].iloc[-1], "311"):
        st = scores.peer_standing(demo_db, unit, 2023, "self").set_index("pillar")
        utype = table.set_index("locality_code").loc[unit, "locality_type"]
        for p in (0, 1, 2, 3, 4):
            assert st.loc[p, "city_average"] == pytest.approx(ref.loc[("all", p)])
            assert st.loc[p, "type_average"] == pytest.approx(ref.loc[(utype, p)])
        assert st.loc[0, "rank_all"] == table.set_index("locality_code").loc[unit, "rank"]
        assert (st["units_all"] == 12).all() and (st["units_type"] == 3).all()
        assert st.loc[0, "score"] == pytest.approx(table.set_index("locality_code").loc[unit, "overall"])
    assert scores.peer_standing(demo_db, "303", 2030, "self").empty
