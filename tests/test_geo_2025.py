"""Boundaries of the 2025 units: the unit list detected from a file's codes and names, a layer per
(level, unit list, province), the migration of older databases, and the 2025 map figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core import schema
from core.db import connect
from core.units import registry
from geo.load import load_file
from query.geo import boundary_layer, boundary_sources
from tests.geo_helpers import squares, write

ROOT = Path(__file__).resolve().parent.parent


def _wards(shared_dir: Path) -> Path:
    path = shared_dir / "geo" / "2025" / "haiphong_2025_wards.geojson"
    if not path.exists():
        pytest.skip(f"{path} is absent (the 2025 boundary layer sits in ../shared/geo/2025 in CI)")
    return path


def _hp_2025_communes(n: int) -> list:
    reg = registry("2025")
    return sorted(
        (u for u in reg.units.values() if u.level == "commune" and u.province_code == "31"), key=str
    )[:n]


def test_shared_2025_wards_match_the_114_units_of_the_2025_list(shared_dir, tmp_db):
    report = load_file(_wards(shared_dir), tmp_db)
    assert report.status == "loaded", report.to_dict()
    assert report.vintage == "2025" and report.level == "commune"
    assert len(report.matched) == 114
    assert "geo-code-name-mismatch" not in [p.code for p in report.problems]
    layer = boundary_layer(tmp_db, "commune", vintage="2025")
    assert len(layer) == 114
    assert all(i.startswith("2025:") for i in layer["locality_id"])
    assert layer["locality_id"].nunique() == 114
    src = boundary_sources(tmp_db)
    assert list(src["vintage"]) == ["2025"] and list(src["level"]) == ["commune"]
    # The 2020 commune layer is a different layer: none is loaded.
    assert boundary_layer(tmp_db, "commune").empty


def test_a_2025_layer_leaves_the_2020_district_layer_active(shared_dir, tmp_db):
    districts = load_file(shared_dir / "geo" / "haiphong_districts.geojson", tmp_db)
    assert districts.status == "loaded" and districts.vintage == "2020"
    wards = load_file(_wards(shared_dir), tmp_db, vintage="2025")  # stated explicitly
    assert wards.status == "loaded" and wards.vintage == "2025"
    active = boundary_sources(tmp_db)
    assert sorted(zip(active["level"], active["vintage"], strict=True)) == [
        ("commune", "2025"),
        ("district", "2020"),
    ]
    assert len(boundary_layer(tmp_db, "district")) == 15
    assert len(boundary_layer(tmp_db, "commune", vintage="2025")) == 114


def test_the_unit_list_is_detected_from_codes_and_names(tmp_db, tmp_path):
    """A 2025 code is often also a 2020 code (of another unit): the names decide."""
    units = _hp_2025_communes(4)
    path = write(squares([u.name_with_type for u in units], [u.code for u in units]), tmp_path / "w.geojson")
    report = load_file(path, tmp_db)
    assert report.status == "loaded" and report.vintage == "2025", report.to_dict()
    assert sorted(boundary_layer(tmp_db, "commune", vintage="2025")["locality_id"]) == sorted(
        u.locality_id for u in units
    )
    # The same file stated as the 2020 list matches its codes there, with the names disagreeing.
    stated = load_file(path, tmp_db, vintage="2020", level="commune")
    assert stated.vintage == "2020"


def test_a_newer_2025_load_replaces_only_the_2025_layer(tmp_db, tmp_path):
    units = _hp_2025_communes(3)
    first = write(
        squares([u.name_with_type for u in units[:2]], [u.code for u in units[:2]]), tmp_path / "a.geojson"
    )
    second = write(
        squares([u.name_with_type for u in units], [u.code for u in units]), tmp_path / "b.geojson"
    )
    old = write(squares(["Hồng Bàng", "Lê Chân"]), tmp_path / "d.geojson")
    assert load_file(old, tmp_db).vintage == "2020"
    assert load_file(first, tmp_db).status == "loaded"
    assert load_file(second, tmp_db).status == "loaded"
    active = boundary_sources(tmp_db)
    assert sorted(active["file_name"]) == ["b.geojson", "d.geojson"]
    assert len(boundary_layer(tmp_db, "commune", vintage="2025")) == 3
    assert sorted(boundary_layer(tmp_db, "district")["locality_code"]) == ["303", "305"]


def test_a_province_layer_is_refused_with_a_clear_problem(shared_dir, tmp_db):
    path = shared_dir / "geo" / "2025" / "haiphong_2025_province.geojson"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    report = load_file(path, tmp_db)
    assert report.status == "rejected"
    problem = next(p for p in report.problems if p.code == "geo-province-layer")
    assert "Thành phố Hải Phòng" in problem.message_vi and "tỉnh" in problem.message_vi
    assert not tmp_db.exists() or boundary_sources(tmp_db, active_only=False).empty


def test_migration_keeps_older_layers_as_2020_layers(tmp_db, monkeypatch):
    """A database made before v007 holds layers of the 2020 list: they stay active, as 2020."""
    tmp_db.parent.mkdir(parents=True, exist_ok=True)
    with connect(tmp_db) as con:
        for v, ddl in schema.MIGRATIONS:
            if v < 7:
                con.execute(ddl)
                con.execute("INSERT INTO schema_version (version) VALUES (?)", [v])
        con.execute(
            """INSERT INTO boundary_source (level, province_code, file_name, size_bytes, sha256,
                   features_read, units_matched) VALUES ('district', '31', 'old.geojson', 1, 'x', 15, 15)"""
        )
    schema._ENSURED.discard(tmp_db.resolve())
    schema.ensure_database(tmp_db)
    src = boundary_sources(tmp_db)
    assert list(src["vintage"]) == ["2020"] and bool(src["active"].iloc[0])


def test_cli_accepts_an_explicit_unit_list(tmp_db, tmp_path):
    units = _hp_2025_communes(2)
    path = write(squares([u.name for u in units], [u.code for u in units]), tmp_path / "w.geojson")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "load",
            str(path),
            "--db",
            str(tmp_db),
            "--vintage",
            "2025",
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["vintage"] == "2025" and out["units_matched"] == 2
    bad = subprocess.run(
        [sys.executable, "-m", "geo", "load", str(path), "--db", str(tmp_db), "--vintage", "2019"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
