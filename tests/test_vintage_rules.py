"""Issue 10: one key per unit; units of either list (2020 or 2025) load, by the rule in the README."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import openpyxl
import pytest

from core.db import connect
from core.schema import ensure_database
from core.units import Registry, registry
from etl.store import Item, write_items
from etl.template import write_template
from etl.validate import parse_bytes, vintages_for
from tests import files

ROOT = Path(__file__).resolve().parent.parent
# Phường Gia Viên is a ward of Hải Phòng in both lists, with different codes (2020:11347, 2025:11359):
# the year must tell them apart.
SHARED_NAME, OLD_ID, NEW_ID = "Phường Gia Viên", "2020:11347", "2025:11359"


@pytest.fixture(scope="module")
def regs() -> dict[str, Registry]:
    return {"2020": registry("2020"), "2025": registry("2025")}


def parse(path: Path, regs: dict[str, Registry]):
    return parse_bytes(path.name, path.read_bytes(), registries=regs)


def test_the_year_picks_the_unit_list():
    assert vintages_for(2023) == ("2020",) and vintages_for(2024) == ("2020",)
    assert vintages_for(2026) == ("2025",) and vintages_for(2025) == ("2020", "2025")


@pytest.mark.parametrize("year,expected", [(2024, OLD_ID), (2026, NEW_ID)])
def test_a_name_in_both_lists_resolves_by_year(tmp_path, regs, year, expected):
    p = files.template(tmp_path / "t.xlsx", unit_code=None, district=None, year=year, unit_name=SHARED_NAME)
    parsed = parse(p, regs)
    assert parsed.ok, [(x.code, x.message_en) for x in parsed.problems]
    assert parsed.assessments[0].unit.locality_id == expected


def test_year_2025_tries_both_lists_and_names_both_when_both_match(tmp_path, regs):
    p = files.template(tmp_path / "t.xlsx", unit_code=None, district=None, year=2025, unit_name=SHARED_NAME)
    parsed = parse(p, regs)
    [amb] = [x for x in parsed.problems if x.code == "ambiguous-locality"]
    assert OLD_ID in amb.message_vi and NEW_ID in amb.message_vi
    # One list stated: no doubt left.
    files.info(p, {"Danh mục đơn vị": 2025})
    parsed = parse(p, regs)
    assert parsed.ok and parsed.assessments[0].unit.locality_id == NEW_ID
    # A unit only in one list needs nothing stated in 2025.
    q = files.template(
        tmp_path / "q.xlsx", unit_code=None, district=None, year=2025, unit_name="Đặc khu Cát Hải"
    )
    assert parse(q, regs).assessments[0].unit.locality_id == "2025:11914"


def test_a_code_written_with_its_list(tmp_path, regs):
    p = files.template(tmp_path / "t.xlsx", unit_code="2025:11311", unit_name=None, district=None, year=2025)
    parsed = parse(p, regs)
    assert parsed.ok and parsed.assessments[0].unit.locality_id == "2025:11311"
    files.info(p, {"Danh mục đơn vị": 2020})
    codes = [x.code for x in parse(p, regs).problems]
    assert "metadata-conflict" in codes


def test_a_bad_unit_list_is_an_error(tmp_path, regs):
    p = files.info(files.template(tmp_path / "t.xlsx"), {"Danh mục đơn vị": "2019"})
    assert [x.code for x in parse(p, regs).problems] == ["bad-vintage"]


def test_province_matching_in_the_2025_list(tmp_path, regs):
    p = files.template(
        tmp_path / "t.xlsx",
        province="Thành phố Hải Phòng",
        unit_code=None,
        district=None,
        year=2026,
        unit_name="Hồng Bàng",
    )
    parsed = parse(p, regs)
    assert parsed.ok and parsed.assessments[0].unit.locality_id == "2025:11311"
    p = files.template(
        tmp_path / "u.xlsx",
        province="Tỉnh Không Có",
        unit_code=None,
        district=None,
        year=2026,
        unit_name="Hồng Bàng",
    )
    assert "unknown-province" in [x.code for x in parse(p, regs).problems]


def test_template_prefilled_for_a_2025_unit_loads_as_that_unit(tmp_path, regs):
    unit = regs["2025"].units["11914"]
    out = write_template(tmp_path / "mau.xlsx", unit, regs["2025"])
    info = {r[0].value: r[1].value for r in openpyxl.load_workbook(out)["Thông tin"].iter_rows(max_col=2)}
    assert (
        info["Đơn vị"] == "Đặc khu Cát Hải"
        and info["Mã đơn vị"] == "11914"
        and info["Danh mục đơn vị"] == "2025"
    )
    assert info["Tỉnh/Thành phố"] == "Thành phố Hải Phòng" and info["Quận/Huyện"] is None
    wb = openpyxl.load_workbook(out)
    wb["Thông tin"]["B7"] = 2025
    for code, (lvl, *_rest) in files.results().items():
        wb["Đánh giá"][f"C{files.level_row(code)}"] = {"red": "Đỏ", "yellow": "Vàng", "green": "Xanh"}[lvl]
    wb.save(out)
    parsed = parse(out, regs)
    assert parsed.ok, [(x.code, x.message_en) for x in parsed.problems]
    assert parsed.assessments[0].unit.locality_id == "2025:11914"


def test_cli_template_for_a_unit_and_status_by_unit_list(tmp_path, regs, capsys):
    from etl.cli import main

    def _etl(*args: str) -> subprocess.CompletedProcess[str]:
        code = main(list(args))
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)

    # 11311 is a code in both lists (Minh Khai before the reform, Hồng Bàng after): it must be qualified.
    assert _etl("template", "--unit", "11311", "--out", str(tmp_path / "a.xlsx")).returncode == 2
    r = _etl("template", "--unit", "2020:11311", "--out", str(tmp_path / "a.xlsx"))
    assert r.returncode == 0 and "2020:11311" in r.stdout
    info = {
        x[0].value: x[1].value
        for x in openpyxl.load_workbook(tmp_path / "a.xlsx")["Thông tin"].iter_rows(max_col=2)
    }
    assert (info["Đơn vị"], info["Quận/Huyện"], info["Danh mục đơn vị"]) == (
        "Phường Minh Khai",
        "Quận Hồng Bàng",
        "2020",
    )
    assert _etl("template", "--unit", "2025:99999", "--out", str(tmp_path / "b.xlsx")).returncode == 2

    db = ensure_database(tmp_path / "db" / "v.duckdb")
    old = parse_bytes("old.xlsx", files.template(tmp_path / "old.xlsx").read_bytes())
    new = parse(
        files.template(
            tmp_path / "new.xlsx", unit_code=None, district=None, year=2026, unit_name="Đặc khu Cát Hải"
        ),
        regs,
    )
    with connect(db) as con:
        assert [o.status for o in write_items(con, [Item(old, "t"), Item(new, "t")])] == ["loaded", "loaded"]
    status = json.loads(_etl("status", "--format", "json", "--db", str(db)).stdout)
    assert status["by_vintage"] == [
        {"vintage": "2020", "year": 2023, "stage": "self", "assessments": 1, "units": 1},
        {"vintage": "2025", "year": 2026, "stage": "self", "assessments": 1, "units": 1},
    ]
    text = _etl("status", "--db", str(db)).stdout
    assert "2025  2026  self" in text
