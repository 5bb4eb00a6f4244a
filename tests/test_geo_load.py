"""Boundary pipeline: read, reproject, repair, match by code and name, report, simplify, store."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon

from core.db import connect
from core.units import registry
from geo.load import load_file
from geo.simplify import simplify_layer
from query.geo import boundary_layer, boundary_sources
from tests.geo_helpers import bowtie, squares, write

HP_DISTRICTS = [
    "303",
    "304",
    "305",
    "306",
    "307",
    "308",
    "309",
    "311",
    "312",
    "313",
    "314",
    "315",
    "316",
    "317",
    "318",
]


def _codes(report) -> set[str]:
    return set(report.matched)


def _problem_codes(report) -> list[str]:
    return [p.code for p in report.problems]


def test_shared_district_file_matches_all_15_units(shared_dir, tmp_db):
    report = load_file(shared_dir / "geo" / "haiphong_districts.geojson", tmp_db)
    assert report.status == "loaded", report.to_dict()
    assert report.level == "district"
    assert sorted(report.matched) == HP_DISTRICTS
    assert "geo-unit-missing" not in _problem_codes(report)
    layer = boundary_layer(tmp_db, "district")
    assert len(layer) == 15
    # Shared borders stay shared after simplification: the simplified layer is still a clean coverage.
    geoms = [shapely.from_geojson(g) for g in layer["geometry"]]
    assert shapely.coverage_is_valid(geoms)
    assert report.simplify_method == "coverage" and report.vertices[1] < report.vertices[0]
    src = boundary_sources(tmp_db).iloc[0]
    assert src["file_name"] == "haiphong_districts.geojson" and len(src["sha256"]) == 64


def test_shared_commune_file_is_detected_as_communes(shared_dir, tmp_db):
    report = load_file(shared_dir / "geo" / "haiphong_communes.geojson", tmp_db)
    assert report.status == "loaded" and report.level == "commune"
    assert len(report.matched) == 217
    assert {"11296", "11368", "11410", "11476", "11632", "11758"} <= _codes(report)


def test_names_match_whatever_tone_placement_case_form_and_prefix(tmp_db, tmp_path):
    names = [
        "Thủy Nguyên",  # modern tone placement; the registry writes Thuỷ
        "Huyện Kiến Thụy",  # with type prefix and modern placement
        "QUẬN HỒNG BÀNG",  # upper case with prefix
        unicodedata.normalize("NFD", "Lê Chân"),  # decomposed form
        "Hai An",  # no diacritics: matched, with a warning
    ]
    path = write(squares(names), tmp_path / "names.geojson")
    report = load_file(path, tmp_db, level="district")
    assert report.status == "loaded"
    assert _codes(report) == {"311", "314", "303", "305", "306"}
    assert _problem_codes(report).count("geo-name-without-diacritics") == 1
    missing = next(p for p in report.problems if p.code == "geo-unit-missing")
    assert "10" in missing.message_en and "Bạch Long Vĩ" in missing.message_en


def test_unmatched_and_wrong_prefix_features_are_reported_not_dropped(tmp_db, tmp_path):
    path = write(squares(["Hồng Bàng", "Atlantis", "Quận An Lão"]), tmp_path / "x.geojson")
    report = load_file(path, tmp_db, level="district")
    assert report.status == "loaded" and _codes(report) == {"303"}
    unmatched = [p for p in report.problems if p.code == "geo-unmatched-feature"]
    # An Lão is a huyện: "Quận An Lão" is not a unit, and it is said so.
    assert sorted(p.value for p in unmatched) == ["Atlantis", "Quận An Lão"]
    assert {p.cell for p in unmatched} == {"#2", "#3"}
    assert any("Huyện An Lão" in p.message_en for p in unmatched)
    with connect(tmp_db, read_only=True) as con:
        stored = con.execute(
            "SELECT count(*) FROM boundary_problem WHERE code = 'geo-unmatched-feature'"
        ).fetchone()
    assert stored[0] == 2


def test_code_property_wins_over_name(tmp_db, tmp_path):
    gdf = squares(["Hong Bang (old name)", "Lê Chân"], codes=["303", "305"])
    report = load_file(write(gdf, tmp_path / "coded.geojson"), tmp_db, level="district")
    assert _codes(report) == {"303", "305"}
    mismatch = [p for p in report.problems if p.code == "geo-code-name-mismatch"]
    assert [p.value for p in mismatch] == ["Hong Bang (old name)"]


def test_ambiguous_commune_names_are_reported(tmp_db, tmp_path):
    reg = registry()
    seen: dict[str, int] = {}
    for u in reg.units.values():
        if u.province_code == "31" and u.level == "commune":
            seen[u.name] = seen.get(u.name, 0) + 1
    twice = sorted(n for n, k in seen.items() if k > 1)
    assert twice, "Hải Phòng has communes sharing a name"
    path = write(squares([twice[0], "Quán Toan"]), tmp_path / "communes.geojson")
    report = load_file(path, tmp_db, level="commune")
    assert _codes(report) == {"11296"}
    amb = [p for p in report.problems if p.code == "geo-ambiguous-feature"]
    assert len(amb) == 1 and amb[0].value == twice[0]


def test_reprojected_geopackage_lands_in_hai_phong(tmp_db, tmp_path):
    gdf = squares(["Hồng Bàng", "Ngô Quyền"]).to_crs("EPSG:32648")  # UTM 48N, metres
    assert gdf.total_bounds[0] > 1000  # really in metres on disk
    path = write(gdf, tmp_path / "utm.gpkg", driver="GPKG")
    report = load_file(path, tmp_db)
    assert report.status == "loaded"
    layer = boundary_layer(tmp_db, "district")
    assert 106.4 < layer["label_lon"].min() < layer["label_lon"].max() < 106.7
    assert 20.79 < layer["label_lat"].min() < 20.86
    assert boundary_sources(tmp_db).iloc[0]["source_crs"].endswith("32648")


def test_zipped_shapefile_is_read(tmp_db, tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    write(squares(["Kiến An", "Đồ Sơn"]), folder / "hp.shp", driver="ESRI Shapefile")
    archive = tmp_path / "hp.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in folder.iterdir():
            z.write(f, f"data/{f.name}")
    report = load_file(archive, tmp_db)
    assert report.status == "loaded" and _codes(report) == {"307", "308"}


def test_invalid_geometry_is_repaired(tmp_db, tmp_path):
    gdf = gpd.GeoDataFrame(
        {"name": ["Dương Kinh", "An Dương"]}, geometry=[bowtie(), bowtie(106.8)], crs="EPSG:4326"
    )
    assert not gdf.geometry.is_valid.any()
    report = load_file(write(gdf, tmp_path / "bow.geojson"), tmp_db)
    assert report.status == "loaded" and _codes(report) == {"309", "312"}
    repaired = next(p for p in report.problems if p.code == "geo-repaired")
    assert "Dương Kinh" in repaired.message_vi
    layer = boundary_layer(tmp_db, "district")
    for g in layer["geometry"]:
        geom = shapely.from_geojson(g)
        assert geom.is_valid and geom.area > 0


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("units.csv", "code,name\n303,Hồng Bàng\n", "geo-no-geometry"),
        ("broken.geojson", '{"type": "FeatureCollection", "features": [', "geo-file-unreadable"),
        ("notes.gpkg", "this is not a geopackage", "geo-file-unreadable"),
    ],
)
def test_a_file_that_is_not_geometry_is_refused_and_nothing_is_written(tmp_db, tmp_path, name, content, code):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    report = load_file(path, tmp_db)
    assert report.status == "rejected" and not report.ok
    assert [p.code for p in report.problems] == [code]
    assert report.problems[0].message_vi and report.problems[0].message_en
    assert not tmp_db.exists() or boundary_sources(tmp_db, active_only=False).empty


def test_points_only_file_is_not_a_boundary_file(tmp_db, tmp_path):
    gdf = gpd.GeoDataFrame(
        {"name": ["Hồng Bàng"]}, geometry=gpd.points_from_xy([106.6], [20.85]), crs="EPSG:4326"
    )
    report = load_file(write(gdf, tmp_path / "points.geojson"), tmp_db)
    assert report.status == "rejected" and report.problems[0].code == "geo-no-geometry"


def test_nothing_matched_is_an_error(tmp_db, tmp_path):
    report = load_file(
        write(squares(["Atlantis", "Lemuria"]), tmp_path / "none.geojson"), tmp_db, level="district"
    )
    assert report.status == "rejected"
    assert "geo-nothing-matched" in _problem_codes(report)
    assert not tmp_db.exists() or boundary_sources(tmp_db, active_only=False).empty


def test_parts_merge_and_a_far_namesake_is_left_out(tmp_db, tmp_path):
    # Cát Hải in two island parts; An Lão twice, once 900 km away (Bình Định has an An Lão too).
    gdf = squares(["Hồng Bàng", "Lê Chân", "Cát Hải", "Cát Hải", "An Lão"])
    far = squares(["An Lão"])
    far = far.set_geometry(far.translate(xoff=2.5, yoff=-6.7))
    gdf = gpd.GeoDataFrame(pd.concat([gdf, far], ignore_index=True), crs="EPSG:4326")
    report = load_file(write(gdf, tmp_path / "parts.geojson"), tmp_db, level="district")
    assert _codes(report) == {"303", "305", "317", "313"}
    assert "geo-merged-parts" in _problem_codes(report)
    far_p = [p for p in report.problems if p.code == "geo-elsewhere"]
    assert [p.cell for p in far_p] == ["#6"]
    layer = boundary_layer(tmp_db, "district").set_index("locality_code")
    assert shapely.from_geojson(layer.loc["313", "geometry"]).bounds[1] > 20  # the Hải Phòng one


def test_same_file_twice_is_a_no_op_and_a_new_file_replaces_the_layer(tmp_db, tmp_path):
    first = write(squares(["Hồng Bàng"]), tmp_path / "a.geojson")
    assert load_file(first, tmp_db).status == "loaded"
    again = load_file(first, tmp_db)
    assert again.status == "duplicate" and again.ok
    second = write(squares(["Hồng Bàng", "Lê Chân"]), tmp_path / "b.geojson")
    assert load_file(second, tmp_db).status == "loaded"
    all_sources = boundary_sources(tmp_db, active_only=False)
    assert len(all_sources) == 2
    active = boundary_sources(tmp_db)
    assert list(active["file_name"]) == ["b.geojson"]
    assert sorted(boundary_layer(tmp_db, "district")["locality_code"]) == ["303", "305"]


def test_coverage_simplification_keeps_shared_borders_shared():
    # Two neighbours sharing a wiggly border of 400 vertices.
    import math

    border = [(106.6 + 0.0005 * math.sin(i / 3), 20.8 + i * 0.0005) for i in range(400)]
    top = border[-1][1]
    left = Polygon([(106.5, 20.8), *border, (106.5, top)])
    right = Polygon([(106.7, 20.8), (106.7, top), *reversed(border)])
    assert shapely.coverage_is_valid([left, right])
    simple, method = simplify_layer([left, right], tolerance=0.001)
    assert method == "coverage"
    assert shapely.get_num_coordinates(simple[0]) < shapely.get_num_coordinates(left) / 4
    # No gap and no overlap: they still touch along one common line.
    assert simple[0].intersection(simple[1]).area == pytest.approx(0, abs=1e-12)
    assert simple[0].intersection(simple[1]).length > 0.15
    assert shapely.union_all(simple).geom_type == "Polygon"


def test_cli_load_and_status(tmp_db, tmp_path):
    import subprocess
    import sys

    path = write(squares(["Hồng Bàng", "Atlantis"]), tmp_path / "cli.geojson")
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        [sys.executable, "-m", "geo", "load", str(path), "--db", str(tmp_db)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "loaded" in run.stdout and "geo-unmatched-feature" in run.stdout and "Atlantis" in run.stdout
    status = subprocess.run(
        [sys.executable, "-m", "geo", "status", "--db", str(tmp_db)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert status.returncode == 0 and "cli.geojson" in status.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    refused = subprocess.run(
        [sys.executable, "-m", "geo", "load", str(bad), "--db", str(tmp_db)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 1 and "geo-no-geometry" in refused.stdout
