"""The map page in a real browser, offline: with the shared boundaries loaded and with none.

Every request the page makes is recorded; any host other than the local server fails the
test (the dashboard runs on intranets with no internet; plotly's world topojson must come from
the app's static folder). Unit names must be written on the map as SVG text, none on another. Bytes received (HTTP bodies and
websocket frames) and the time to draw are written to test-artifacts/map-e2e.json.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import wait_idle

pytestmark = pytest.mark.e2e


def _db_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database (the session one is read-only for everyone)."""
    db = tmp_path / "map.duckdb"
    shutil.copy(demo_db, db)
    wal = Path(str(demo_db) + ".wal")
    if wal.exists():
        shutil.copy(wal, Path(str(db) + ".wal"))
    return db


class _Recorder:
    def __init__(self, page) -> None:
        self.urls: list[str] = []
        self.http_bytes = 0
        self.ws_bytes = 0
        self.topojson_bytes = 0
        page.on("request", lambda r: self.urls.append(r.url))
        page.on("requestfinished", self._finished)
        page.on("websocket", self._socket)

    def _finished(self, request) -> None:
        with contextlib.suppress(Exception):  # a request torn down by navigation has no sizes
            size = request.sizes()["responseBodySize"]
            self.http_bytes += size
            if "/app/static/topojson/" in request.url:
                self.topojson_bytes += size

    def _socket(self, ws) -> None:
        ws.on("framereceived", lambda payload: self._frame(payload))

    def _frame(self, payload: object) -> None:
        self.ws_bytes += len(payload) if payload is not None else 0

    def foreign(self) -> list[str]:
        return [
            u
            for u in self.urls
            if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and urlparse(u).hostname not in ("127.0.0.1",)
        ]


def _open_map(
    browser, url: str, artifacts: Path, name: str, ready: str, query: str = ""
) -> tuple[object, _Recorder, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    rec = _Recorder(page)
    start = time.monotonic()
    page.goto(url + "/map" + query)
    try:
        page.wait_for_selector(ready, timeout=60_000)
    except Exception:  # a chart left blank: say which request went out, if one did
        assert rec.foreign() == [], f"requests left the local server: {rec.foreign()[:5]}"
        raise
    wait_idle(page)
    drawn = time.monotonic() - start
    page.wait_for_timeout(500)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    page.locator('[data-testid="stPlotlyChart"]').screenshot(path=str(artifacts / f"{name}-chart.png"))
    page.locator('[data-testid="stExpander"]').last.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / f"{name}-below.png"))
    return page, rec, drawn


def _record(artifacts: Path, name: str, rec: _Recorder, drawn: float) -> None:
    out = artifacts / "map-e2e.json"
    data = json.loads(out.read_text()) if out.exists() else {}
    data[name] = {
        "requests": len(rec.urls),
        "http_body_bytes": rec.http_bytes,
        "websocket_bytes": rec.ws_bytes,
        "topojson_bytes": rec.topojson_bytes,
        "seconds_to_draw": round(drawn, 2),
    }
    out.write_text(json.dumps(data, indent=2))
    print(name, data[name])


NAMES = (
    "Hồng Bàng",
    "Ngô Quyền",
    "Lê Chân",
    "Hải An",
    "Kiến An",
    "Đồ Sơn",
    "Dương Kinh",
    "Thuỷ Nguyên",
    "An Dương",
    "An Lão",
    "Kiến Thuỵ",
    "Tiên Lãng",
    "Vĩnh Bảo",
    "Cát Hải",
)
ON_MAP = '[data-testid="stPlotlyChart"] .geo .trace.scattergeo text'


def _squash(text: str) -> str:
    return "".join(text.split())


def _map_labels(page) -> dict[str, dict[str, float]]:
    """The unit names drawn on the map as SVG <text>, with their boxes on screen."""
    out = {}
    for el in page.locator(ON_MAP).all():
        text = el.text_content() or ""
        box = el.bounding_box()
        if text.strip() and box:
            out[_squash(text)] = box
    return out


def _check_labels(page) -> dict[str, dict[str, float]]:
    """Every unit on the main map is named (with its diacritics) and no two names overlap."""
    found = _map_labels(page)
    for name in NAMES:
        assert _squash(name) in found, f"{name} is not written on the map: {sorted(found)}"
    chart = page.locator('[data-testid="stPlotlyChart"]').bounding_box()
    boxes = list(found.items())
    for i, (a, p) in enumerate(boxes):
        assert p["x"] >= chart["x"] and p["x"] + p["width"] <= chart["x"] + chart["width"], a
        for b, q in boxes[i + 1 :]:
            overlap_x = min(p["x"] + p["width"], q["x"] + q["width"]) - max(p["x"], q["x"])
            overlap_y = min(p["y"] + p["height"], q["y"] + q["height"]) - max(p["y"], q["y"])
            assert overlap_x <= 1 or overlap_y <= 1, f"the names {a} and {b} overlap"
    return found


def _click_name(page, name: str) -> None:
    """Click a unit where its name is written (the names sit inside their unit and let clicks through)."""
    page.locator('[data-testid="stPlotlyChart"]').scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = _map_labels(page)[_squash(name)]
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_map_with_shared_boundaries_draws_offline(
    demo_db, shared_dir, tmp_path, streamlit_server, browser, artifacts
):
    from geo.load import load_file

    db = _db_copy(demo_db, tmp_path)
    report = load_file(shared_dir / "geo" / "haiphong_districts.geojson", db, level="district")
    assert report.status == "loaded" and len(report.matched) == 15
    url = streamlit_server(db)
    ready = ON_MAP
    page, rec, drawn = _open_map(browser, url, artifacts, "map-boundaries", ready)
    try:
        assert rec.foreign() == [], f"requests left the local server: {rec.foreign()[:5]}"
        # plotly's world topojson came from the local server, not from cdn.plot.ly.
        assert rec.topojson_bytes > 20_000, rec.urls  # 136 KB of JSON, gzipped on the wire
        chart = page.locator('[data-testid="stPlotlyChart"]')
        text = chart.inner_text()
        # Legend and attribution in Vietnamese, boundary source named on the map.
        assert "Không có dữ liệu" in text
        assert "haiphong_districts.geojson" in text
        assert "Bạch Long Vĩ" in text  # the inset's caption
        _check_labels(page)
        from PIL import Image

        shot = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
        pixels = list(shot.getdata())

        def share(rgb: tuple[int, int, int]) -> float:
            return sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, rgb, strict=True)) < 10) / len(
                pixels
            )

        assert share((0xD4, 0xD4, 0xD4)) > 0.03  # the 9 districts without data
        coloured = sum(1 for r, g, b in pixels if g > 150 and b < 120 and abs(r - g) > 20) / len(pixels)
        assert coloured > 0.005  # yellow-green scored districts
        _record(artifacts, "with_boundaries", rec, drawn)
        # The PNG download: a real PNG of the map, made on the server with no internet.
        with page.expect_download(timeout=60_000) as dl:
            page.get_by_role("button", name="Tải bản đồ này (PNG)").click()
        png = Path(dl.value.path()).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 30_000
        assert Image.open(io.BytesIO(png)).size == (1400, 900)
        (artifacts / "map-download.png").write_bytes(png)
        # A grey unit has no profile to open: the page says so and stays.
        _click_name(page, "Vĩnh Bảo")
        page.get_by_text("Vĩnh Bảo không có kỳ").wait_for(timeout=30_000)
        assert "/map" in page.url
        # Clicking a scored unit on the map opens its profile.
        wait_idle(page)
        _click_name(page, "Tiên Lãng")
        page.wait_for_url("**/profile?**unit=2020%3A315**", timeout=30_000)
        assert rec.foreign() == [], f"requests left the local server: {rec.foreign()[:5]}"
    finally:
        page.close()


def test_map_in_english_names_units_and_links_profiles(
    demo_db, shared_dir, tmp_path, streamlit_server, browser, artifacts
):
    from geo.load import load_file

    db = _db_copy(demo_db, tmp_path)
    load_file(shared_dir / "geo" / "haiphong_districts.geojson", db, level="district")
    load_file(shared_dir / "geo" / "haiphong_communes.geojson", db, level="commune")
    url = streamlit_server(db)
    page, rec, drawn = _open_map(browser, url, artifacts, "map-boundaries-en", ON_MAP, "?lang=en")
    try:
        assert rec.foreign() == [], f"requests left the local server: {rec.foreign()[:5]}"
        text = page.locator('[data-testid="stPlotlyChart"]').inner_text()
        assert "No data" in text and "Không có dữ liệu" not in text
        assert "black outline" in text  # pilot wards/communes drawn as their own polygons
        _check_labels(page)  # unit names stay Vietnamese (they are names), legend is English
        _record(artifacts, "with_boundaries_en", rec, drawn)
        page.get_by_role("link", name="Hồng Bàng", exact=False).first.click()
        page.wait_for_url("**/profile?**unit=2020%3A303**", timeout=30_000)
        assert rec.foreign() == [], f"requests left the local server: {rec.foreign()[:5]}"
    finally:
        page.close()


def test_map_without_boundaries_shows_schematic_offline(
    demo_db, tmp_path, streamlit_server, browser, artifacts
):
    db = _db_copy(demo_db, tmp_path)
    url = streamlit_server(db)
    page, rec, drawn = _open_map(
        browser, url, artifacts, "map-schematic", '[data-testid="stPlotlyChart"] .main-svg'
    )
    try:
        assert rec.foreign() == [], f"requests left the local server: {rec.foreign()[:5]}"
        text = page.locator('[data-testid="stPlotlyChart"]').inner_text()
        squashed = _squash(text)  # long names wrap onto two lines inside a tile
        for name in ("Hồng Bàng", "Bạch Long Vĩ", "Kiến Thuỵ", "Thuỷ Nguyên", "Không có dữ liệu"):
            assert _squash(name) in squashed
        svg_text = _squash(
            " ".join(page.locator('[data-testid="stPlotlyChart"] svg text').all_text_contents())
        )
        assert "LêChân" in svg_text  # names are SVG text in the chart itself
        assert "sơ đồ" in text.lower()
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "python -m geo load" in body
        _record(artifacts, "schematic", rec, drawn)
    finally:
        page.close()


@pytest.fixture(scope="module")
def hp_2025_db(tmp_path_factory, shared_dir) -> Path:
    """Every 2020-2023 commune of Hải Phòng and Hải Dương assessed in 2023 (generated, illustrative),
    the 2020 district layer and the 2025 wards layer loaded."""
    from bench.national import generate_long_csvs
    from etl.load import load_files
    from geo.load import load_file

    wards = shared_dir / "geo" / "2025" / "haiphong_2025_wards.geojson"
    if not wards.exists():
        pytest.skip(f"{wards} is absent")
    tmp = tmp_path_factory.mktemp("map2025")
    db = tmp / "hp.duckdb"
    assert all(
        r.status == "loaded"
        for r in load_files(generate_long_csvs(tmp / "csv", ["30", "31"], (2023,)), db, jobs=1)
    )
    assert load_file(shared_dir / "geo" / "haiphong_districts.geojson", db).status == "loaded"
    assert load_file(wards, db).vintage == "2025"
    return db


# English words that must not show in the Vietnamese page (unit names and file names have none).
_ENGLISH = re.compile(
    r"\b(the|of|and|map|score|units?|partial|derived|assessed|predecessors?|download|colour|method|"
    r"boundaries|no data|inset|status)\b",
    re.IGNORECASE,
)


def _boxes_overlap(p: dict[str, float], q: dict[str, float]) -> bool:
    overlap_x = min(p["x"] + p["width"], q["x"] + q["width"]) - max(p["x"], q["x"])
    overlap_y = min(p["y"] + p["height"], q["y"] + q["height"]) - max(p["y"], q["y"])
    return overlap_x > 1 and overlap_y > 1


@pytest.mark.parametrize("width", [1440, 420])
def test_map_2025_in_vietnamese_at_desktop_and_phone_width(
    hp_2025_db, streamlit_server, new_page, artifacts, width
):
    url = streamlit_server(hp_2025_db)
    # Tall enough for the whole view in one picture (Streamlit scrolls inside its own container).
    page = new_page(width=width, height=2000 if width > 640 else 2900)
    rec = _Recorder(page)
    page.goto(url + "/map?mapview=2025")
    chart = page.locator('[data-testid="stPlotlyChart"]')
    chart.locator(".choroplethlocation").first.wait_for(timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(500)
    assert page.locator('[data-testid="stException"]').count() == 0
    # The 114 units are drawn as SVG paths, inset included (Bạch Long Vĩ).
    assert chart.locator(".choroplethlocation").count() >= 114
    text = chart.inner_text()
    assert "Bạch Long Vĩ" in text and "Số liệu một phần" in text and "Không có số liệu" in text
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "Bản đồ 2025" in body and "suy ra từ tất cả đơn vị cũ" in body
    english = sorted({m.group(0) for m in _ENGLISH.finditer(body)})
    assert not english, f"English in the Vietnamese page: {english}"
    assert rec.foreign() == [], f"requests left the local server: {rec.foreign()[:5]}"
    # Names on the map: a few at desktop width, none on a phone; never on top of one another.
    names = [
        b
        for el in page.locator(ON_MAP).all()
        if (el.text_content() or "").strip() and (b := el.bounding_box())
    ]
    if width < 640:
        assert names == []
    else:
        assert 0 < len(names) <= 6
        for i, p in enumerate(names):
            assert not any(_boxes_overlap(p, q) for q in names[i + 1 :])
    # The colour bar lies under the map: it covers neither the inset nor the map.
    bar = chart.locator(".colorbar").bounding_box()
    inset = chart.locator(".shapelayer path").first.bounding_box()
    geo = chart.locator(".geolayer .bg, .geo .bg").first.bounding_box() or inset
    assert bar and inset and not _boxes_overlap(bar, inset)
    assert bar["y"] >= inset["y"] + inset["height"]
    # Nothing is cut at the right edge: the inset's caption stays inside the chart.
    caption = chart.locator(".annotation", has_text="Bạch Long Vĩ").bounding_box()
    box = chart.bounding_box()
    assert caption["x"] >= box["x"] - 1 and caption["x"] + caption["width"] <= box["x"] + box["width"] + 1
    del geo
    page.screenshot(path=str(artifacts / f"screen-map2025-vi-{width}.png"), full_page=True)


def test_map_2020_on_a_phone_keeps_the_inset_clear(hp_2025_db, streamlit_server, new_page, artifacts):
    """At 420 px the 2020-2023 map's colour bar sits under the map, clear of the Bạch Long Vĩ inset,
    and no two names on the map touch (names are hidden at phone width)."""
    url = streamlit_server(hp_2025_db)
    page = new_page(width=420, height=2400)
    page.goto(url + "/map?mapview=2020")
    chart = page.locator('[data-testid="stPlotlyChart"]')
    chart.locator(".choroplethlocation").first.wait_for(timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(500)
    bar = chart.locator(".colorbar").bounding_box()
    inset = chart.locator(".shapelayer path").first.bounding_box()
    assert bar and inset and not _boxes_overlap(bar, inset)
    names = [
        b
        for el in page.locator(ON_MAP).all()
        if (el.text_content() or "").strip() and (b := el.bounding_box())
    ]
    for i, p in enumerate(names):
        assert not any(_boxes_overlap(p, q) for q in names[i + 1 :])
    caption = chart.locator(".annotation", has_text="Bạch Long Vĩ").bounding_box()
    box = chart.bounding_box()
    assert caption["x"] >= box["x"] - 1 and caption["x"] + caption["width"] <= box["x"] + box["width"] + 1
    page.screenshot(path=str(artifacts / "screen-map2020-vi-420.png"), full_page=True)
