"""The ministry's rollout report: what the assessments of a province (or of every loaded unit) say
for a decision on rolling TCVN ISO 18091:2020 out nationwide.

The usual structure of a pilot summary report (../shared/research/report-format.md): purpose and
basis, organisation, results (overall, by pillar, by unit type, by indicator, change, bands and
readiness, coverage), overall assessment, the scale of a nationwide rollout, proposals (left to the
drafting body, with suggestions from the data marked as such), then the appendices.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import codes, scoring
from core import rollout_rules as rules
from core.scoring import LEVELS
from i18n import number, t
from query import rollout
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
    pct,
    period_text,
    pillar_names,
    pillar_phrases,
    short,
    stage_label,
    type_label,
    type_rows,
)
from reports.fmt import signed
from reports.model import Appendix, Block, Column, Document, ExcelChart, Figure, Heading, Paragraph, Table

DEFAULT_PLACE = "Hà Nội"  # the ministry's seat; the user may change it (--place)


@dataclass
class _Ctx:
    """What every section of the report needs: the scope, the period and the figures."""

    db: Db
    lang: str
    year: int
    stage: str
    province_id: str | None
    base: int | None
    scope: str
    period: str
    names: dict[int, str]
    short_names: dict[int, str]  # for a chart's axis
    phrases: dict[int, str]
    by_type: pd.DataFrame
    pillars: pd.DataFrame
    indicators: pd.DataFrame
    moves: pd.DataFrame
    transitions: pd.DataFrame
    bands: pd.DataFrame
    readiness: pd.DataFrame
    coverage: pd.DataFrame
    classes: pd.DataFrame
    weakest: pd.DataFrame

    @property
    def total(self) -> pd.Series:
        return self.by_type[self.by_type["unit_type"] == rollout.ALL].iloc[0]

    @property
    def units(self) -> int:
        return int(self.total["units"])

    @property
    def units_both(self) -> int:
        return int(self.total["units_both"])

    @property
    def ill(self) -> bool:
        return bool(self.by_type["illustrative"].any())

    @property
    def period_in(self) -> str:
        return lower_first(self.period, self.lang)

    @property
    def data_note(self) -> str:
        return data_note(self.scope, self.period, self.units, self.lang)

    @property
    def base_note(self) -> str:
        return baseline_note(self.base, self.units_both, self.lang)

    def level_names(self) -> dict[str, str]:
        return {lv: level_label(lv, self.lang) for lv in LEVELS}

    def weakest_pillar(self) -> pd.Series:
        return self.pillars[self.pillars["pillar"] > 0].sort_values("weakest_rank").iloc[0]

    def strongest_pillar(self) -> pd.Series:
        return self.pillars[self.pillars["pillar"] > 0].sort_values("weakest_rank").iloc[-1]


def ministry(
    db: Db,
    year: int | None = None,
    stage: str | None = None,
    province_id: str | None = None,
    lang: str = "vi",
    issuer: str | None = None,
    place: str | None = None,
) -> Document:
    """The rollout report of a province (or every loaded unit, ``province_id=None``) for one year and
    stage (default: the latest year, verified when there is one). Raises NoDataError when nothing is loaded."""
    with language(lang):
        c = _context(db, year, stage, province_id, lang)
        doc = _document(c, issuer, place)
        sec = iter(ROMAN)
        for title, section in (
            (t("PURPOSE AND BASIS", lang), _purpose),
            (t("ORGANISATION OF THE ASSESSMENT", lang), _organisation),
            (t("RESULTS", lang), _results),
            (t("OVERALL ASSESSMENT", lang), _assessment),
            (t("SCALE OF A NATIONWIDE ROLLOUT", lang), _scale),
            (t("PROPOSALS AND RECOMMENDATIONS", lang), _proposals),
        ):
            doc.blocks.append(Heading(f"{next(sec)}. {title}"))
            doc.blocks.extend(section(c))
        doc.appendices.append(method_appendix(db, province_id, None, lang))
        doc.appendices.append(_levels_appendix(c))
        return doc


def _context(db: Db, year: int | None, stage: str | None, province_id: str | None, lang: str) -> _Ctx:
    if year is None or stage is None:
        dy, ds = rollout.default_period(db, province_id)
        year, stage = year or dy, stage or ds
    if year is None:
        raise NoDataError(t("No assessment is loaded for this scope.", lang))
    per = rollout.periods(db, province_id)
    if per[(per["year"] == year) & (per["stage"] == stage)].empty:
        raise NoDataError(
            t(
                "No {stage} assessment is loaded for {year} in this scope.",
                lang,
                stage=stage_label(stage, lang),
                year=year,
            )
        )
    base = rollout.baseline_year(db, year, stage, province_id)
    if province_id:
        scope = str(rollout.place_name(db, province_id).get("name_with_type") or province_id)
    else:
        scope = t("all loaded units (whole country)", lang)
    weakest = rollout.weakest_indicators(db, year, stage, province_id)
    return _Ctx(
        db=db,
        lang=lang,
        year=year,
        stage=stage,
        province_id=province_id,
        base=base,
        scope=scope,
        period=period_text(year, stage, lang),
        names=pillar_names(db, lang),
        short_names=pillar_names(db, lang, short=True),
        phrases=pillar_phrases(db, lang),
        by_type=rollout.by_unit_type(db, year, stage, province_id, baseline=base),
        pillars=rollout.pillar_summary(db, year, stage, province_id, baseline=base),
        indicators=rollout.indicator_summary(db, year, stage, province_id),
        moves=rollout.indicator_moves(db, year, stage, province_id, baseline=base),
        transitions=rollout.level_transitions(db, year, stage, province_id, baseline=base),
        bands=rollout.class_counts(db, year, stage, "band", province_id),
        readiness=rollout.class_counts(db, year, stage, "readiness", province_id),
        coverage=rollout.coverage(db, year, stage, province_id),
        classes=rollout.unit_classes(db, year, stage, province_id, baseline=base),
        weakest=weakest.assign(name=indicator_name(weakest, lang)),
    )


def _document(c: _Ctx, issuer: str | None, place: str | None) -> Document:
    lang = c.lang
    if c.province_id:
        subject = t(
            "Results of the assessment against TCVN ISO 18091:2020 in {scope}, {year}, and matters for a nationwide rollout",
            lang,
            scope=c.scope,
            year=c.year,
        )
    else:
        subject = t(
            "Results of the assessment against TCVN ISO 18091:2020, {year}, and matters for a nationwide rollout",
            lang,
            year=c.year,
        )
    stem = f"bao-cao-trien-khai-{c.year}-{c.stage}" + (
        f"-{c.province_id.replace(':', '-')}" if c.province_id else ""
    )
    doc = Document(
        kind="ministry",
        lang=lang,
        subject=subject,
        file_stem=stem,
        scope=c.scope,
        period=c.period,
        illustrative=c.ill,
        **header_fields(lang, issuer, place or DEFAULT_PLACE),  # type: ignore[arg-type]
    )
    doc.summary = [
        (t("Scope", lang), c.scope),
        (t("Period", lang), c.period),
        (t("Baseline year for change", lang), str(c.base) if c.base else "–"),
        (t("Units with complete assessments", lang), number(c.units, lang, 0)),
        (t("Generated", lang), doc.generated_at.strftime("%d/%m/%Y %H:%M")),
        (t("Data", lang), doc.illustrative_mark if c.ill else t("reported by the units", lang)),
    ]
    return doc


def _warning(c: _Ctx) -> list[Block]:
    return illustrative_warning(c.ill, c.lang)


# --- I, II -------------------------------------------------------------------------------------


def _purpose(c: _Ctx) -> list[Block]:
    lang = c.lang
    return [
        Paragraph(
            t(
                "This report sums up the assessments of local governments against TCVN ISO 18091:2020 (the Vietnamese "
                "adoption of ISO 18091:2019: 39 indicators in 4 pillars, each rated red, yellow or green with evidence) "
                "for {scope}, to inform the proposal to apply the standard nationwide. Every figure is computed from the "
                "assessment database by the rules in Appendix I.",
                lang,
                scope=c.scope,
            )
        ),
        Paragraph(
            t("[Legal basis: the drafting body adds the documents this report is based on.]", lang), "field"
        ),
        *_warning(c),
    ]


def _organisation(c: _Ctx) -> list[Block]:
    lang = c.lang
    types = c.by_type[c.by_type["unit_type"] != rollout.ALL]
    words = ", ".join(
        f"{number(int(r.units) + int(r.partial), lang, 0)} {type_label(r.unit_type, lang).lower()}"
        for r in types.itertuples()
    )
    partial = int(c.total["partial"])
    files = rollout.sources(c.db, None, None, c.province_id)
    return [
        Paragraph(
            t(
                "Scope: {scope}. Period: {period}. Units assessed: {n} ({types}); {complete} complete assessments "
                "and {partial} incomplete ones, which are counted separately.",
                lang,
                scope=c.scope,
                period=c.period,
                n=number(c.units + partial, lang, 0),
                types=words,
                complete=number(c.units, lang, 0),
                partial=number(partial, lang, 0),
            )
        ),
        Paragraph(
            t(
                "Each unit rates the 39 indicators red, yellow or green against the criteria of each indicator and keeps "
                "the evidence. To add up and compare, the levels are turned into scores by one rule: {rule}",
                lang,
                rule=scoring.rule_note(lang),
            )
        ),
        Paragraph(
            t(
                "Source: {files} files loaded into the assessment database (listed in Appendix I with their SHA-256).",
                lang,
                files=number(len(files), lang, 0),
            )
        ),
    ]


# --- III. Results ------------------------------------------------------------------------------


def _results(c: _Ctx) -> list[Block]:
    out: list[Block] = []
    parts = (
        (t("Overall results", c.lang), _overall),
        (t("Results by pillar", c.lang), _by_pillar),
        (t("Results by unit type", c.lang), _by_type),
        (t("Results by indicator", c.lang), _by_indicator),
        (t("Change between years", c.lang), _change),
        (t("Bands and readiness of units", c.lang), _classes),
        (t("Coverage of the data", c.lang), _coverage),
    )
    for i, (title, part) in enumerate(parts, start=1):
        out.append(Heading(f"{i}. {title}", 2))
        out.extend(part(c))
    return out


def _score_notes(c: _Ctx) -> list[str]:
    return [method_note(scoring.rule_note(c.lang), c.lang), c.data_note, c.base_note]


def _overall(c: _Ctx) -> list[Block]:
    lang, total = c.lang, c.total
    out: list[Block] = [
        Paragraph(
            t(
                "In {period}, the {n} units with complete assessments have a mean overall score of {overall} out of 100; "
                "{green} of the indicator results are green, {yellow} yellow and {red} red.",
                lang,
                period=c.period,
                n=number(c.units, lang, 0),
                overall=num(total["overall"], lang),
                green=pct(total["share_green"], lang),
                yellow=pct(total["share_yellow"], lang),
                red=pct(total["share_red"], lang),
            )
        )
    ]
    if c.base is not None and c.units_both:
        out.append(
            Paragraph(
                t(
                    "Against {base}, for the same {n} units, the mean overall score changed by {change} points "
                    "({then} → {now}).",
                    lang,
                    base=c.base,
                    n=number(c.units_both, lang, 0),
                    change=signed(float(total["change"]), lang),
                    then=num(total["overall_then"], lang),
                    now=num(total["overall_now"], lang),
                )
            )
        )
    labels = type_rows(c.by_type, lang)
    series: list[tuple[str, list[float | None], str | None]] = []
    for i, r in c.by_type.iterrows():
        is_total = r["unit_type"] == rollout.ALL
        values = [r[f"p{p}"] for p in rollout.PILLARS] + [r["overall"]]
        series.append((str(labels[i]), values, "#555555" if is_total else None))
    out.append(
        Figure(
            "fig_type_pillars",
            t("Mean pillar and overall scores by unit type, {year}", lang, year=c.year),
            charts.grouped_scores(
                series,
                [c.short_names[p] for p in (*rollout.PILLARS, 0)],
                t("Mean scores by unit type, {period}", lang, period=c.period_in),
                c.ill,
                t("Mean score (0-100)", lang),
            ),
            caption=c.data_note,
        )
    )
    return out


def _by_pillar(c: _Ctx) -> list[Block]:
    lang = c.lang
    weak, strong = c.weakest_pillar(), c.strongest_pillar()
    df = c.pillars.assign(label=c.pillars["pillar"].map(c.names))
    return [
        Paragraph(
            t(
                "The weakest pillar is {weak}: mean {weak_score}, {weak_red} red results in {weak_units} units; the "
                "strongest is {strong}: mean {strong_score}.",
                lang,
                weak=c.phrases[int(weak["pillar"])],
                weak_score=num(weak["score"], lang),
                weak_red=number(int(weak["n_red"]), lang, 0),
                weak_units=number(int(weak["units_with_red"]), lang, 0),
                strong=c.phrases[int(strong["pillar"])],
                strong_score=num(strong["score"], lang),
            )
        ),
        Table(
            "pillars",
            t("Results by pillar", lang),
            df,
            [
                Column("label", t("Pillar", lang)),
                Column("units", t("Units", lang), "int"),
                Column("score", t("Mean score", lang), "score"),
                Column("change", t("Change", lang), "change"),
                Column("n_red", t("Red results", lang), "int"),
                Column("share_red", t("Share red", lang), "share"),
                Column("units_with_red", t("Units with red", lang), "int"),
                Column("weakest_rank", t("Weakest rank", lang), "int"),
                Column("n_yellow", t("Yellow results", lang), "int", document=False),
                Column("n_green", t("Green results", lang), "int", document=False),
                Column("share_yellow", t("Share yellow", lang), "share", document=False),
                Column("share_green", t("Share green", lang), "share", document=False),
                Column("units_both", t("Units in both years", lang), "int", document=False),
                Column("score_then", t("Mean then (same units)", lang), "score", document=False),
                Column("baseline_year", t("Baseline year", lang), "year", document=False),
            ],
            notes=[*_score_notes(c), t("Weakest rank: 1 = lowest mean score (ties: more red first).", lang)],
            sheet=t("By pillar", lang),
            illustrative=c.ill,
            chart=ExcelChart(
                t("Results by level and pillar", lang),
                "label",
                ["n_green", "n_yellow", "n_red"],
                stacked=True,
                colours=[scoring.LEVEL_COLOUR[lv] for lv in ("green", "yellow", "red")],
                skip_last=True,
            ),
            description=t("Mean score, red results, units with red and change per pillar", lang),
        ),
        Figure(
            "fig_pillar_levels",
            t("Indicator results by level and pillar, {year}", lang, year=c.year),
            charts.level_shares(
                df,
                "label",
                c.level_names(),
                t("Levels by pillar, {period}", lang, period=c.period_in),
                c.ill,
                t("Share of results", lang),
            ),
            caption=c.data_note,
            height_px=420,
        ),
    ]


def _by_type(c: _Ctx) -> list[Block]:
    lang = c.lang
    types = c.by_type[c.by_type["unit_type"] != rollout.ALL]
    out: list[Block] = []
    if len(types):
        best = types.sort_values("overall", ascending=False).iloc[0]
        worst = types.sort_values("overall").iloc[0]
        out.append(
            Paragraph(
                t(
                    "By unit type, {best} score highest (mean overall {best_score}, {best_n} units) and {worst} lowest "
                    "({worst_score}, {worst_n} units).",
                    lang,
                    best=type_label(best["unit_type"], lang).lower(),
                    best_score=num(best["overall"], lang),
                    best_n=number(int(best["units"]), lang, 0),
                    worst=type_label(worst["unit_type"], lang).lower(),
                    worst_score=num(worst["overall"], lang),
                    worst_n=number(int(worst["units"]), lang, 0),
                )
            )
        )
    df = c.by_type.assign(label=type_rows(c.by_type, lang))
    notes = _score_notes(c)
    pillars_note = t("Pillars: {names}.", lang, names="; ".join(c.names[p] for p in rollout.PILLARS))
    out.append(
        Table(
            "by_type",
            t("Mean scores by unit type", lang),
            df,
            [
                Column("label", t("Unit type", lang)),
                Column("units", t("Units", lang), "int"),
                Column("overall", t("Overall", lang), "score"),
                *[Column(f"p{p}", t("Pillar {n}", lang, n=p), "score") for p in rollout.PILLARS],
                Column("change", t("Change", lang), "change"),
                Column("units_both", t("Units in both years", lang), "int"),
                Column("partial", t("Incomplete", lang), "int", document=False),
                *[
                    Column(
                        f"share_{lv}",
                        t("Share {level}", lang, level=level_label(lv, lang)),
                        "share",
                        document=False,
                    )
                    for lv in reversed(LEVELS)
                ],
                Column("baseline_year", t("Baseline year", lang), "year", document=False),
                Column("overall_then", t("Overall then (same units)", lang), "score", document=False),
                Column("overall_now", t("Overall now (same units)", lang), "score", document=False),
                *[
                    Column(f"p{p}_change", t("Change pillar {n}", lang, n=p), "change", document=False)
                    for p in rollout.PILLARS
                ],
            ],
            notes=[*notes, pillars_note],
            sheet=t("By unit type", lang),
            illustrative=c.ill,
            chart=ExcelChart(t("Mean overall score by unit type", lang), "label", ["overall"], kind="bar"),
            description=t("Mean overall and pillar scores, level shares and change by unit type", lang),
        )
    )
    out.append(
        Table(
            "by_type_levels",
            t("Share of indicator results by level and unit type", lang),
            df,
            [
                Column("label", t("Unit type", lang)),
                Column("units", t("Units", lang), "int"),
                *[Column(f"share_{lv}", level_label(lv, lang), "share") for lv in reversed(LEVELS)],
                Column("partial", t("Incomplete assessments", lang), "int"),
            ],
            notes=[method_note(rules.coverage_note(lang), lang), c.data_note],
            illustrative=c.ill,
        )
    )
    return out


def _by_indicator(c: _Ctx) -> list[Block]:
    lang = c.lang
    ind = c.indicators
    labels = [
        f"{code} {short(n, 34)}"
        for code, n in zip(ind["indicator_code"], indicator_name(ind, lang), strict=True)
    ]
    return [
        Paragraph(
            t(
                "The indicators below have the lowest mean scores: this is where guidance and training are most needed "
                "before a nationwide rollout. The distribution of levels of all 39 indicators is in Appendix II.",
                lang,
            )
        ),
        Table(
            "weakest",
            t("The {n} weakest indicators", lang, n=rules.WEAKEST_TOP_N),
            c.weakest,
            [
                Column("weakest_rank", t("Rank", lang), "int"),
                Column("indicator_code", t("Code", lang)),
                Column("name", t("Indicator", lang)),
                Column("score", t("Mean score", lang), "score"),
                Column("n_red", t("Red", lang), "int"),
                Column("units_affected", t("Units affected", lang), "int"),
                Column("units", t("Units", lang), "int"),
            ],
            notes=[method_note(rules.weakest_note(lang), lang), c.data_note],
            sheet=t("Weakest indicators", lang),
            illustrative=c.ill,
            font_pt=10.5,
            description=t("The weakest indicators: mean score, red, units affected", lang),
        ),
        Figure(
            "fig_indicator_levels",
            t("Levels of each indicator, {year}", lang, year=c.year),
            charts.indicator_levels(
                ind,
                labels,
                c.level_names(),
                t("Units by level, per indicator, {period}", lang, period=c.period_in),
                c.ill,
                t("Units", lang),
            ),
            caption=c.data_note,
            height_px=1140,
        ),
    ]


def _change(c: _Ctx) -> list[Block]:
    lang = c.lang
    if c.base is None or not c.units_both:
        return [Paragraph(c.base_note)]
    mv = c.moves.assign(name=indicator_name(c.moves, lang))
    tr = c.transitions
    notes = [method_note(rules.change_note(lang), lang), c.data_note, c.base_note]
    out: list[Block] = [
        Paragraph(
            t(
                "Between {base} and {year}, over {n} units and 39 indicators, {up} results moved up ({levels_up} "
                "levels) and {down} moved down ({levels_down} levels); every move is counted, also where an "
                "indicator's net change is nil or positive.",
                lang,
                base=c.base,
                year=c.year,
                n=number(c.units_both, lang, 0),
                up=number(int(tr.loc[tr["move"] > 0, "results"].sum()), lang, 0),
                levels_up=number(int(mv["levels_up"].sum()), lang, 0),
                down=number(int(tr.loc[tr["move"] < 0, "results"].sum()), lang, 0),
                levels_down=number(int(mv["levels_down"].sum()), lang, 0),
            )
        ),
        Paragraph(rules.change_rule(lang), "note"),
        _transitions_table(c, notes),
    ]
    move_cols = [
        Column("indicator_code", t("Code", lang)),
        Column("name", t("Indicator", lang)),
        Column("levels_up", t("Levels up", lang), "int"),
        Column("units_up", t("Units up", lang), "int"),
        Column("levels_down", t("Levels down", lang), "int"),
        Column("units_down", t("Units down", lang), "int"),
        Column("net", t("Net levels", lang), "int"),
        Column("units", t("Units in both years", lang), "int"),
    ]
    out.append(
        Table(
            "improved",
            t("Most improved indicators (by levels up)", lang),
            rollout.most_moved(mv, "up"),
            move_cols,
            notes=notes,
            illustrative=c.ill,
            font_pt=10.5,
        )
    )
    declined = rollout.most_moved(mv, "down")
    if declined.empty:
        out.append(Paragraph(t("No indicator moved down a level.", lang)))
    else:
        out.append(
            Table(
                "declined",
                t("Most declined indicators (by levels down)", lang),
                declined,
                move_cols,
                notes=notes,
                illustrative=c.ill,
                font_pt=10.5,
            )
        )
    moved = mv[(mv["levels_up"] + mv["levels_down"]) > 0]
    out.append(
        Figure(
            "fig_moves",
            t("Levels moved per indicator, {base} → {year}", lang, base=c.base, year=c.year),
            charts.moves(
                moved,
                [
                    f"{code} {short(n, 34)}"
                    for code, n in zip(moved["indicator_code"], moved["name"], strict=True)
                ],
                (t("levels up", lang), t("levels down", lang)),
                t(
                    "Levels moved per indicator, {base} → {year} ({n} units)",
                    lang,
                    base=c.base,
                    year=c.year,
                    n=c.units_both,
                ),
                c.ill,
                t("Levels (red → green counts 2)", lang),
            ),
            caption=c.base_note,
            height_px=max(400, 180 + 22 * len(moved)),
        )
    )
    out.append(
        Table(
            "moves_all",
            t("Level moves of every indicator", lang),
            mv,
            [
                Column("indicator_code", t("Code", lang)),
                Column("name", t("Indicator", lang)),
                Column("units", t("Units in both years", lang), "int"),
                Column("units_up", t("Units up", lang), "int"),
                Column("units_down", t("Units down", lang), "int"),
                Column("levels_up", t("Levels up", lang), "int"),
                Column("levels_down", t("Levels down", lang), "int"),
                Column("net", t("Net levels", lang), "int"),
                *[
                    Column(f"{a}_{b}", f"{level_label(a, lang)} → {level_label(b, lang)}", "int")
                    for a in LEVELS
                    for b in LEVELS
                    if a != b
                ],
                Column("baseline_year", t("Baseline year", lang), "year"),
            ],
            notes=[method_note(rules.change_rule(lang), lang), c.data_note, c.base_note],
            sheet=t("Change by indicator", lang),
            document=False,
            illustrative=c.ill,
            description=t("Every level move of every indicator since the baseline year", lang),
        )
    )
    return out


def _transitions_table(c: _Ctx, notes: list[str]) -> Table:
    lang, tr = c.lang, c.transitions
    wide = tr.pivot_table(index="level_from", columns="level_to", values="results", aggfunc="sum").reindex(
        index=list(LEVELS), columns=list(LEVELS)
    )
    df = pd.DataFrame(
        {
            "from": [level_label(lv, lang) for lv in LEVELS],
            **{f"to_{lv}": wide[lv].fillna(0).astype(int).to_numpy() for lv in LEVELS},
            "total": wide.fillna(0).sum(axis=1).astype(int).to_numpy(),
        }
    )
    return Table(
        "transitions",
        t("Indicator results by level in {base} (rows) and {year} (columns)", lang, base=c.base, year=c.year),
        df,
        [
            Column("from", t("Level in {year}", lang, year=c.base)),
            *[
                Column(
                    f"to_{lv}", t("{level} in {year}", lang, level=level_label(lv, lang), year=c.year), "int"
                )
                for lv in LEVELS
            ],
            Column("total", t("Total", lang), "int"),
        ],
        notes=notes,
        sheet=t("Level moves", lang),
        illustrative=c.ill,
        description=t("Indicator results by level in the baseline year and this year", lang),
    )


def _classes(c: _Ctx) -> list[Block]:
    lang = c.lang
    return [
        Paragraph(rules.band_rule(lang)),
        _class_table(c, c.bands, "band"),
        Paragraph(rules.readiness_rule(lang)),
        _class_table(c, c.readiness, "readiness"),
        _class_figure(c, c.bands, "band"),
        _class_figure(c, c.readiness, "readiness"),
        _unit_list(c),
    ]


def _class_table(c: _Ctx, counts: pd.DataFrame, kind: str) -> Table:
    """Bands or readiness: one row per group, one column per unit type, then the total and its share."""
    lang = c.lang
    label = rules.band_label if kind == "band" else rules.readiness_label
    condition = rules.band_range if kind == "band" else rules.readiness_condition
    types = counts[counts["unit_type"] != rollout.ALL][["vintage", "unit_type"]].drop_duplicates()
    keys = [f"{v}:{ty}" for v, ty in types.itertuples(index=False, name=None)]
    rows = []
    for g in dict.fromkeys(counts["group"]):
        part = counts[counts["group"] == g]
        row: dict[str, object] = {"group": label(g, lang), "rule": condition(g, lang)}
        for key, (v, ty) in zip(keys, types.itertuples(index=False, name=None), strict=True):
            row[key] = int(part[(part["vintage"] == v) & (part["unit_type"] == ty)]["units"].sum())
        tot = part[part["unit_type"] == rollout.ALL]
        row["total"] = int(tot["units"].sum())
        row["share"] = tot["share"].iloc[0] if len(tot) else None
        rows.append(row)
    cols = [
        Column("group", t("Band", lang) if kind == "band" else t("Readiness group", lang)),
        Column("rule", t("Rule", lang)),
        *[Column(k, name, "int") for k, name in zip(keys, type_rows(types, lang), strict=True)],
        Column("total", t("Total", lang), "int"),
        Column("share", t("Share of complete", lang), "share"),
    ]
    rule = rules.band_rule(lang) if kind == "band" else rules.readiness_rule(lang)
    return Table(
        kind,
        t("Units by band and unit type", lang)
        if kind == "band"
        else t("Units by readiness group and unit type", lang),
        pd.DataFrame(rows),
        cols,
        notes=[method_note(rule, lang), c.data_note],
        sheet=t("Bands", lang) if kind == "band" else t("Readiness", lang),
        illustrative=c.ill,
        font_pt=10.5,
        chart=ExcelChart(t("Units per group", lang), "group", ["total"], kind="column"),
        description=t("Units per band, by unit type", lang)
        if kind == "band"
        else t("Units per readiness group, by unit type", lang),
    )


def _class_figure(c: _Ctx, counts: pd.DataFrame, kind: str) -> Figure:
    """Stacked bars per unit type: how many units in each band (or readiness group)."""
    lang = c.lang
    part = counts[(counts["unit_type"] != rollout.ALL) & (counts["group"] != rules.NOT_CLASSIFIED)]
    types = part[["vintage", "unit_type"]].drop_duplicates()
    label = rules.band_label if kind == "band" else rules.readiness_label
    wide = pd.DataFrame({"type": type_rows(types, lang).tolist()})
    groups = []
    for g in dict.fromkeys(part["group"]):
        wide[g] = [
            int(
                part[(part["group"] == g) & (part["vintage"] == v) & (part["unit_type"] == ty)]["units"].sum()
            )
            for v, ty in types.itertuples(index=False, name=None)
        ]
        groups.append((g, label(g, lang)))
    title = (
        t("Units by band and unit type", lang)
        if kind == "band"
        else t("Units by readiness group and unit type", lang)
    )
    colours = charts.BAND_COLOURS if kind == "band" else charts.READINESS_COLOURS
    fig = charts.group_counts(
        wide, "type", groups, f"{title}, {c.period_in}", c.ill, t("Units", lang), colours=colours
    )
    return Figure(f"fig_{kind}", title, fig, caption=c.data_note, height_px=440)


def _unit_list(c: _Ctx) -> Table:
    lang, df = c.lang, c.classes
    df = df.assign(
        type_label=df["locality_type"].map(lambda x: type_label(x, lang)),
        band_label=df["band"].map(lambda x: rules.band_label(x, lang)),
        readiness_label=df["readiness"].map(lambda x: rules.readiness_label(x, lang)),
    )
    return Table(
        "units",
        t("Units with their scores, band and readiness group", lang),
        df,
        [
            Column("locality_id", t("Unit key", lang)),
            Column("name_with_type", t("Unit", lang)),
            Column("type_label", t("Unit type", lang)),
            Column("overall", t("Overall", lang), "score"),
            *[Column(f"p{p}", t("Pillar {n}", lang, n=p), "score") for p in rollout.PILLARS],
            Column("n_green", level_label("green", lang), "int"),
            Column("n_yellow", level_label("yellow", lang), "int"),
            Column("n_red", level_label("red", lang), "int"),
            Column("red_key", t("Red in pillar {n}", lang, n=rules.KEY_PILLAR), "int"),
            Column("band_label", t("Band", lang)),
            Column("readiness_label", t("Readiness group", lang)),
            Column("complete", t("Complete assessment", lang), "bool"),
            Column("overall_then", t("Overall in baseline year", lang), "score"),
            Column("change", t("Change", lang), "change"),
        ],
        notes=[
            c.data_note,
            c.base_note,
            t("Pillars: {names}.", lang, names="; ".join(c.names[p] for p in rollout.PILLARS)),
        ],
        sheet=t("Units", lang),
        document=False,
        illustrative=c.ill,
        description=t("Every assessed unit: scores, band, readiness group, change", lang),
    )


def _coverage(c: _Ctx) -> list[Block]:
    lang, cov = c.lang, c.coverage
    total = cov[cov["unit_type"] == rollout.ALL].iloc[0]
    df = cov.assign(label=type_rows(cov, lang))
    return [
        Paragraph(
            t(
                "{complete} of the {registry} units of the scope's unit list ({coverage}) have a complete assessment in "
                "{period}; {partial} assessments are incomplete. {rule}",
                lang,
                complete=number(int(total["complete"]), lang, 0),
                registry=number(int(total["registry"]), lang, 0),
                coverage=pct(total["coverage"], lang),
                period=c.period_in,
                partial=number(int(total["partial"]), lang, 0),
                rule=rules.coverage_rule(lang),
            )
        ),
        Table(
            "coverage",
            t("Coverage of the assessments by unit type", lang),
            df,
            [
                Column("label", t("Unit type", lang)),
                Column("registry", t("Units in the registry", lang), "int"),
                Column("assessed", t("Assessed", lang), "int"),
                Column("complete", t("Complete", lang), "int"),
                Column("partial", t("Incomplete", lang), "int"),
                Column("coverage", t("Coverage", lang), "share"),
                Column("answered_share", t("Indicators answered", lang), "share"),
            ],
            notes=[
                method_note(rules.coverage_note(lang), lang),
                t("Data: {scope}; {period}.", lang, scope=c.scope, period=c.period),
            ],
            sheet=t("Coverage", lang),
            illustrative=c.ill,
            description=t("Assessed and complete units against the registry, by unit type", lang),
        ),
    ]


# --- IV, V, VI ---------------------------------------------------------------------------------


def _assessment(c: _Ctx) -> list[Block]:
    lang = c.lang
    weak, strong = c.weakest_pillar(), c.strongest_pillar()
    out: list[Block] = [
        Heading(t("1. What the data show", lang), 2),
        Paragraph(
            t("Written from the figures above (the drafting body checks and completes them):", lang), "note"
        ),
        Paragraph(
            t(
                "Strongest pillar: {name}, mean {score}.",
                lang,
                name=c.phrases[int(strong["pillar"])],
                score=num(strong["score"], lang),
            ),
            "bullet",
        ),
        Paragraph(
            t(
                "Weakest pillar: {name}, mean {score}, with {red} red results.",
                lang,
                name=c.phrases[int(weak["pillar"])],
                score=num(weak["score"], lang),
                red=number(int(weak["n_red"]), lang, 0),
            ),
            "bullet",
        ),
    ]
    if len(c.weakest):
        out.append(
            Paragraph(
                t(
                    "Weakest indicators: {list}.",
                    lang,
                    list="; ".join(
                        f"{r.indicator_code} {short(r.name, 60)} ({num(r.score, lang)})"
                        for r in c.weakest.head(3).itertuples()
                    ),
                ),
                "bullet",
            )
        )
    if c.base is not None and c.units_both:
        out.append(
            Paragraph(
                t(
                    "Change since {base}: mean overall {change} points over {n} units.",
                    lang,
                    base=c.base,
                    change=signed(float(c.total["change"]), lang),
                    n=number(c.units_both, lang, 0),
                ),
                "bullet",
            )
        )
    out += [
        Heading(t("2. Strengths, limits and their causes; lessons learnt", lang), 2),
        Paragraph(
            t("[The drafting body writes the strengths, limits, causes and lessons learnt.]", lang), "field"
        ),
    ]
    return out


def _scale(c: _Ctx) -> list[Block]:
    lang = c.lang
    reg = rollout.registry_counts(c.db)
    has_2025 = bool(len(reg[(reg["vintage"] == "2025") & (reg["units"] > 0)]))
    vintage = "2025" if has_2025 else "2020"
    scale = rollout.rollout_scale(c.db, vintage)
    out: list[Block] = [
        Paragraph(
            t(
                "Under the two-level system in force since 1 July 2025, a nationwide rollout concerns every "
                "commune-level unit of the registry, by province below.",
                lang,
            )
            if has_2025
            else t(
                "The registry of units after the reform of 1 July 2025 is not loaded yet, so the table below counts "
                "the units of the 2020-2023 list (districts and communes); it will show the 2025 map once that list "
                "is loaded.",
                lang,
            )
        )
    ]
    if scale.empty:
        return out
    order = {code: i for i, code in enumerate(codes.codes("unit_type"))}
    types = sorted(dict.fromkeys(scale["unit_type"]), key=lambda x: order.get(x, 99))
    wide = scale.pivot_table(
        index=["province_id", "province_name"], columns="unit_type", values="units", aggfunc="sum"
    )
    wide = wide.reindex(columns=types).fillna(0).astype(int).reset_index()
    wide["total"] = wide[types].sum(axis=1)
    totals: dict[str, object] = {"province_id": "", "province_name": t("Whole country", lang)}
    totals.update({ty: int(wide[ty].sum()) for ty in types})
    totals["total"] = int(wide["total"].sum())
    n_prov = len(wide)
    wide = pd.concat([wide, pd.DataFrame([totals])], ignore_index=True)
    out.append(
        Paragraph(
            t(
                "The registry holds {units} units below the province level in {provinces} provinces and centrally-run cities.",
                lang,
                units=number(int(totals["total"]), lang, 0),  # type: ignore[call-overload]
                provinces=number(n_prov, lang, 0),
            )
        )
    )
    out.append(
        Table(
            "scale",
            t("Units per province and type, unit list {vintage}", lang, vintage=vintage),
            wide,
            [
                Column("province_name", t("Province", lang)),
                *[Column(ty, type_label(ty, lang), "int") for ty in types],
                Column("total", t("Total", lang), "int"),
            ],
            notes=[
                t("Source: the unit registry of the database (unit list {vintage}).", lang, vintage=vintage)
            ],
            sheet=t("Rollout scale", lang),
            font_pt=9.5 if len(types) > 5 else 10.5,
            description=t("Units of each type per province: the size of a nationwide rollout", lang),
        )
    )
    return out


def _proposals(c: _Ctx) -> list[Block]:
    lang = c.lang
    weak = c.weakest_pillar()
    out: list[Block] = [
        Paragraph(
            t(
                "[The drafting body writes the proposals: whether and how to roll the standard out nationwide, the "
                "roadmap, the units and the resources.]",
                lang,
            ),
            "field",
        ),
        Heading(
            t("Suggestions generated from the data (for the drafting body to check, change or delete)", lang),
            3,
        ),
    ]
    if len(c.weakest):
        out.append(
            Paragraph(
                t(
                    "Suggestion: prepare guidance and training on the weakest indicators before the rollout: {list}.",
                    lang,
                    list=", ".join(
                        f"{r.indicator_code} ({short(r.name, 50)})" for r in c.weakest.head(5).itertuples()
                    ),
                ),
                "suggestion",
            )
        )
    out.append(
        Paragraph(
            t(
                "Suggestion: give particular attention to {name}, the pillar with the lowest mean score ({score}).",
                lang,
                name=c.phrases[int(weak["pillar"])],
                score=num(weak["score"], lang),
            ),
            "suggestion",
        )
    )
    tot = c.readiness[c.readiness["unit_type"] == rollout.ALL]
    groups = "; ".join(
        f"{rules.readiness_label(g, lang)}: {number(int(tot[tot['group'] == g]['units'].sum()), lang, 0)}"
        for g in rules.readiness_codes()
    )
    out.append(
        Paragraph(
            t(
                "Suggestion: start the rollout with the units that are ready and support the others ({groups}).",
                lang,
                groups=groups,
            ),
            "suggestion",
        )
    )
    if c.base is not None:
        down = rollout.most_moved(c.moves, "down").head(3)
        if len(down):
            out.append(
                Paragraph(
                    t(
                        "Suggestion: look into the causes of the declines on {list}.",
                        lang,
                        list=", ".join(
                            f"{r.indicator_code} ({number(int(r.levels_down), lang, 0)})"
                            for r in down.itertuples()
                        ),
                    ),
                    "suggestion",
                )
            )
    cov = c.coverage[c.coverage["unit_type"] == rollout.ALL].iloc[0]
    out.append(
        Paragraph(
            t(
                "Suggestion: widen the data before deciding; {coverage} of the units of the scope have a complete "
                "assessment.",
                lang,
                coverage=pct(cov["coverage"], lang),
            ),
            "suggestion",
        )
    )
    return out


def _levels_appendix(c: _Ctx) -> Appendix:
    lang = c.lang
    df = c.indicators.assign(name=indicator_name(c.indicators, lang))
    return Appendix(
        "II",
        t("LEVELS OF THE 39 INDICATORS", lang),
        [
            Table(
                "distribution",
                t("Levels of each indicator over the units with complete assessments", lang),
                df,
                [
                    Column("indicator_code", t("Code", lang)),
                    Column("name", t("Indicator", lang)),
                    Column("n_green", level_label("green", lang), "int"),
                    Column("n_yellow", level_label("yellow", lang), "int"),
                    Column("n_red", level_label("red", lang), "int"),
                    Column("score", t("Mean score", lang), "score"),
                    Column("weakest_rank", t("Weakest rank", lang), "int"),
                    Column("pillar", t("Pillar", lang), "int", document=False),
                    Column("units", t("Units", lang), "int", document=False),
                    *[
                        Column(
                            f"share_{lv}",
                            t("Share {level}", lang, level=level_label(lv, lang)),
                            "share",
                            document=False,
                        )
                        for lv in reversed(LEVELS)
                    ],
                    Column("units_affected", t("Units affected", lang), "int", document=False),
                ],
                notes=[method_note(rules.weakest_note(lang), lang), c.data_note],
                sheet=t("Levels by indicator", lang),
                illustrative=c.ill,
                font_pt=10,
                chart=ExcelChart(
                    t("Units by level, per indicator", lang),
                    "indicator_code",
                    ["n_green", "n_yellow", "n_red"],
                    stacked=True,
                    colours=[scoring.LEVEL_COLOUR[lv] for lv in ("green", "yellow", "red")],
                ),
                description=t("Distribution of levels for each of the 39 indicators", lang),
            )
        ],
    )
