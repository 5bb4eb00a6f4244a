"""Charts to PNG for the Word/PDF report: kaleido with Debian's Chromium, one browser per batch.

Starting Chromium costs ~2 s, so a batch of figures shares one sync server (STACK-NOTES.md §5).
One batch runs at a time per process (the dashboard may build several reports at once).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import kaleido
import plotly.io as pio

from reports.model import Figure

SCALE = 2  # 1000 px wide figures become 2000 px: ~300 dpi at 16-17 cm on paper
_LOCK = threading.Lock()


def render(figures: Sequence[Figure]) -> None:
    """Fill ``png`` of every figure that has none."""
    todo = [f for f in figures if f.png is None]
    if not todo:
        return
    with _LOCK:
        kaleido.start_sync_server(silence_warnings=True)
        try:
            for f in todo:
                f.png = pio.to_image(
                    f.figure, format="png", width=f.width_px, height=f.height_px, scale=SCALE
                )
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
