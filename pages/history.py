"""Upload history (analysts): every file received, its outcome and problems; admins can roll back.

A roll-back (etl.uploads.roll_back, one transaction) withdraws the upload's assessments and
makes current again the ones they had replaced. Nothing is deleted: the history keeps both.
User text (file names, values, messages quoting them) is shown as plain text, never as Markdown.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

import i18n
from core.config import db_path
from core.safe_cells import markdown_literal as plain
from etl import uploads
from i18n import N_, t
from query.uploads import original_file, upload_assessments, upload_history, upload_problems
from ui import app, labels
from ui.access import allowed, require

log = logging.getLogger(__name__)
STATES = {
    "current": N_("current"),
    "superseded": N_("replaced by a later file"),
    "withdrawn": N_("withdrawn"),
}


def _when(ts: object) -> str:
    return "" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


def _details(row: pd.Series, db: str, is_admin: bool, username: str) -> None:
    uid = int(row["upload_id"])
    lang = i18n.get_language()
    st.markdown(
        t(
            "**#{id}** · {file} · {size} KB · {who} · {when} · {outcome}",
            id=uid,
            file=plain(row["file_name"]),
            size=i18n.number(row["size_bytes"] / 1024, digits=1),
            who=plain(row["uploaded_by"]),
            when=_when(row["uploaded_at"]),
            outcome=labels.outcome(row["outcome"]),
        )
    )
    st.code(f"SHA-256 {row['sha256']}", language=None)
    if row["outcome"] == "rolled_back":
        st.caption(
            t(
                "Rolled back by {who} at {when}.",
                who=plain(row["rolled_back_by"]),
                when=_when(row["rolled_back_at"]),
            )
        )
    problems = upload_problems(uid, db)
    if problems:
        st.markdown("**" + t("Problems found") + "**")
        st.table(
            pd.DataFrame(
                {
                    t("Location"): [
                        plain(f"{p['sheet']}!{p['cell']}")
                        if p.get("sheet") and p.get("cell")
                        else (plain(p.get("sheet")) or "–")
                        for p in problems
                    ],
                    t("Value found"): [plain(p.get("value")) for p in problems],
                    t("What is wrong and what is expected"): [
                        plain(p["message_en"] if lang == "en" else p["message_vi"]) for p in problems
                    ],
                }
            ).set_index(t("Location"))
        )
    held = upload_assessments(uid, db)
    if len(held):
        st.markdown("**" + t("Assessments in this file") + "**")
        st.dataframe(
            pd.DataFrame(
                {
                    t("Unit"): held["locality_name"],
                    t("Year"): held["year"].astype(str),
                    t("Stage"): held["stage"].map(labels.stage),
                    t("State"): held["state"].map(lambda s: t(STATES.get(s, s))),
                    t("Replaced the file"): held["restores_upload_id"].map(
                        lambda v: "–" if pd.isna(v) else f"#{int(v)}"
                    ),
                }
            ),
            hide_index=True,
            key=f"held_{uid}",
        )
    original = original_file(row["stored_path"], db)
    if original is not None:
        st.download_button(
            t("⬇ Download the original file"),
            data=original.read_bytes(),
            file_name=str(row["file_name"]),
            key=f"original_{uid}",
            on_click="ignore",
        )
    if not is_admin or row["outcome"] != "loaded":
        return
    st.divider()
    st.markdown("**" + t("Roll back this upload") + "**")
    current = int((held["state"] == "current").sum())
    restored = int(held["restores_upload_id"].notna().sum())
    st.warning(
        t(
            "Rolling back withdraws the {n} assessments of this file ({current} shown on the dashboard now) and "
            "makes current again the {restored} assessments they replaced. The file stays in the history.",
            n=len(held),
            current=current,
            restored=restored,
        )
    )
    sure = st.checkbox(t("I understand; roll back upload #{id}.", id=uid), key=f"rollback_sure_{uid}")
    if st.button(t("Roll back"), type="primary", disabled=not sure, key=f"rollback_{uid}"):
        try:
            n = uploads.roll_back(uid, db, username)
        except Exception:
            log.exception("rolling back upload %s failed", uid)
            st.error(
                t(
                    "The roll-back did not happen because of an unexpected error; nothing was changed. Try again, or ask an administrator to look at the server log."
                )
            )
            return
        st.session_state["history_message"] = t(
            "Upload #{id} rolled back: {n} assessments withdrawn.", id=uid, n=n
        )
        st.rerun()


def render() -> None:
    user = require("analyst")
    db = str(db_path())
    is_admin = allowed(user.role if user else None, "admin")
    st.title(t("Upload history"))
    st.caption(
        t(
            "Every file received: who sent it, when, its size and SHA-256 fingerprint, and what happened to it."
        )
    )
    if message := st.session_state.pop("history_message", None):
        st.success(message)
    history = upload_history(db)
    if history.empty:
        st.info(t("No file has been uploaded yet."))
        st.stop()

    shown = pd.DataFrame(
        {
            "#": history["upload_id"],
            t("When"): history["uploaded_at"].map(_when),
            t("Who"): history["uploaded_by"],
            t("File"): history["file_name"],
            t("Size (KB)"): (history["size_bytes"] / 1024).round(1),
            t("Outcome"): history["outcome"].map(labels.outcome),
            t("Assessments"): history["assessments"],
            "SHA-256": history["sha256"].str.slice(0, 12) + "…",
        }
    )
    st.dataframe(
        shown.style.format({t("Size (KB)"): lambda v: i18n.number(v, digits=1)}),
        hide_index=True,
        key="history_table",
    )

    names = {
        int(i): f"#{int(i)} · {f} · {labels.outcome(o)}"
        for i, f, o in zip(history["upload_id"], history["file_name"], history["outcome"], strict=True)
    }
    chosen = st.selectbox(t("Details of upload"), list(names), format_func=names.get, key="history_upload")
    if chosen is not None:
        _details(
            history.set_index("upload_id", drop=False).loc[chosen],
            db,
            is_admin,
            user.username if user else "",
        )


if __name__ == "__main__":  # Streamlit runs a page as __main__; a worker process imports it otherwise
    app.page(render)
