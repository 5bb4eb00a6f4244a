"""Indicator grid: the 39 indicators (rows, by pillar) x units (columns), one traffic light per cell."""

import streamlit as st

from i18n import t
from ui import charts, filters, labels, shell, tables
from ui.views import grid_data

shell.page_header(
    t("Indicator grid"),
    t(
        "Every indicator of every unit at a glance: colour and symbol give the level; hover a cell for the evidence."
    ),
)
shell.require_results()

f = filters.result_filters()
year, stage, pillar, unit_type, chosen = f.year, f.stage, f.pillar, f.unit_type, f.units

data = grid_data(year, stage, pillar, unit_type, chosen)
shell.illustrative_banner(data.illustrative)
if data.cells.empty:
    st.info(t("No results for this choice of year, stage, pillar and units."))
    st.stop()

st.caption(
    t("Levels: {legend}. A blank cell: the unit did not assess that indicator.", legend=data.legend)
    + " "
    + t("Units are ordered by type, then by overall score.")
)
charts.show(
    charts.level_grid(data.cells, data.row_labels, data.column_labels, data.title, data.illustrative),
    key="grid",
)
with st.expander(t("The same grid as a table"), expanded=False):
    tables.show(data.table, level_columns=list(data.column_labels.values()), key="grid_table", height=600)
st.caption(labels.scale_note())
