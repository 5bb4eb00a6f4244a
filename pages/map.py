"""Map: district-level units coloured by a measure; pilot wards/communes in their place; or
(``?mapview=2025``) the 2025 units coloured by the results carried onto them.

Draws with no internet (a plotly geo map whose world topojson is served from static/, unit names
as SVG text); with no boundaries loaded it shows the schematic tile map (2020-2023) or a table of
the carried figures (2025). Choosing a unit (click, or the links below) opens its profile.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

import i18n
from i18n import N_, t
from query import geo as gq
from query import results
from ui import app, charts, filters, labels, maps, nav, shell, tables
from ui.data import cached

PAGE_SIZE = 20  # 2025 units per page of the table
MAP_VIEWS = {"2020": N_("2020-2023 map"), "2025": N_("2025 map")}


def render() -> None:
    shell.page_header(
        t("Map"),
        t(
            "Results of Hải Phòng's units on the map: the district-level units and pilot wards and communes of 2020-2023, or the units of the 2025 reform."
        ),
    )
    shell.require_results()

    year, stage = filters.year_stage_filters()
    filters.share_hint()
    view = filters.choice("mapview", {k: t(v) for k, v in MAP_VIEWS.items()}, t("Units shown"))
    maps.hide_names_on_phones()
    if view == "2025":
        render_2025(year, stage)
    else:
        render_2020(year, stage)


def _measure_choice(options: dict[str, str], widget_key: str) -> str:
    """The measure the map is coloured by, kept in the URL (?measure=)."""
    wanted = st.query_params.get("measure", "overall")
    key = st.radio(
        t("Colour by"),
        list(options),
        index=list(options).index(wanted) if wanted in options else 0,
        format_func=options.get,
        horizontal=True,
        key=widget_key,
    )
    if st.query_params.get("measure") != key:
        st.query_params["measure"] = key
    return key


def render_2025(year: int, stage: str) -> None:
    """The 2025 units coloured by the figures carried onto them (core/reform.py), or a table of the
    figures while no boundary file of the 2025 units is loaded."""
    carried = cached(gq.map_2025, year, stage)
    options = maps.reform_measure_options(labels.pillar_names(cached(results.pillars)))
    key = _measure_choice(options, "map2025_measure")
    illustrative = bool(carried["illustrative"].any()) if not carried.empty else False
    shell.illustrative_banner(illustrative)
    m = maps.reform_measure(key, options[key])
    layer = cached(gq.boundary_layer_2025)
    if layer.empty:
        st.info(
            t(
                "No boundary file of the 2025 units is loaded, so the figures are shown as a table. To draw the 2025 map, load the boundaries of the 2025 wards, communes and special zones with `python -m geo load FILE` (the unit list is detected from the file; `--vintage 2025` states it)."
            )
        )
    else:
        title = " · ".join([options[key], str(year), labels.stage(stage), t("2025 units")])
        sources = cached(gq.boundary_sources)
        attribution = t("Boundaries: {sources}", sources=maps.sources_text(sources, "2025"))
        args = (layer, carried, m, title, attribution, illustrative)
        st.plotly_chart(
            maps.reform_map(*args),
            theme=None,
            config=maps.geo_config({**charts.CONFIG, "scrollZoom": True}),
            key="map2025_chart",
        )
        st.download_button(
            t("Download this map (PNG)"),
            data=lambda: maps.figure_png(maps.reform_map(*args, width=1400, height=900)),
            file_name=f"map-2025-{year}-{stage}-{key}.png",
            mime="image/png",
            icon="🖼️",
        )
    st.caption(maps.rule_caption(i18n.get_language()))
    st.page_link(
        nav.page("method"),
        label=t("How the 2025 figures are derived (Method page)"),
        icon=":material/menu_book:",
        query_params={"lang": i18n.get_language()},
    )
    st.subheader(t("The 2025 units and their figures"))
    st.caption(maps.status_counts(carried))
    table = maps.carried_table(carried, m)
    first = tables.pager(len(table), PAGE_SIZE, "map2025_page")
    part = table.iloc[first : first + PAGE_SIZE]
    tables.show(part, height=tables.fit_height(len(part)), key="map2025_table")


def render_2020(year: int, stage: str) -> None:
    values = cached(gq.map_measures, year, stage)
    prev_years = values["previous_year"].dropna() if "previous_year" in values else []
    previous = int(prev_years.iloc[0]) if len(prev_years) else None
    options = maps.measure_options(labels.pillar_names(cached(results.pillars)), previous)
    key = _measure_choice(options, "map_measure")
    illustrative = bool(values["illustrative"].any()) if not values.empty else False
    shell.illustrative_banner(illustrative)

    m = maps.measure(key, options[key], values.get(key, []))
    pilot = cached(gq.pilot_units)
    districts = cached(gq.boundary_layer, "district")
    title = f"{options[key]} · {year} · {labels.stage(stage)}"
    if districts.empty:
        units = cached(gq.district_units)
        fig = maps.schematic(units, values, pilot, m, title + " · " + t("schematic"), illustrative)

        def export() -> go.Figure:
            return maps.schematic(
                units, values, pilot, m, title + " · " + t("schematic"), illustrative, height=900
            )

        st.info(
            t(
                "No boundary file is loaded, so this is a schematic map: each tile is a district in its approximate place. To draw the real map, load the city's boundary file with `python -m geo load FILE` (GeoJSON, GeoPackage or zipped Shapefile) or download open boundaries with `python -m geo fetch`."
            )
        )
    else:
        communes = cached(gq.boundary_layer, "commune")
        sources = cached(gq.boundary_sources)
        attribution = t("Boundaries: {sources}", sources=maps.sources_text(sources, "2020"))
        args = (
            districts,
            communes if not communes.empty else None,
            values,
            pilot,
            m,
            title,
            attribution,
            illustrative,
        )
        fig = maps.choropleth(*args)

        def export() -> go.Figure:
            """The report PNG: names laid out again for the larger drawing (built only when asked for)."""
            return maps.choropleth(*args, width=1400, height=900)

    event = st.plotly_chart(
        fig,
        theme=None,
        config=maps.geo_config({**charts.CONFIG, "scrollZoom": True}),
        key="map_chart",
        on_select="rerun",
        selection_mode="points",
    )
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if points:
        custom = points[0].get("customdata") or []
        code = str(custom[0] if custom else points[0].get("location") or "")
        by_code = dict(zip(values["locality_code"], values["locality_id"], strict=True))
        if code in by_code:
            nav.open_unit(by_code[code])
        elif code:  # a grey unit: the profile has nothing to show for it in this year
            name = custom[1] if len(custom) > 1 else code
            st.info(
                t(
                    "{unit} has no {stage} assessment in {year}.",
                    unit=name,
                    stage=labels.stage(stage),
                    year=year,
                )
            )

    st.download_button(
        t("Download this map (PNG)"),
        data=lambda: maps.figure_png(export()),
        file_name=f"map-{year}-{stage}-{key}.png",
        mime="image/png",
        icon="🖼️",
    )

    if not values.empty:
        st.subheader(t("Open a unit's profile"))
        shown = values.sort_values("locality_code")
        cols = st.columns(4)
        for i, r in enumerate(shown.itertuples(index=False)):
            cols[i % 4].page_link(
                nav.page("profile"),
                label=f"{r.locality_name} · {m.text(getattr(r, key))}",
                icon="🏛️",
                query_params={"unit": r.locality_id, "lang": i18n.get_language()},
            )

    with st.expander(t("About the boundaries")):
        sources = cached(gq.boundary_sources)
        if sources.empty:
            st.write(t("No boundary file is loaded."))
        for s in sources.itertuples():
            st.markdown(
                f"**{s.file_name}** · {t(maps.LAYER_LEVELS.get(s.level, s.level))} · {s.vintage} · "
                + t("{n} units", n=s.units_matched)
                + f" · SHA-256 `{s.sha256[:16]}…` · "
                + t("loaded {date}", date=f"{s.loaded_at:%d/%m/%Y %H:%M}")
            )
            st.caption(
                t(
                    "Licence: {licence}. Attribution: {attribution}.",
                    licence=s.licence or "–",
                    attribution=s.attribution or "–",
                )
            )
            if s.problems:
                st.caption(
                    t(
                        "{n} problems were reported when the file was loaded (`python -m geo status`).",
                        n=s.problems,
                    )
                )


if __name__ == "__main__":  # Streamlit runs a page as __main__; a worker process imports it otherwise
    app.page(render)
