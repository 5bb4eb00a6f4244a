"""Overview: headline figures for a year and stage, what changed, and the ranking of units."""

import streamlit as st

from i18n import t
from query import results, scores
from ui import charts, filters, labels, shell, tables
from ui.data import cached

shell.page_header(
    t("Overview"),
    t("How the assessed units do, pillar by pillar, and what changed since the previous year."),
)
shell.require_results()

year, stage = filters.year_stage_filters()
filters.share_hint()
head = cached(scores.headline, year, stage)
prev = head["previous"] or {}
pillar_names = labels.pillar_names(cached(results.pillars))
shell.illustrative_banner(head["illustrative"])

if prev:
    st.caption(
        t(
            "{year}, {stage}. Changes are against {previous}.",
            year=year,
            stage=labels.stage(stage),
            previous=prev["year"],
        )
    )
else:
    st.caption(
        t("{year}, {stage}. No earlier year is loaded to compare with.", year=year, stage=labels.stage(stage))
    )

tables.headline_metrics(head, pillar_names)

table = cached(scores.score_table, year, stage)
left, right = st.columns([3, 2])
with left:
    charts.show(charts.level_counts_bar(table, year, head["illustrative"]), key="levels")
with right:
    ref = cached(scores.reference_scores, stage, [y for y in (year, prev.get("year")) if y])
    charts.show(
        charts.pillar_means_bar(ref, pillar_names, year, prev.get("year"), head["illustrative"]),
        key="pillars",
    )

st.subheader(t("Ranking of units, {year}", year=year))
st.caption(
    t(
        "Scores 0-100 (red 0, yellow 50, green 100; see Method). ▲/▼ = change of the overall score since {previous}.",
        previous=prev.get("year", "–"),
    )
)
tables.ranking(table, pillar_names)
