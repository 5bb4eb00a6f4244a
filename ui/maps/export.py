"""The maps draw offline: plotly.js loads its world topojson for every geo subplot (even one that
shows none of it), so the file ships in static/topojson/; the browser reads it through
``geo_config`` and the PNG export (kaleido) from the file itself."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from core.figstyle import FONT

TOPOJSON_DIR = Path(__file__).resolve().parents[2] / "static" / "topojson"
TOPOJSON_URL = "/app/static/topojson/"


def geo_config(config: dict[str, object] | None = None) -> dict[str, object]:
    """plotly config for a chart with geo subplots: the local topojson instead of cdn.plot.ly
    (under the server's base path when the app is served below one)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return {**(config or {}), "topojsonURL": f"/{base}{TOPOJSON_URL}" if base else TOPOJSON_URL}


def figure_png(fig: go.Figure, width: int = 1400, height: int = 900, scale: float = 1.0) -> bytes:
    """PNG bytes of a map (kaleido with the system's Chromium; draws offline, Vietnamese intact)."""
    if TOPOJSON_DIR.is_dir():  # kaleido's Chromium would fetch it from cdn.plot.ly otherwise
        pio.defaults.topojson = TOPOJSON_DIR.as_uri() + "/"
    out = go.Figure(fig)
    out.update_layout(width=width, height=height, font={"family": FONT})
    return out.to_image(format="png", width=width, height=height, scale=scale)
