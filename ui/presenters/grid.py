"""The indicator grid: 39 indicators x units, one traffic light per cell, for a page of units of a
province; for the whole country, the provinces' mean score per indicator; and for any scope, the
share of units at each level per indicator."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core import codes
from i18n import t
from query import results, scores
from query.scope import Scope
from ui import labels
from ui.data import cached
from ui.presenters.common import pillar_names

PAGE_SIZE = 20  # unit columns per page: what a screen shows readably (a phone scrolls them)


@dataclass
class GridData:
    cells: pd.DataFrame = field(default_factory=pd.DataFrame)
    row_labels: dict[str, str] = field(default_factory=dict)
    column_labels: dict[str, str] = field(default_factory=dict)
    total_units: int = 0
    province_scores: pd.DataFrame = field(default_factory=pd.DataFrame)  # national: indicator x province
    summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    short_labels: dict[str, str] = field(default_factory=dict)  # for charts a phone must fit
    title: str = ""
    legend: str = ""
    illustrative: bool = False


def _row_labels(pillar: int | None, width: int = 40) -> dict[str, str]:
    cat = cached(results.indicator_catalogue)
    if pillar is not None:
        cat = cat[cat["pillar"] == pillar]
    names = labels.localized(cat, "name")
    return {c: f"{c} {labels.short(str(n), width)}" for c, n in zip(cat["code"], names, strict=True)}


def units_in_order(year: int, stage: str, scope: Scope) -> pd.DataFrame:
    """Every assessed unit of a province scope, by type then best overall score."""
    table = cached(scores.ranking, year, stage, scope, None, 0, None)
    order = {ty: i for i, ty in enumerate(codes.codes("unit_type"))}
    return table.assign(_t=table["locality_type"].map(order).fillna(99)).sort_values(
        ["_t", "overall", "locality_name"], ascending=[True, False, True]
    )


def grid_data(year: int, stage: str, scope: Scope, pillar: int | None, offset: int) -> GridData:
    data = GridData(legend=", ".join(labels.level(lv) for lv in ("green", "yellow", "red")))
    data.row_labels = _row_labels(pillar)
    data.short_labels = _row_labels(pillar, 24)
    pillar_part = pillar_names()[pillar] if pillar is not None else t("all pillars")
    data.summary = cached(results.indicator_summary, year, stage, scope, pillar)
    data.illustrative = bool(data.summary["illustrative"].any()) if len(data.summary) else False
    if scope.national:
        ps = cached(results.province_indicator_scores, year, stage, pillar)
        if ps["province_id"].nunique() > 1:
            data.province_scores = ps.pivot_table(index="indicator_code", columns="name", values="score")
            data.title = t(
                "Mean indicator score by province, {year} ({stage}), {pillars}",
                year=year,
                stage=labels.stage(stage),
                pillars=pillar_part,
            )
            return data
    ordered = units_in_order(year, stage, scope)
    data.total_units = len(ordered)
    page = ordered.iloc[offset : offset + PAGE_SIZE]
    names = labels.unit_names(page)
    data.column_labels = {
        lid: f"{names[lid]}<br>({labels.unit_type_short(ty)})"
        for lid, ty in zip(page["locality_id"], page["locality_type"], strict=True)
    }
    cells = cached(results.grid_cells, list(page["locality_id"]), year, stage, pillar)
    cells = cells.assign(name=cells["indicator_code"] + " " + labels.localized(cells, "name").map(str))
    data.cells = cells
    data.title = t(
        "Levels by indicator and unit, {year} ({stage}), {pillars}",
        year=year,
        stage=labels.stage(stage),
        pillars=pillar_part,
    )
    return data


def grid_table(data: GridData) -> pd.DataFrame:
    """The same page of the grid as a table (symbol + word per cell)."""
    wide = data.cells.pivot_table(
        index="indicator_code", columns="locality_id", values="level", aggfunc="first"
    )
    table = pd.DataFrame({t("Indicator"): [data.row_labels[c] for c in data.row_labels]})
    for lid, label in data.column_labels.items():
        col = wide[lid] if lid in wide.columns else pd.Series(dtype=str)
        table[label.replace("<br>", " ")] = [labels.level(col.get(c)) for c in data.row_labels]
    return table
