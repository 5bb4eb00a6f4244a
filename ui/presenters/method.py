"""The Method page's tables: levels and their scores, the catalogue with its doubts, the criteria,
the unit registry and the 2025 crosswalk, and which loaded files are illustrative."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core import scoring
from i18n import N_, t
from query import results, scores
from query.scope import Scope
from ui import labels
from ui.data import cached

CONFIDENCE = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
LEVEL_WORDS = {"province": N_("province"), "district": N_("district"), "commune": N_("commune")}
METHODS = {
    "official": N_("official conversion table"),
    "bridged-by-name": N_("merged before 2025, matched by name"),
    "derived": N_("derived from its communes"),
    "manual": N_("set by hand (documented)"),
}
RELATIONS = {"whole": N_("whole"), "part": N_("part")}


@dataclass
class MethodData:
    levels: pd.DataFrame = field(default_factory=pd.DataFrame)
    example: str = ""
    catalogue: pd.DataFrame = field(default_factory=pd.DataFrame)
    criteria: pd.DataFrame = field(default_factory=pd.DataFrame)
    registry: pd.DataFrame = field(default_factory=pd.DataFrame)
    crosswalk: pd.DataFrame = field(default_factory=pd.DataFrame)
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
            t("Vintage"): reg["vintage"].map(labels.vintage),
            t("Unit type"): reg["unit_type"].map(labels.unit_type),
            t("Units"): reg["units"].map(lambda n: labels.num(int(n), 0)),
            t("Source"): reg["source"],
        }
    )
    cw = cached(results.crosswalk_summary)
    data.crosswalk = pd.DataFrame(
        {
            t("Old unit level"): cw["from_level"].map(lambda v: t(LEVEL_WORDS.get(v, v))),
            t("How the row was found"): cw["method"].map(lambda v: t(METHODS.get(v, v))),
            t("Relation"): cw["relation"].map(lambda v: t(RELATIONS.get(v, v))),
            t("Rows"): cw["rows"].map(lambda n: labels.num(int(n), 0)),
            t("Old units"): cw["old_units"].map(lambda n: labels.num(int(n), 0)),
            t("New units"): cw["new_units"].map(lambda n: labels.num(int(n), 0)),
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
        per = cached(results.periods)
        year = int(per["year"].max())
        stage = str(per[per["year"] == year]["stage"].iloc[0])
        first = cached(scores.ranking, year, stage, Scope(), None, 0, 1)
        if len(first):
            unit = str(first["locality_id"].iloc[0])
            lv = cached(results.unit_levels, unit, year, stage)
            p1 = lv[lv["pillar"] == 1]["level"].value_counts()
            score = cached(scores.units_wide, [unit], year, stage)["p1"]
            if len(lv) and len(score):
                s = scoring.LEVEL_SCORE
                data.example = t(
                    "Example from the loaded data: {unit}, {year}, pillar 1 has {g} green, {y} yellow and {r} red "
                    "indicators: ({g} × {sg} + {y} × {sy} + {r} × {sr}) / {n} = {score}.",
                    unit=str(first["name_with_type"].iloc[0]),
                    year=year,
                    g=int(p1.get("green", 0)),
                    y=int(p1.get("yellow", 0)),
                    r=int(p1.get("red", 0)),
                    sg=f"{s['green']:g}",
                    sy=f"{s['yellow']:g}",
                    sr=f"{s['red']:g}",
                    n=int(p1.sum()),
                    score=labels.num(float(score.iloc[0])),
                )
    return data
