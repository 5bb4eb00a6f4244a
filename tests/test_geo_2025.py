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
    problem = next(p for p in report.problems if p.code == "geo-nothing-matched")
    assert problem.severity == "error"
    assert "ranh giới cấp tỉnh" in problem.message_vi and "Thành phố Hải Phòng" in problem.message_vi
    assert "a province boundary: Thành phố Hải Phòng" in problem.message_en
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


# ---------------------------------------------------------------- the 2025 map


@pytest.fixture(scope="module")
def hp_2023(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every 2020-2023 commune of Hải Phòng and Hải Dương assessed in 2023 (generated,
    illustrative): the 2025 units of Hải Phòng get derived, partial and no figures."""
    from bench.national import generate_long_csvs
    from etl.load import load_files

    tmp = tmp_path_factory.mktemp("hp2025")
    paths = generate_long_csvs(tmp / "csv", ["30", "31"], (2023,))
    db = tmp / "hp.duckdb"
    assert all(r.status == "loaded" for r in load_files(paths, db, jobs=1))
    return db


def _figure(db: Path, shared_dir: Path, lang: str = "vi"):
    import shutil

    import i18n
    from query.geo import boundary_layer_2025, map_2025
    from ui import maps

    copy = db.parent / f"with-layer-{lang}.duckdb"
    if not copy.exists():
        shutil.copy(db, copy)
        assert load_file(_wards(shared_dir), copy).status == "loaded"
    i18n.set_language(lang)
    carried = map_2025(copy, 2023, "self")
    m = maps.reform_measure("overall", i18n.t("Overall score"))
    layer = boundary_layer_2025(copy)
    return maps.reform_map(layer, carried, m, "2025", "src", True), carried, layer


def test_the_2025_map_draws_the_114_units_coloured_by_status(hp_2023, shared_dir):
    from ui.maps import reform

    fig, carried, _layer = _figure(hp_2023, shared_dir)
    shapes = [d for d in fig.data if d.type == "choropleth"]
    drawn = [c for d in shapes for c in d.locations]
    assert len(drawn) == 114 and len(set(drawn)) == 114
    status = dict(zip(carried["locality_code"], carried["status"], strict=True))
    assert {"derived", "partial"} <= set(status.values())
    for d in shapes:
        kinds = {status[c] for c in d.locations}
        if d.name == "scored":  # on the score scale
            assert kinds <= set(reform.COLOURED) and d.coloraxis == "coloraxis"
        elif d.name == "partial":
            assert kinds == {"partial"} and d.colorscale[0][1] == reform.PARTIAL
        else:
            assert d.name == "none" and kinds == {"none"} and d.colorscale[0][1] == reform.NO_DATA
    # Derived units say where their figure comes from; the hover has name, status, score.
    scored = next(d for d in shapes if d.name == "scored")
    derived = [
        row for c, row in zip(scored.locations, scored.customdata, strict=True) if status[c] == "derived"
    ]
    assert derived and all(row[4].startswith("Suy ra từ: ") for row in derived)
    assert all(row[2] == "Suy ra từ tất cả đơn vị cũ hợp thành" for row in derived)
    # Only the best and worst few are named; Bạch Long Vĩ sits in an inset with its caption.
    names = next(d for d in fig.data if d.name == "labels")
    assert 0 < len(names.text) <= 2 * reform.NAMED
    assert any("Bạch Long Vĩ" in (a.text or "") for a in fig.layout.annotations)
    # The colour bar lies under the map (horizontal), never over the inset.
    bar = fig.layout.coloraxis.colorbar
    assert bar.orientation == "h" and bar.y <= 0 and bar.yanchor == "top"


def test_the_2025_map_in_english_has_no_vietnamese_labels(hp_2023, shared_dir):
    fig, _, _ = _figure(hp_2023, shared_dir, "en")
    legend = [d.name for d in fig.data if d.showlegend]
    assert "No figure" in legend and "Partial figure (not coloured)" in legend
    import i18n

    i18n.set_language("vi")


def test_the_carried_table_is_readable_best_first(hp_2023):
    import i18n
    from query.geo import map_2025
    from ui import maps

    i18n.set_language("vi")
    carried = map_2025(hp_2023, 2023, "self")
    m = maps.reform_measure("overall", "Điểm tổng hợp")
    table = maps.carried_table(carried, m)
    assert len(table) == 114
    scores = [float(v.replace(",", ".")) for v in table["Điểm tổng hợp"] if v[0].isdigit()]
    assert scores == sorted(scores, reverse=True)
    assert "Không có dữ liệu" in set(table["Điểm tổng hợp"]) or len(scores) == 114


def _open_map(db: Path, monkeypatch: pytest.MonkeyPatch, **params: str):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ISO18091_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params.update(params)
    at.run()
    at.switch_page("pages/map.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_map_page_2025_without_a_layer_says_how_to_load_one_and_shows_a_table(hp_2023, monkeypatch):
    at = _open_map(hp_2023, monkeypatch, mapview="2025", year="2023")
    assert not at.get("plotly_chart")
    assert any("python -m geo load TỆP" in i.value and "--vintage 2025" in i.value for i in at.info)
    tables = [d.value for d in at.dataframe]
    assert tables and len(tables[0]) == 20  # a page of the table, not 114 bars
    assert any("không tô màu" in c.value for c in at.caption)


def test_map_page_2025_with_a_layer_draws_the_map(hp_2023, shared_dir, monkeypatch):
    _figure(hp_2023, shared_dir)  # makes the copy with the 2025 layer
    at = _open_map(hp_2023.parent / "with-layer-vi.duckdb", monkeypatch, mapview="2025", year="2023")
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert sum(len(d.get("locations", [])) for d in spec["data"] if d["type"] == "choropleth") == 114
    # The default stays the 2020-2023 map.
    at = _open_map(hp_2023.parent / "with-layer-vi.duckdb", monkeypatch, year="2023")
    assert at.query_params.get("mapview") in (None, "2020", ["2020"])
