"""The rollout analyses (query/rollout.py) against an independent computation from the raw results.

Every expected figure here is recomputed in pandas from ``current_results`` (levels only) and the
registry table, with the thresholds read from core/rollout_rules.py; nothing calls the query layer
to build its own expectation.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from core import readmodel
from core import rollout_rules as rules
from core.db import connect, transaction
from query import rollout
from query import units as uq

SCORE = {"red": 0.0, "yellow": 50.0, "green": 100.0}  # the project rule, restated as this test's expectation
RANK = {"red": 0, "yellow": 1, "green": 2}
YEAR, BASE, STAGE = 2023, 2022, "self"


def raw(db: Path) -> pd.DataFrame:
    with connect(db, read_only=True) as con:
        df = con.execute(
            """SELECT locality_id, locality_type, vintage, province_id, year, stage, indicator_code, pillar, level,
                      illustrative, assessment_id FROM current_results"""
        ).df()
    df["score"] = df["level"].map(SCORE)
    return df


def unit_scores(df: pd.DataFrame) -> pd.DataFrame:
    """One row per assessment: p1..p4, overall (mean of the pillar means), level counts, red in pillar 1."""
    p = df.groupby(["assessment_id", "pillar"])["score"].mean().unstack("pillar")
    p.columns = [f"p{c}" for c in p.columns]
    p["overall"] = p[["p1", "p2", "p3", "p4"]].mean(axis=1)
    ident = df.groupby("assessment_id").agg(
        locality_id=("locality_id", "first"),
        locality_type=("locality_type", "first"),
        year=("year", "first"),
        indicators=("indicator_code", "count"),
        n_red=("level", lambda s: int((s == "red").sum())),
    )
    key = (
        df[df["pillar"] == rules.KEY_PILLAR]
        .groupby("assessment_id")["level"]
        .apply(lambda s: int((s == "red").sum()))
    )
    return ident.join(p).assign(red_key=key.reindex(ident.index).fillna(0).astype(int)).reset_index()


@pytest.fixture(scope="module")
def truth(demo_db: Path) -> dict[str, pd.DataFrame]:
    df = raw(demo_db)
    df = df[df["stage"] == STAGE]
    return {"results": df, "units": unit_scores(df)}


def test_periods_and_baseline(demo_db):
    per = rollout.periods(demo_db)
    assert list(per["year"]) == [2022, 2023] and list(per["units"]) == [12, 12] and per["illustrative"].all()
    assert rollout.default_period(demo_db) == (YEAR, STAGE)
    assert rollout.baseline_year(demo_db, YEAR, STAGE) == BASE
    assert rollout.baseline_year(demo_db, BASE, STAGE) is None


def test_by_unit_type_equals_recomputation(demo_db, truth):
    got = rollout.by_unit_type(demo_db, YEAR, STAGE).set_index("unit_type")
    units = truth["units"]
    now, then = units[units["year"] == YEAR], units[units["year"] == BASE].set_index("locality_id")
    res = truth["results"][truth["results"]["year"] == YEAR]
    assert list(got.index) == ["quan", "huyen", "phuong", "xa", rollout.ALL]
    for ty, part in [*now.groupby("locality_type"), (rollout.ALL, now)]:
        row = got.loc[ty]
        assert row["units"] == len(part) and row["partial"] == 0
        assert row["overall"] == pytest.approx(part["overall"].mean())
        for p in (1, 2, 3, 4):
            assert row[f"p{p}"] == pytest.approx(part[f"p{p}"].mean())
        levels = res if ty == rollout.ALL else res[res["locality_type"] == ty]
        assert row["share_red"] == pytest.approx((levels["level"] == "red").mean())
        both = part[part["locality_id"].isin(then.index)]
        assert row["units_both"] == len(both) == len(part)
        change = (both.set_index("locality_id")["overall"] - then["overall"]).dropna()
        assert row["change"] == pytest.approx(change.mean())
        assert row["baseline_year"] == BASE and bool(row["illustrative"])


def test_pillars_weakest_rank_and_change(demo_db, truth):
    got = rollout.pillar_summary(demo_db, YEAR, STAGE).set_index("pillar")
    res = truth["results"]
    now = res[res["year"] == YEAR]
    for p in (1, 2, 3, 4):
        part = now[now["pillar"] == p]
        per_unit = part.groupby("locality_id")["score"].mean()
        assert got.loc[p, "score"] == pytest.approx(per_unit.mean())
        assert got.loc[p, "n_red"] == (part["level"] == "red").sum()
        assert got.loc[p, "units_with_red"] == part[part["level"] == "red"]["locality_id"].nunique()
        before = res[(res["year"] == BASE) & (res["pillar"] == p)].groupby("locality_id")["score"].mean()
        assert got.loc[p, "change"] == pytest.approx((per_unit - before).mean())
    order = got.loc[[1, 2, 3, 4]].sort_values("score").index.tolist()
    assert got.loc[order, "weakest_rank"].tolist() == [1, 2, 3, 4]


def test_indicator_distribution_and_weakest(demo_db, truth):
    got = rollout.indicator_summary(demo_db, YEAR, STAGE).set_index("indicator_code")
    now = truth["results"][truth["results"]["year"] == YEAR]
    assert len(got) == 39
    for code, part in now.groupby("indicator_code"):
        row = got.loc[code]
        assert (row["n_green"], row["n_yellow"], row["n_red"]) == tuple(
            int((part["level"] == lv).sum()) for lv in ("green", "yellow", "red")
        )
        assert row["score"] == pytest.approx(part["score"].mean())
        assert row["units_affected"] == int((part["level"] != "green").sum())
    expected = (
        got.reset_index()
        .assign(neg_red=-got["n_red"].to_numpy())
        .sort_values(["score", "neg_red", "seq"])["indicator_code"]
    )
    weakest = rollout.weakest_indicators(demo_db, YEAR, STAGE)
    assert list(weakest["indicator_code"]) == list(expected.head(rules.WEAKEST_TOP_N))


def test_every_level_move_is_counted(demo_db, truth):
    res = truth["results"]
    a = res[res["year"] == BASE].set_index(["locality_id", "indicator_code"])["level"].map(RANK)
    b = res[res["year"] == YEAR].set_index(["locality_id", "indicator_code"])["level"].map(RANK)
    move = (b - a).dropna()
    mv = rollout.indicator_moves(demo_db, YEAR, STAGE).set_index("indicator_code")
    assert mv["levels_up"].sum() == move[move > 0].sum()
    assert mv["levels_down"].sum() == -move[move < 0].sum()
    # The example: the sample data hold 15 downward moves although no indicator has a negative net.
    assert int((move < 0).sum()) == 15
    assert (mv["net"] >= 0).all()
    declined = rollout.most_moved(mv.reset_index(), "down")
    assert len(declined) == min(rules.MOVES_TOP_N, int((mv["levels_down"] > 0).sum())) > 0
    for code, m in move.groupby(level="indicator_code"):
        assert (mv.loc[code, "units_up"], mv.loc[code, "units_down"]) == (
            int((m > 0).sum()),
            int((m < 0).sum()),
        )
        assert mv.loc[code, "red_green"] == int((m == 2).sum())
    tr = rollout.level_transitions(demo_db, YEAR, STAGE)
    assert len(tr) == 9 and tr["results"].sum() == len(move)
    assert tr.loc[tr["move"] < 0, "results"].sum() == 15
    assert rollout.units_in_both(demo_db, YEAR, STAGE) == 12


def _band(score: float) -> str:
    for b in rules.BANDS:
        if score >= b.min_score:
            return b.code
    return rules.BANDS[-1].code


def _ready(row: pd.Series) -> str:
    for g in rules.READINESS:
        ok = (g.min_overall is None or row["overall"] >= g.min_overall) and (
            g.max_red_key_pillar is None or row["red_key"] <= g.max_red_key_pillar
        )
        ok = ok and (
            g.min_pillar_score is None or min(row[f"p{p}"] for p in (1, 2, 3, 4)) >= g.min_pillar_score
        )
        if ok:
            return g.code
    raise AssertionError("the last readiness group takes every complete unit")


def test_bands_and_readiness_follow_the_configured_thresholds(demo_db, truth):
    now = truth["units"][truth["units"]["year"] == YEAR].copy()
    now["band"] = now["overall"].map(_band)
    now["readiness"] = now.apply(_ready, axis=1)
    for kind in ("band", "readiness"):
        got = rollout.class_counts(demo_db, YEAR, STAGE, kind)
        total = got[got["unit_type"] == rollout.ALL].set_index("group")["units"]
        expected = now[kind].value_counts()
        for group, n in total.items():
            assert n == expected.get(group, 0), (kind, group)
        per_type = got[(got["unit_type"] == "xa")].set_index("group")["units"]
        assert per_type.sum() == 3
    classes = rollout.unit_classes(demo_db, YEAR, STAGE).set_index("locality_id")
    merged = now.set_index("locality_id")
    assert (classes.loc[merged.index, "band"] == merged["band"]).all()
    assert (classes.loc[merged.index, "readiness"] == merged["readiness"]).all()
    # Rule texts are generated from the same values.
    assert f"{rules.READINESS[0].min_overall:g}" in rules.readiness_rule("en")
    assert all(f"{b.min_score:g}" in rules.band_rule("en") for b in rules.BANDS if b.min_score)


def test_coverage_against_the_registry(demo_db):
    with connect(demo_db, read_only=True) as con:
        reg = con.execute("SELECT vintage, province_code, unit_type, level FROM locality").df()
    hp = reg[(reg["vintage"] == "2020") & (reg["province_code"] == "31") & (reg["level"] != "province")]
    cov = rollout.coverage(demo_db, YEAR, STAGE, "2020:31").set_index("unit_type")
    assert cov.loc[rollout.ALL, "registry"] == len(hp)
    for ty, n in hp["unit_type"].value_counts().items():
        assert cov.loc[ty, "registry"] == n
    assert cov.loc["quan", "complete"] == 3 and cov.loc["quan", "coverage"] == pytest.approx(
        3 / (hp["unit_type"] == "quan").sum()
    )
    national = rollout.coverage(demo_db, YEAR, STAGE).set_index("unit_type")
    assert national.loc[rollout.ALL, "registry"] == int(
        ((reg["vintage"] == "2020") & (reg["level"] != "province")).sum()
    )
    scale = rollout.rollout_scale(demo_db, "2020")
    assert scale["units"].sum() == int(((reg["vintage"] == "2020") & (reg["level"] != "province")).sum())
    assert scale["province_id"].nunique() == int(
        ((reg["vintage"] == "2020") & (reg["level"] == "province")).sum()
    )


@pytest.fixture
def partial_db(demo_db: Path, tmp_path: Path) -> Path:
    """The demo data with one 2023 assessment cut to 30 indicators (an incomplete assessment)."""
    db = tmp_path / "partial.duckdb"
    shutil.copy(demo_db, db)
    with transaction(db) as con:
        aid = con.execute(
            "SELECT assessment_id FROM current_assessments WHERE locality_id = '2020:303' AND year = 2023"
        ).fetchone()[0]
        con.execute("DELETE FROM result WHERE assessment_id = ? AND indicator_code LIKE '4.%'", [aid])
        con.execute("DELETE FROM unit_score WHERE assessment_id = ?", [aid])
        readmodel.add_scores(con, [aid])
    return db


def test_incomplete_assessments_are_counted_apart(partial_db):
    bt = rollout.by_unit_type(partial_db, YEAR, STAGE).set_index("unit_type")
    assert (bt.loc["quan", "units"], bt.loc["quan", "partial"]) == (2, 1)
    assert bt.loc[rollout.ALL, "units"] == 11 and bt.loc[rollout.ALL, "units_both"] == 11
    cov = rollout.coverage(partial_db, YEAR, STAGE, "2020:31").set_index("unit_type")
    assert (cov.loc["quan", "assessed"], cov.loc["quan", "complete"], cov.loc["quan", "partial"]) == (3, 2, 1)
    assert cov.loc["quan", "answered_share"] == pytest.approx((39 + 39 + 30) / (3 * 39))
    bands = rollout.class_counts(partial_db, YEAR, STAGE, "band")
    total = bands[bands["unit_type"] == rollout.ALL].set_index("group")["units"]
    assert total[rules.NOT_CLASSIFIED] == 1 and total.drop(rules.NOT_CLASSIFIED).sum() == 11
    ind = rollout.indicator_summary(partial_db, YEAR, STAGE).set_index("indicator_code")
    assert ind.loc["1.1", "units"] == 11 and ind.loc["4.1", "units"] == 11
    classes = rollout.unit_classes(partial_db, YEAR, STAGE).set_index("locality_id")
    assert not classes.loc["2020:303", "complete"] and classes.loc["2020:303", "band"] == rules.NOT_CLASSIFIED
    assert pd.isna(classes.loc["2020:303", "change"])
    assert rollout.units_in_both(partial_db, YEAR, STAGE) == 11


@pytest.fixture
def db_2025(demo_db: Path, tmp_path: Path) -> Path:
    """The demo data plus a 2026 assessment of a 2025 ward (Phường Hồng Bàng, 2025:11311), loaded from
    a real file against the 2025 unit list."""
    from core.units import registry
    from etl.store import Item, write_items
    from etl.validate import parse_bytes
    from tests import files

    db = tmp_path / "v2025.duckdb"
    shutil.copy(demo_db, db)
    path = files.template(
        tmp_path / "new.xlsx", unit_code=None, district=None, year=2026, unit_name="Phường Hồng Bàng"
    )
    parsed = parse_bytes("new.xlsx", path.read_bytes(), reg=registry("2025"))
    assert parsed.ok, parsed.problems
    with connect(db) as con:
        assert [o.status for o in write_items(con, [Item(parsed, "t")])] == ["loaded"]
    return db


def test_2025_units_are_their_own_groups_and_scale(db_2025):
    bt = rollout.by_unit_type(db_2025, 2026, STAGE)
    assert bt[["vintage", "unit_type"]].values.tolist() == [["2025", "phuong"], [rollout.ALL, rollout.ALL]]
    assert bt.iloc[0]["units"] == 1 and not bt.iloc[0]["illustrative"]
    scale = rollout.rollout_scale(db_2025, "2025")
    hp = scale[scale["province_id"] == "2025:31"].set_index("unit_type")["units"]
    assert hp.to_dict() == {"dac_khu": 2, "phuong": 45, "xa": 67}  # Hải Phòng's 114 units since July 2025
    assert scale["units"].sum() == 3321
    cov = rollout.coverage(db_2025, 2026, STAGE, "2025:31").set_index("unit_type")
    assert cov.loc[rollout.ALL, "registry"] == 114 and cov.loc["phuong", "coverage"] == pytest.approx(1 / 45)
    # The 2020 results stay apart: 2023 is still 12 units of the 2020 list.
    assert rollout.by_unit_type(db_2025, YEAR, STAGE).set_index("unit_type").loc[rollout.ALL, "units"] == 12
    with connect(db_2025, read_only=True) as con:
        want = con.execute(
            """SELECT x.to_id, n.name_with_type, x.relation FROM locality_crosswalk x
               JOIN locality n ON n.locality_id = x.to_id WHERE x.from_id = '2020:303' ORDER BY 1"""
        ).fetchall()
    succ = uq.successors(db_2025, ["2020:303"])
    assert sorted(map(tuple, succ[["to_id", "name_with_type", "relation"]].values.tolist())) == want
    assert ("2025:11311", "Phường Hồng Bàng", "part") in want
    # A plain code in two vintages means the one with assessments; with none assessed it is ambiguous.
    assert uq.resolve_unit(db_2025, "11311") == ["2025:11311"]
    assert uq.resolve_unit(db_2025, "00004") == ["2020:00004", "2025:00004"]
    assert uq.resolve_unit(db_2025, "2025:11948") == ["2025:11948"]
