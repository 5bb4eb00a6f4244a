"""What every report shares: words and labels, the Decree 30 header fields, notes, and the tables
that close each report (full data, its column descriptions, the rules, the source files).

The report builders (reports/ministry.py, reports/profile.py) ask the query layer (query/rollout.py)
for their figures and assemble one ``reports.model.Document`` in the asked language (Vietnamese
first). Every number comes from those DataFrames; every rule sentence from core/scoring.py and
core/rollout_rules.py; the words around them go through i18n. Sentences written from the data are
facts or clearly marked suggestions; legal basis, proposals, recipients and the signature are left as
fields for the user.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

import i18n
from core import codes, scoring
from core import rollout_rules as rules
from core.catalogue import pillar_labels
from i18n import N_, number, percent, t
from query import results, rollout
from reports.fmt import missing
from reports.model import Appendix, Column, Heading, Paragraph, Table

Db = str | Path | None
DEFAULT_ISSUER = N_("[NAME OF THE ISSUING BODY]")
SOURCES_IN_DOCUMENT = 60  # source files listed in Word (all of them in the workbook)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


class NoDataError(LookupError):
    """Nothing is loaded for the asked scope, year or unit."""


@contextlib.contextmanager
def language(lang: str) -> Iterator[None]:
    """Make ``lang`` current while a report is built (the chart style reads the current language)."""
    before = i18n.get_language()
    i18n.set_language(lang)
    try:
        yield
    finally:
        i18n.set_language(before)


# --- words -------------------------------------------------------------------------------------


def stage_label(code: str, lang: str) -> str:
    return codes.label("stage", code, lang)


def level_label(code: str, lang: str) -> str:
    return codes.label("level", code, lang)


def type_label(code: str, lang: str) -> str:
    if code == rollout.ALL:
        return t("All assessed units", lang)
    if lang == "en":
        return codes.column("unit_type", "short_en").get(code, code).capitalize()
    return codes.label("unit_type", code, lang)


def type_rows(df: pd.DataFrame, lang: str) -> pd.Series:
    """Unit-type labels for rows that may mix vintages ('Phường (2025)' beside 'Phường')."""
    vintages = {v for v in df["vintage"] if v != rollout.ALL}
    many = len(vintages) > 1
    return pd.Series(
        [
            type_label(ty, lang) + (f" ({v})" if many and ty != rollout.ALL else "")
            for v, ty in zip(df["vintage"], df["unit_type"], strict=True)
        ],
        index=df.index,
    )


def pillar_names(db: Db, lang: str, short: bool = False) -> dict[int, str]:
    """pillar number -> '1. Xây dựng thể chế' (or, ``short``, '1. Thể chế' for a chart's axis); 0 -> overall."""
    return pillar_labels(results.pillars(db), lang, short=short)


def pillar_phrases(db: Db, lang: str) -> dict[int, str]:
    """pillar number -> 'Phát triển môi trường bền vững (trụ cột 4)', for sentences."""
    p = results.pillars(db)
    col = "name_en" if lang == "en" else "name_vi"
    return {
        int(n): t("{name} (pillar {n})", lang, name=name, n=int(n))
        for n, name in zip(p["pillar"], p[col], strict=True)
    }


def lower_first(text: str, lang: str) -> str:
    """'Năm 2023 (tự đánh giá)' inside a Vietnamese sentence: 'năm 2023 (tự đánh giá)'."""
    return text[:1].lower() + text[1:] if lang == "vi" else text


def indicator_name(df: pd.DataFrame, lang: str) -> pd.Series:
    return df["name_en" if lang == "en" else "name_vi"]


def num(value: float | int | None, lang: str, digits: int = 1) -> str:
    return "–" if missing(value) else number(value, lang, digits)  # type: ignore[arg-type]


def pct(value: float | None, lang: str) -> str:
    return "–" if missing(value) else percent(value, lang, 1)


def period_text(year: int, stage: str, lang: str) -> str:
    return t("Year {year}, {stage}", lang, year=year, stage=stage_label(stage, lang).lower())


def header_fields(lang: str, issuer: str | None, place: str) -> dict[str, object]:
    return {
        "title": t("REPORT", lang),
        "issuer": issuer or t(DEFAULT_ISSUER, lang),
        "number_line": t("No.: .../BC-...", lang),
        "place_date": t("{place}, day ... month ... year ...", lang, place=place),
        "recipient": t("To: [...]", lang),
        "recipients": [t("- As above;", lang), "- [...];", t("- Archive: VT, [...].", lang)],
        "signer": [
            t("[AUTHORITY AND TITLE OF THE SIGNER]", lang),
            t("(Signature, seal)", lang),
            t("[Full name]", lang),
        ],
        "illustrative_mark": t("Illustrative data: not the pilot's results", lang),
    }


def illustrative_warning(illustrative: bool, lang: str) -> list[Paragraph]:
    """The warning paragraph a report carries when its figures are illustrative (none otherwise)."""
    if not illustrative:
        return []
    text = t("Illustrative data: these figures are made up for demonstration, not the pilot's results.", lang)
    return [Paragraph(text, "warning")]


def method_note(rule: str, lang: str) -> str:
    return t("Method: {rule}", lang, rule=rule)


def data_note(scope: str, period: str, units: int, lang: str) -> str:
    return t(
        "Data: {scope}; {period}; {n} units.", lang, scope=scope, period=period, n=number(units, lang, 0)
    )


def baseline_note(base: int | None, n: int, lang: str) -> str:
    if base is None:
        return t("No earlier year with complete assessments of this stage: no change is computed.", lang)
    return t(
        "Change against {base}, over the {n} units with complete assessments in both years.",
        lang,
        base=base,
        n=number(n, lang, 0),
    )


# --- shared tables -----------------------------------------------------------------------------


def tidy_table(db: Db, lang: str, province_id: str | None, units: Sequence[str] | None) -> Table:
    """The full data of the scope, one row per unit, year, stage and indicator (Excel only)."""
    df = rollout.tidy_results(db, province_id=province_id, units=units)
    df = df.assign(
        level_code=df["level"],
        type_label=df["locality_type"].map(lambda c: type_label(c, lang)),
        stage_label=df["stage"].map(lambda c: stage_label(c, lang)),
        indicator_name=indicator_name(
            df.rename(columns={"indicator_vi": "name_vi", "indicator_en": "name_en"}), lang
        ),
    )
    cols = [
        Column(
            "locality_id", t("Unit key", lang), doc=t("Vintage and GSO code of the unit ('2020:303').", lang)
        ),
        Column(
            "locality_code",
            t("GSO code", lang),
            doc=t("Code of the unit in the GSO list of that vintage.", lang),
        ),
        Column("name_with_type", t("Unit", lang), doc=t("Name of the unit with its type.", lang)),
        Column(
            "type_label",
            t("Unit type", lang),
            doc=t("Type of the unit (quận, huyện, phường, xã, ...).", lang),
        ),
        Column(
            "locality_type",
            t("Type code", lang),
            doc=t("Code of the unit type (data/codes/unit_type.csv).", lang),
        ),
        Column(
            "vintage",
            t("Unit list", lang),
            doc=t("2020: GSO list 2020-2023; 2025: the two-level system from 1 July 2025.", lang),
        ),
        Column(
            "province_name", t("Province", lang), doc=t("Province or centrally-run city of the unit.", lang)
        ),
        Column(
            "parent_name", t("Part of", lang), doc=t("The unit it belongs to (district or province).", lang)
        ),
        Column("year", t("Year", lang), "year", doc=t("Year of the assessment.", lang)),
        Column("stage_label", t("Stage", lang), doc=t("Self-assessment or verified.", lang)),
        Column(
            "indicator_code", t("Indicator code", lang), doc=t("Code of the indicator (1.1 ... 4.9).", lang)
        ),
        Column("pillar", t("Pillar", lang), "int", doc=t("Pillar of the indicator (1-4).", lang)),
        Column(
            "indicator_name",
            t("Indicator", lang),
            doc=t("Name of the indicator (the team's translation).", lang),
        ),
        Column("level", t("Level", lang), "level", doc=t("Level given: red, yellow or green.", lang)),
        Column("level_code", t("Level code", lang), doc=t("The level as a code: red, yellow, green.", lang)),
        Column(
            "score",
            t("Score", lang),
            "score",
            doc=t(
                "Score of the level by the project rule: {scores}.",
                lang,
                scores=scoring.level_scores_text(lang),
            ),
        ),
        Column(
            "reported_score",
            t("Reported score", lang),
            "score",
            doc=t("The 0-100 score written in the file, if any (not used in the analysis).", lang),
        ),
        Column("evidence", t("Evidence", lang), doc=t("Evidence as written in the file.", lang)),
        Column("note", t("Note", lang), doc=t("Note as written in the file.", lang)),
        Column(
            "complete",
            t("Complete assessment", lang),
            "bool",
            doc=t(
                "Yes when the assessment has a level for at least {n} indicators.",
                lang,
                n=rules.complete_min_indicators(),
            ),
        ),
        Column(
            "illustrative",
            t("Illustrative data", lang),
            "bool",
            doc=t("Yes when the file says it is sample data.", lang),
        ),
        Column(
            "file_name",
            t("Source file", lang),
            doc=t("Name of the file the assessment was loaded from.", lang),
        ),
        Column(
            "assessment_id",
            t("Assessment no.", lang),
            "int",
            doc=t("Number of the assessment in the database.", lang),
        ),
    ]
    return Table(
        "data",
        t("Full data: one row per unit, year, stage and indicator", lang),
        df,
        cols,
        notes=[
            t("Every year and stage loaded for the scope; the columns are described on the next sheet.", lang)
        ],
        sheet=t("Data", lang),
        document=False,
        illustrative=bool(df["illustrative"].any()),
        description=t("Full data (one row per unit, year, stage, indicator)", lang),
    )


def columns_table(data: Table, lang: str) -> Table:
    kinds = {
        "text": t("text", lang),
        "int": t("whole number", lang),
        "score": t("number 0-100", lang),
        "year": t("year", lang),
        "level": t("level", lang),
        "bool": t("yes / no", lang),
    }
    df = pd.DataFrame(
        {
            "label": [c.label for c in data.columns],
            "field": [c.key for c in data.columns],
            "kind": [kinds.get(c.kind, c.kind) for c in data.columns],
            "doc": [c.doc for c in data.columns],
        }
    )
    return Table(
        "columns",
        t("Columns of the data sheet", lang),
        df,
        [
            Column("label", t("Column", lang)),
            Column("field", t("Field name", lang)),
            Column("kind", t("Kind", lang)),
            Column("doc", t("Description", lang)),
        ],
        sheet=t("Columns", lang),
        document=False,
        description=t("What each column of the data sheet holds", lang),
    )


def rules_table(lang: str) -> Table:
    lines = [(t("Scoring", lang), line) for line in scoring.rule_lines(lang)]
    names = {
        "coverage": t("Coverage and incomplete data", lang),
        "change": t("Change between years", lang),
        "weakest": t("Weakest indicators", lang),
        "bands": t("Bands", lang),
        "readiness": t("Readiness", lang),
    }
    lines += [(names[k], text) for k, text in rules.rule_lines(lang)]
    df = pd.DataFrame(lines, columns=["rule", "text"])
    return Table(
        "rules",
        t("Method: the rules behind every figure", lang),
        df,
        [Column("rule", t("Rule", lang)), Column("text", t("Statement", lang))],
        notes=[t("The rules are configured in core/scoring.py and core/rollout_rules.py.", lang)],
        sheet=t("Method", lang),
        document=False,
        description=t("The rules behind every figure", lang),
    )


def sources_table(db: Db, year: int | None, stage: str | None, province_id, units, lang: str) -> Table:
    src = rollout.sources(db, year, stage, province_id, units)
    return Table(
        "sources",
        t("Source files of the figures", lang),
        src,
        [
            Column("file_name", t("File", lang)),
            Column("first_year", t("From year", lang), "year"),
            Column("last_year", t("To year", lang), "year"),
            Column("assessments", t("Assessments", lang), "int"),
            Column("illustrative", t("Illustrative", lang), "bool"),
            Column("sha256", t("SHA-256", lang), document=False),
        ],
        sheet=t("Sources", lang),
        illustrative=bool(src["illustrative"].any()),
        font_pt=10,
        document_rows=SOURCES_IN_DOCUMENT,
        description=t("Files behind the figures, with their SHA-256", lang),
    )


def method_blocks(lang: str) -> list:
    out: list = [Heading(t("1. Scoring rule", lang), 2)]
    out += [Paragraph(line) for line in scoring.rule_lines(lang)]
    out.append(Heading(t("2. Rules of the rollout analysis", lang), 2))
    out += [Paragraph(text) for _, text in rules.rule_lines(lang)]
    out.append(Heading(t("3. The indicator catalogue", lang), 2))
    out.append(
        Paragraph(
            t(
                "Doubts: only one public source carries the full list of 39 indicators, so every indicator has "
                "medium confidence. The English and Vietnamese names and criteria are the team's own translations; "
                "the official TCVN wording will differ.",
                lang,
            )
        )
    )
    return out


# --- the ministry's rollout report ------------------------------------------------------------


def short(text: object, width: int) -> str:
    s = str(text)
    return s if len(s) <= width else s[: width - 1].rstrip() + "…"


def resolve_period(periods_: list[tuple[int, str]], year: int | None, stage: str | None) -> tuple[int, str]:
    if year is None:
        year = max(y for y, _ in periods_)
    stages = {s for y, s in periods_ if y == year}
    if stage is None:
        stage = "verified" if "verified" in stages else "self"
    return year, stage


def method_appendix(
    db: Db, province_id: str | None, units: Sequence[str] | None, lang: str, number_: str = "I"
) -> Appendix:
    """Appendix I of every report: the rules, the source files; in the workbook also the rules sheet,
    the full data of the scope and the description of its columns."""
    tidy = tidy_table(db, lang, province_id, units)
    return Appendix(
        number_,
        t("METHOD, RULES AND SOURCES OF THE DATA", lang),
        [
            *method_blocks(lang),
            Heading(t("4. Source files", lang), 2),
            sources_table(db, None, None, province_id, units, lang),
            rules_table(lang),
            tidy,
            columns_table(tidy, lang),
        ],
    )
