"""What the compare and profile views draw, assembled from the query layer (no SQL, no scoring here).

The scores come from query.scores (the one rule); this module only picks the rows a chart
needs and names them in the UI language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core import codes
from i18n import N_, t
from query import results, scores
from ui import labels
from ui.data import cached

PILLARS = (1, 2, 3, 4)
CONFIDENCE = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}


@dataclass
class RadarData:
    axes: list[str] = field(default_factory=list)
    series: list[dict[str, object]] = field(default_factory=list)
    title: str = ""
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    text_columns: tuple[str, ...] = ()
    detail_axes: list[str] = field(default_factory=list)
    detail_series: list[dict[str, object]] = field(default_factory=list)
    detail_title: str = ""
    illustrative: bool = False


def _reference_series(
    ref: pd.DataFrame, year: int, types: list[str], codes_by_indicator: list[str], ind_ref: pd.DataFrame
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """City and unit-type averages as dashed reference lines, for the pillar and the 39-axis radar."""
    out, detail = [], []
    part = ref[ref["year"] == year]
    groups = [("all", t("City average"))] + [
        (ty, t("Average of {type}", type=labels.unit_type_short(ty))) for ty in types
    ]
    for group, name in groups:
        g = part[part["group"] == group].set_index("pillar")
        if g.empty:
            continue
        n = int(g["units"].max())
        label = f"{name} ({t('{n} units', n=n)}, {year})"
        out.append(
            {
                "name": label,
                "values": [g["score"].get(p) for p in PILLARS],
                "overall": g["score"].get(scores.OVERALL),
                "kind": "reference",
            }
        )
        gi = ind_ref[ind_ref["group"] == group].set_index("indicator_code")["score"]
        detail.append(
            {
                "name": label,
                "values": [gi.get(c) for c in codes_by_indicator],
                "kind": "reference",
            }
        )
    return out, detail


def _table(series: list[dict[str, object]], pillar_names: dict[int, str]) -> pd.DataFrame:
    rows = []
    for s in series:
        values = list(s["values"])  # type: ignore[call-overload]
        row: dict[str, object] = {
            t("Series"): s["name"],
            t("Kind"): t("reference") if s.get("kind") == "reference" else t("unit"),
        }
        for p, v in zip(PILLARS, values, strict=True):
            row[t("Pillar {n}", n=p)] = v
        row[t("Overall")] = s.get("overall")
        rows.append(row)
    return pd.DataFrame(rows)


def compare_series(year: int, stage: str, mode: str, chosen: list[str], unit: str | None) -> RadarData:
    """Series for the compare view: chosen units in one year, or one unit across the loaded years."""
    pillar_names = labels.pillar_names(cached(results.pillars))
    catalogue = cached(results.indicator_catalogue)
    codes = list(catalogue["code"])
    ref = cached(scores.reference_scores, stage)
    ind_ref = cached(scores.indicator_reference, year, stage)
    units = cached(results.assessed_units)
    names = labels.unit_names(units)
    types_of = dict(zip(units["locality_code"], units["locality_type"], strict=True))
    data = RadarData(axes=[labels.wrap_label(pillar_names[p]) for p in PILLARS], detail_axes=codes)
    series: list[dict[str, object]] = []
    detail: list[dict[str, object]] = []
    if mode == "units":
        table = cached(scores.score_table, year, stage)
        if not chosen:
            chosen = list(table.drop_duplicates("locality_type")["locality_code"])
        table = table.set_index("locality_code")
        chosen = [c for c in chosen if c in table.index]
        ind = cached(results.indicator_results, year, stage)
        for code in chosen:
            row = table.loc[code]
            series.append(
                {
                    "name": names.get(code, code),
                    "values": [row[f"p{p}"] for p in PILLARS],
                    "overall": row["overall"],
                }
            )
            per = ind[ind["locality_code"] == code].set_index("indicator_code")["score"]
            detail.append({"name": names.get(code, code), "values": [per.get(c) for c in codes]})
            data.illustrative |= bool(row["illustrative"])
        types = list(dict.fromkeys(types_of[c] for c in chosen))
        data.title = t("Pillar scores, {year} ({stage})", year=year, stage=labels.stage(stage))
        data.detail_title = t("Indicator scores, {year} ({stage})", year=year, stage=labels.stage(stage))
    else:
        if unit is None:
            return data
        long = cached(scores.unit_scores, stage)
        mine = long[long["locality_code"] == unit]
        ind = cached(results.indicator_results, None, stage, [unit])
        for y in sorted(mine["year"].unique()):
            part = mine[mine["year"] == y].set_index("pillar")["score"]
            series.append(
                {
                    "name": str(y),
                    "values": [part.get(p) for p in PILLARS],
                    "overall": part.get(scores.OVERALL),
                }
            )
            per = ind[ind["year"] == y].set_index("indicator_code")["score"]
            detail.append({"name": str(y), "values": [per.get(c) for c in codes]})
        data.illustrative = bool(mine["illustrative"].any())
        types = [types_of[unit]] if unit in types_of else []
        data.title = t(
            "Pillar scores of {unit} by year ({stage})", unit=names.get(unit, unit), stage=labels.stage(stage)
        )
        data.detail_title = t(
            "Indicator scores of {unit} by year ({stage})",
            unit=names.get(unit, unit),
            stage=labels.stage(stage),
        )
    refs, ref_detail = _reference_series(ref, year, types, codes, ind_ref)
    data.illustrative |= bool(ref[ref["year"] == year]["illustrative"].any()) if series else False
    data.series = series + refs if series else []
    data.detail_series = detail + ref_detail if detail else []
    data.table = _table(data.series, pillar_names) if series else pd.DataFrame()
    data.text_columns = (t("Series"), t("Kind"))
    return data


@dataclass
class GridData:
    cells: pd.DataFrame = field(default_factory=pd.DataFrame)
    row_labels: dict[str, str] = field(default_factory=dict)
    column_labels: dict[str, str] = field(default_factory=dict)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    title: str = ""
    legend: str = ""
    illustrative: bool = False


def _short(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def grid_data(
    year: int, stage: str, pillar: int | None, unit_type: str | None, chosen: list[str]
) -> GridData:
    """Cells of the indicator grid: rows in catalogue order, units ordered by type then score."""
    ind = cached(results.indicator_results, year, stage)
    catalogue = cached(results.indicator_catalogue)
    ranking = cached(scores.score_table, year, stage)
    data = GridData(legend=", ".join(labels.level(lv) for lv in ("green", "yellow", "red")))
    if pillar is not None:
        ind = ind[ind["pillar"] == pillar]
        catalogue = catalogue[catalogue["pillar"] == pillar]
    if unit_type is not None:
        ind = ind[ind["locality_type"] == unit_type]
    if chosen:
        ind = ind[ind["locality_code"].isin(chosen)]
    if ind.empty:
        return data
    names = labels.unit_names(cached(results.assessed_units))
    order = {ty: i for i, ty in enumerate(codes.codes("unit_type"))}
    ranking = ranking[ranking["locality_code"].isin(set(ind["locality_code"]))].copy()
    ranking["type_order"] = ranking["locality_type"].map(order).fillna(99)
    ranking = ranking.sort_values(["type_order", "overall"], ascending=[True, False])
    data.column_labels = {c: names.get(c, c) for c in ranking["locality_code"]}
    cat_names = labels.localized(catalogue, "name")
    data.row_labels = {
        code: f"{code} {_short(str(n))}" for code, n in zip(catalogue["code"], cat_names, strict=True)
    }
    cells = ind.copy()
    cells["name"] = labels.localized(cells, "name").map(lambda n: labels.wrap_label(str(n), 60))
    cells["name"] = cells["indicator_code"] + " " + cells["name"]
    data.cells = cells
    data.illustrative = bool(ind["illustrative"].any())
    pillar_part = (
        labels.pillar_names(cached(results.pillars))[pillar] if pillar is not None else t("all pillars")
    )
    data.title = t(
        "Levels by indicator and unit, {year} ({stage}), {pillars}",
        year=year,
        stage=labels.stage(stage),
        pillars=pillar_part,
    )
    wide = cells.pivot_table(index="indicator_code", columns="locality_code", values="level", aggfunc="first")
    table = pd.DataFrame({t("Indicator"): [data.row_labels[c] for c in data.row_labels]})
    for code, label in data.column_labels.items():
        col = wide[code] if code in wide.columns else pd.Series(dtype=str)
        table[label] = [labels.level(col.get(c)) for c in data.row_labels]
    data.table = table
    return data


@dataclass
class TrendData:
    first: int | None = None
    last: int | None = None
    years: list[int] = field(default_factory=list)
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    pillar_names: dict[int, str] = field(default_factory=dict)
    moves: pd.DataFrame = field(default_factory=pd.DataFrame)
    improved: pd.DataFrame = field(default_factory=pd.DataFrame)
    declined: pd.DataFrame = field(default_factory=pd.DataFrame)
    title: str = ""
    illustrative: bool = False


def _indicator_table(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("Indicator"): df["indicator_code"]
            + " "
            + labels.localized(df, "name").map(lambda n: _short(str(n), 45)),
            "▲ " + t("Up"): df["up"].astype(int),
            "▼ " + t("Down"): df["down"].astype(int),
            t("Net"): df["net"].map(lambda v: labels.signed(float(v), 0)),
        }
    )


def trend_data(
    stage: str, year: int, pillar: int | None, unit_type: str | None, chosen: list[str], top: int = 5
) -> TrendData:
    """Scores per unit, pillar and year up to ``year``; level moves between the first year and ``year``."""
    long = cached(scores.unit_scores, stage)
    data = TrendData(pillar_names=labels.pillar_names(cached(results.pillars)))
    years = sorted(int(y) for y in long["year"].unique() if int(y) <= year)
    data.illustrative = bool(long["illustrative"].any())
    if len(years) < 2:
        return data
    data.first, data.last, data.years = years[0], year, years
    units = long[["locality_code", "locality_type"]].drop_duplicates()
    if unit_type is not None:
        units = units[units["locality_type"] == unit_type]
    codes = [c for c in units["locality_code"] if not chosen or c in chosen]
    pillars_shown = [pillar] if pillar is not None else [scores.OVERALL, *PILLARS]
    part = long[
        long["locality_code"].isin(codes) & long["year"].isin(years) & long["pillar"].isin(pillars_shown)
    ]
    names = labels.unit_names(cached(results.assessed_units))
    part = part.assign(unit=part["locality_code"].map(lambda c: names.get(c, c)))
    data.scores = part
    data.illustrative = bool(part["illustrative"].any())
    what = data.pillar_names[pillar] if pillar is not None else t("overall and by pillar")
    data.title = t("Scores {first} → {last}, {what}", first=data.first, last=data.last, what=what)
    moves = cached(results.move_counts, stage, data.first, data.last, pillar, codes)
    data.moves = moves.assign(unit=moves["locality_code"].map(lambda c: names.get(c, c)))
    ind = cached(results.indicator_moves, stage, data.first, data.last, pillar, codes)
    data.improved = _indicator_table(ind[ind["net"] > 0].head(top))
    data.declined = _indicator_table(ind[ind["net"] < 0].sort_values(["net", "seq"]).head(top))
    return data


@dataclass
class ProfileData:
    name: str = ""
    type_label: str = ""
    parent: str = ""
    years: list[int] = field(default_factory=list)
    assessed: bool = False
    previous: int | None = None
    peers: pd.DataFrame = field(default_factory=pd.DataFrame)
    ranking: pd.DataFrame = field(default_factory=pd.DataFrame)
    levels: pd.DataFrame = field(default_factory=pd.DataFrame)
    improved: list[str] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)
    illustrative: bool = False


def _rank_text(rank: int, n: int) -> str:
    return t("{rank} of {n}", rank=rank, n=n)


def profile_data(unit: str, year: int, stage: str) -> ProfileData:
    """One unit: where it stands among all units and its type, its 39 levels, what changed."""
    units = cached(results.assessed_units)
    me = units[units["locality_code"] == unit]
    data = ProfileData()
    if me.empty:
        return data
    row = me.iloc[0]
    names = labels.unit_names(units)
    data.name = names.get(unit, unit)
    data.type_label = labels.unit_type(row["locality_type"])
    data.parent = str(row["parent_name"]) if isinstance(row["parent_name"], str) else ""
    data.years = list(row["years"])
    data.illustrative = bool(row["illustrative"])
    pillar_names = labels.pillar_names(cached(results.pillars))
    table = cached(scores.score_table, year, stage)
    data.ranking = table.assign(
        unit=table["locality_code"].map(lambda c: names.get(c, c)), me=table["locality_code"] == unit
    )
    mine = table[table["locality_code"] == unit]
    data.assessed = not mine.empty
    if not data.assessed:
        return data
    data.previous = None if pd.isna(mine["previous_year"].iloc[0]) else int(mine["previous_year"].iloc[0])
    standing = cached(scores.peer_standing, unit, year, stage)
    data.peers = pd.DataFrame(
        {
            t("Pillar"): standing["pillar"].map(pillar_names),
            t("Score"): standing["score"],
            t("Change"): standing["change"].map(labels.arrow),
            t("City average"): standing["city_average"],
            t("Type average"): standing["type_average"],
            t("Rank among all units"): [
                _rank_text(r, n) for r, n in zip(standing["rank_all"], standing["units_all"], strict=True)
            ],
            t("Rank within its type"): [
                _rank_text(r, n) for r, n in zip(standing["rank_type"], standing["units_type"], strict=True)
            ],
        }
    )
    now = cached(results.indicator_results, year, stage, [unit])
    moves = cached(results.level_moves, stage, data.previous, year) if data.previous else pd.DataFrame()
    mine_moves = moves[moves["locality_code"] == unit] if len(moves) else moves
    prev_level = dict(
        zip(mine_moves.get("indicator_code", []), mine_moves.get("level_from", []), strict=True)
    )
    move_of = dict(zip(mine_moves.get("indicator_code", []), mine_moves.get("move", []), strict=True))
    lv = []
    for r in now.itertuples(index=False):
        old = prev_level.get(r.indicator_code)
        move = move_of.get(r.indicator_code)
        name = r.name_en if labels.lang() == "en" else r.name_vi
        lv.append(
            {
                t("Code"): r.indicator_code,
                t("Indicator"): name,
                t("Level"): labels.level(r.level),
                t("Score"): r.score,
                t("Level in {year}", year=data.previous or "–"): labels.level(old),
                t("Change"): "–" if move is None else ("▲" if move > 0 else "▼" if move < 0 else "►"),
                t("Evidence"): r.evidence if isinstance(r.evidence, str) else "",
                t("Note"): r.note if isinstance(r.note, str) else "",
            }
        )
        if move:
            (data.improved if move > 0 else data.declined).append(
                f"{r.indicator_code} {_short(str(name), 70)} ({labels.level(old)} → {labels.level(r.level)})"
            )
    data.levels = pd.DataFrame(lv)
    return data


@dataclass
class MethodData:
    levels: pd.DataFrame = field(default_factory=pd.DataFrame)
    example: str = ""
    catalogue: pd.DataFrame = field(default_factory=pd.DataFrame)
    criteria: pd.DataFrame = field(default_factory=pd.DataFrame)
    registry: pd.DataFrame = field(default_factory=pd.DataFrame)
    files: pd.DataFrame = field(default_factory=pd.DataFrame)


def _source(value: object) -> str:
    return t("team's own translation") if value == "translation" else str(value or "–")


def method_data() -> MethodData:
    """The Method page's tables: levels and their scores, catalogue, criteria, registry, sample files."""
    data = MethodData()
    lv = cached(results.levels)
    data.levels = pd.DataFrame(
        {
            t("Level"): lv["level"].map(labels.level),
            t("Score"): lv["score"],
            t("Meaning"): labels.localized(lv, "meaning"),
        }
    )
    cat = cached(results.indicator_catalogue)
    pillar_names = labels.pillar_names(cached(results.pillars))
    lang = "en" if labels.lang() == "en" else "vi"
    data.catalogue = pd.DataFrame(
        {
            t("Code"): cat["code"],
            t("Pillar"): cat["pillar"],
            t("Pillar name"): cat["pillar"].map(pillar_names),
            t("Indicator"): labels.localized(cat, "name"),
            t("Name source"): cat[f"source_{lang}"].map(_source),
            t("Confidence"): cat["confidence"].map(lambda c: t(CONFIDENCE[c]) if c in CONFIDENCE else c),
            t("Source notes (in English)"): cat["notes"],
        }
    )
    data.criteria = pd.DataFrame(
        {
            t("Code"): cat["code"],
            t("Pillar"): cat["pillar"],
            t("Indicator"): labels.localized(cat, "name"),
            labels.level("red"): cat[f"red_{lang}"],
            labels.level("yellow"): cat[f"yellow_{lang}"],
            labels.level("green"): cat[f"green_{lang}"],
            t("Source"): cat["criteria_source"],
        }
    )
    reg = cached(results.registry_summary)
    data.registry = pd.DataFrame(
        {
            t("Vintage"): reg["vintage"],
            t("Unit type"): reg["unit_type"].map(labels.unit_type),
            t("Units"): reg["units"].astype(int),
            t("Source"): reg["source"],
        }
    )
    if cached(results.has_results):
        files = cached(results.illustrative_uploads)
        data.files = pd.DataFrame(
            {
                t("File"): files["file_name"],
                t("Year"): files["year"].astype(str),
                t("Stage"): files["stage"].map(labels.stage),
                t("Assessments"): files["assessments"].astype(int),
                t("Data"): files["illustrative"].map(
                    lambda x: "⚠ " + t("illustrative") if x else t("reported")
                ),
            }
        )
        long = cached(scores.unit_scores)
        ex = long[(long["pillar"] == 1)].sort_values(["year", "locality_code"], ascending=[False, True])
        if not ex.empty:
            r = ex.iloc[0]
            names = labels.unit_names(cached(results.assessed_units))
            data.example = t(
                "Example from the loaded data: {unit}, {year}, pillar 1 has {g} green, {y} yellow and {r} red "
                "indicators: ({g} × 100 + {y} × 50 + {r} × 0) / {n} = {score}.",
                unit=names.get(r["locality_code"], r["locality_code"]),
                year=int(r["year"]),
                g=int(r["n_green"]),
                y=int(r["n_yellow"]),
                r=int(r["n_red"]),
                n=int(r["indicators"]),
                score=labels.num(float(r["score"])),
            )
    return data
