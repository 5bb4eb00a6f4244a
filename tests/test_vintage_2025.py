"""The model holds the 2025 reform (two levels, merged provinces, special zones) beside 2020 units."""

from __future__ import annotations

import datetime as dt

from core.db import connect
from core.schema import ensure_database
from core.units import registry
from etl.store import Item, write_items
from etl.validate import parse_bytes
from tests import files


def test_2025_units_and_crosswalk_live_beside_2020(tmp_path, tmp_db):
    ensure_database(tmp_db)
    # The same GSO code in both vintages stays two units.
    with connect(tmp_db, read_only=True) as con:
        rows = con.execute(
            "SELECT locality_id, name_with_type FROM locality WHERE code = '11311' ORDER BY 1"
        ).fetchall()
        assert rows == [("2020:11311", "Phường Minh Khai"), ("2025:11311", "Phường Hồng Bàng")]
        zone = con.execute(
            "SELECT unit_type, parent_code, province_code, valid_from, valid_to, source FROM locality "
            "WHERE locality_id = '2025:11914'"
        ).fetchone()
        assert zone[:5] == ("dac_khu", "31", "31", dt.date(2025, 7, 1), None)
        assert zone[5].startswith("vietnam-provinces ")

    # An assessment made against a 2020 unit and one against a 2025 unit, side by side.
    old = parse_bytes("old.xlsx", files.template(tmp_path / "old.xlsx").read_bytes())
    new_path = files.template(
        tmp_path / "new.xlsx", unit_code=None, district=None, year=2026, unit_name="Đặc khu Cát Hải"
    )
    new = parse_bytes("new.xlsx", new_path.read_bytes(), reg=registry("2025"))
    assert new.ok and new.assessments[0].unit.locality_id == "2025:11914"
    with connect(tmp_db) as con:
        outcomes = write_items(con, [Item(old, "t"), Item(new, "t")])
    assert [o.status for o in outcomes] == ["loaded", "loaded"]

    with connect(tmp_db, read_only=True) as con:
        got = con.execute(
            "SELECT DISTINCT locality_id, vintage, locality_type, year FROM current_results ORDER BY year"
        ).fetchall()
        assert got == [("2020:11311", "2020", "phuong", 2023), ("2025:11914", "2025", "dac_khu", 2026)]
        # Follow the crosswalk from the 2020 ward and from its 2020 district to their successors.
        succ = con.execute(
            """SELECT x.relation, x.method, n.name_with_type FROM locality_crosswalk x
               JOIN locality n ON n.locality_id = x.to_id WHERE x.from_id = '2020:11311'"""
        ).fetchall()
        assert succ == [("whole", "official", "Phường Hồng Bàng")]
        district = con.execute(
            """SELECT x.relation, n.code FROM locality_crosswalk x JOIN locality n ON n.locality_id = x.to_id
               WHERE x.from_id = '2020:317'"""
        ).fetchall()
        assert district == [("whole", "11914")]
        # Every crosswalk row joins to a unit of each vintage.
        orphans = con.execute(
            """SELECT count(*) FROM locality_crosswalk x
               LEFT JOIN locality f ON f.locality_id = x.from_id LEFT JOIN locality t ON t.locality_id = x.to_id
               WHERE f.locality_id IS NULL OR t.locality_id IS NULL OR f.level <> x.from_level"""
        ).fetchone()[0]
        assert orphans == 0
