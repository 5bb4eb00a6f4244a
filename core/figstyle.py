"""The house look of a plotly figure, shared by the dashboard (ui/charts.py) and the reports
(reports/charts.py): font, series colours, number separators, wrapped titles, the illustrative mark.

It knows nothing of Streamlit, so a report built from the command line draws the same charts.
Level colours and symbols come from core.scoring, never from here.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

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


# The house template: plotly_white's layout and its defaults for the trace types the project
# draws, nothing else. Every new figure copies the default template, and plotly's full templates
# carry defaults for 24 trace types: building one figure with plotly_white cost about 14 ms, most of
# a page run's figure time; with this template it costs well under 1 ms, and looks the same.
_TRACES = ("bar", "choropleth", "heatmap", "scatter", "scattergeo", "scatterpolar")


def _house_template() -> go.layout.Template:
    white = pio.templates["plotly_white"]
    data = {k: v for k, v in white.data.to_plotly_json().items() if k in _TRACES}
    return go.layout.Template(layout=white.layout, data=data)


HOUSE_TEMPLATE = "iso18091"
pio.templates[HOUSE_TEMPLATE] = _house_template()


def use_house_template(fig: go.Figure | None = None) -> None:
    """Make the house template plotly's default again if something replaced it (importing Streamlit
    makes its own theme the default), and give ``fig`` the house template when it was built under
    another one. Cheap when nothing changed: style() calls it for every figure."""
    if pio.templates.default != HOUSE_TEMPLATE:
        pio.templates.default = HOUSE_TEMPLATE
    if fig is not None and fig.layout.template.layout.plot_bgcolor != "white":
        fig.layout.template = pio.templates[HOUSE_TEMPLATE]


use_house_template()

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
    use_house_template(fig)
    wrapped = wrap_label(title, TITLE_WIDTH)
    lines = wrapped.count("<br>") + 1
    merge_layout(
        fig,
        title={"text": wrapped, "x": 0, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 13, "color": "#222"},
        separators=separators(),
        margin={"l": 10, "r": 10, "t": 40 + 22 * lines + extra_top, "b": 10},
        legend={"title": {"text": legend_title} if legend_title else None},
        hoverlabel={"font": {"family": FONT}},
    )
    if height:
        fig.layout.height = height + 22 * (lines - 1)
    if illustrative:
        mark_illustrative(fig)
    return fig


def mark_illustrative(fig: go.Figure) -> go.Figure:
    """Write the 'illustrative data' mark in the chart itself (under its title), so a screenshot or
    an exported image keeps it."""
    return merge_layout(
        fig,
        title={
            "subtitle": {
                "text": "⚠ " + t("Illustrative data: not the pilot's results"),
                "font": {"color": "#8A5A00", "size": 12},
            }
        },
        margin={"t": int(fig.layout.margin.t or 56) + 22},
    )


def merge_layout(fig: go.Figure, **props: object) -> go.Figure:
    """``fig.update_layout(**props)`` (nested values merged into what is there), about ten times
    faster: update_layout walks plotly's path machinery key by key (about 1 ms per property),
    while assigning a whole merged property validates it once. The house style runs on every
    chart of every page run."""
    for key, value in props.items():
        if isinstance(value, dict):
            current = fig.layout[key]
            value = _merged(current.to_plotly_json() if current is not None else {}, value)
        fig.layout[key] = value
    return fig


def _merged(base: dict, new: dict) -> dict:
    out = dict(base)
    for k, v in new.items():
        out[k] = _merged(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


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
