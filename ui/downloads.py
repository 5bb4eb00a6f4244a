"""The 'reports to send' panel: build Excel, Word and PDF on demand with progress, then download.

Building a pack takes seconds (charts, LibreOffice), so nothing is built until asked; the files are
kept in the session under a key naming what they hold, so a rerun (a filter change elsewhere, a
download click) does not build them again.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.config import db_path
from i18n import t
from reports import build
from reports.common import NoDataError

Builder = Callable[[Callable[[float, str], None]], tuple[str, dict[str, bytes]]]


def report_panel(key: str, title: str, caption: str, builder: Builder) -> None:
    """A bordered panel with one button; ``builder(progress)`` returns (file stem, format -> bytes)."""
    files_key, asked_key = f"reports:{key}", f"reports_asked:{key}"
    with st.container(border=True):
        st.markdown(f"**{title}**")
        st.caption(caption)
        # The click is kept in the session (not read from the button's return value) so that a
        # rerun started before this line does not lose it.
        st.button(
            t("Prepare the files"),
            key=f"prepare_{key}",
            on_click=st.session_state.__setitem__,
            args=(asked_key, True),
        )
        if st.session_state.pop(asked_key, False):
            with st.status(t("Preparing the reports…"), expanded=True) as status:
                bar = st.progress(0.0)
                try:
                    st.session_state[files_key] = builder(
                        lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=m)
                    )
                except NoDataError as exc:
                    status.update(label=str(exc), state="error")
                    return
                status.update(label=t("The reports are ready."), state="complete", expanded=False)
        built = st.session_state.get(files_key)
        if built:
            stem, files = built
            for col, (fmt, data) in zip(st.columns(len(files)), files.items(), strict=True):
                col.download_button(
                    t("Download {fmt}", fmt=fmt.upper()),
                    data,
                    file_name=f"{stem}.{fmt}",
                    mime=build.MIME[fmt],
                    key=f"download_{key}_{fmt}",
                    on_click="ignore",
                )


def unit_reports(locality_id: str, year: int, stage: str, lang: str) -> None:
    """The profile's reports: this unit's scores, levels with evidence, standing and change."""
    report_panel(
        f"unit:{locality_id}:{year}:{stage}:{lang}",
        t("This unit's report"),
        t("Excel with the data, and a Word and PDF report of this unit, {year}.", year=year),
        lambda progress: build.unit_pack_bytes(
            str(db_path()), locality_id, year, stage, lang, progress=progress
        ),
    )


def units_reports(ids: list[str], year: int, stage: str, lang: str) -> None:
    """The compare view's reports: the chosen units side by side."""
    report_panel(
        f"units:{','.join(ids)}:{year}:{stage}:{lang}",
        t("A report of these units"),
        t("Excel with the data, and a Word and PDF report comparing the chosen units, {year}.", year=year),
        lambda progress: build.units_pack_bytes(str(db_path()), ids, year, stage, lang, progress=progress),
    )
