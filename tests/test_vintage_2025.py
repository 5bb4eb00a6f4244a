"""The model holds the 2025 reform (two levels, merged provinces, special zones) beside 2020 units."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.db import connect, transaction
from core.schema import ensure_database
from core.units import Registry, localities_frame
from etl.store import Item, write_items
from etl.validate import parse_bytes
from tests import files

# Illustrative post-reform rows (the real list is filled in by a later issue): the merged city keeps
# code 31, a commune-level ward directly under it, and a special zone (đặc khu).
NEW_UNITS = pd.DataFrame(
    [
        ("2025:31", "2025", "31", "Hải Phòng", "Thành phố Hải Phòng", "thanh_pho_tw", "province", None, "31"),
        ("2025:11311", "2025", "11311", "Hồng Bàng", "Phường Hồng Bàng", "phuong", "commune", "31", "31"),
        ("2025:11950", "2025", "11950", "Cát Hải", "Đặc khu Cát Hải", "dac_khu", "commune", "31", "31"),
    ],
    columns=[
        "locality_id",
        "vintage",
        "code",
        "name",
        "name_with_type",
        "unit_type",
        "level",
        "parent_code",
        "province_code",
    ],
)


def test_2025_units_and_crosswalk_live_beside_2020(tmp_path, tmp_db):
    ensure_database(tmp_db)
    with transaction(tmp_db) as con:
        con.register("new_units", NEW_UNITS)
        con.execute(
            """INSERT INTO locality (locality_id, vintage, code, name, name_with_type, unit_type, level,
                                     parent_code, province_code, valid_from)
               SELECT *, DATE '2025-07-01' FROM new_units"""
        )
        con.execute(
            """INSERT INTO locality_crosswalk VALUES
               ('2020:11311', '2025:11311', 'commune', 'whole', 'test', NULL, DATE '2025-07-01', 'test'),
               ('2020:303', '2025:11311', 'district', 'part', 'test', NULL, DATE '2025-07-01', 'test'),
               ('2020:317', '2025:11950', 'district', 'whole', 'test', NULL, DATE '2025-07-01', 'test')"""
        )
    # The same GSO code in both vintages stays two units.
    with connect(tmp_db, read_only=True) as con:
        rows = con.execute(
            "SELECT locality_id, name_with_type FROM locality WHERE code = '11311' ORDER BY 1"
        ).fetchall()
        assert rows == [("2020:11311", "Phường Minh Khai"), ("2025:11311", "Phường Hồng Bàng")]

    # An assessment made against a 2020 unit and one against a 2025 unit, side by side.
    old = parse_bytes("old.xlsx", files.template(tmp_path / "old.xlsx").read_bytes())
    reg2025 = Registry(
        pd.concat([localities_frame(), NEW_UNITS.assign(valid_from=dt.date(2025, 7, 1))]), "2025"
    )
    new_path = files.template(
        tmp_path / "new.xlsx", unit_code=None, district=None, year=2026, unit_name="Đặc khu Cát Hải"
    )
    new = parse_bytes("new.xlsx", new_path.read_bytes(), reg=reg2025)
    assert new.ok and new.assessments[0].unit.locality_id == "2025:11950"
    with connect(tmp_db) as con:
        outcomes = write_items(con, [Item(old, "t"), Item(new, "t")])
    assert [o.status for o in outcomes] == ["loaded", "loaded"]

    with connect(tmp_db, read_only=True) as con:
        got = con.execute(
            "SELECT DISTINCT locality_id, vintage, locality_type, year FROM current_results ORDER BY year"
        ).fetchall()
        assert got == [("2020:11311", "2020", "phuong", 2023), ("2025:11950", "2025", "dac_khu", 2026)]
        # Follow the crosswalk from the 2020 ward to its successor.
        succ = con.execute(
            """SELECT n.name_with_type FROM locality_crosswalk x JOIN locality n ON n.locality_id = x.to_id
               WHERE x.from_id = '2020:11311'"""
        ).fetchall()
        assert succ == [("Phường Hồng Bàng",)]
