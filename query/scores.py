"""Scores per unit and pillar: THE aggregation every view, table and export draws from.

The rule itself lives in core/scoring.py (level score; pillar = mean of its indicators' scores;
overall = mean of the pillar scores). ``unit_scores`` is the one SQL query that applies it; the
other functions here only reshape its answer (rank, compare with the previous year, average
units) so that no page computes a score on its own.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.scoring import RULE_SQL_OVERALL, RULE_SQL_PILLAR
from query.base import frame

OVERALL = 0  # the pillar number used for a unit's overall score in the long frame

_KEYS = "locality_code, year, stage"
_SCORES_SQL = f"""
WITH by_pillar AS (
    SELECT locality_code, any_value(locality_name) AS locality_name,
           any_value(locality_type) AS locality_type, any_value(parent_code) AS parent_code,
           year, stage, pillar,
           {RULE_SQL_PILLAR} AS pillar_score,
           count(*) AS indicators,
           count(*) FILTER (WHERE level = 'green') AS n_green,
           count(*) FILTER (WHERE level = 'yellow') AS n_yellow,
           count(*) FILTER (WHERE level = 'red') AS n_red,
           bool_or(illustrative) AS illustrative
    FROM current_results
    WHERE (CAST(? AS VARCHAR) IS NULL OR stage = ?)
    GROUP BY {_KEYS}, pillar
)
SELECT locality_code, locality_name, locality_type, parent_code, year, stage, pillar,
       pillar_score AS score, indicators, n_green, n_yellow, n_red, illustrative
FROM by_pillar
UNION ALL
SELECT locality_code, any_value(locality_name), any_value(locality_type), any_value(parent_code),
       year, stage, {OVERALL} AS pillar, {RULE_SQL_OVERALL} AS score,
       sum(indicators), sum(n_green), sum(n_yellow), sum(n_red), bool_or(illustrative)
FROM by_pillar
GROUP BY {_KEYS}
ORDER BY locality_code, year, stage, pillar
"""

_INT_COLS = ("year", "pillar", "indicators", "n_green", "n_yellow", "n_red")


def unit_scores(db: str | Path | None = None, stage: str | None = None) -> pd.DataFrame:
    """One row per unit, year, stage and pillar (pillar 0 = overall) with its score and level counts."""
    df = frame(_SCORES_SQL, [stage, stage], db=db)
    for c in _INT_COLS:
        df[c] = df[c].astype("int64")
    df["illustrative"] = df["illustrative"].astype(bool)
    return df


def previous_year(years: list[int] | pd.Series, year: int) -> int | None:
    """The latest loaded year before ``year`` (the baseline every 'change' is measured against)."""
    earlier = [int(y) for y in years if int(y) < year]
    return max(earlier) if earlier else None


def score_table(db: str | Path | None, year: int, stage: str) -> pd.DataFrame:
    """One row per unit assessed in ``year``/``stage``: pillar scores p1..p4, overall, rank and change.

    ``change`` is the overall score minus the unit's overall in the previous loaded year (same
    stage), NaN when the unit was not assessed then. ``p<n>_change`` likewise per pillar.
    """
    long = unit_scores(db, stage=stage)
    prev = previous_year(long["year"].unique(), year)
    cur = long[long["year"] == year]
    if cur.empty:
        return pd.DataFrame(
            columns=[
                "locality_code",
                "locality_name",
                "locality_type",
                "illustrative",
                "p1",
                "p2",
                "p3",
                "p4",
                "overall",
                "rank",
                "change",
            ]
        )
    wide = _wide(cur)
    if prev is not None:
        before = _wide(long[long["year"] == prev])
        cols = ["p1", "p2", "p3", "p4", "overall"]
        before = before.set_index("locality_code")[cols]
        joined = wide.join(before, on="locality_code", rsuffix="_prev")
        for c in cols:
            wide[f"{c}_change" if c != "overall" else "change"] = joined[c] - joined[f"{c}_prev"]
    else:
        for c in ("p1", "p2", "p3", "p4"):
            wide[f"{c}_change"] = float("nan")
        wide["change"] = float("nan")
    counts = cur[cur["pillar"] == OVERALL].set_index("locality_code")[["n_green", "n_yellow", "n_red"]]
    wide = wide.join(counts, on="locality_code")
    wide["previous_year"] = prev
    wide = wide.sort_values(["overall", "locality_name"], ascending=[False, True]).reset_index(drop=True)
    wide["rank"] = wide["overall"].rank(method="min", ascending=False).astype("int64")
    return wide


def _wide(long: pd.DataFrame) -> pd.DataFrame:
    """Long (pillar rows) -> one row per unit with p1..p4 and overall."""
    ident = (
        long.groupby("locality_code", as_index=False)
        .agg(
            locality_name=("locality_name", "first"),
            locality_type=("locality_type", "first"),
            parent_code=("parent_code", "first"),
            illustrative=("illustrative", "max"),
        )
        .set_index("locality_code")
    )
    piv = long.pivot_table(index="locality_code", columns="pillar", values="score", aggfunc="first")
    piv.columns = ["overall" if c == OVERALL else f"p{c}" for c in piv.columns]
    for c in ("p1", "p2", "p3", "p4", "overall"):
        if c not in piv.columns:
            piv[c] = float("nan")
    out = ident.join(piv[["p1", "p2", "p3", "p4", "overall"]]).reset_index()
    out["illustrative"] = out["illustrative"].astype(bool)
    return out


def reference_scores(db: str | Path | None, stage: str, years: list[int] | None = None) -> pd.DataFrame:
    """Averages over units per year and pillar: the city (all units) and each unit type.

    Columns: year, group ('all' or a unit type), pillar (0 = overall), score, units, illustrative.
    Every unit weighs the same, whatever its size.
    """
    long = unit_scores(db, stage=stage)
    if years is not None:
        long = long[long["year"].isin(years)]
    city = (
        long.groupby(["year", "pillar"], as_index=False)
        .agg(
            score=("score", "mean"),
            units=("locality_code", "nunique"),
            illustrative=("illustrative", "max"),
        )
        .assign(group="all")
    )
    by_type = (
        long.groupby(["year", "locality_type", "pillar"], as_index=False)
        .agg(
            score=("score", "mean"),
            units=("locality_code", "nunique"),
            illustrative=("illustrative", "max"),
        )
        .rename(columns={"locality_type": "group"})
    )
    out = pd.concat([city, by_type], ignore_index=True)
    out["illustrative"] = out["illustrative"].astype(bool)
    return out[["year", "group", "pillar", "score", "units", "illustrative"]]


def headline(db: str | Path | None, year: int, stage: str) -> dict[str, object]:
    """Headline figures for a year and stage and the same figures for the previous loaded year.

    Keys: year, previous_year, units, share_green/yellow/red (of all indicator results), p1..p4 and
    overall (means over units), illustrative; ``previous`` holds the same keys for the baseline
    year, or None.
    """
    long = unit_scores(db, stage=stage)
    prev = previous_year(long["year"].unique(), year)

    def figures(y: int) -> dict[str, object]:
        part = long[long["year"] == y]
        if part.empty:
            return {}
        overall = part[part["pillar"] == OVERALL]
        n = int(overall["indicators"].sum())
        out: dict[str, object] = {
            "year": y,
            "units": int(overall["locality_code"].nunique()),
            "results": n,
            "illustrative": bool(part["illustrative"].any()),
        }
        for lvl in ("green", "yellow", "red"):
            out[f"share_{lvl}"] = float(overall[f"n_{lvl}"].sum()) / n if n else float("nan")
        means = part.groupby("pillar")["score"].mean()
        for p, v in means.items():
            out["overall" if p == OVERALL else f"p{p}"] = float(v)
        return out

    cur = figures(year)
    cur["previous_year"] = prev
    cur["previous"] = figures(prev) if prev is not None else None
    return cur


def indicator_reference(db: str | Path | None, year: int, stage: str) -> pd.DataFrame:
    """Mean indicator score over units for one year: indicator_code, group ('all' or a type), score."""
    df = frame(
        """SELECT indicator_code, 'all' AS "group", avg(score) AS score, count(*) AS units
           FROM current_results WHERE year = ? AND stage = ? GROUP BY indicator_code
           UNION ALL
           SELECT indicator_code, locality_type, avg(score), count(*)
           FROM current_results WHERE year = ? AND stage = ? GROUP BY indicator_code, locality_type
           ORDER BY 1, 2""",
        [year, stage, year, stage],
        db=db,
    )
    return df


def peer_standing(db: str | Path | None, unit: str, year: int, stage: str) -> pd.DataFrame:
    """Where one unit stands, per pillar (0 = overall): its score and change, the city and unit-type
    averages, and its rank among all assessed units and within its type (1 = best; ties share).

    The averages are the same 'every unit weighs the same' means as ``reference_scores``.
    Empty when the unit was not assessed in ``year``/``stage``.
    """
    table = score_table(db, year, stage)
    mine = table[table["locality_code"] == unit]
    cols = [
        "pillar",
        "score",
        "change",
        "city_average",
        "type_average",
        "rank_all",
        "units_all",
        "rank_type",
        "units_type",
    ]
    if mine.empty:
        return pd.DataFrame(columns=cols)
    peers = table[table["locality_type"] == mine["locality_type"].iloc[0]]
    rows = []
    for p in (1, 2, 3, 4, OVERALL):
        col = "overall" if p == OVERALL else f"p{p}"
        score = float(mine[col].iloc[0])
        rows.append(
            (
                p,
                score,
                float(mine["change" if p == OVERALL else f"{col}_change"].iloc[0]),
                float(table[col].mean()),
                float(peers[col].mean()),
                int((table[col] > score).sum()) + 1,
                len(table),
                int((peers[col] > score).sum()) + 1,
                len(peers),
            )
        )
    return pd.DataFrame(rows, columns=cols)
