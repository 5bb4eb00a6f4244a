"""The overview: headline figures of a scope, the distribution of scores, the groups inside it
(provinces of the country, districts of a province) and the ranking of its units."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from query import scores
from query.scope import Scope
from ui.data import cached

PAGE_SIZE = 50


@dataclass
class OverviewData:
    head: dict[str, object]
    units: int
    registry_units: int | None
    bins: pd.DataFrame = field(default_factory=pd.DataFrame)
    small: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # every unit, when few enough to draw one by one
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    group_kind: str | None = None  # 'province' | 'district' | None
    illustrative: bool = False


def overview_data(year: int, stage: str, scope: Scope, readable: int) -> OverviewData:
    head = cached(scores.headline, year, stage, scope)
    units = int(head["units"])  # type: ignore[call-overload]
    data = OverviewData(head=head, units=units, registry_units=None, illustrative=bool(head["illustrative"]))
    if units <= readable:
        data.small = cached(scores.ranking, year, stage, scope, None, 0, readable)
    else:
        data.bins = cached(scores.score_bins, year, stage, scope)
    if scope.national:
        data.group_kind = "province"
    elif scope.district is None and scope.province and scope.province.startswith("2020:"):
        data.group_kind = "district"
    if data.group_kind:
        groups = cached(scores.group_scores, year, stage, scope, data.group_kind)
        data.groups = groups if len(groups) > 1 else pd.DataFrame()
    if scope.province and not scope.unit_type:
        whole = cached(scores.group_scores, year, stage, Scope(scope.province, scope.district), "province")
        if scope.district is None and len(whole):
            data.registry_units = int(whole["registry_units"].iloc[0])
    return data


def ranking_page(year: int, stage: str, scope: Scope, search: str | None, offset: int) -> pd.DataFrame:
    return cached(scores.ranking, year, stage, scope, search or None, offset, PAGE_SIZE)
