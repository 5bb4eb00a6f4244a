"""Charts of the reports, in the dashboard's house style (ui/charts.py: font, colours, illustrative mark).

Each chart draws counts, means or top-N lists, never one mark per unit of a scope that can hold
thousands; the chosen-set chart draws one bar group per chosen unit and is only made for small sets.
Labels arrive translated; these functions only draw.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from core.figstyle import SERIES, style, wrap_label
from core.scoring import LEVEL_COLOUR, LEVELS
from reports.fmt import missing

UP_COLOUR, DOWN_COLOUR = "#0072B2", "#E69F00"  # change, not level (as the Trends view)
# Bands (best first: dark to light blue) and readiness groups (blue, sky blue, reddish purple): none of
# them is a level colour, so a band is never read as a level.
BAND_COLOURS = ["#08519C", "#3182BD", "#9ECAE1", "#DEEBF7"]
READINESS_COLOURS = ["#0072B2", "#56B4E9", "#CC79A7"]
MAX_SET_UNITS = 12  # the chosen-set bar chart is drawn only up to this many units


def finish(fig: go.Figure, title: str, illustrative: bool, height: int) -> go.Figure:
    style(fig, title, illustrative=illustrative, height=height)
    fig.update_layout(
        legend={"orientation": "h", "x": 0, "y": -0.1, "yanchor": "top"},
        margin={"l": 10, "r": 20, "b": 10},
    )
    return fig


def grouped_scores(
    series: Sequence[tuple[str, Sequence[float | None], str | None]],
    categories: Sequence[str],
    title: str,
    illustrative: bool,
    y_title: str,
    reference: tuple[str, Sequence[float | None]] | None = None,
) -> go.Figure:
    """Grouped bars 0-100: one group per category (pillars and overall), one bar per series.

    ``series`` holds (name, values, colour or None); ``reference`` is drawn as black diamonds.
    """
    x = [wrap_label(c, 10) for c in categories]  # short names; two lines rather than touching on a phone
    fig = go.Figure()
    for i, (name, values, colour) in enumerate(series):
        vals = [None if missing(v) else float(v) for v in values]  # type: ignore[arg-type]
        fig.add_trace(
            go.Bar(
                x=x,
                y=vals,
                name=name,
                marker={"color": colour or SERIES[i % len(SERIES)]},
                text=[("" if v is None else f"{v:.0f}") for v in vals],
                textposition="outside",
                cliponaxis=False,
            )
        )
    if reference is not None:
        name, values = reference
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[None if missing(v) else float(v) for v in values],  # type: ignore[arg-type]
                name=name,
                mode="markers",
                marker={
                    "symbol": "diamond",
                    "size": 12,
                    "color": "#111",
                    "line": {"color": "#fff", "width": 1},
                },
            )
        )
    fig.update_layout(barmode="group", bargap=0.2)
    fig.update_xaxes(tickangle=0)  # short category names stay level, never turned on a phone
    fig.update_yaxes(range=[0, 109], title={"text": y_title}, tickvals=[0, 25, 50, 75, 100])
    return finish(fig, title, illustrative, 560)


def level_shares(
    rows: pd.DataFrame,
    label_col: str,
    level_names: dict[str, str],
    title: str,
    illustrative: bool,
    x_title: str,
) -> go.Figure:
    """Horizontal 100% bars of green / yellow / red shares, one bar per row (pillars, unit types)."""
    y = [wrap_label(str(v), 28) for v in rows[label_col]]
    fig = go.Figure()
    for lv in reversed(LEVELS):  # green first, from the left
        shares = [None if missing(v) else float(v) * 100 for v in rows[f"share_{lv}"]]
        fig.add_trace(
            go.Bar(
                y=y,
                x=shares,
                orientation="h",
                name=level_names[lv],
                marker={"color": LEVEL_COLOUR[lv], "line": {"color": "#333", "width": 0.5}},
                text=[("" if v is None or v < 4 else f"{v:.0f}%") for v in shares],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": "#111"},
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, 100], title={"text": x_title}, ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    return finish(fig, title, illustrative, max(330, 150 + 52 * len(y)))


def indicator_levels(
    ind: pd.DataFrame,
    labels: Sequence[str],
    level_names: dict[str, str],
    title: str,
    illustrative: bool,
    x_title: str,
) -> go.Figure:
    """Per indicator (catalogue order), how many units rated it green, yellow, red."""
    fig = go.Figure()
    for lv in reversed(LEVELS):
        counts = [int(v) for v in ind[f"n_{lv}"]]
        fig.add_trace(
            go.Bar(
                y=list(labels),
                x=counts,
                orientation="h",
                name=level_names[lv],
                marker={"color": LEVEL_COLOUR[lv], "line": {"color": "#333", "width": 0.4}},
                text=[str(c) if c else "" for c in counts],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": "#111", "size": 11},
            )
        )
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_xaxes(title={"text": x_title})
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11})
    return finish(fig, title, illustrative, 180 + 22 * len(labels))


def moves(
    mv: pd.DataFrame,
    labels: Sequence[str],
    names: tuple[str, str],
    title: str,
    illustrative: bool,
    x_title: str,
) -> go.Figure:
    """Levels moved up (right) and down (left) per indicator; red -> green counts 2."""
    fig = go.Figure()
    for col, sign, colour, symbol, name in (
        ("levels_up", 1, UP_COLOUR, "▲", names[0]),
        ("levels_down", -1, DOWN_COLOUR, "▼", names[1]),
    ):
        values = [int(v) for v in mv[col]]
        fig.add_trace(
            go.Bar(
                y=list(labels),
                x=[sign * v for v in values],
                orientation="h",
                name=f"{symbol} {name}",
                marker={"color": colour},
                text=[str(v) if v else "" for v in values],
                textposition="outside",
                cliponaxis=False,
            )
        )
    hi = max([int(v) for v in mv["levels_up"]] + [1]) + 2
    lo = max([int(v) for v in mv["levels_down"]] + [1]) + 2
    fig.update_layout(barmode="relative", bargap=0.25)
    step = max(1, -(-max(lo, hi) // 5))
    ticks = list(range(-(lo // step) * step, hi + 1, step))
    fig.update_xaxes(
        range=[-lo, hi],
        title={"text": x_title},
        zeroline=True,
        zerolinecolor="#333",
        tickvals=ticks,
        ticktext=[str(abs(v)) for v in ticks],  # levels down are drawn to the left, counted as positive
    )
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11})
    return finish(fig, title, illustrative, 180 + 22 * len(labels))


def group_counts(
    table: pd.DataFrame,
    category_col: str,
    groups: Sequence[tuple[str, str]],
    title: str,
    illustrative: bool,
    y_title: str,
    colours: Sequence[str] = READINESS_COLOURS,
) -> go.Figure:
    """Stacked bars: per category (unit type), how many units in each group (band, readiness).

    ``groups`` holds (column, legend name) in order, best first.
    """
    x = [wrap_label(str(v), 16) for v in table[category_col]]
    fig = go.Figure()
    for i, (col, name) in enumerate(groups):
        values = [int(v) for v in table[col]]
        fig.add_trace(
            go.Bar(
                x=x,
                y=values,
                name=name,
                marker={"color": colours[i % len(colours)], "line": {"color": "#333", "width": 0.5}},
                text=[str(v) if v else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": "#fff" if i == 0 else "#111"},
            )
        )
    top = int(table[[c for c, _ in groups]].sum(axis=1).max()) if len(table) else 1
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title={"text": y_title}, dtick=max(1, -(-top // 8)), tickformat="d")
    return finish(fig, title, illustrative, 440)
