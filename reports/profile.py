"""Reports on chosen units: one unit's profile (``unit``) and a set of units side by side (``units``).

The profile: the unit's scores by pillar and year, where it stands against the province and its
unit type, its 39 levels with evidence, what changed, and its successors after the 2025
reorganisation. The set: scores, bands and readiness, the 39 x units level grid, change.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from core import rollout_rules as rules
from core import scoring
from i18n import t
from query import rollout, scores
from query import units as uq
from reports import charts
from reports.common import (
    ROMAN,
    Db,
    NoDataError,
    baseline_note,
    data_note,
    header_fields,
    illustrative_warning,
    indicator_name,
    language,
    level_label,
    lower_first,
    method_appendix,
    method_note,
    num,
    period_text,
    pillar_names,
    resolve_period,
    short,
    stage_label,
    type_label,
)
from reports.fmt import missing
from reports.model import Column, Document, ExcelChart, Figure, Heading, Paragraph, Table

UNITS_PER_GRID_TABLE = 6  # the level grid of a chosen set in Word: this many units per table


def unit(
    db: Db,
    locality_id: str,
    year: int | None = None,
    stage: str | None = None,
    lang: str = "vi",
    issuer: str | None = None,
    place: str | None = None,
) -> Document:
    """One unit's profile report: scores by pillar and year, where it stands, its 39 levels, change."""
    with language(lang):
        return _unit(db, locality_id, year, stage, lang, issuer, place)


# The query layer's names for a unit's standing (query.scores.peer_standing) -> this report's.
_STANDING = {
    "province_average": "province_mean",
    "units_province": "province_units",
    "type_average": "type_mean",
    "units_type": "type_units",
    "rank_province": "province_rank",
    "rank_type": "type_rank",
}


def _unit(
    db: Db,
    locality_id: str,
    year: int | None,
    stage: str | None,
    lang: str,
    issuer: str | None,
    place: str | None,
) -> Document:
    info = uq.unit_info(db, locality_id)
    if not info:
        raise NoDataError(t("Unknown unit: {unit}.", lang, unit=locality_id))
    if not info["periods"]:
        raise NoDataError(t("{unit} has no assessment loaded.", lang, unit=info["name_with_type"]))
    year, stage = resolve_period(info["periods"], year, stage)
    if (year, stage) not in info["periods"]:
        raise NoDataError(
            t(
                "{unit} has no {stage} assessment in {year}.",
                lang,
                unit=info["name_with_type"],
                stage=stage_label(stage, lang),
                year=year,
            )
        )
    names = pillar_names(db, lang)
    short_names = pillar_names(db, lang, short=True)  # for a chart's axis
    hist = rollout.unit_history(db, locality_id)
    me = hist[(hist["year"] == year) & (hist["stage"] == stage)].iloc[0]
    standing = scores.peer_standing(db, locality_id, year, stage).rename(columns=_STANDING)
    levels = rollout.unit_levels(db, [locality_id], year, stage)
    base = (
        None
        if levels.empty or pd.isna(levels["baseline_year"].iloc[0])
        else int(levels["baseline_year"].iloc[0])
    )
    succ = uq.successors(db, [locality_id]).rename(columns={"name_with_type": "to_name"})
    ill = bool(info["illustrative"])
    unit_name = str(info["name_with_type"])
    province = str(info.get("province_name") or "")
    place_default = str(rollout.place_name(db, info.get("province_id")).get("name") or "[...]")
    fields = header_fields(lang, issuer, place or place_default)
    period = period_text(year, stage, lang)
    doc = Document(
        kind="unit",
        lang=lang,
        subject=t("Results of {unit} against TCVN ISO 18091:2020, {year}", lang, unit=unit_name, year=year),
        file_stem=f"bao-cao-don-vi-{locality_id.replace(':', '-')}-{year}",
        scope=f"{unit_name}, {province}" if province else unit_name,
        period=period,
        illustrative=ill,
        **fields,  # type: ignore[arg-type]
    )
    doc.summary = [
        (t("Unit", lang), unit_name),
        (t("Unit key", lang), locality_id),
        (t("Period", lang), period),
        (t("Generated", lang), doc.generated_at.strftime("%d/%m/%Y %H:%M")),
        (t("Data", lang), doc.illustrative_mark if ill else t("reported by the units", lang)),
    ]
    b = doc.blocks
    sec = iter(ROMAN)
    b.append(Heading(f"{next(sec)}. " + t("GENERAL INFORMATION", lang)))
    loaded = ", ".join(f"{y} ({stage_label(s, lang).lower()})" for y, s in info["periods"])
    b.append(
        Paragraph(
            t(
                "{unit} ({type}; GSO code {code}, unit list {vintage}), part of {parent}. Assessments loaded: {loaded}. "
                "This report covers {period}.",
                lang,
                unit=unit_name,
                type=type_label(str(info["unit_type"]), lang).lower(),
                code=info["code"],
                vintage=info["vintage"],
                parent=info.get("parent_name") or info.get("province_name") or "–",
                loaded=loaded,
                period=lower_first(period, lang),
            )
        )
    )
    b.extend(illustrative_warning(ill, lang))
    b.append(Heading(f"{next(sec)}. " + t("RESULTS", lang)))
    sub = iter(range(1, 20))
    b.append(Heading(f"{next(sub)}. " + t("Scores by pillar and year", lang), 2))
    b.append(
        Paragraph(
            t(
                "In {period}, the overall score is {overall} ({band}; readiness: {ready}), with {green} green, {yellow} "
                "yellow and {red} red indicators.",
                lang,
                period=period,
                overall=num(me["overall"], lang),
                band=rules.band_label(me["band"], lang).lower(),
                ready=rules.readiness_label(me["readiness"], lang).lower(),
                green=int(me["n_green"]),
                yellow=int(me["n_yellow"]),
                red=int(me["n_red"]),
            )
        )
    )
    hist_df = hist.assign(
        stage_label=hist["stage"].map(lambda s: stage_label(s, lang)),
        band_label=hist["band"].map(lambda c: rules.band_label(c, lang)),
        readiness_label=hist["readiness"].map(lambda c: rules.readiness_label(c, lang)),
    )
    score_notes = [
        method_note(scoring.rule_note(lang), lang),
        t("Data: {scope}; every loaded year.", lang, scope=doc.scope),
    ]
    b.append(
        Table(
            "history",
            t("Scores of {unit} by year", lang, unit=unit_name),
            hist_df,
            [
                Column("year", t("Year", lang), "year"),
                Column("stage_label", t("Stage", lang)),
                Column("overall", t("Overall", lang), "score"),
                *[Column(f"p{p}", t("Pillar {n}", lang, n=p), "score") for p in rollout.PILLARS],
                Column("n_red", level_label("red", lang), "int"),
                Column("band_label", t("Band", lang)),
                Column("n_green", level_label("green", lang), "int", document=False),
                Column("n_yellow", level_label("yellow", lang), "int", document=False),
                Column("readiness_label", t("Readiness group", lang), document=False),
                Column("indicators", t("Indicators with a level", lang), "int", document=False),
                Column("complete", t("Complete assessment", lang), "bool", document=False),
            ],
            notes=[
                *score_notes,
                t("Pillars: {names}.", lang, names="; ".join(names[p] for p in rollout.PILLARS)),
            ],
            sheet=t("Scores by year", lang),
            illustrative=ill,
            description=t("Overall and pillar scores for every loaded year", lang),
        )
    )
    same_stage = hist[hist["stage"] == stage]
    series = [
        (str(int(r.year)), [getattr(r, f"p{p}") for p in rollout.PILLARS] + [r.overall], None)
        for r in same_stage.itertuples()
    ]
    ref = None
    if len(standing):
        st = standing.set_index("pillar")
        ref = (
            t("Province mean {year}", lang, year=year),
            [st["province_mean"].get(p) for p in (*rollout.PILLARS, 0)],
        )
    b.append(
        Figure(
            "fig_unit_years",
            t("Scores of {unit} by year", lang, unit=unit_name),
            charts.grouped_scores(
                series,
                [short_names[p] for p in (*rollout.PILLARS, 0)],
                t(
                    "{unit}: scores by pillar and year ({stage})",
                    lang,
                    unit=unit_name,
                    stage=stage_label(stage, lang).lower(),
                ),
                ill,
                t("Score (0-100)", lang),
                reference=ref,
            ),
            caption=score_notes[0],
        )
    )
    b.append(Heading(f"{next(sub)}. " + t("Where the unit stands", lang), 2))
    if standing.empty:
        b.append(Paragraph(t("The assessment is incomplete, so the unit is not compared with others.", lang)))
    else:
        sd = standing.assign(
            label=standing["pillar"].map(names),
            province_rank_text=[
                t("{rank} of {n}", lang, rank=r, n=n)
                for r, n in zip(standing["province_rank"], standing["province_units"], strict=True)
            ],
            type_rank_text=[
                t("{rank} of {n}", lang, rank=r, n=n)
                for r, n in zip(standing["type_rank"], standing["type_units"], strict=True)
            ],
        )
        b.append(
            Table(
                "standing",
                t("{unit} against the province and its unit type, {year}", lang, unit=unit_name, year=year),
                sd,
                [
                    Column("label", t("Pillar", lang)),
                    Column("score", t("Score", lang), "score"),
                    Column("province_mean", t("Province mean", lang), "score"),
                    Column(
                        "type_mean",
                        t("Mean of {type}", lang, type=type_label(str(info["unit_type"]), lang).lower()),
                        "score",
                    ),
                    Column("province_rank_text", t("Rank in province", lang)),
                    Column("type_rank_text", t("Rank in type", lang)),
                    Column("province_units", t("Units in province", lang), "int", document=False),
                    Column("type_units", t("Units of the type", lang), "int", document=False),
                ],
                notes=[
                    method_note(
                        t(
                            "means over the complete assessments of the province (same year, stage and unit list); rank 1 = best, ties share a rank.",
                            lang,
                        ),
                        lang,
                    ),
                    period,
                ],
                sheet=t("Standing", lang),
                illustrative=bool(standing["illustrative"].any()),
                description=t("The unit against the province and its unit type", lang),
            )
        )
    b.append(Heading(f"{next(sub)}. " + t("The 39 indicators, {year}", lang, year=year), 2))
    lv = levels.assign(name=indicator_name(levels, lang))
    b.append(
        _levels_table(
            lv, base, lang, period, ill, t("Levels of {unit}, {year}", lang, unit=unit_name, year=year)
        )
    )
    b.append(Heading(f"{next(sub)}. " + t("Change since {year}", lang, year=base or "–"), 2))
    b.extend(_change_blocks(lv, base, lang))
    b.append(Heading(f"{next(sub)}. " + t("Units after the 2025 reorganisation", lang), 2))
    b.extend(_successor_blocks(succ, lang))
    b.append(Heading(f"{next(sec)}. " + t("ASSESSMENT AND PROPOSALS", lang)))
    b.append(Paragraph(t("[The drafting body writes the assessment and the proposals.]", lang), "field"))
    b.append(
        Heading(
            t("Suggestions generated from the data (for the drafting body to check, change or delete)", lang),
            3,
        )
    )
    reds = lv[lv["level"] == "red"]
    if len(reds):
        b.append(
            Paragraph(
                t(
                    "Suggestion: set improvement actions for the red indicators first: {list}.",
                    lang,
                    list="; ".join(f"{r.indicator_code} {short(r.name, 60)}" for r in reds.itertuples()),
                ),
                "suggestion",
            )
        )
    downs = lv[lv["move"].fillna(0) < 0]
    if len(downs):
        b.append(
            Paragraph(
                t(
                    "Suggestion: look into why these indicators moved down: {list}.",
                    lang,
                    list=", ".join(str(c) for c in downs["indicator_code"]),
                ),
                "suggestion",
            )
        )
    b.append(
        Paragraph(
            t(
                "Suggestion: readiness group '{group}' ({rule}).",
                lang,
                group=rules.readiness_label(me["readiness"], lang),
                rule=rules.readiness_condition(me["readiness"], lang),
            ),
            "suggestion",
        )
    )
    doc.appendices.append(method_appendix(db, None, [locality_id], lang))
    return doc


# --- a chosen set of units ---------------------------------------------------------------------


def units(
    db: Db,
    locality_ids: Sequence[str],
    year: int | None = None,
    stage: str | None = None,
    lang: str = "vi",
    issuer: str | None = None,
    place: str | None = None,
) -> Document:
    """A chosen set of units side by side: scores, bands, levels of the 39 indicators, change."""
    with language(lang):
        return _units(db, list(dict.fromkeys(locality_ids)), year, stage, lang, issuer, place)


def _units(
    db: Db,
    ids: list[str],
    year: int | None,
    stage: str | None,
    lang: str,
    issuer: str | None,
    place: str | None,
) -> Document:
    if not ids:
        raise NoDataError(t("No unit was chosen.", lang))
    per = rollout.periods(db, None, ids)
    if per.empty:
        raise NoDataError(t("None of the chosen units has an assessment loaded.", lang))
    year, stage = resolve_period(
        [(int(y), str(s)) for y, s in zip(per["year"], per["stage"], strict=True)], year, stage
    )
    classes = rollout.unit_classes(db, year, stage, units=ids)
    if classes.empty:
        raise NoDataError(
            t(
                "None of the chosen units has a {stage} assessment in {year}.",
                lang,
                stage=stage_label(stage, lang),
                year=year,
            )
        )
    base = rollout.baseline_year(db, year, stage, units=ids)
    names = pillar_names(db, lang)
    short_names = pillar_names(db, lang, short=True)  # for a chart's axis
    levels = rollout.unit_levels(db, ids, year, stage, baseline=base)
    moves = rollout.unit_moves(db, year, stage, units=ids, baseline=base)
    succ = uq.successors(db, ids).rename(columns={"name_with_type": "to_name"})
    ill = bool(classes["illustrative"].any())
    period = period_text(year, stage, lang)
    n = len(classes)
    scope = t("{n} chosen units", lang, n=n)
    first = uq.unit_info(db, str(classes["locality_id"].iloc[0])) or {}
    place_default = str(rollout.place_name(db, first.get("province_id")).get("name") or "[...]")
    fields = header_fields(lang, issuer, place or place_default)
    doc = Document(
        kind="units",
        lang=lang,
        subject=t("Results of {n} units against TCVN ISO 18091:2020, {year}", lang, n=n, year=year),
        file_stem=f"bao-cao-so-sanh-{n}-don-vi-{year}",
        scope=scope,
        period=period,
        illustrative=ill,
        **fields,  # type: ignore[arg-type]
    )
    doc.summary = [
        (t("Units", lang), ", ".join(classes["name_with_type"])),
        (t("Period", lang), period),
        (t("Baseline year for change", lang), str(base) if base else "–"),
        (t("Generated", lang), doc.generated_at.strftime("%d/%m/%Y %H:%M")),
        (t("Data", lang), doc.illustrative_mark if ill else t("reported by the units", lang)),
    ]
    missing_ids = [i for i in ids if i not in set(classes["locality_id"])]
    b = doc.blocks
    sec = iter(ROMAN)
    b.append(Heading(f"{next(sec)}. " + t("GENERAL INFORMATION", lang)))
    b.append(
        Paragraph(
            t(
                "This report compares {n} units in {period}: {list}.",
                lang,
                n=n,
                period=lower_first(period, lang),
                list=", ".join(classes["name_with_type"]),
            )
        )
    )
    if missing_ids:
        b.append(
            Paragraph(
                t("Not assessed in this period (left out): {list}.", lang, list=", ".join(missing_ids)),
                "note",
            )
        )
    b.extend(illustrative_warning(ill, lang))
    b.append(Heading(f"{next(sec)}. " + t("RESULTS", lang)))
    sub = iter(range(1, 20))
    note = data_note(scope, period, n, lang)
    mv = classes.merge(moves, on="locality_id", how="left", suffixes=("", "_m"))
    df = mv.assign(
        type_label=mv["locality_type"].map(lambda c: type_label(c, lang)),
        band_label=mv["band"].map(lambda c: rules.band_label(c, lang)),
        readiness_label=mv["readiness"].map(lambda c: rules.readiness_label(c, lang)),
    )
    b.append(Heading(f"{next(sub)}. " + t("Scores, bands and readiness", lang), 2))
    b.append(
        Table(
            "set_scores",
            t("Scores of the chosen units, {year}", lang, year=year),
            df,
            [
                Column("name_with_type", t("Unit", lang)),
                Column("overall", t("Overall", lang), "score"),
                *[Column(f"p{p}", t("Pillar {n}", lang, n=p), "score") for p in rollout.PILLARS],
                Column("band_label", t("Band", lang)),
                Column("readiness_label", t("Readiness group", lang)),
                Column("change", t("Change", lang), "change"),
                Column("locality_id", t("Unit key", lang), document=False),
                Column("type_label", t("Unit type", lang), document=False),
                Column("n_green", level_label("green", lang), "int", document=False),
                Column("n_yellow", level_label("yellow", lang), "int", document=False),
                Column("n_red", level_label("red", lang), "int", document=False),
                Column("up", t("Indicators up", lang), "int", document=False),
                Column("down", t("Indicators down", lang), "int", document=False),
                Column("levels_up", t("Levels up", lang), "int", document=False),
                Column("levels_down", t("Levels down", lang), "int", document=False),
                Column("complete", t("Complete assessment", lang), "bool", document=False),
            ],
            notes=[
                method_note(scoring.rule_note(lang), lang),
                note,
                baseline_note(base, int(moves["locality_id"].nunique()) if len(moves) else 0, lang),
                t("Pillars: {names}.", lang, names="; ".join(names[p] for p in rollout.PILLARS)),
            ],
            sheet=t("Scores", lang),
            illustrative=ill,
            font_pt=10,
            chart=ExcelChart(t("Overall score", lang), "name_with_type", ["overall"], kind="bar"),
            description=t("Scores, band, readiness and change of each chosen unit", lang),
        )
    )
    if n <= charts.MAX_SET_UNITS:
        series = [
            (str(r.name_with_type), [getattr(r, f"p{p}") for p in rollout.PILLARS] + [r.overall], None)
            for r in classes.itertuples()
        ]
        b.append(
            Figure(
                "fig_set",
                t("Scores of the chosen units, {year}", lang, year=year),
                charts.grouped_scores(
                    series,
                    [short_names[p] for p in (*rollout.PILLARS, 0)],
                    t("Scores by pillar, {period}", lang, period=lower_first(period, lang)),
                    ill,
                    t("Score (0-100)", lang),
                ),
                caption=note,
            )
        )
    b.append(Heading(f"{next(sub)}. " + t("The 39 indicators, {year}", lang, year=year), 2))
    b.extend(_grid_tables(levels, classes, lang, period, ill))
    lv = levels.assign(name=indicator_name(levels, lang))
    b.append(
        Table(
            "set_levels",
            t("Levels and evidence of the chosen units, {year}", lang, year=year),
            lv.assign(
                unit=lv["locality_id"].map(
                    dict(zip(classes["locality_id"], classes["name_with_type"], strict=True))
                )
            ),
            [
                Column("locality_id", t("Unit key", lang)),
                Column("unit", t("Unit", lang)),
                Column("indicator_code", t("Code", lang)),
                Column("name", t("Indicator", lang)),
                Column("level", t("Level", lang), "level"),
                Column("level_then", t("Level in {year}", lang, year=base or "–"), "level"),
                Column("move", t("Move (levels)", lang), "int"),
                Column("score", t("Score", lang), "score"),
                Column("evidence", t("Evidence", lang)),
                Column("note", t("Note", lang)),
            ],
            notes=[period],
            sheet=t("Levels and evidence", lang),
            document=False,
            illustrative=ill,
            description=t("Every level of the chosen units with its evidence", lang),
        )
    )
    b.append(Heading(f"{next(sub)}. " + t("Units after the 2025 reorganisation", lang), 2))
    b.extend(_successor_blocks(succ, lang))
    b.append(Heading(f"{next(sec)}. " + t("ASSESSMENT AND PROPOSALS", lang)))
    b.append(Paragraph(t("[The drafting body writes the assessment and the proposals.]", lang), "field"))
    b.append(
        Heading(
            t("Suggestions generated from the data (for the drafting body to check, change or delete)", lang),
            3,
        )
    )
    red = levels[levels["level"] == "red"].groupby("indicator_code").size().sort_values(ascending=False)
    common = red[red >= max(2, (n + 1) // 2)]
    if len(common):
        b.append(
            Paragraph(
                t(
                    "Suggestion: shared training on the indicators that are red in at least half of the chosen units: {list}.",
                    lang,
                    list=", ".join(f"{c} ({k}/{n})" for c, k in common.items()),
                ),
                "suggestion",
            )
        )
    ready_units = classes[classes["readiness"] == rules.READINESS[0].code]["name_with_type"].tolist()
    b.append(
        Paragraph(
            t(
                "Suggestion: units in the group '{group}': {list}.",
                lang,
                group=rules.readiness_label(rules.READINESS[0].code, lang),
                list=", ".join(ready_units) or t("none", lang),
            ),
            "suggestion",
        )
    )
    doc.appendices.append(method_appendix(db, None, ids, lang))
    return doc


def _grid_tables(
    levels: pd.DataFrame, classes: pd.DataFrame, lang: str, period: str, ill: bool
) -> list[Table]:
    """The 39 x units level grid: all units on one Excel sheet; Word tables of a few units each."""
    order = list(classes["locality_id"])
    short = {i: str(n) for i, n in zip(classes["locality_id"], classes["name_with_type"], strict=True)}
    wide = levels.pivot_table(
        index=["seq", "indicator_code", "name_vi", "name_en"],
        columns="locality_id",
        values="level",
        aggfunc="first",
    )
    wide = wide.reindex(columns=order).reset_index().sort_values("seq")
    wide["name"] = indicator_name(wide, lang)
    out = []
    chunks = [order[i : i + UNITS_PER_GRID_TABLE] for i in range(0, len(order), UNITS_PER_GRID_TABLE)]
    for k, chunk in enumerate(chunks, start=1):
        cols = [Column("indicator_code", t("Code", lang)), Column("name", t("Indicator", lang))]
        cols += [Column(i, short[i], "level") for i in chunk]
        out.append(
            Table(
                f"grid_{k}",
                t("Levels of the 39 indicators by unit, {period}", lang, period=lower_first(period, lang))
                + (f" ({k}/{len(chunks)})" if len(chunks) > 1 else ""),
                wide,
                cols,
                notes=[t("Level names are written in each cell as well as coloured.", lang)],
                illustrative=ill,
                font_pt=9,
            )
        )
    out.append(
        Table(
            "grid_all",
            t("Levels of the 39 indicators by unit", lang),
            wide,
            [Column("indicator_code", t("Code", lang)), Column("name", t("Indicator", lang))]
            + [Column(i, short[i], "level") for i in order],
            notes=[period],
            sheet=t("Level grid", lang),
            document=False,
            illustrative=ill,
            description=t("39 indicators x chosen units, one level per cell", lang),
        )
    )
    return out


def _levels_table(
    lv: pd.DataFrame,
    base: int | None,
    lang: str,
    period: str,
    ill: bool,
    title: str,
    sheet: str | None = None,
) -> Table:
    df = lv.assign(
        move_text=lv["move"].map(
            lambda m: "–" if missing(m) else ("▲" * int(m) if m > 0 else "▼" * int(-m) if m < 0 else "=")
        ),
    )
    return Table(
        "levels",
        title,
        df,
        [
            Column("indicator_code", t("Code", lang)),
            Column("name", t("Indicator", lang)),
            Column("level", t("Level", lang), "level"),
            Column("level_then", t("Level in {year}", lang, year=base or "–"), "level"),
            Column("move_text", t("Move", lang)),
            Column("evidence", t("Evidence", lang)),
            Column("score", t("Score", lang), "score", document=False),
            Column("reported_score", t("Reported score", lang), "score", document=False),
            Column("note", t("Note", lang), document=False),
        ],
        notes=[
            method_note(t("level given by the unit; ▲/▼ one level up/down (▲▲: red → green).", lang), lang),
            period,
        ],
        sheet=sheet or t("39 indicators", lang),
        illustrative=ill,
        font_pt=9.5,
        description=t("The levels of the 39 indicators with their evidence", lang),
    )


def _change_blocks(lv: pd.DataFrame, base: int | None, lang: str) -> list:
    if base is None:
        return [Paragraph(t("No earlier assessment of this stage is loaded: no change is computed.", lang))]
    out: list = []
    for direction, title in ((1, t("Moved up", lang)), (-1, t("Moved down", lang))):
        part = lv[(lv["move"].fillna(0) * direction) > 0]
        out.append(Paragraph(f"{title} ({len(part)}):", "body"))
        for r in part.itertuples():
            out.append(
                Paragraph(
                    f"{r.indicator_code} {short(r.name, 90)}: {level_label(r.level_then, lang)} → {level_label(r.level, lang)}",
                    "bullet",
                )
            )
    return out


def _successor_blocks(succ: pd.DataFrame, lang: str) -> list:
    if succ.empty:
        return [
            Paragraph(
                t(
                    "The crosswalk to the units of the 2025 reorganisation holds no row for this unit yet (it is filled "
                    "when the 2025 unit list is loaded).",
                    lang,
                )
            )
        ]
    df = succ.assign(
        type_label=succ["unit_type"].map(lambda c: "–" if missing(c) else type_label(c, lang)),
        relation_label=succ["relation"].map(lambda r: t("whole", lang) if r == "whole" else t("part", lang)),
    )
    return [
        Table(
            "successors",
            t("Units after the 2025 reorganisation", lang),
            df,
            [
                Column("from_id", t("Unit key", lang)),
                Column("to_id", t("New unit key", lang)),
                Column("to_name", t("New unit", lang)),
                Column("type_label", t("Unit type", lang)),
                Column("relation_label", t("Whole or part", lang)),
                Column("method", t("How it was found", lang), document=False),
            ],
            notes=[t("Source: the crosswalk 2020-2023 → 2025 of the database.", lang)],
            sheet=t("Successors 2025", lang),
            description=t("The 2025 units the unit became", lang),
        )
    ]
