"""Trends: the scope's mean scores over the years, the spread of changes, the units that moved most,
and the indicators that moved a level (every move counted, same units in both years)."""

from __future__ import annotations

import streamlit as st

from i18n import t
from ui import app, charts, filters, labels, shell, tables
from ui.presenters.trends import trend_data


def _narrow() -> dict[str, object]:
    """The indicator's name gives way to the counts on a narrow screen."""
    return {t("Indicator"): st.column_config.TextColumn(width="medium")}


def render() -> None:
    shell.page_header(
        t("Trends"),
        t("What improved and what declined between two loaded years, per pillar, unit and indicator."),
    )
    shell.require_results()
    year, stage = filters.year_stage_filters()
    if year is None:
        return
    from_year = filters.from_year_filter(year, stage)
    scope = filters.unit_type_filter(filters.scope_filters(year, stage), year, stage)
    f = filters.ViewFilters(year, stage, scope, filters.pillar_filter())
    filters.share_hint()
    data = trend_data(f.stage, f.year, from_year, f.scope, f.pillar, charts.READABLE)
    shell.illustrative_banner(data.illustrative)
    if data.first is None:
        st.info(
            t(
                "Trends need two years of the same stage; only {year} is loaded for {stage}.",
                year=f.year,
                stage=labels.stage(f.stage),
            )
        )
        return
    st.caption(
        t(
            "From {first} to {last} ({stage}). Changes compare the {n} units assessed in both years.",
            first=data.first,
            last=data.last,
            stage=labels.stage(f.stage),
            n=labels.num(data.compared, 0),
        )
    )
    charts.show(
        charts.trend_lines(
            data.trend,
            data.pillar_names,
            t("Mean scores by year, {first}–{last}", first=data.first, last=data.last),
            data.illustrative,
        ),
        key="trend",
    )
    if data.compared > charts.READABLE:
        charts.show(
            charts.change_histogram(
                data.change_bins,
                t(
                    "How much the units' overall scores changed, {first} → {last}",
                    first=data.first,
                    last=data.last,
                ),
                data.illustrative,
            ),
            key="change_spread",
        )
    if len(data.movers):
        title = (
            t("Scores {first} → {last}, every unit that moved", first=data.first, last=data.last)
            if data.compared <= charts.READABLE
            else t(
                "The 10 units that rose most and the 10 that fell most, {first} → {last}",
                first=data.first,
                last=data.last,
            )
        )
        charts.show(
            charts.dumbbell(
                data.movers, data.pillar_names, [data.first, data.last], title, data.illustrative
            ),
            key="dumbbell",
            min_width=900 if f.pillar is None else None,
        )

    st.subheader(t("Indicators that moved a level"))
    tot = data.totals
    st.caption(
        t(
            "Over {units} units assessed in both years: {up} results moved up ({levels_up} levels) and {down} moved "
            "down ({levels_down} levels); red → green counts as two levels.",
            units=labels.num(tot.get("units", 0), 0),
            up=labels.num(tot.get("up", 0), 0),
            levels_up=labels.num(tot.get("levels_up", 0), 0),
            down=labels.num(tot.get("down", 0), 0),
            levels_down=labels.num(tot.get("levels_down", 0), 0),
        )
    )
    left, right = st.columns(2)
    with left:
        st.markdown("**▲ " + t("Most often improved") + "**")
        if data.improved.empty:
            st.caption(t("No indicator moved up."))
        else:
            tables.show(data.improved, key="improved", column_config=_narrow())
    with right:
        st.markdown("**▼ " + t("Most often declined") + "**")
        if data.declined.empty:
            st.caption(t("No indicator moved down."))
        else:
            tables.show(data.declined, key="declined", column_config=_narrow())
    st.caption(t("Units up / down: units whose level of that indicator rose / fell; net = up - down."))
    st.caption(labels.scale_note())


if __name__ == "__main__":  # Streamlit runs a page as __main__; a worker process imports it otherwise
    app.page(render)
