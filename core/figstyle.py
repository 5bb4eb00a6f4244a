"""The house look of a plotly figure, shared by the dashboard (ui/charts.py) and the reports
(reports/charts.py): font, series colours, number separators, wrapped titles, the illustrative mark.

It knows nothing of Streamlit, so a report built from the command line draws the same charts.
Level colours and symbols come from core.scoring, never from here.
"""

from __future__ import annotations

import plotly.graph_objects as go

import i18n
from i18n import t

FONT = "Noto Sans, DejaVu Sans, sans-serif"
# Series colours for units: Okabe-Ito blue, orange, reddish purple, sky blue, black, then
# Paul Tol's muted set; none of them is one of the three level colours.
SERIES = [
    "#0072B2",
    "#E69F00",
    "#CC79A7",
    "#56B4E9",
    "#000000",
    "#332288",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#88CCEE",
    "#661100",
]
REFERENCE_COLOUR = "#555555"
REFERENCE_COLOURS = [REFERENCE_COLOUR, "#8C6D1F", "#6A3D9A", "#A6761D", "#2F4F4F"]


def separators() -> str:
    """plotly's decimal+thousands characters for the UI language (vi: 12,5 and 1.234)."""
    return ",." if i18n.get_language() == "vi" else ".,"


TITLE_WIDTH = 46  # characters per title line: a title must fit a phone's width and a half-width column


def style(
    fig: go.Figure,
    title: str,
    illustrative: bool = False,
    height: int | None = None,
    legend_title: str | None = None,
    extra_top: int = 0,
) -> go.Figure:
    """The house style: title (wrapped to fit a phone), font, white template, number format, legend,
    illustrative mark. ``extra_top``: room above the plot for axis labels placed on top."""
    wrapped = wrap_label(title, TITLE_WIDTH)
    lines = wrapped.count("<br>") + 1
    fig.update_layout(
        template="plotly_white",
        title={"text": wrapped, "x": 0, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 13, "color": "#222"},
        separators=separators(),
        margin={"l": 10, "r": 10, "t": 40 + 22 * lines + extra_top, "b": 10},
        legend={"title": {"text": legend_title} if legend_title else None},
        hoverlabel={"font": {"family": FONT}},
    )
    if height:
        fig.update_layout(height=height + 22 * (lines - 1))
    if illustrative:
        mark_illustrative(fig)
    return fig


def mark_illustrative(fig: go.Figure) -> go.Figure:
    """Write the 'illustrative data' mark in the chart itself (under its title), so a screenshot or
    an exported image keeps it."""
    fig.update_layout(
        title={
            "subtitle": {
                "text": "⚠ " + t("Illustrative data: not the pilot's results"),
                "font": {"color": "#8A5A00", "size": 12},
            }
        },
        margin={"t": int(fig.layout.margin.t or 56) + 22},
    )
    return fig


def wrap_label(text: str, width: int = 18) -> str:
    """Break a long chart label into lines (plotly does not wrap by itself)."""
    lines, line = [], ""
    for w in text.split():
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(lines)
