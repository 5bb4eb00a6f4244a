"""Rollout: what the assessments say for a nationwide rollout (the ministry's view), and its reports.

A thin view of the ministry's report (reports/ministry.py): the same headings, tables and charts,
drawn on screen, and the same content downloaded as Excel, Word and PDF.
"""

from __future__ import annotations

import streamlit as st

import i18n
from i18n import t
from reports import build
from reports.common import NoDataError
from reports.ministry import ministry
from reports.model import Figure, Heading, Paragraph, Table
from ui import app, charts, downloads, filters, labels, shell, tables
from ui.data import cached


def render() -> None:
    shell.page_header(
        t("Rollout"),
        t(
            "What the assessments say for rolling TCVN ISO 18091:2020 out nationwide, with the reports to send."
        ),
    )
    shell.require_results()

    year, stage = filters.year_stage_filters()
    if year is None:
        return
    province = filters.scope_filters(year, stage, districts=False).province
    filters.share_hint()
    lang = i18n.get_language()
    try:
        doc = cached(ministry, year, stage, province, lang)
    except NoDataError as exc:  # e.g. a province with no assessment in the chosen year and stage
        st.info(str(exc))
        return
    shell.illustrative_banner(doc.illustrative)
    st.caption(f"{doc.scope} · {doc.period}")

    downloads.report_panel(
        f"rollout:{year}:{stage}:{province}:{lang}",
        t("Reports to send"),
        t("The same content as Excel (with the full data), Word (Decree 30 layout) and PDF."),
        lambda progress: (doc.file_stem, build.pack_bytes(doc, progress=progress)),
    )

    for n, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            (st.header if block.level == 1 else st.subheader)(block.text)
        elif isinstance(block, Paragraph):
            if block.kind == "suggestion":
                st.info(block.text)
            elif block.kind in ("body", "bullet"):
                st.markdown(("- " if block.kind == "bullet" else "") + block.text)
            elif block.kind == "note":
                st.caption(block.text)
        elif isinstance(block, Table) and block.document:
            frame, digits, levels = block.display()
            for col in levels:
                frame[col] = frame[col].map(labels.level)
            st.markdown(f"**{block.title}**")
            tables.show(frame, numbers=digits, level_columns=levels, key=f"rollout_table_{n}")
            st.caption(" · ".join(block.notes))
        elif isinstance(block, Figure):
            charts.show(block.figure, key=f"rollout_fig_{n}")
            st.caption(block.caption)

    with st.expander(t("How these figures are made")):
        for appendix in doc.appendices[:1]:
            for block in appendix.blocks:
                if isinstance(block, Heading):
                    st.markdown(f"**{block.text}**")
                elif isinstance(block, Paragraph):
                    st.markdown(block.text)


if __name__ == "__main__":  # Streamlit runs a page as __main__; a worker process imports it otherwise
    app.page(render)
