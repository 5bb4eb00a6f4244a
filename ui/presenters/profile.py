"""One unit: what it is, where it stands among its peers, its 39 levels and what changed, and what
became of it in the 2025 reform (or what it was formed from)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from i18n import t
from query import results, scores
from query import units as uq
from query.scope import Scope
from ui import labels
from ui.data import cached
from ui.presenters.common import pillar_names


@dataclass
class ProfileData:
    info: dict[str, object] = field(default_factory=dict)
    assessed: bool = False
    previous: int | None = None
    peers: pd.DataFrame = field(default_factory=pd.DataFrame)
    peer_units: pd.DataFrame = field(default_factory=pd.DataFrame)  # few peers: one bar each
    peer_bins: pd.DataFrame = field(default_factory=pd.DataFrame)  # many peers: their spread
    score: float | None = None
    levels: pd.DataFrame = field(default_factory=pd.DataFrame)
    improved: list[str] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)
    successors: pd.DataFrame = field(default_factory=pd.DataFrame)
    predecessors: pd.DataFrame = field(default_factory=pd.DataFrame)
    illustrative: bool = False


def _rank(rank: object, n: object) -> str:
    return t("{rank} of {n}", rank=labels.num(int(rank), 0), n=labels.num(int(n), 0))  # type: ignore[call-overload]


def profile_data(unit: str, year: int, stage: str, readable: int) -> ProfileData:
    info = cached(uq.unit_info, unit)
    data = ProfileData()
    if info is None:
        return data
    data.info = info
    data.illustrative = bool(info["illustrative"])
    if info["vintage"] == "2020":
        data.successors = cached(uq.successors, [unit])
    else:
        data.predecessors = cached(uq.predecessors, unit)
    standing = cached(scores.peer_standing, unit, year, stage)
    data.assessed = not standing.empty
    if not data.assessed:
        return data
    names = pillar_names()
    province = Scope(province=str(info["province_id"]))
    overall = standing[standing["pillar"] == scores.OVERALL]
    data.score = float(overall["score"].iloc[0])
    data.peers = pd.DataFrame(
        {
            t("Pillar"): standing["pillar"].map(names),
            t("Score"): standing["score"],
            t("Change"): standing["change"].map(labels.arrow),
            t("Province average"): standing["province_average"],
            t("Type average (province)"): standing["type_average"],
            t("National average"): standing["national_average"],
            t("Rank in the province"): [
                _rank(r, n)
                for r, n in zip(standing["rank_province"], standing["units_province"], strict=True)
            ],
            t("Rank in its type"): [
                _rank(r, n) for r, n in zip(standing["rank_type"], standing["units_type"], strict=True)
            ],
            t("Rank in the country"): [
                _rank(r, n)
                for r, n in zip(standing["rank_national"], standing["units_national"], strict=True)
            ],
        }
    )
    if int(overall["units_province"].iloc[0]) <= readable:
        data.peer_units = cached(scores.ranking, year, stage, province, None, 0, readable)
    else:
        data.peer_bins = cached(scores.score_bins, year, stage, province)
    lv = cached(results.unit_levels, unit, year, stage)
    prev = lv["previous_year"].dropna()
    data.previous = int(prev.iloc[0]) if len(prev) else None
    data.illustrative = bool(lv["illustrative"].any()) or data.illustrative
    rows = []
    en = labels.lang() == "en"
    for r in lv.itertuples(index=False):
        name = r.name_en if en else r.name_vi
        move = None if pd.isna(r.move) else int(r.move)
        # The levels come first: on a phone they stay in view while the names scroll.
        row = {t("Code"): r.indicator_code, t("Level"): labels.level(r.level)}
        if data.previous is not None:
            row[t("Level in {year}", year=data.previous)] = labels.level(r.level_before)
            row[t("Change")] = "–" if move is None else ("▲" if move > 0 else "▼" if move < 0 else "►")
        row[t("Indicator")] = name
        row[t("Score")] = r.score
        row[t("Evidence")] = r.evidence if isinstance(r.evidence, str) else ""
        row[t("Note")] = r.note if isinstance(r.note, str) else ""
        rows.append(row)
        if move:
            (data.improved if move > 0 else data.declined).append(
                f"{r.indicator_code} {labels.short(str(name), 70)} "
                f"({labels.level(r.level_before)} → {labels.level(r.level)})"
            )
    data.levels = pd.DataFrame(rows)
    return data


def reform_lines(data: ProfileData) -> list[str]:
    """Sentences about the 2025 reform for this unit ('… is now part of Phường X (whole)')."""
    info = data.info
    name = str(info.get("name_with_type", ""))
    years = info.get("years") or []
    assessed = t(", assessed {years},", years=", ".join(str(y) for y in years)) if years else ""  # type: ignore[union-attr]
    out = []
    if len(data.successors):
        whole = data.successors[data.successors["relation"] == "whole"]["name_with_type"].tolist()
        part = data.successors[data.successors["relation"] == "part"]["name_with_type"].tolist()
        if whole and not part and len(whole) == 1:
            out.append(
                t(
                    "{unit}{assessed} lies wholly in {new} since 1 July 2025.",
                    unit=name,
                    assessed=assessed,
                    new=whole[0],
                )
            )
        else:
            out.append(
                t(
                    "{unit}{assessed} was divided by the 2025 reform: its area now lies in {new}.",
                    unit=name,
                    assessed=assessed,
                    new=", ".join(whole + part),
                )
            )
        bridged = data.successors[data.successors["method"] == "bridged-by-name"]
        if len(bridged):
            out.append(
                t(
                    "It was merged into a neighbour before January 2025; that step was matched by name, not by an "
                    "official table."
                )
            )
    if len(data.predecessors):
        listed = [
            f"{r.name_with_type} ({', '.join(str(y) for y in r.years)})"
            if r.years is not None and len(r.years)
            else str(r.name_with_type)
            for r in data.predecessors.itertuples(index=False)
        ]
        out.append(t("{unit} was formed on 1 July 2025 from: {old}.", unit=name, old="; ".join(listed)))
    return out
