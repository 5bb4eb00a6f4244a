"""Indicator grid: the 39 indicators (rows, by pillar) x the units of a province (columns, a page at
a time), one traffic light per cell; the country as provinces' means; the share of each level."""

from __future__ import annotations

import streamlit as st

from i18n import t
from ui import app, charts, filters, labels, shell, tables
from ui.presenters.grid import PAGE_SIZE, grid_data, grid_table


def render() -> None:
    shell.page_header(
        t("Indicator grid"),
        t(
            "Every indicator of every unit at a glance: colour and symbol give the level; hover a cell for the evidence."
        ),
    )
    shell.require_results()
    f = filters.view_filters(pillar=True)
    if f.year is None:
        return
    offset = 0
    probe = grid_data(f.year, f.stage, f.scope, f.pillar, 0)
    if probe.total_units > PAGE_SIZE:
        st.caption(
            t(
                "{n} units: the grid shows {size} at a time, by type and then by overall score.",
                n=labels.num(probe.total_units, 0),
                size=PAGE_SIZE,
            )
        )
        offset = tables.pager(probe.total_units, PAGE_SIZE, "grid_page")
    data = probe if offset == 0 else grid_data(f.year, f.stage, f.scope, f.pillar, offset)
    shell.illustrative_banner(data.illustrative)
    if len(data.province_scores):
        st.caption(
            t(
                "Each cell is the mean score (0-100) of the province's assessed units on that indicator. Choose a province in the sidebar to see its units."
            )
        )
        charts.show(
            charts.score_heatmap(
                data.province_scores, data.row_labels, data.title, data.illustrative, t("Mean score")
            ),
            key="province_grid",
        )
    elif data.cells.empty:
        st.info(t("No results for this choice of year, stage, pillar and units."))
        return
    else:
        st.caption(
            t("Levels: {legend}. A blank cell: the unit did not assess that indicator.", legend=data.legend)
            + " "
            + t("Units are ordered by type, then by overall score.")
        )
        charts.show(
            charts.level_grid(data.cells, data.row_labels, data.column_labels, data.title, data.illustrative),
            key="grid",
            min_width=380 + 36 * len(data.column_labels),
        )
        # Built only when opened: the table costs the server a quarter of the page's run and the
        # browser the table component, for a view most visitors never open.
        box = st.expander(t("The same grid as a table"), key="grid_as_table", on_change="rerun")
        if box.open:
            with box:
                table = grid_table(data)
                tables.show(table, level_columns=list(table.columns[1:]), key="grid_table", height=600)
    if len(data.summary):
        st.subheader(t("Share of units at each level, per indicator"))
        charts.show(
            charts.level_shares(
                data.summary,
                data.short_labels,
                t(
                    "Levels of the {n} assessed units, {year}",
                    n=labels.num(int(data.summary["units"].max()), 0),
                    year=f.year,
                ),
                data.illustrative,
            ),
            key="shares",
        )
    st.caption(labels.scale_note())


if __name__ == "__main__":  # Streamlit runs a page as __main__; a worker process imports it otherwise
    app.page(render)
