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


def _digits(df: pd.DataFrame, numbers: dict[str, int] | None) -> dict[str, int]:
    """Decimals of each numeric column: ``numbers``' choice, else 0 for whole numbers and 1 otherwise."""
    digits = {
        c: (numbers or {}).get(c, 0 if pd.api.types.is_integer_dtype(df[c]) else 1)
        for c in df.columns
        if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
    }
    digits.update({c: d for c, d in (numbers or {}).items() if c in df.columns})
    return digits


def styled(
    df: pd.DataFrame, numbers: dict[str, int] | None = None, level_columns: list[str] | None = None
) -> Styler:
    """A Styler with numbers in the UI language's format (every numeric column: whole numbers as
    such, others with ``numbers``' digits or one) and level cells coloured."""
    fmt = {c: (lambda v, d=d: labels.num(v, d)) for c, d in _digits(df, numbers).items()}
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
    # The grid writes a missing value as "None" whatever the Styler says: a numeric column with gaps
    # is shown as its formatted text ("–" for a gap), kept right-aligned like the numbers.
    digits = _digits(df, numbers)
    gaps = [c for c in digits if df[c].isna().any()]
    if gaps:
        df = df.assign(
            **{c: df[c].map(lambda v, d=digits[c]: "–" if pd.isna(v) else labels.num(v, d)) for c in gaps}
        )
        column_config = {c: st.column_config.TextColumn(alignment="right") for c in gaps} | (
            column_config or {}
        )
        numbers = {c: d for c, d in digits.items() if c not in gaps}
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


def _delta(cur: object, prev: object, digits: int = 1) -> str | None:
    if not isinstance(cur, (int, float)) or not isinstance(prev, (int, float)):
        return None
    if math.isnan(cur) or math.isnan(prev):
        return None
    return labels.signed(cur - prev, digits)


def headline_metrics(
    head: dict[str, object], pillar_names: dict[int, str], registry_units: int | None
) -> None:
    """Two rows of st.metric: units and level shares; mean pillar scores and overall. Changes are
    measured over the units assessed in both years (``head['compare']``), never over different sets."""
    comp: dict[str, object] | None = head.get("compare")  # type: ignore[assignment]
    now: dict[str, object] = comp["now"] if comp else {}  # type: ignore[index]
    before: dict[str, object] = comp["before"] if comp else {}  # type: ignore[index]
    box = st.container(key="metrics")
    c = box.columns(5)
    units_help = t("Units with an assessment of this year and stage in the chosen scope.")
    if registry_units:
        units_help += " " + t(
            "The scope has {n} units in the registry: {share} are assessed.",
            n=labels.num(registry_units, 0),
            share=labels.pct(int(head["units"]) / registry_units),  # type: ignore[call-overload]
        )
    c[0].metric(t("Units assessed"), labels.num(head["units"], 0), help=units_help)  # type: ignore[arg-type]
    for col, lvl in zip(c[1:4], ("green", "yellow", "red"), strict=True):
        col.metric(
            t("{level} indicators", level=labels.level(lvl)),
            labels.pct(head.get(f"share_{lvl}")),  # type: ignore[arg-type]
            _pp(float(now[f"share_{lvl}"]) - float(before[f"share_{lvl}"])) if comp else None,  # type: ignore[arg-type]
            delta_color={"green": "normal", "yellow": "off", "red": "inverse"}[lvl],
            help=t("Share of all indicator results of the assessed units at this level."),
        )
    c[4].metric(
        t("Mean overall score"),
        labels.num(head.get("overall")),  # type: ignore[arg-type]
        _delta(now.get("overall"), before.get("overall")),
        help=t("Mean over units of each unit's overall score (the mean of its four pillar scores)."),
    )
    c = box.columns(4)
    for i, col in enumerate(c, start=1):
        col.metric(
            pillar_names[i],
            labels.num(head.get(f"p{i}")),  # type: ignore[arg-type]
            _delta(now.get(f"p{i}"), before.get(f"p{i}")),
            help=t("Mean pillar score over the assessed units (0-100)."),
        )


def pillar_column(n: int) -> str:
    return t("Pillar {n}", n=n)


def ranking(
    table: pd.DataFrame,
    pillar_names: dict[int, str],
    key: str,
    show_parent: bool = True,
    show_province: bool = False,
) -> str | None:
    """The ranking table: rank, unit, type, where, the four pillar scores, overall and its change.

    A click on a row selects that unit: its locality_id is returned (the page opens its profile).
    """
    has_change = table["change"].notna().any()
    cols: dict[str, object] = {
        t("Rank"): table["rank"],
        t("Unit"): table["name_with_type"],
        t("Type"): table["locality_type"].map(labels.unit_type),
    }
    if show_parent:
        cols[t("District")] = table["parent_name"].fillna("–")
    if show_province:
        cols[t("Province")] = table["province_name"].fillna("–")
    cols.update({pillar_column(i): table[f"p{i}"] for i in range(1, 5)})
    cols[t("Overall")] = table["overall"]
    if has_change:
        cols[t("Change")] = table["change"].map(labels.arrow)
    cols[t("Data")] = table["illustrative"].map(lambda x: "⚠ " + t("illustrative") if x else t("reported"))
    out = pd.DataFrame(cols)
    event = st.dataframe(
        styled(out, numbers={**{pillar_column(i): 1 for i in range(1, 5)}, t("Overall"): 1}),
        hide_index=True,
        key=key,
        height=fit_height(len(out)),
        column_config={pillar_column(i): st.column_config.Column(help=pillar_names[i]) for i in range(1, 5)},
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows if event is not None else []  # type: ignore[union-attr]
    return str(table["locality_id"].iloc[rows[0]]) if rows else None


def groups(table: pd.DataFrame, pillar_names: dict[int, str], provinces: bool, key: str) -> str | None:
    """Provinces or districts ranked (query.scores.group_scores) with their coverage; a click on a row
    returns that group's locality_id."""
    shown: dict[str, object] = {
        t("Rank"): table["rank"],
        t("Province") if provinces else t("District"): table["name"],
        t("Units assessed"): table["units"],
        t("Coverage"): (table["units"] / table["registry_units"]).map(labels.pct),
        **{pillar_column(i): table[f"p{i}"] for i in range(1, 5)},
        t("Overall"): table["overall"],
    }
    if table["change"].notna().any():
        shown[t("Change")] = table["change"].map(labels.arrow)
    event = st.dataframe(
        styled(pd.DataFrame(shown), numbers={**{pillar_column(i): 1 for i in range(1, 5)}, t("Overall"): 1}),
        hide_index=True,
        key=key,
        height=fit_height(min(len(table), 15)),
        on_select="rerun",
        selection_mode="single-row",
        column_config={pillar_column(i): st.column_config.Column(help=pillar_names[i]) for i in range(1, 5)},
    )
    rows = event.selection.rows if event is not None else []  # type: ignore[union-attr]
    return str(table["group_id"].iloc[rows[0]]) if rows else None


def pager(total: int, page_size: int, key: str) -> int:
    """A page chooser under a long table; returns the offset of the page shown (kept as ?page=)."""
    from ui import filters

    pages = max(1, math.ceil(total / page_size))
    if pages == 1:
        return 0
    current = filters.current("page")
    start = int(current) if str(current or "").isdigit() and 1 <= int(current) <= pages else 1
    left, right = st.columns([1, 3])
    page = int(
        left.number_input(t("Page"), min_value=1, max_value=pages, value=start, step=1, key=f"{key}_{pages}")
    )
    first = (page - 1) * page_size
    right.caption(
        t(
            "Rows {first}–{last} of {total}; page {page} of {pages}.",
            first=labels.num(first + 1, 0),
            last=labels.num(min(total, first + page_size), 0),
            total=labels.num(total, 0),
            page=page,
            pages=pages,
        )
    )
    filters.remember_quiet("page", str(page) if page > 1 else "")
    return first
