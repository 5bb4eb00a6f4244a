"""Map measures and figures: same scoring as the dashboard, drawn offline, names on the map, PNG export."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
import shapely
from PIL import Image

import i18n
from core import figstyle
from core.units import registry
from geo import shapes
from query.geo import district_units, map_measures, pilot_units
from query.scope import Scope
from query.scores import ranking
from ui import map_labels, maps
from ui.maps import export, frame

HP = ["303", "304", "305", "306", "307", "308", "309", "311", "312", "313", "314", "315", "316", "317", "318"]


@pytest.fixture(autouse=True)
def vietnamese():
    i18n.set_language("vi")
    yield
    i18n.set_language("vi")


def _layer(codes: list[str], far: str | None = None) -> pd.DataFrame:
    """A boundary_layer-shaped frame of squares (one per code); ``far`` 130 km offshore."""
    reg = registry()
    rows = []
    for i, code in enumerate(codes):
        x, y = 106.5 + (i % 5) * 0.05, 20.7 + (i // 5) * 0.05
        if code == far:
            x, y = 107.7, 20.1
        g = shapely.box(x, y, x + 0.05, y + 0.05)
        u = reg.units[code]
        p = g.representative_point()
        rows.append(
            {
                "locality_code": code,
                "name": u.name,
                "name_with_type": u.name_with_type,
                "unit_type": u.unit_type,
                "parent_code": u.parent_code,
                "geometry": shapely.to_geojson(g),
                "label_lon": p.x,
                "label_lat": p.y,
            }
        )
    return pd.DataFrame(rows)


def test_map_measures_are_the_dashboard_scores(demo_db):
    m = map_measures(demo_db, 2023, "self")
    table = ranking(demo_db, 2023, "self", Scope(province="2020:31"), limit=None).set_index("locality_code")
    assert len(m) == 12
    for r in m.itertuples():
        assert r.overall == pytest.approx(table.loc[r.locality_code, "overall"])
        assert r.p2 == pytest.approx(table.loc[r.locality_code, "p2"])
        assert r.red == table.loc[r.locality_code, "n_red"]
        assert r.change == pytest.approx(table.loc[r.locality_code, "change"])
    assert (m["previous_year"] == 2022).all()
    assert map_measures(demo_db, 2023, "verified").empty


def test_district_units_come_from_the_registry(demo_db):
    units = district_units(demo_db)
    assert list(units["locality_code"]) == HP
    assert "Thuỷ Nguyên" in set(units["name"])


def _traces(fig: go.Figure, kind: str) -> list:
    return [t for t in fig.data if t.type == kind]


def _label_trace(fig: go.Figure):
    texts = [t for t in _traces(fig, "scattergeo") if t.mode == "text"]
    assert len(texts) == 1
    return texts[0]


def test_choropleth_is_a_geo_map_with_names_no_data_and_pilot_markers(demo_db):
    values = map_measures(demo_db, 2023, "self")
    pilot = pilot_units(demo_db)
    m = maps.measure("overall", "Điểm tổng hợp", values["overall"])
    fig = maps.choropleth(_layer(HP, far="318"), None, values, pilot, m, "T", "Ranh giới: x.geojson", True)
    # A geo subplot with no base map of its own, no MapLibre/mapbox subplot, nothing fetched by URL.
    assert fig.layout.geo.visible is False and fig.layout.geo2.visible is False
    assert not _traces(fig, "choroplethmap") and not _traces(fig, "scattermap")
    assert "http" not in json.dumps(fig.to_plotly_json(), default=str)
    choro = _traces(fig, "choropleth")
    nodata = [t for t in choro if t.name == "Không có dữ liệu" and t.geo == "geo"]
    assert len(nodata) == 1
    assert sorted(nodata[0].locations) == ["304", "307", "308", "309", "312", "314", "316", "317"]
    assert nodata[0].colorscale[0][1] == maps.NO_DATA
    coloured = [t for t in choro if t.coloraxis and t.geo == "geo"]
    assert sorted(coloured[0].locations) == ["303", "305", "306", "311", "313", "315"]
    assert list(coloured[0].z) == pytest.approx(
        [values.set_index("locality_code").loc[c, "overall"] for c in coloured[0].locations]
    )
    inset = [t for t in choro if t.geo == "geo2"]
    assert [list(t.locations) for t in inset] == [["318"]]
    # Every unit of the main map is named on it, in Vietnamese with its diacritics, in the map font.
    labels = _label_trace(fig)
    names = {"".join(x.replace("<br>", " ").split()) for x in labels.text}
    expected = {u.name for c, u in registry().units.items() if c in HP and c != "318"}
    assert names == {"".join(n.split()) for n in expected}
    assert "ThuỷNguyên" in names and "KiếnThuỵ" in names
    assert labels.textfont.family == figstyle.FONT and labels.hoverinfo == "skip"
    # The far-off island is named by its inset's caption.
    assert "Bạch Long Vĩ (khung phụ)" in [a.text for a in fig.layout.annotations]
    markers = [t for t in _traces(fig, "scattergeo") if t.mode == "markers" and t.lon[0] is not None]
    assert sum(len(t.lon) for t in markers) == 6
    hover = {c[0]: c for t in markers for c in t.customdata}
    quan_toan = values.set_index("locality_code").loc["11296", "overall"]
    assert hover["11296"][1] == "Quán Toan" and hover["11296"][3] == m.text(quan_toan)
    legend = [t.name for t in fig.data if t.showlegend]
    assert legend == ["Không có dữ liệu", "Phường, xã thí điểm (điểm đánh dấu)"]
    assert "Ranh giới: x.geojson" in [a.text for a in fig.layout.annotations]


def test_names_are_light_on_dark_fills_and_dark_elsewhere(demo_db):
    values = map_measures(demo_db, 2023, "self")
    values.loc[values["locality_code"] == "311", "change"] = 40.0  # the darkest purple of the scale
    m = maps.measure("change", "Δ", values["change"])
    fig = maps.choropleth(_layer(HP), None, values, pilot_units(demo_db), m, "T", "x", False)
    labels = _label_trace(fig)
    ink = dict(zip([x.replace("<br>", " ") for x in labels.text], labels.textfont.color, strict=True))
    assert ink["Thuỷ Nguyên"] == "#FFFFFF"
    assert ink["Vĩnh Bảo"] == "#111111"  # grey, no data
    halo = dict(zip(labels.textfont.color, labels.textfont.shadow, strict=True))
    assert "#111111" in halo["#FFFFFF"] and "#FFFFFF" in halo["#111111"]


def test_polygons_are_sent_clockwise_for_plotly_geo(demo_db):
    """RFC 7946 rings (counter-clockwise) would be drawn inverted, filling the whole globe."""
    values = map_measures(demo_db, 2023, "self")
    layer = _layer(HP)
    ccw = shapely.geometry.polygon.orient(shapely.box(106.5, 20.7, 106.55, 20.75), sign=1.0)
    layer.loc[0, "geometry"] = shapely.to_geojson(shapely.MultiPolygon([ccw]))
    m = maps.measure("overall", "x", values["overall"])
    fig = maps.choropleth(layer, None, values, pilot_units(demo_db), m, "T", "x", False)
    rings = 0
    for tr in _traces(fig, "choropleth"):
        for f in tr.geojson["features"]:
            g = shapely.geometry.shape(f["geometry"])
            for p in getattr(g, "geoms", [g]):
                assert not p.exterior.is_ccw
                rings += 1
    assert rings == 15


def _grid(side: float) -> tuple[pd.DataFrame, dict[str, shapely.Geometry]]:
    """Nine squares of ``side`` degrees side by side (3 x 3), named after nine Hải Phòng units."""
    reg = registry()
    rows, geoms = [], {}
    for i, code in enumerate(HP[:9]):
        x, y = 106.6 + (i % 3) * side, 20.8 + (i // 3) * side
        geoms[code] = shapely.box(x, y, x + side, y + side)
        rows.append(
            {
                "locality_code": code,
                "name": reg.units[code].name,
                "label_lon": x + side / 2,
                "label_lat": y + side / 2,
            }
        )
    return pd.DataFrame(rows), geoms


# A wide map around the squares, so they are small on screen.
CROWD_VIEW = map_labels.MapView.fit((106.45, 20.7, 106.8, 20.95), (0, 0, 800, 500), pad=0.0)


def test_labels_of_crowded_small_units_do_not_overlap():
    """Nine 37 px squares: every name placed, none on another, each centred in its own unit."""
    units, geoms = _grid(0.02)
    labels = map_labels.place_labels(units, geoms, CROWD_VIEW, 12.0)
    assert sorted(lb.code for lb in labels) == HP[:9]
    boxes = {lb.code: map_labels.label_box(CROWD_VIEW, lb, gap=0) for lb in labels}
    for a in HP[:9]:
        for b in HP[:9]:
            if a < b:
                assert boxes[a].intersection(boxes[b]).area < 0.5, (a, b)
    for lb in labels:
        assert geoms[lb.code].contains(shapely.Point(lb.lon, lb.lat)), lb
    assert all(lb.clear for lb in labels)
    assert any("<br>" in lb.text for lb in labels)  # the crowd needed names on two lines
    assert {lb.text.replace("<br>", " ") for lb in labels} == set(units["name"])


def test_names_that_cannot_fit_are_flagged_not_lost():
    """22 px squares cannot hold nine names: each is still placed, in the smallest size, and flagged."""
    units, geoms = _grid(0.012)
    labels = map_labels.place_labels(units, geoms, CROWD_VIEW, 12.0)
    assert len(labels) == 9
    crowded = [lb for lb in labels if not lb.clear]
    assert crowded and all(lb.size == pytest.approx(9.6) for lb in crowded)


def test_shared_districts_are_all_named_clear_of_each_other(shared_dir):
    """The real Hải Phòng boundaries at the page's size: 14 names, no overlaps, full size where they fit."""
    data = json.loads((shared_dir / "geo" / "haiphong_districts.geojson").read_text(encoding="utf-8"))
    rows, geoms = [], {}
    for f in data["features"]:
        code = f["properties"]["code"]
        g = shapely.geometry.shape(f["geometry"])
        geoms[code] = g
        p = g.representative_point()
        rows.append(
            {"locality_code": code, "name": registry().units[code].name, "label_lon": p.x, "label_lat": p.y}
        )
    units = pd.DataFrame(rows)
    main = units[units["locality_code"] != "318"]
    for width, height, size in ((900, 640, 12.0), (1400, 900, 14.0), (700, 560, 12.0)):
        view = map_labels.MapView.fit(
            shapes.bounds([geoms[c] for c in main["locality_code"]]),
            frame.plot_box(width, height, True),
            0.02,
        )
        labels = map_labels.place_labels(main, geoms, view, size)
        assert len(labels) == 14 and all(lb.clear for lb in labels)
        boxes = [map_labels.label_box(view, lb, gap=0) for lb in labels]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert a.intersection(b).area < 0.5
        assert all(geoms[lb.code].contains(shapely.Point(lb.lon, lb.lat)) for lb in labels)
        big = [lb for lb in labels if lb.code in ("311", "316", "317", "315")]
        assert all(lb.size == size and "<br>" not in lb.text for lb in big)


def test_choropleth_draws_communes_as_polygons_when_loaded(demo_db):
    values = map_measures(demo_db, 2023, "self")
    pilot = pilot_units(demo_db)
    communes = pilot[pilot["level"] == "commune"]["locality_code"].tolist()
    layer = _layer(communes)
    m = maps.measure("red", "Đỏ", values["red"])
    fig = maps.choropleth(_layer(HP), layer, values, pilot, m, "T", "x", False)
    outlined = [t for t in _traces(fig, "choropleth") if t.marker.line.color == "#111111"]
    assert sorted(c for t in outlined for c in t.locations) == sorted(communes)
    assert not [t for t in _traces(fig, "scattergeo") if t.mode == "markers" and t.lon[0] is not None]
    assert [t.name for t in fig.data if t.showlegend][-1] == "Phường, xã thí điểm (viền đen)"
    assert fig.layout.coloraxis.cmin == 0 and fig.layout.coloraxis.cmax >= values["red"].max()


def test_geo_charts_use_the_shipped_topojson(monkeypatch):
    """plotly.js would fetch cdn.plot.ly/un/world_110m.json for any geo subplot; ours is served locally."""
    cfg = maps.geo_config({"displaylogo": False})
    assert cfg == {"displaylogo": False, "topojsonURL": "/app/static/topojson/"}
    monkeypatch.setattr(
        export.st, "get_option", lambda name: "/iso/" if name == "server.baseUrlPath" else None
    )
    assert maps.geo_config()["topojsonURL"] == "/iso/app/static/topojson/"
    topo = json.loads((maps.TOPOJSON_DIR / "world_110m.json").read_text())
    assert topo["type"] == "Topology" and "countries" in topo["objects"]


def test_change_uses_a_symmetric_diverging_scale(demo_db):
    values = map_measures(demo_db, 2023, "self")
    m = maps.measure("change", "Δ", values["change"])
    assert m.cmin == -m.cmax and m.cmax >= values["change"].abs().max()
    assert m.colour(0.0).replace(" ", "") in ("rgb(247,247,247)", "#F7F7F7")
    assert m.text(12.5) == "+12,5" and m.text(float("nan")) == "Không có dữ liệu"


def test_schematic_has_the_15_units_named_from_the_registry(demo_db):
    values = map_measures(demo_db, 2023, "self")
    m = maps.measure("overall", "Điểm", values["overall"])
    fig = maps.schematic(district_units(demo_db), values, pilot_units(demo_db), m, "Sơ đồ", True)
    tiles = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(tiles) == 15
    grey = [s for s in tiles if s.fillcolor == maps.NO_DATA]
    assert len(grey) == 9
    text = " ".join(fig.data[0].text)
    assert "Thuỷ<br>Nguyên" in text and "Bạch<br>Long Vĩ" in text and "Không có<br>dữ liệu" in text
    layout = maps.schematic_layout()
    assert sorted(layout["locality_code"]) == HP
    assert not layout.duplicated(["row", "col"]).any()


def _png_ok(data: bytes, colours: list[str]) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(io.BytesIO(data)).convert("RGB")
    assert img.size == (1400, 900)
    assert len(data) > 30_000
    pixels = set(img.getdata())
    for hex_colour in colours:
        rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        assert any(sum(abs(a - b) for a, b in zip(p, rgb, strict=True)) < 12 for p in pixels), hex_colour
    return img


def test_png_export_of_both_maps(demo_db, artifacts):
    values = map_measures(demo_db, 2023, "self")
    pilot = pilot_units(demo_db)
    m = maps.measure("overall", "Điểm tổng hợp", values["overall"])
    choro = maps.choropleth(
        _layer(HP, far="318"),
        None,
        values,
        pilot,
        m,
        "Bản đồ — Thủy Nguyên, Kiến Thụy",
        "Ranh giới: thử",
        True,
        width=1400,
        height=900,
    )
    data = maps.figure_png(choro)
    _png_ok(data, [maps.NO_DATA])
    assert pio.defaults.topojson == maps.TOPOJSON_DIR.as_uri() + "/"
    (artifacts / "map-export-choropleth.png").write_bytes(data)
    # The names are in the exported drawing itself (SVG text, drawn with the system's fonts).
    svg = choro.to_image(format="svg", width=1400, height=900).decode()
    texts = {"".join(re.sub(r"<[^>]+>", "", x).split()) for x in re.findall(r"<text[^>]*>(.*?)</text>", svg)}
    for name in ("Lê Chân", "Hồng Bàng", "Thuỷ Nguyên", "Kiến Thuỵ", "Ngô Quyền", "Cát Hải"):
        assert "".join(name.split()) in texts, name
    assert "BạchLongVĩ(khungphụ)" in texts
    sch = maps.schematic(district_units(demo_db), values, pilot, m, "Sơ đồ", True)
    data = maps.figure_png(sch)
    _png_ok(data, [maps.NO_DATA])
    (artifacts / "map-export-schematic.png").write_bytes(data)
    json.dumps(choro.to_plotly_json(), default=str)  # the figure serialises (what Streamlit sends)
