"""Compare: pillar radar of chosen units (or one unit across years) against the city and type averages."""

import streamlit as st

from i18n import t
from ui import charts, filters, labels, shell, tables
from ui.views import compare_series

shell.page_header(
    t("Compare"),
    t(
        "Pillar scores of the chosen units on one radar, with the city average and the average of their unit type."
    ),
)
shell.require_results()

year, stage = filters.year_stage_filters()
mode = filters.choice(
    "mode",
    {"units": t("Several units, one year"), "years": t("One unit across years")},
    t("Compare"),
    container=st.sidebar,
)
if mode == "units":
    chosen = filters.units_filter(
        label=t("Units to compare"), help=t("Empty: the best-scoring unit of each type is shown.")
    )
    unit = None
else:
    chosen = []
    unit = filters.unit_filter()
detail = filters.flag("detail", t("Show the 39-indicator radar"), container=st.sidebar)
filters.share_hint()

data = compare_series(year, stage, mode, chosen, unit)
shell.illustrative_banner(data.illustrative)
if not data.series:
    st.info(t("Nothing to compare for this choice."))
    st.stop()
if mode == "units" and not chosen:
    st.caption(t("No unit chosen: showing the best-scoring unit of each type. Choose units in the sidebar."))

charts.show(
    charts.radar(
        data.series,
        data.axes,
        data.title,
        data.illustrative,
        height=700,
    ),
    key="radar",
)
st.subheader(t("The table behind the chart"))
tables.show(data.table, numbers={c: 1 for c in data.table.columns if c not in data.text_columns}, key="table")

if detail:
    charts.show(
        charts.radar(
            data.detail_series,
            data.detail_axes,
            data.detail_title,
            data.illustrative,
            height=720,
        ),
        key="radar39",
    )
    st.caption(t("Axes are the 39 indicators (codes; pillar 1 starts at the top). Hover for the names."))
st.caption(labels.scale_note())
