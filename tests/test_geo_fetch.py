"""``python -m geo fetch`` against a local HTTP server serving a geoBoundaries-style fixture."""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from query.geo import boundary_layer, boundary_sources
from tests.conftest import free_port
from tests.geo_helpers import squares

ROOT = Path(__file__).resolve().parent.parent


def _adm2_fixture() -> dict:
    """A small national ADM2 file in geoBoundaries' shape: names without a GSO code."""
    hp = squares(["Hong Bang", "Lê Chân", "Thuy Nguyen", "An Lão"])
    elsewhere = squares(["Ba Đình", "An Lão"])  # Hà Nội; and Bình Định's An Lão, 900 km south
    elsewhere = elsewhere.set_geometry(elsewhere.translate(xoff=0.3, yoff=0.2).set_axis(elsewhere.index))
    elsewhere.loc[1, "geometry"] = squares(["An Lão"]).translate(xoff=2.5, yoff=-6.7).iloc[0]
    gdf = gpd.GeoDataFrame(pd.concat([hp, elsewhere], ignore_index=True), crs="EPSG:4326")
    gdf = gdf.rename(columns={"name": "shapeName"})
    gdf["shapeISO"] = ""
    gdf["shapeID"] = [f"VNM-ADM2-{i}" for i in range(len(gdf))]
    gdf["shapeGroup"] = "VNM"
    gdf["shapeType"] = "ADM2"
    return json.loads(gdf.to_json())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """127.0.0.1 serving api.json (geoBoundaries metadata) and the GeoJSON it points to."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "geoBoundaries-VNM-ADM2_simplified.geojson").write_text(
        json.dumps(_adm2_fixture()), encoding="utf-8"
    )
    srv = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    )
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    meta = {
        "boundaryISO": "VNM",
        "boundaryType": "ADM2",
        "boundarySource": "Open Development Mekong, Dept of Survey and Mapping",
        "boundaryLicense": "Creative Commons Attribution-ShareAlike 4.0 International",
        "gjDownloadURL": f"{base}/missing-full.geojson",
        "simplifiedGeometryGeoJSON": f"{base}/geoBoundaries-VNM-ADM2_simplified.geojson",
    }
    (root / "api.json").write_text(json.dumps(meta), encoding="utf-8")
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield base
    srv.shutdown()
    srv.server_close()


def _geo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_fetch_keeps_hai_phong_prints_licence_and_loads(server, tmp_db):
    run = _geo("fetch", "--url", f"{server}/api.json", "--db", str(tmp_db))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Creative Commons Attribution-ShareAlike 4.0 International" in run.stdout
    assert "Open Development Mekong" in run.stdout and "geoBoundaries" in run.stdout
    layer = boundary_layer(tmp_db, "district")
    assert sorted(layer["locality_code"]) == ["303", "305", "311", "313"]
    # The Hải Phòng An Lão, not Bình Định's.
    assert layer.set_index("locality_code").loc["313", "label_lat"] > 20
    assert "geo-elsewhere" in run.stdout and "geo-outside-scope" in run.stdout
    src = boundary_sources(tmp_db).iloc[0]
    assert src["licence"].startswith("Creative Commons") and "geoBoundaries" in src["attribution"]
    assert src["url"].endswith("_simplified.geojson")
    kept = tmp_db.parent / "test.files" / "boundaries" / "geoBoundaries-VNM-ADM2_simplified.geojson"
    assert kept.exists()


def test_fetch_plain_geojson_url(server, tmp_db):
    run = _geo("fetch", "--url", f"{server}/geoBoundaries-VNM-ADM2_simplified.geojson", "--db", str(tmp_db))
    assert run.returncode == 0, run.stderr
    assert "check the source" in run.stdout  # no licence in a bare file: said so
    assert len(boundary_layer(tmp_db, "district")) == 4


def test_fetch_offline_is_a_clear_error(tmp_db):
    port = free_port()  # nothing listens there
    run = _geo("fetch", "--url", f"http://127.0.0.1:{port}/api.json", "--db", str(tmp_db), "--timeout", "5")
    assert run.returncode == 1
    assert "geo-offline" in run.stderr
    assert "offline" in run.stderr and "python -m geo load" in run.stderr
    assert "Traceback" not in run.stderr
    assert not tmp_db.exists() or boundary_sources(tmp_db, active_only=False).empty


def test_fetch_of_something_that_is_not_boundaries(server, tmp_db, tmp_path):
    run = _geo("fetch", "--url", f"{server}/nothing-here.json", "--db", str(tmp_db))
    assert run.returncode == 1 and "geo-bad-download" in run.stderr and "HTTP 404" in run.stderr
