"""Unit profile: one unit's radar across years, its 39 levels with evidence, its peers, what changed.

Opens on the unit given in the URL: /profile?unit=<GSO code> (the map links here).
"""

import streamlit as st

from i18n import t
from ui import charts, filters, labels, shell, tables
from ui.views import compare_series, profile_data

shell.page_header(t("Unit profile"))
shell.require_results()

year, stage = filters.year_stage_filters()
unit = filters.unit_filter()
filters.share_hint()
if unit is None:
    st.info(t("No unit is assessed yet."))
    st.stop()

data = profile_data(unit, year, stage)
shell.illustrative_banner(data.illustrative)
st.header(data.name)
st.caption(
    " · ".join(
        x
        for x in (
            data.type_label,
            t("in {parent}", parent=data.parent) if data.parent else "",
            t("GSO code {code}", code=unit),
            t("assessed in {years}", years=", ".join(str(y) for y in data.years)),
        )
        if x
    )
)

radar = compare_series(year, stage, "years", [], unit)
left, right = st.columns([3, 2])
with left:
    if radar.series:
        charts.show(
            charts.radar(radar.series, radar.axes, radar.title, radar.illustrative, height=580), key="radar"
        )
with right:
    if data.assessed:
        charts.show(charts.peers_bar(data.ranking, year, data.illustrative), key="peers")

if not data.assessed:
    st.info(
        t("{unit} has no {stage} assessment in {year}.", unit=data.name, stage=labels.stage(stage), year=year)
    )
    st.stop()

st.subheader(t("Where it stands against its peers, {year}", year=year))
tables.show(
    data.peers,
    numbers={t("Score"): 1, t("City average"): 1, t("Type average"): 1},
    key="peers_table",
)

st.subheader(t("What changed since {year}", year=data.previous or "–"))
if data.previous is None:
    st.caption(t("No earlier year is loaded for this unit."))
else:
    up, down = st.columns(2)
    with up:
        st.markdown("**▲ " + t("Improved ({n})", n=len(data.improved)) + "**")
        st.markdown("\n".join(f"- {x}" for x in data.improved) or t("None."))
    with down:
        st.markdown("**▼ " + t("Declined ({n})", n=len(data.declined)) + "**")
        st.markdown("\n".join(f"- {x}" for x in data.declined) or t("None."))

st.subheader(t("The 39 indicators, {year}", year=year))
level_cols = [
    c for c in data.levels.columns if c == t("Level") or c.startswith(t("Level in {year}", year=""))
]
tables.show(data.levels, numbers={t("Score"): 0}, level_columns=level_cols, key="levels", height=600)
st.caption(labels.scale_note())
