"""Map: district-level units coloured by a measure; pilot wards/communes in their place.

Draws with no internet (a plotly geo map whose world topojson is served from static/, unit names
as SVG text); with no boundaries loaded it shows the schematic tile map. Choosing a unit (click,
or the links below) opens its profile.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

import i18n
from i18n import t
from query import geo as gq
from query import results
from ui import app, charts, filters, labels, maps, nav, shell
from ui.data import cached


def render() -> None:
    shell.page_header(
        t("Map"), t("Results of the district-level units of Hải Phòng, and the pilot wards and communes.")
    )
    shell.require_results()

    year, stage = filters.year_stage_filters()
    filters.share_hint()
    values = cached(gq.map_measures, year, stage)
    prev_years = values["previous_year"].dropna() if "previous_year" in values else []
    previous = int(prev_years.iloc[0]) if len(prev_years) else None
    options = maps.measure_options(labels.pillar_names(cached(results.pillars)), previous)
    wanted = st.query_params.get("measure", "overall")
    key = st.radio(
        t("Colour by"),
        list(options),
        index=list(options).index(wanted) if wanted in options else 0,
        format_func=options.get,
        horizontal=True,
        key="map_measure",
    )
    if st.query_params.get("measure") != key:
        st.query_params["measure"] = key
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
        parts = []
        for s in sources.itertuples():
            text = f"{s.file_name} ({s.loaded_at:%d/%m/%Y})"
            if isinstance(s.attribution, str) and s.attribution:
                text += f" · {s.attribution}"
            if isinstance(s.licence, str) and s.licence:
                text += f" · {s.licence}"
            parts.append(text)
        attribution = t("Boundaries: {sources}", sources="; ".join(parts))
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
                f"**{s.file_name}** · {t(maps.LAYER_LEVELS.get(s.level, s.level))} · "
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
