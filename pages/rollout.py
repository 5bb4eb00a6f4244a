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
from ui import app, charts, filters, labels, shell, tables
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

    with st.container(border=True):
        st.markdown("**" + t("Reports to send") + "**")
        st.caption(t("The same content as Excel (with the full data), Word (Decree 30 layout) and PDF."))
        key = f"rollout_files:{year}:{stage}:{province}:{lang}"
        # The click is kept in the session (not read from the button's value) so that a rerun started
        # before this line (the page shell may restart a run) does not lose it.
        st.button(
            t("Prepare the files"),
            key="rollout_prepare",
            on_click=st.session_state.__setitem__,
            args=("rollout_requested", True),
        )
        if st.session_state.pop("rollout_requested", False):
            with st.status(t("Preparing the reports…"), expanded=True) as status:
                bar = st.progress(0.0)
                files = build.pack_bytes(doc, progress=lambda f, m: bar.progress(f, text=m))
                st.session_state[key] = files
                status.update(label=t("The reports are ready."), state="complete", expanded=False)
        files = st.session_state.get(key)
        if files:
            for col, (fmt, data) in zip(st.columns(len(files)), files.items(), strict=True):
                col.download_button(
                    t("Download {fmt}", fmt=fmt.upper()),
                    data,
                    file_name=f"{doc.file_stem}.{fmt}",
                    mime=build.MIME[fmt],
                    key=f"rollout_dl_{fmt}",
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


app.page(render)
