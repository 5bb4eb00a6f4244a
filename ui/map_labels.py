"""Where unit names and pilot markers go on the map, in pixels, so that none covers another.

The map draws names as SVG text in the system's fonts; to keep them apart they are laid out here
with the font's own metrics (Pillow), the smallest unit first, trying full size, two lines, then
smaller sizes. ``MapView`` reproduces how plotly's mercator geo subplot maps lon/lat to pixels.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from PIL import ImageFont

MARKER_RADIUS = 10.0  # px: a 14 px dot with its 2 px ring, and some air
LABEL_GAP = 2.0  # px kept free around each name
_FONT_FILES = (
    Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)


def _merc(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


@dataclass(frozen=True)
class MapView:
    """A lon/lat box drawn in a pixel box the way plotly's mercator geo subplot draws it: the box
    is scaled to fit (aspect kept) and centred. Used to place labels and markers in pixels."""

    west: float
    south: float
    east: float
    north: float
    x0: float
    y0: float
    width: float
    height: float

    @staticmethod
    def fit(
        bounds: tuple[float, float, float, float], box: tuple[float, float, float, float], pad: float
    ) -> MapView:
        west, south, east, north = bounds
        dx = max(east - west, 1e-4) * pad
        dy = max(north - south, 1e-4) * pad
        return MapView(west - dx, south - dy, east + dx, north + dy, *box)

    @property
    def scale(self) -> float:
        return min(
            self.width / math.radians(self.east - self.west),
            self.height / (_merc(self.north) - _merc(self.south)),
        )

    def px(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = self.scale
        mid_y = (_merc(self.north) + _merc(self.south)) / 2
        x = self.x0 + self.width / 2 + s * np.radians(np.asarray(lon) - (self.west + self.east) / 2)
        merc = np.log(np.tan(np.pi / 4 + np.radians(np.asarray(lat)) / 2))
        return x, self.y0 + self.height / 2 - s * (merc - mid_y)

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        s = self.scale
        mid_y = (_merc(self.north) + _merc(self.south)) / 2
        lon = (self.west + self.east) / 2 + math.degrees((x - self.x0 - self.width / 2) / s)
        merc = mid_y - (y - self.y0 - self.height / 2) / s
        return lon, math.degrees(2 * math.atan(math.exp(merc)) - math.pi / 2)

    def project(self, geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.transform(geom, lambda xy: np.column_stack(self.px(xy[:, 0], xy[:, 1])))

    def content(self) -> shapely.Geometry:
        """The pixel box the lon/lat box really covers."""
        x0, y1 = self.px(np.array([self.west]), np.array([self.south]))
        x1, y0 = self.px(np.array([self.east]), np.array([self.north]))
        return shapely.box(float(x0[0]), float(y0[0]), float(x1[0]), float(y1[0]))


@functools.lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont | None:
    for f in _FONT_FILES:
        if f.exists():
            return ImageFont.truetype(str(f), 100)
    return None


def _text_box(text: str, size: float) -> tuple[float, float]:
    """(width, height) in px of a label in the map font (Noto Sans metrics, a little slack)."""
    font = _font()
    lines = text.split("<br>")
    if font is None:
        width = max(len(line) for line in lines) * 0.6 * size
    else:
        width = max(font.getlength(line) for line in lines) * size / 100
    return width * 1.06 + 4, len(lines) * size * 1.25 + 2


def _two_lines(name: str) -> str | None:
    """'Bạch Long Vĩ' -> 'Bạch<br>Long Vĩ': the split that gives the narrowest label."""
    words = name.split()
    if len(words) < 2:
        return None
    options = [" ".join(words[:i]) + "<br>" + " ".join(words[i:]) for i in range(1, len(words))]
    return min(options, key=lambda s: _text_box(s, 10)[0])


@dataclass(frozen=True)
class Label:
    """A unit's name on the map: where (lon/lat of the text's centre), how big, on how many lines."""

    code: str
    text: str
    lon: float
    lat: float
    size: float
    clear: bool  # False when no spot free of other labels was found (the least-bad one is used)


def _candidates(
    poly: shapely.Geometry, anchor: tuple[float, float], step: float, reach: float = 90.0
) -> np.ndarray:
    """Pixel points inside ``poly`` on a grid, within ``reach`` px of the anchor, the anchor first."""
    minx, miny, maxx, maxy = poly.bounds
    minx, miny = max(minx, anchor[0] - reach), max(miny, anchor[1] - reach)
    maxx, maxy = min(maxx, anchor[0] + reach), min(maxy, anchor[1] + reach)
    xs, ys = np.meshgrid(np.arange(minx, maxx + step, step), np.arange(miny, maxy + step, step))
    xs, ys = xs.ravel(), ys.ravel()
    inside = shapely.contains_xy(poly, xs, ys)
    pts = np.column_stack([xs[inside], ys[inside]])
    return np.vstack([np.array([anchor]), pts]) if len(pts) else np.array([anchor])


def place_labels(
    units: pd.DataFrame,
    geoms: dict[str, shapely.Geometry],
    view: MapView,
    size: float,
    obstacles: Sequence[shapely.Geometry] = (),
    avoid: Sequence[shapely.Geometry] = (),
) -> list[Label]:
    """Names inside (or on) their unit, never on top of one another.

    Greedy, smallest unit first (it has the fewest good spots): for each unit try points inside it
    at full size on one line, then on two lines, then smaller; a spot must not touch a label
    already placed or an obstacle (the inset) and must stay in the map. Among the free spots the
    one most inside the unit and nearest its label point wins; covering ``avoid`` (outlines of
    pilot units) costs a little.
    """
    frame = view.content().buffer(-2)
    soft = shapely.union_all(list(avoid)) if avoid else None
    placed: list[shapely.Geometry] = list(obstacles)
    # Half-pixel detail is plenty to judge where a name fits, and makes the overlap sums cheap.
    projected = {c: view.project(geoms[c]).simplify(0.5) for c in units["locality_code"]}
    order = sorted(units.itertuples(index=False), key=lambda r: projected[r.locality_code].area)
    labels_out: list[Label] = []
    for r in order:
        poly = projected[r.locality_code]
        ax, ay = view.px(np.array([r.label_lon]), np.array([r.label_lat]))
        anchor = (float(ax[0]), float(ay[0]))
        step = max(2.0, min(poly.bounds[2] - poly.bounds[0], poly.bounds[3] - poly.bounds[1]) / 16)
        pts = _candidates(poly, anchor, step)
        variants = [(r.name, size, 0.0)]
        two = _two_lines(r.name)
        if two:
            variants.append((two, size, 8.0))
        for smaller, penalty in ((size * 0.88, 20.0), (size * 0.8, 40.0)):
            variants.append((r.name, smaller, penalty))
            if two:
                variants.append((two, smaller, penalty + 8.0))
        taken = shapely.union_all(placed) if placed else None
        best: tuple[float, float, str, float, float, float] | None = None  # cost, clash, text, size, x, y
        for text, sz, penalty in variants:
            w, h = _text_box(text, sz)
            boxes = shapely.box(pts[:, 0] - w / 2, pts[:, 1] - h / 2, pts[:, 0] + w / 2, pts[:, 1] + h / 2)
            inside = shapely.area(shapely.intersection(boxes, poly)) / (w * h)
            clash = shapely.area(shapely.difference(boxes, frame))
            if taken is not None:
                clash = clash + shapely.area(shapely.intersection(boxes, taken))
            dist = np.hypot(pts[:, 0] - anchor[0], pts[:, 1] - anchor[1])
            if soft is not None:
                penalty = penalty + 0.3 * shapely.area(shapely.intersection(boxes, soft))
            cost = 60 * (1 - inside) + 0.15 * dist + penalty + 1000 * (clash > 0.5) + clash
            i = int(np.argmin(cost))
            if best is None or cost[i] < best[0]:
                best = (float(cost[i]), float(clash[i]), text, sz, float(pts[i, 0]), float(pts[i, 1]))
        assert best is not None
        _, clash_area, text, sz, x, y = best
        w, h = _text_box(text, sz)
        g = LABEL_GAP
        placed.append(shapely.box(x - w / 2 - g, y - h / 2 - g, x + w / 2 + g, y + h / 2 + g))
        lon, lat = view.lonlat(x, y)
        labels_out.append(Label(r.locality_code, text, lon, lat, sz, clash_area <= 0.5))
    return sorted(labels_out, key=lambda lb: lb.code)


def label_box(view: MapView, label: Label, gap: float = LABEL_GAP) -> shapely.Geometry:
    """The pixel box a placed name covers (with ``gap`` px around it)."""
    w, h = _text_box(label.text, label.size)
    x, y = view.px(np.array([label.lon]), np.array([label.lat]))
    cx, cy = float(x[0]), float(y[0])
    return shapely.box(cx - w / 2 - gap, cy - h / 2 - gap, cx + w / 2 + gap, cy + h / 2 + gap)


def place_markers(
    parents: Sequence[str],
    geoms: dict[str, shapely.Geometry],
    view: MapView,
    obstacles: Sequence[shapely.Geometry],
    near: dict[str, tuple[float, float]] | None = None,
) -> list[tuple[float, float]]:
    """A spot inside each parent district for one marker (a pilot ward/commune), clear of the
    names and of the other markers, as close as it can be to ``near[parent]`` (the district's
    name, in px). Where the district is too small to hold the marker whole, its centre still
    stays inside."""
    placed = list(obstacles)
    out = []
    for parent in parents:
        poly = view.project(geoms[parent])
        inner = poly.buffer(-MARKER_RADIUS * 0.7)
        step = max(1.5, min(poly.bounds[2] - poly.bounds[0], poly.bounds[3] - poly.bounds[1]) / 24)
        centre = poly.representative_point()
        pts = _candidates(poly, (centre.x, centre.y), step)
        discs = shapely.buffer(shapely.points(pts), MARKER_RADIUS)
        taken = shapely.union_all(placed) if placed else None
        clash = shapely.area(shapely.intersection(discs, taken)) if taken is not None else np.zeros(len(pts))
        edge = ~shapely.contains_xy(inner, pts[:, 0], pts[:, 1]) if not inner.is_empty else np.ones(len(pts))
        target = (near or {}).get(parent, (centre.x, centre.y))
        dist = np.hypot(pts[:, 0] - target[0], pts[:, 1] - target[1])
        i = int(np.argmin(1000 * (clash > 0.5) + clash + 20 * edge + 0.1 * dist))
        placed.append(shapely.Point(pts[i]).buffer(MARKER_RADIUS))
        out.append(view.lonlat(float(pts[i, 0]), float(pts[i, 1])))
    return out
