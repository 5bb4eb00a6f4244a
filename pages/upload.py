"""Upload (analysts): drop files, see every problem and what would change, then confirm to load.

A thin view: the workflow (parse in a limited worker, record refusals, compare with what is
loaded now, load, the marked copy) is etl/uploads.py, which the CLI and the tests share. User
text (file names, cell values, problem messages quoting them) is shown as plain text, never as
Markdown or links. The file name is shown and recorded, never used as a path.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

import i18n
from core.config import db_path
from core.safe_cells import markdown_literal as plain
from etl import uploads
from etl.annotate import annotated_name
from etl.limits import LIMITS
from etl.model import Assessment
from etl.readers import ACCEPTED
from etl.uploads import Entry
from i18n import N_, t
from query.uploads import level_changes
from ui import app, labels, nav, tables
from ui.access import require

log = logging.getLogger(__name__)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHANGE_LABELS = {
    "new": ("•", N_("new")),
    "same": ("=", N_("no change")),
    "better": ("▲", N_("better")),
    "worse": ("▼", N_("worse")),
}


def _label(e: Entry, kind: str, loaded: dict[str, int]) -> str:
    """The file's state in words."""
    if kind == "loaded":
        return t("✓ Loaded (upload #{id}).", id=e.upload_id)
    if kind == "rejected":
        errors = sum(x.severity == "error" for x in e.parsed.problems)
        return t("✕ Rejected: {n} errors. Nothing from this file will be loaded.", n=errors)
    if kind == "duplicate":
        return t("= Already loaded (upload #{id}); loading it again changes nothing.", id=loaded[e.sha256])
    return t("✓ Ready to load: {n} assessments.", n=len(e.parsed.assessments))


def _problems_table(e: Entry) -> None:
    lang = i18n.get_language()
    df = pd.DataFrame(
        {
            t("Location"): [plain(p.location) or "–" for p in e.parsed.problems],
            t("Severity"): [t("Error") if p.severity == "error" else t("Warning") for p in e.parsed.problems],
            t("Value found"): [plain(p.value) for p in e.parsed.problems],
            t("What is wrong and what is expected"): [plain(p.message(lang)) for p in e.parsed.problems],
        }
    )
    st.table(df.set_index(t("Location")))


def _annotated_download(e: Entry) -> None:
    marked = uploads.annotated(e)
    if marked is None:
        return
    st.download_button(
        t("⬇ Download your file with the problems marked (.xlsx)"),
        data=marked,
        file_name=annotated_name(e.name),
        mime=XLSX_MIME,
        key=f"annotated_{e.parsed.sha256[:16]}",
        on_click="ignore",
        help=t(
            "Each problem cell is coloured and carries a comment saying what is wrong. Fix it and upload again."
        ),
    )


def _preview(a: Assessment, current: dict[str, str] | None, key: str) -> None:
    lang = i18n.get_language()
    st.markdown(f"**{a.unit.name_with_type}** ({a.unit.code}) · {a.year} · {labels.stage(a.stage)}")
    diff = level_changes({r.indicator: r.level for r in a.results if r.level}, current)
    counts = diff["change"].value_counts()
    if current is None:
        st.caption(t("New: nothing is loaded yet for this unit, year and stage."))
    else:
        st.caption(
            t(
                "Replaces the assessment loaded now: {n} of 39 indicators change level ({better} better, {worse} worse).",
                n=int(counts.get("better", 0) + counts.get("worse", 0)),
                better=int(counts.get("better", 0)),
                worse=int(counts.get("worse", 0)),
            )
        )
    table = pd.DataFrame(
        {
            t("Code"): diff["code"],
            t("Indicator"): diff["name_en" if lang == "en" else "name_vi"],
            t("Level in the file"): diff["level"].map(labels.level),
            t("Level loaded now"): diff["current_level"].map(labels.level),
            t("Change"): diff["change"].map(lambda c: f"{CHANGE_LABELS[c][0]} {t(CHANGE_LABELS[c][1])}"),
        }
    )
    tables.show(table, level_columns=[t("Level in the file"), t("Level loaded now")], key=key)


def _load(ready: list[Entry], db: str, user: str) -> None:
    bar = st.progress(0.0, text=t("Loading…"))

    def progress(i: int, n: int) -> None:
        bar.progress(i / n, text=t("Loaded {i} of {n} files.", i=i, n=n))

    try:
        uploads.load(ready, db, user, progress)
    except Exception:  # the database stayed locked too long, a disk error...
        log.exception("loading uploaded files failed")
        st.error(
            t(
                "Loading stopped because of an unexpected error. Files loaded before it are kept; the others were not loaded. Try again, or ask an administrator to look at the server log."
            )
        )
        return
    st.session_state["upload_last_batch"] = [e.sha256 for e in ready]
    st.rerun()


def render() -> None:
    user = require("analyst")
    db = str(db_path())
    st.title(t("Upload"))
    st.caption(
        t(
            "Drop one or more assessment files. Each is checked at once; nothing is loaded until you confirm. "
            "Files with errors are never loaded: download them with the problems marked, fix them and upload again."
        ),
    )
    st.caption(
        t(
            "Accepted: {types}. At most {mb} MB and {rows} rows per sheet. Signed in as {user}.",
            types=", ".join(ACCEPTED),
            mb=LIMITS.max_file_bytes // 2**20,
            rows=i18n.number(LIMITS.max_rows, digits=0),
            user=user.username if user else "–",
        )
    )
    files = st.file_uploader(
        t("Assessment files"),
        accept_multiple_files=True,
        key="upload_files",
        help=t("The file type is checked from its content, not from its name."),
    )
    if not files:
        st.info(t("No file chosen yet."))
        st.stop()

    assert user is not None  # require("analyst") stops anonymous visitors
    try:
        view = uploads.preview(
            [(f.name, f.getvalue()) for f in files],
            st.session_state.setdefault("upload_entries", {}),
            db,
            user.username,
        )
    except Exception:
        log.exception("checking uploaded files failed")
        st.error(
            t(
                "The files could not be checked because of an unexpected error. Try again, or ask an administrator to look at the server log."
            )
        )
        st.stop()
    entries, loaded = view.entries, view.loaded
    statuses = [(kind, _label(e, kind, loaded)) for e, kind in zip(entries, view.statuses, strict=True)]
    ready = view.ready

    last = st.session_state.get("upload_last_batch") or []
    done = [e for e in entries if e.parsed.sha256 in last and e.outcome == "loaded"]
    if done:
        st.success(
            t(
                "Loaded {n} files ({a} assessments). The dashboard shows them now.",
                n=len(done),
                a=sum(len(e.parsed.assessments) for e in done),
            )
        )
        st.page_link(nav.page("overview"), label=t("Open the overview"), icon="📊")

    summary = pd.DataFrame(
        {
            t("File"): [e.name for e in entries],  # a dataframe shows text as it is
            t("Status"): [label for _, label in statuses],
            t("Assessments"): [len(e.parsed.assessments) if e.parsed.ok else 0 for e in entries],
            t("Errors"): [sum(p.severity == "error" for p in e.parsed.problems) for e in entries],
            t("Warnings"): [sum(p.severity == "warning" for p in e.parsed.problems) for e in entries],
        }
    )
    st.dataframe(summary, hide_index=True, key="upload_summary")

    if st.button(
        t("Load {n} valid files", n=len(ready)),
        type="primary",
        disabled=not ready,
        key="upload_confirm",
        help=t(
            "Each file is loaded whole or not at all; a file for a unit, year and stage already loaded replaces it."
        ),
    ):
        _load(ready, db, user.username)

    for i, (e, (kind, label)) in enumerate(zip(entries, statuses, strict=True)):
        warned = any(p.severity == "warning" for p in e.parsed.problems)
        with st.expander(
            f"{plain(e.name)} — {label}", expanded=kind == "rejected" or warned or len(entries) <= 2
        ):
            if kind == "rejected":
                st.error(label)
            elif kind == "loaded":
                st.success(label)
            else:
                st.info(label)
            if warned and kind == "ready":
                st.warning(
                    t("Check the warnings below before loading: some values were inferred or ignored.")
                )
            if e.parsed.problems:
                st.markdown("**" + t("Problems found") + "**")
                _problems_table(e)
                _annotated_download(e)
            if e.parsed.assessments:
                st.markdown(
                    "**"
                    + {"ready": t("What would be loaded"), "loaded": t("What was loaded")}.get(
                        kind, t("What was read")
                    )
                    + "**"
                )
                for j, a in enumerate(e.parsed.assessments):
                    _preview(a, e.before.get(uploads.key(a)), key=f"preview_{i}_{j}")


if __name__ == "__main__":  # Streamlit runs a page as __main__; a worker process imports it otherwise
    app.page(render)
