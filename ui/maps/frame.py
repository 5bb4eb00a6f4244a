"""The frame every geo map shares: where plotly puts the plot area, the geo subplot with no base
map, the names written on the map, legend entries, the inset of a far-off island, the bottom
stack (colour bar, legend, attribution), and the phone rule that hides names on narrow screens.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import shapely
import streamlit as st

from core.figstyle import FONT, style
from geo.shapes import Domain, bounds, inset_px
from i18n import t
from ui.map_labels import Label, MapView
from ui.maps.measures import COLOURBAR_PX

LABEL_COLOUR = "#111111"
# A halo in the opposite colour keeps a name readable where it spills over a neighbour.
HALO = {
    "#111111": "0 0 2px #FFFFFF, 0 0 2px #FFFFFF, 0 0 3px #FFFFFF",
    "#FFFFFF": "0 0 2px #111111, 0 0 2px #111111, 0 0 3px #111111",
}
LEGEND_PX = 46  # one or two rows of legend entries (a phone wraps them)
ATTRIBUTION_PX = 18


def top_px(illustrative: bool) -> int:
    return 80 if illustrative else 60


def bottom_px() -> int:
    """Room under the plot area: the horizontal colour bar, the legend, the attribution."""
    return COLOURBAR_PX + LEGEND_PX + ATTRIBUTION_PX


def plot_box(width: float, height: float, illustrative: bool) -> tuple[float, float, float, float]:
    """Where plotly puts the plot area (x0, y0, w, h in px) for the margins ``finish`` sets."""
    top = top_px(illustrative)
    return 8.0, float(top), width - 16, height - top - bottom_px()


def geo_layout(view: MapView, domain: Domain) -> dict[str, object]:
    """A geo subplot with no base map showing ``view``'s lon/lat box."""
    return {
        "visible": False,
        "projection": {"type": "mercator"},
        "lonaxis": {"range": [view.west, view.east]},
        "lataxis": {"range": [view.south, view.north]},
        "domain": domain,
        "bgcolor": "rgba(0,0,0,0)",
    }


def names_trace(names_on_map: Sequence[Label], ink: Sequence[str], geo: str = "geo") -> go.Scattergeo:
    """The units' names as SVG text (system fonts), light on dark fills, with a halo."""
    return go.Scattergeo(
        lon=[lb.lon for lb in names_on_map],
        lat=[lb.lat for lb in names_on_map],
        text=[lb.text for lb in names_on_map],
        mode="text",
        textposition="middle center",
        textfont={
            "family": FONT,
            "size": [lb.size for lb in names_on_map],
            "color": list(ink),
            "shadow": [HALO[c] for c in ink],
        },
        hoverinfo="skip",
        showlegend=False,
        name="labels",
        geo=geo,
    )


def legend_entry(fig: go.Figure, name: str, marker: dict[str, object]) -> None:
    """A legend entry (a geo choropleth has no legend symbol of its own)."""
    fig.add_trace(
        go.Scattergeo(lon=[None], lat=[None], mode="markers", marker=marker, name=name, showlegend=True)
    )


def inset_frame(
    fig: go.Figure,
    view: MapView,
    inset_dom: Domain,
    geoms: Sequence[shapely.Geometry],
    caption: str,
    size: float,
) -> MapView:
    """The second geo subplot for far-off units, its frame and caption; returns its view."""
    right = inset_dom["x"][0] > 0.5
    inset_view = MapView.fit(bounds(list(geoms)), inset_px(view, inset_dom), pad=1.2)
    fig.update_layout(geo2=geo_layout(inset_view, inset_dom))
    fig.add_shape(
        type="rect",
        xref="paper",
        yref="paper",
        x0=inset_dom["x"][0],
        x1=inset_dom["x"][1],
        y0=inset_dom["y"][0],
        y1=inset_dom["y"][1],
        line={"color": "#888", "width": 1},
    )
    fig.add_annotation(
        text=caption + " (" + t("inset") + ")",
        xref="paper",
        yref="paper",
        # Anchored on the plot's side, so a narrow drawing (a phone) never cuts the caption off.
        x=inset_dom["x"][1] if right else inset_dom["x"][0],
        y=inset_dom["y"][1],
        xanchor="right" if right else "left",
        yanchor="bottom",
        showarrow=False,
        font={"size": size, "color": LABEL_COLOUR},
    )
    return inset_view


def finish(fig: go.Figure, title: str, illustrative: bool, height: int, attribution: str) -> go.Figure:
    """House style, margins for the bottom stack, legend under the colour bar, attribution last."""
    style(fig, title, illustrative=illustrative, height=height)
    top, bottom = top_px(illustrative), bottom_px()
    plot_h = max(float(fig.layout.height or height) - top - bottom, 1.0)
    fig.update_layout(
        width=None,
        dragmode=False,
        margin={"l": 8, "r": 8, "t": top, "b": bottom},
        legend={
            "orientation": "h",
            "x": 0,
            "y": -(COLOURBAR_PX + 2) / plot_h,
            "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0.8)",
        },
    )
    attribution_note(fig, attribution, bottom)
    return fig


def sources_text(sources: pd.DataFrame, vintage: str) -> str:
    """'file (date) · attribution · licence; ...' of the active layers of one unit list
    (query.geo.boundary_sources), for the map's attribution line."""
    parts = []
    for s in sources.itertuples():
        if str(getattr(s, "vintage", "2020") or "2020") != vintage:
            continue
        text = f"{s.file_name} ({s.loaded_at:%d/%m/%Y})"
        if isinstance(s.attribution, str) and s.attribution:
            text += f" · {s.attribution}"
        if isinstance(s.licence, str) and s.licence:
            text += f" · {s.licence}"
        parts.append(text)
    return "; ".join(parts)


def attribution_note(fig: go.Figure, text: str, bottom: float) -> None:
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=1,
        y=0,
        yshift=-(bottom - 2),
        xanchor="right",
        yanchor="bottom",
        showarrow=False,
        font={"size": 10, "color": "#555"},
    )


# On a phone the map is drawn about 400 px wide, so names laid out for a desktop's width would
# cover one another: they are hidden there (the hover, a tap and the list below the map name the
# units). The chart keys are the map page's.
PHONE_CSS = """
<style>
@media (max-width: 640px) {
  [class*="st-key-map_chart"] .geo .trace.scattergeo text,
  [class*="st-key-map2025_chart"] .geo .trace.scattergeo text { display: none; }
}
</style>
"""


def hide_names_on_phones() -> None:
    st.html(PHONE_CSS)
