"""Trends: how the scope's scores moved over the loaded years, which units moved most, and which
indicators moved a level (every move counted, over the units assessed in both years)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from i18n import t
from query import results, scores
from query.scope import Scope
from ui import labels
from ui.data import cached
from ui.presenters.common import pillar_names


@dataclass
class TrendData:
    first: int | None = None
    last: int | None = None
    years: list[int] = field(default_factory=list)
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    movers: pd.DataFrame = field(default_factory=pd.DataFrame)  # long rows for the dumbbell
    change_bins: pd.DataFrame = field(default_factory=pd.DataFrame)
    compared: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    improved: pd.DataFrame = field(default_factory=pd.DataFrame)
    declined: pd.DataFrame = field(default_factory=pd.DataFrame)
    pillar_names: dict[int, str] = field(default_factory=dict)
    illustrative: bool = False


def _indicator_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("Indicator"): df["indicator_code"]
            + " "
            + labels.localized(df, "name").map(lambda n: labels.short(str(n), 30)),
            "▲ " + t("Units up"): df["up"].astype(int),
            "▼ " + t("Units down"): df["down"].astype(int),
            t("Net"): df["net"].map(lambda v: labels.signed(float(v), 0)),
            t("Units compared"): df["units"].astype(int),
        }
    )


def _dumbbell_rows(movers: pd.DataFrame, first: int, last: int, pillar: int | None) -> pd.DataFrame:
    """movers (wide, from/to columns) -> long rows (unit, year, pillar, score) for charts.dumbbell."""
    cols = ["overall", "p1", "p2", "p3", "p4"] if pillar is None else [f"p{pillar}"]
    names = labels.unit_names(movers)
    rows = []
    for r in movers.to_dict(orient="records"):
        for col in cols:
            p = 0 if col == "overall" else int(col[1:])
            rows.append((names[r["locality_id"]], first, p, r[f"{col}_from"], r["illustrative"]))
            rows.append((names[r["locality_id"]], last, p, r[f"{col}_to"], r["illustrative"]))
    return pd.DataFrame(rows, columns=["unit", "year", "pillar", "score", "illustrative"])


def trend_data(
    stage: str,
    year: int,
    from_year: int | None,
    scope: Scope,
    pillar: int | None,
    readable: int,
    top: int = 10,
) -> TrendData:
    data = TrendData(pillar_names=pillar_names())
    data.trend = cached(scores.pillar_trend, stage, scope)
    years = sorted(int(y) for y in data.trend["year"].unique() if int(y) <= year)
    data.illustrative = bool(data.trend["illustrative"].any()) if len(data.trend) else False
    if len(years) < 2:
        return data
    first = from_year if from_year in years and from_year < year else years[0]
    data.first, data.last, data.years = first, year, [y for y in years if first <= y <= year]
    data.trend = data.trend[data.trend["year"].isin(data.years)]
    data.change_bins = cached(scores.change_bins, stage, first, year, scope)
    data.compared = int(data.change_bins["units"].sum()) if len(data.change_bins) else 0
    movers = cached(scores.movers, stage, first, year, scope, readable if data.compared <= readable else top)
    data.movers = _dumbbell_rows(movers, first, year, pillar)
    data.totals = cached(results.move_totals, stage, first, year, scope, pillar)
    ind = cached(results.indicator_moves, stage, first, year, scope, pillar)
    up = ind[ind["up"] > 0].sort_values(["up", "net", "seq"], ascending=[False, False, True]).head(top)
    down = ind[ind["down"] > 0].sort_values(["down", "net", "seq"], ascending=[False, True, True]).head(top)
    data.improved, data.declined = _indicator_table(up), _indicator_table(down)
    return data
