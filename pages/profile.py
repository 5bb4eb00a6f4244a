"""Unit profile: one unit's standing among its peers (province, type, country), its 39 levels with
evidence, what changed since its previous assessment, and its place in the 2025 reform.

Opened from the ranking, the map, or a link (``/profile?unit=2020:303``; ``?unit=303`` works while
the code means one assessed unit).
"""

from __future__ import annotations

import streamlit as st

from i18n import t
from ui import app, charts, downloads, filters, labels, shell, tables
from ui.presenters.compare import compare_data
from ui.presenters.profile import profile_data, reform_lines


def render() -> None:
    shell.page_header(t("Unit profile"))
    shell.require_results()
    year, stage = filters.year_stage_filters()
    if year is None:
        return
    scope = filters.scope_filters(year, stage, districts=False)
    unit, unknown = filters.unit_filter(scope, year, stage)
    filters.share_hint()
    if unknown:
        st.error(
            t(
                "No unit with the code or identifier '{value}' is known. Choose a unit in the sidebar.",
                value=unknown,
            )
        )
        return
    if unit is None:
        st.info(t("No unit is assessed yet."))
        return
    data = profile_data(unit, year, stage, charts.READABLE)
    info = data.info
    shell.illustrative_banner(data.illustrative)
    st.header(str(info.get("name_with_type", unit)))
    years = info.get("years") or []
    st.caption(
        " · ".join(
            x
            for x in (
                labels.unit_type(str(info.get("unit_type"))),
                str(info["parent_name"]) if info.get("parent_name") else "",
                str(info.get("province_name") or ""),
                t("GSO code {code}", code=info.get("code")),
                labels.vintage(str(info.get("vintage"))),
                t("assessed in {years}", years=", ".join(str(y) for y in years))
                if years
                else t("not assessed"),  # type: ignore[union-attr]
            )
            if x
        )
    )
    for line in reform_lines(data):
        st.info("🗺️ " + line)

    radar = compare_data(year, stage, scope, "years", [], unit, False)
    left, right = st.columns([3, 2])
    with left:
        if radar.series:
            charts.show(
                charts.radar(radar.series, radar.axes, radar.title, radar.illustrative, height=560),
                key="radar",
            )
    if not data.assessed:
        st.info(
            t(
                "{unit} has no {stage} assessment in {year}.",
                unit=info.get("name_with_type", unit),
                stage=labels.stage(stage),
                year=year,
            )
        )
        return
    with right:
        title = t(
            "Overall score of the units of {province}, {year}", province=info.get("province_name"), year=year
        )
        if len(data.peer_units):
            charts.show(
                charts.peers_bar(
                    data.peer_units, unit, labels.unit_names(data.peer_units), title, data.illustrative
                ),
                key="peers",
            )
        else:
            charts.show(
                charts.peers_histogram(data.peer_bins, data.score or 0.0, title, data.illustrative),
                key="peers",
            )

    st.subheader(t("Where it stands against its peers, {year}", year=year))
    tables.show(
        data.peers,
        numbers={
            t("Score"): 1,
            t("Province average"): 1,
            t("Type average (province)"): 1,
            t("National average"): 1,
        },
        key="peers_table",
    )

    st.subheader(t("What changed since {year}", year=data.previous) if data.previous else t("What changed"))
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
        c
        for c in data.levels.columns
        if c == t("Level") or (data.previous and c == t("Level in {year}", year=data.previous))
    ]
    tables.show(
        data.levels,
        numbers={t("Score"): 0},
        level_columns=level_cols,
        key="levels",
        height=600,
        column_config={
            t("Indicator"): st.column_config.TextColumn(width="large"),
            t("Evidence"): st.column_config.TextColumn(width="large"),
        },
    )
    st.caption(labels.scale_note())
    downloads.unit_reports(unit, year, stage, labels.lang())


if __name__ == "__main__":  # Streamlit runs a page as __main__; a worker process imports it otherwise
    app.page(render)
