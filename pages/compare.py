"""Compare: pillar radar of chosen units (or one unit across years) against the averages of the
province, the country and their unit types; the 39 indicators side by side."""

from __future__ import annotations

import streamlit as st

from i18n import t
from ui import app, charts, downloads, filters, labels, shell, tables
from ui.presenters.compare import compare_data


def render() -> None:
    shell.page_header(
        t("Compare"),
        t(
            "Pillar scores of the chosen units on one radar, with the averages of their province and unit type."
        ),
    )
    shell.require_results()
    year, stage = filters.year_stage_filters()
    if year is None:
        return
    scope = filters.scope_filters(year, stage)
    mode = filters.choice(
        "mode",
        {"units": t("Several units, one year"), "years": t("One unit across years")},
        t("Compare"),
        container=st.sidebar,
    )
    unknown: list[str] = []
    unit = None
    chosen: list[str] = []
    if mode == "units":
        chosen, unknown = filters.units_filter(
            scope,
            year,
            stage,
            label=t("Units to compare (at most {n})", n=filters.MAX_COMPARE),
            help=t("Empty: the best-scoring unit of each type is shown."),
        )
    else:
        unit, bad = filters.unit_filter(scope, year, stage)
        unknown = [bad] if bad else []
    detail = filters.flag("detail", t("Show the 39 indicators"), container=st.sidebar)
    filters.share_hint()
    for value in unknown:
        st.warning(t("The address names no unit we know: '{value}'. It was left out.", value=value))

    data = compare_data(year, stage, scope, mode, chosen, unit, detail)
    shell.illustrative_banner(data.illustrative)
    if not data.series:
        st.info(t("Nothing to compare for this choice."))
        return
    if mode == "units" and not chosen:
        st.caption(
            t("No unit chosen: showing the best-scoring unit of each type. Choose units in the sidebar.")
        )
    charts.show(charts.radar(data.series, data.axes, data.title, data.illustrative, height=640), key="radar")
    st.subheader(t("The table behind the chart"))
    tables.show(
        data.table, numbers={c: 1 for c in data.table.columns if c not in data.text_columns}, key="table"
    )
    if detail and len(data.levels.columns):
        charts.show(
            charts.indicator_comparison(
                data.levels, data.averages, data.row_labels, data.detail_title, data.illustrative
            ),
            key="indicators",
            min_width=380 + 56 * (len(data.levels.columns) + len(data.averages.columns)),
        )
        st.caption(
            t(
                "Each cell is the level of that indicator (colour and symbol); the last columns are the average "
                "scores (0-100) of the reference groups."
            )
        )
    st.caption(labels.scale_note())
    if data.chosen:
        downloads.units_reports(data.chosen, year, stage, labels.lang())


if __name__ == "__main__":  # Streamlit runs a page as __main__; a worker process imports it otherwise
    app.page(render)
