"""Overview: headline figures of the country, a province or a district; the spread of scores; the
provinces or districts inside it (a click drills down); the ranking of its units (a click opens one)."""

from __future__ import annotations

import streamlit as st

from i18n import t
from ui import app, charts, filters, labels, nav, shell, tables
from ui.presenters.common import compared_sentence, pillar_names, scope_label
from ui.presenters.overview import PAGE_SIZE, OverviewData, overview_data, ranking_page


def _groups(data: OverviewData, f: filters.ViewFilters, names: dict[int, str]) -> None:
    """The provinces of the country or the districts of a province, ranked; a click drills down."""
    province = data.group_kind == "province"
    st.subheader(t("Provinces, {year}", year=f.year) if province else t("Districts, {year}", year=f.year))
    st.caption(
        t(
            "Mean overall score of the assessed units of each {group}; coverage = assessed units / units in the "
            "registry. Choose a row to open it.",
            group=t("province") if province else t("district"),
        )
    )
    title = (
        t("Provinces ranked, {year}", year=f.year) if province else t("Districts ranked, {year}", year=f.year)
    )
    charts.show(
        charts.group_bars(data.groups, title, data.illustrative), key=f"groups_chart_{data.group_kind}"
    )
    chosen = tables.groups(
        data.groups, names, province, key=f"groups_{data.group_kind}_{f.scope.province}_{f.year}"
    )
    if chosen:
        filters.remember("province" if province else "district", chosen)
        filters.remember("page", "")
        st.rerun()


def render() -> None:
    shell.page_header(
        t("Overview"),
        t("How the assessed units do, pillar by pillar, and what changed since the previous year."),
    )
    shell.require_results()
    f = filters.view_filters()
    if f.year is None:
        return
    names = pillar_names()
    data = overview_data(f.year, f.stage, f.scope, charts.READABLE)
    shell.illustrative_banner(data.illustrative)
    st.caption(
        f"**{scope_label(f.scope)}** · {f.year} · {labels.stage(f.stage)}. " + compared_sentence(data.head)
    )
    if data.units == 0:
        st.info(t("No unit of this scope has an assessment of this year and stage."))
        return
    tables.headline_metrics(data.head, names, data.registry_units)

    left, right = st.columns([3, 2])
    with left:
        if len(data.small):
            charts.show(
                charts.level_counts_bar(
                    data.small,
                    labels.unit_names(data.small),
                    t("Indicators by level and unit, {year}", year=f.year),
                    data.illustrative,
                ),
                key="levels",
            )
        else:
            charts.show(
                charts.score_histogram(
                    data.bins,
                    t("How the units' overall scores spread, {year}", year=f.year),
                    data.illustrative,
                ),
                key="spread",
            )
    with right:
        comp = data.head.get("compare")
        charts.show(
            charts.pillar_means_bar(
                comp["now"] if comp else data.head,  # type: ignore[index,arg-type]
                comp["before"] if comp else None,  # type: ignore[index]
                names,
                f.year,
                data.head["previous_year"] if comp else None,  # type: ignore[arg-type]
                t("Mean pillar scores, units assessed in both years")
                if comp
                else t("Mean pillar scores over units"),
                data.illustrative,
            ),
            key="pillars",
        )

    if len(data.groups):
        _groups(data, f, names)

    st.subheader(t("Ranking of units, {year}", year=f.year))
    st.caption(labels.scale_note() + " " + t("Choose a row to open the unit's profile."))
    search = (
        filters.text("q", t("Search a unit"), placeholder=t("Name or GSO code")) if data.units > 15 else ""
    )
    first = ranking_page(f.year, f.stage, f.scope, search, 0)
    total = int(first["total"].iloc[0]) if len(first) else 0
    offset = tables.pager(total, PAGE_SIZE, "ranking_page") if total > PAGE_SIZE else 0
    page = first if offset == 0 else ranking_page(f.year, f.stage, f.scope, search, offset)
    if page.empty:
        st.info(t("No unit matches the search."))
        return
    chosen = tables.ranking(
        page,
        names,
        key=f"ranking_{f.scope}_{f.year}_{f.stage}_{offset}_{search}",
        show_parent=bool(page["parent_name"].notna().any()),
        show_province=f.scope.national,
    )
    if chosen:
        nav.open_unit(chosen)


if __name__ == "__main__":  # Streamlit runs a page as __main__; a worker process imports it otherwise
    app.page(render)
