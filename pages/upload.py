"""Upload (analysts): drop files, see every problem and what would change, then confirm to load.

Reading and validation reuse etl.validate.parse_bytes; loading reuses etl.load.store_parsed (one
transaction per file, duplicates by SHA-256 a no-op, originals kept content-addressed). The file
name is shown and recorded, never used as a path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

import i18n
from core.config import db_path
from etl.annotate import annotate, annotated_name, can_annotate
from etl.limits import LIMITS
from etl.load import store_parsed
from etl.model import Assessment, Parsed
from etl.readers import ACCEPTED
from etl.validate import parse_bytes
from i18n import N_, t
from query.uploads import current_levels, level_changes, loaded_uploads
from ui import app, labels, nav, tables
from ui.access import require

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHANGE_LABELS = {
    "new": ("•", N_("new")),
    "same": ("=", N_("no change")),
    "better": ("▲", N_("better")),
    "worse": ("▼", N_("worse")),
}


@dataclass
class Entry:
    """One dropped file as this session has seen it (cached by SHA-256 across reruns)."""

    name: str
    data: bytes = field(repr=False)
    parsed: Parsed
    annotated: bytes | None = field(default=None, repr=False)
    annotated_done: bool = False
    outcome: str | None = None  # 'loaded' | 'duplicate' | 'rejected' once written
    upload_id: int | None = None
    before: dict[tuple[str, int, str], dict[str, str]] = field(default_factory=dict)  # levels it replaces


def _entries(files: list) -> list[Entry]:
    cache: dict[str, Entry] = st.session_state.setdefault("upload_entries", {})
    out, seen = [], set()
    for f in files:
        data = f.getvalue()
        sha = hashlib.sha256(data).hexdigest()
        if sha in seen:
            continue  # the same bytes twice in one drop: one file
        seen.add(sha)
        if sha not in cache:
            cache[sha] = Entry(f.name, data, parse_bytes(f.name, data))
        out.append(cache[sha])
    for sha in set(cache) - seen:  # files taken off the uploader: forget them (and their bytes)
        del cache[sha]
    return out


def _record_rejections(entries: list[Entry], db: str, user: str) -> None:
    """A refused file is written to the history at once (who, when, name, size, hash, problems)."""
    todo = [e for e in entries if not e.parsed.ok and e.outcome is None]
    for e, report in zip(todo, store_parsed([(e.name, e.parsed, None) for e in todo], db, user), strict=True):
        e.outcome, e.upload_id = report.status, report.upload_id


def _key(a: Assessment) -> tuple[str, int, str]:
    return (a.unit.locality_id, a.year, a.stage)


def _status(e: Entry, loaded: dict[str, int]) -> tuple[str, str]:
    """(kind, label) for the file's state."""
    p = e.parsed
    errors = sum(x.severity == "error" for x in p.problems)
    if e.outcome == "loaded":
        return "loaded", t("✓ Loaded (upload #{id}).", id=e.upload_id)
    if not p.ok:
        return "rejected", t("✕ Rejected: {n} errors. Nothing from this file will be loaded.", n=errors)
    if p.sha256 in loaded:
        return "duplicate", t(
            "= Already loaded (upload #{id}); loading it again changes nothing.", id=loaded[p.sha256]
        )
    return "ready", t("✓ Ready to load: {n} assessments.", n=len(p.assessments))


def _problems_table(e: Entry) -> None:
    lang = i18n.get_language()
    df = pd.DataFrame(
        {
            t("Location"): [p.location or "–" for p in e.parsed.problems],
            t("Severity"): [t("Error") if p.severity == "error" else t("Warning") for p in e.parsed.problems],
            t("Value found"): [p.value or "" for p in e.parsed.problems],
            t("What is wrong and what is expected"): [p.message(lang) for p in e.parsed.problems],
        }
    )
    st.table(df.set_index(t("Location")))


def _annotated_download(e: Entry) -> None:
    if not can_annotate(e.parsed.problems):
        return
    if not e.annotated_done:
        e.annotated = annotate(e.name, e.data, e.parsed.problems)
        e.annotated_done = True
    if e.annotated is None:
        return
    st.download_button(
        t("⬇ Download your file with the problems marked (.xlsx)"),
        data=e.annotated,
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


def _load(entries: list[Entry], db: str, user: str) -> None:
    bar = st.progress(0.0, text=t("Loading…"))
    items = [(e.name, e.parsed, e.data) for e in entries]
    try:
        for i, (e, report) in enumerate(zip(entries, store_parsed(items, db, user), strict=False), start=1):
            e.outcome, e.upload_id = report.status, report.upload_id
            bar.progress(i / len(entries), text=t("Loaded {i} of {n} files.", i=i, n=len(entries)))
    except Exception as exc:  # the database stayed locked too long, a disk error...
        st.error(
            t(
                "Loading stopped: {reason}. Files loaded before this one are kept; the others were not loaded. Try again.",
                reason=type(exc).__name__,
            )
        )
        return
    st.session_state["upload_last_batch"] = [e.parsed.sha256 for e in entries]
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
    entries = _entries(files or [])
    if not entries:
        st.info(t("No file chosen yet."))
        st.stop()

    assert user is not None  # require("analyst") stops anonymous visitors
    _record_rejections(entries, db, user.username)
    loaded = loaded_uploads([e.parsed.sha256 for e in entries], db)
    statuses = [_status(e, loaded) for e in entries]
    ready = [e for e, (kind, _) in zip(entries, statuses, strict=True) if kind == "ready"]
    pending = [e for e in entries if e.outcome != "loaded"]
    current = current_levels([_key(a) for e in pending for a in e.parsed.assessments], db)
    for e in pending:  # what each file would replace, kept once it is loaded
        e.before = {_key(a): current[_key(a)] for a in e.parsed.assessments if _key(a) in current}

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
            t("File"): [e.name for e in entries],
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
        with st.expander(f"{e.name} — {label}", expanded=kind == "rejected" or len(entries) <= 2):
            if kind == "rejected":
                st.error(label)
            elif kind == "loaded":
                st.success(label)
            else:
                st.info(label)
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
                    _preview(a, e.before.get(_key(a)), key=f"preview_{i}_{j}")


app.page(render)
