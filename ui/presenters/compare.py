"""The compare view: pillar scores of a few units (or one unit over the years) on one radar, with
the averages of the scope, of the country and of the units' types; and the 39 indicators side by side."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from i18n import t
from query import results, scores
from query import units as uq
from query.scope import Scope
from ui import labels
from ui.data import cached
from ui.presenters.common import pillar_names, scope_label

PILLARS = scores.PILLARS


@dataclass
class CompareData:
    axes: list[str] = field(default_factory=list)
    series: list[dict[str, object]] = field(default_factory=list)
    title: str = ""
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    text_columns: tuple[str, ...] = ()
    levels: pd.DataFrame = field(default_factory=pd.DataFrame)  # indicator x series: level
    averages: pd.DataFrame = field(default_factory=pd.DataFrame)  # indicator x reference: mean score
    row_labels: dict[str, str] = field(default_factory=dict)
    detail_title: str = ""
    chosen: list[str] = field(default_factory=list)
    illustrative: bool = False


def _references(year: int, stage: str, scope: Scope, types: list[str]) -> list[dict[str, object]]:
    ref = cached(scores.reference, year, stage, scope)
    groups = [("scope", t("Average of {scope}", scope=scope_label(Scope(scope.province, scope.district))))]
    if not scope.national:
        groups.append(("national", t("National average")))
    groups += [(ty, t("Average of {type}", type=labels.unit_type_short(ty))) for ty in types]
    out = []
    scope_units = ref[ref["group"] == "scope"]["units"].max()
    for group, name in groups:
        g = ref[ref["group"] == group].set_index("pillar")
        if g.empty or (group == "national" and g["units"].max() == scope_units):
            continue  # the country's average is the province's when only this province is loaded
        out.append(
            {
                "name": f"{name} ({labels.units_count(int(g['units'].max()))}, {year})",
                "values": [g["score"].get(p) for p in PILLARS],
                "overall": g["score"].get(scores.OVERALL),
                "kind": "reference",
                "illustrative": bool(g["illustrative"].any()),
            }
        )
    return out


def _table(series: list[dict[str, object]]) -> pd.DataFrame:
    rows = []
    for s in series:
        row: dict[str, object] = {
            t("Series"): s["name"],
            t("Kind"): t("reference") if s.get("kind") == "reference" else t("unit"),
        }
        for p, v in zip(PILLARS, s["values"], strict=True):  # type: ignore[call-overload]
            row[t("Pillar {n}", n=p)] = v
        row[t("Overall")] = s.get("overall")
        rows.append(row)
    return pd.DataFrame(rows)


def _row_labels() -> dict[str, str]:
    cat = cached(results.indicator_catalogue)
    names = labels.localized(cat, "name")
    return {c: f"{c} {labels.short(str(n), 40)}" for c, n in zip(cat["code"], names, strict=True)}


def compare_data(
    year: int, stage: str, scope: Scope, mode: str, chosen: list[str], unit: str | None, detail: bool
) -> CompareData:
    """Series for the radar (units in one year, or one unit across years) and, with ``detail``, the
    39 indicators of each series beside the reference averages."""
    data = CompareData(axes=[pillar_names(short=True)[p] for p in PILLARS])
    series: list[dict[str, object]] = []
    levels: dict[str, pd.Series] = {}
    if mode == "units":
        chosen = chosen or cached(scores.top_of_types, year, stage, scope)
        wide = cached(scores.units_wide, chosen, year, stage).set_index("locality_id")
        chosen = [c for c in chosen if c in wide.index]
        label_of = labels.unit_names(wide.reset_index())
        cells = cached(results.grid_cells, chosen, year, stage) if detail else pd.DataFrame()
        for lid in chosen:
            row = wide.loc[lid]
            series.append(
                {"name": label_of[lid], "values": [row[f"p{p}"] for p in PILLARS], "overall": row["overall"]}
            )
            data.illustrative |= bool(row["illustrative"])
            if detail:
                part = cells[cells["locality_id"] == lid]
                levels[label_of[lid]] = part.set_index("indicator_code")["level"]
        types = list(dict.fromkeys(wide.loc[chosen, "locality_type"])) if chosen else []
        data.title = t("Pillar scores, {year} ({stage})", year=year, stage=labels.stage(stage))
        data.detail_title = t("The 39 indicators, {year} ({stage})", year=year, stage=labels.stage(stage))
    else:
        if unit is None:
            return data
        info = cached(uq.unit_info, unit) or {}
        long = cached(scores.unit_series, [unit], stage)
        for y in sorted(long["year"].unique()):
            part = long[long["year"] == y].set_index("pillar")["score"]
            series.append(
                {
                    "name": str(y),
                    "values": [part.get(p) for p in PILLARS],
                    "overall": part.get(scores.OVERALL),
                }
            )
            if detail:
                levels[str(y)] = cached(results.unit_levels, unit, int(y), stage).set_index("indicator_code")[
                    "level"
                ]
        data.illustrative = bool(long["illustrative"].any())
        types = [str(info["unit_type"])] if info else []
        name = str(info.get("name_with_type", unit))
        data.title = t("Pillar scores of {unit} by year ({stage})", unit=name, stage=labels.stage(stage))
        data.detail_title = t(
            "The 39 indicators of {unit} by year ({stage})", unit=name, stage=labels.stage(stage)
        )
        chosen = [unit]
    if not series:
        return data
    refs = _references(year, stage, scope, types)
    data.illustrative |= any(bool(r["illustrative"]) for r in refs)
    data.series = series + refs
    data.table = _table(data.series)
    data.text_columns = (t("Series"), t("Kind"))
    data.chosen = chosen
    if detail:
        data.row_labels = _row_labels()
        data.levels = pd.DataFrame(levels).reindex(list(data.row_labels))
        avg = {}
        here = Scope(scope.province, scope.district)
        summary = cached(results.indicator_summary, year, stage, here)
        label = (
            t("National avg.")
            if here.national
            else t("District avg.")
            if here.district
            else t("Province avg.")
        )
        avg[label] = summary.set_index("indicator_code")["score"]
        if not scope.national:
            nat = cached(results.indicator_summary, year, stage, Scope())
            if int(nat["units"].max()) != int(summary["units"].max()):  # more than this province is loaded
                avg[t("National avg.")] = nat.set_index("indicator_code")["score"]
        data.averages = pd.DataFrame(avg).reindex(list(data.row_labels))
    return data
