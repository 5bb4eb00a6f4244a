"""Trends: how each unit's pillar scores moved between the loaded years, and which indicators moved."""

import streamlit as st

from i18n import t
from ui import charts, filters, labels, shell, tables
from ui.views import trend_data

shell.page_header(
    t("Trends"),
    t("What improved and what declined between the first and the last loaded year, per unit and pillar."),
)
shell.require_results()

f = filters.result_filters()
year, stage, pillar, unit_type, chosen = f.year, f.stage, f.pillar, f.unit_type, f.units

data = trend_data(stage, year, pillar, unit_type, chosen)
shell.illustrative_banner(data.illustrative)
if data.first is None:
    st.info(
        t(
            "Trends need two years of the same stage; only {year} is loaded for {stage}.",
            year=year,
            stage=labels.stage(stage),
        )
    )
    st.stop()

st.caption(
    t(
        "From {first} to {last} ({stage}). The year filter sets the last year; the first is the earliest loaded.",
        first=data.first,
        last=data.last,
        stage=labels.stage(stage),
    )
)
charts.show(
    charts.dumbbell(data.scores, data.pillar_names, data.years, data.title, data.illustrative), key="dumbbell"
)

st.subheader(t("Indicators that moved a level, per unit"))
charts.show(charts.moves_bar(data.moves, data.first, data.last, data.illustrative), key="moves")

st.subheader(t("Most improved and most declined indicators across units"))
left, right = st.columns(2)
with left:
    st.markdown("**▲ " + t("Most improved") + "**")
    if data.improved.empty:
        st.caption(t("None."))
    else:
        tables.show(data.improved, key="improved")
with right:
    st.markdown("**▼ " + t("Most declined") + "**")
    if data.declined.empty:
        st.caption(t("None."))
    else:
        tables.show(data.declined, key="declined")
st.caption(t("Net = units that moved up a level minus units that moved down, for that indicator."))
st.caption(labels.scale_note())
