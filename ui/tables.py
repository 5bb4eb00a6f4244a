"""Tables and headline figures the views share, formatted in the UI language.

Numbers stay numbers underneath (so columns sort as numbers); a pandas Styler gives them the
language's format (61,6 in Vietnamese) and level cells their colour plus symbol.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from core.scoring import LEVEL_COLOUR, LEVEL_SYMBOL
from i18n import t
from ui import labels

_TEXT_ON = {"red": "#000", "yellow": "#000", "green": "#000"}


def level_css(value: object) -> str:
    """Background for a cell holding a level label ('✓ Xanh'): the level's colour."""
    if not isinstance(value, str):
        return ""
    for lvl, sym in LEVEL_SYMBOL.items():
        if value.startswith(sym + " "):
            return f"background-color: {LEVEL_COLOUR[lvl]}; color: {_TEXT_ON[lvl]}"
    return ""


def styled(
    df: pd.DataFrame, numbers: dict[str, int] | None = None, level_columns: list[str] | None = None
) -> Styler:
    """A Styler with numbers in the UI language's format and level cells coloured."""
    fmt = {c: (lambda v, d=d: labels.num(v, d)) for c, d in (numbers or {}).items() if c in df.columns}
    sty = df.style.format(fmt, na_rep="–")
    if level_columns:
        sty = sty.map(level_css, subset=[c for c in level_columns if c in df.columns])
    return sty


def show(
    df: pd.DataFrame,
    numbers: dict[str, int] | None = None,
    level_columns: list[str] | None = None,
    key: str | None = None,
    height: int | str = "auto",
    column_config: dict[str, object] | None = None,
) -> None:
    st.dataframe(
        styled(df, numbers, level_columns),
        hide_index=True,
        key=key,
        height=height,
        column_config=column_config,
    )


def fit_height(rows: int, limit: int = 900) -> int:
    """A table height that shows every row (Streamlit's default stops at about ten)."""
    return min(limit, 38 + 35 * rows + 2)


def _pp(delta: float | None) -> str | None:
    """A change of a share in percentage points: '+16 đ.p.' / '+16 pp'."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return None
    return t("{value} pp", value=labels.signed(delta * 100, 0))


def _delta(cur: float | None, prev: float | None, digits: int = 1) -> str | None:
    if cur is None or prev is None:
        return None
    return labels.signed(cur - prev, digits)


def headline_metrics(head: dict[str, object], pillar_names: dict[int, str]) -> None:
    """Two rows of st.metric: units and level shares; mean pillar scores and overall."""
    prev: dict[str, object] = head.get("previous") or {}  # type: ignore[assignment]
    c = st.columns(5)
    c[0].metric(
        t("Units assessed"),
        labels.num(head["units"], 0),
        _delta(head["units"], prev.get("units"), 0),  # type: ignore[arg-type]
        delta_color="off",
    )
    for col, lvl in zip(c[1:4], ("green", "yellow", "red"), strict=True):
        cur, before = head.get(f"share_{lvl}"), prev.get(f"share_{lvl}")
        col.metric(
            t("{level} indicators", level=labels.level(lvl)),
            labels.pct(cur),  # type: ignore[arg-type]
            _pp(cur - before) if before is not None else None,  # type: ignore[operator]
            delta_color={"green": "normal", "yellow": "off", "red": "inverse"}[lvl],
            help=t("Share of all indicator results of the assessed units at this level."),
        )
    c[4].metric(
        t("Mean overall score"),
        labels.num(head.get("overall")),  # type: ignore[arg-type]
        _delta(head.get("overall"), prev.get("overall")),  # type: ignore[arg-type]
        help=t("Mean over units of each unit's overall score (the mean of its four pillar scores)."),
    )
    c = st.columns(4)
    for i, col in enumerate(c, start=1):
        col.metric(
            pillar_names[i],
            labels.num(head.get(f"p{i}")),  # type: ignore[arg-type]
            _delta(head.get(f"p{i}"), prev.get(f"p{i}")),  # type: ignore[arg-type]
            help=t("Mean pillar score over the assessed units (0-100)."),
        )


def pillar_column(n: int) -> str:
    return t("Pillar {n}", n=n)


def ranking(table: pd.DataFrame, pillar_names: dict[int, str], key: str = "ranking") -> pd.DataFrame:
    """The ranking table: rank, unit, type, the four pillar scores, overall and its change."""
    names = labels.unit_names(table)
    out = pd.DataFrame(
        {
            t("Rank"): table["rank"],
            t("Unit"): table["locality_code"].map(names),
            t("Type"): table["locality_type"].map(labels.unit_type),
            **{pillar_column(i): table[f"p{i}"] for i in range(1, 5)},
            t("Overall"): table["overall"],
            t("Change"): table["change"].map(labels.arrow),
            t("Data"): table["illustrative"].map(lambda x: "⚠ " + t("illustrative") if x else t("reported")),
        }
    )
    show(
        out,
        numbers={**{pillar_column(i): 1 for i in range(1, 5)}, t("Overall"): 1},
        key=key,
        height=fit_height(len(out)),
        column_config={pillar_column(i): st.column_config.Column(help=pillar_names[i]) for i in range(1, 5)},
    )
    return out
