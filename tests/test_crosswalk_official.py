"""The committed crosswalk against the official old -> new conversion table in ../shared (test data only).

Run with ``-s`` to see the counts against the official table.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from core.config import DATA_DIR

UNITS = DATA_DIR / "units"
# Pairs the official table lists under a wrong old code (the row's name is another commune of the same
# district); the build moves them to the right code (scripts/build_units_2025.py, _CODE_FIXES).
CODE_FIXES = {("01615", "01648"): "01651", ("02485", "02494"): "02482", ("00553", "00562"): "00556"}
# Wards created between the 2020-2023 list and January 2025 (Mộc Châu, Sơn La): no 2020 code leads to them.
NEW_SINCE_2023 = {"03980", "03983", "03984"}


def _code(text: str, width: int) -> str:
    text = text.strip()
    return text.zfill(width) if text.isdigit() else ""


def _relation(note: str) -> str:
    """The official note as whole/part, seen from the old unit (the rule in data/units/README.md)."""
    n = re.sub(r"\s+", " ", note.strip().lower()).replace("nhâp", "nhập")
    return "part" if "một phần" in n or n.startswith("phần còn lại") else "whole"


@pytest.fixture(scope="module")
def official(shared_dir: Path) -> pd.DataFrame:
    """One row per pair: new province, new code, old name, old code, note, old district code."""
    with open(shared_dir / "units" / "gso_conversion_2025-07.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[2:]  # two header rows
    out = []
    for r in rows:
        new = _code(r[2], 5)
        if not new:  # a province title row
            continue
        district = re.search(r"\((\d+)\)\s*$", r[6].strip())
        out.append(
            {
                "province": re.search(r"\((\d+)\)", r[0]).group(1),
                "new": new,
                "old_name": r[3].strip(),
                "old": _code(r[4], 5),
                "note": r[5].strip(),
                "district": district.group(1).zfill(3) if district else "",
            }
        )
    df = pd.DataFrame(out)
    assert len(df) == 10_571
    return df


@pytest.fixture(scope="module")
def cw() -> pd.DataFrame:
    return pd.read_csv(UNITS / "crosswalk_2020_2025.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def u20() -> pd.DataFrame:
    return pd.read_csv(UNITS / "units_2020.csv", dtype=str, keep_default_na=False)


def test_new_codes_are_the_2025_list(official):
    u25 = pd.read_csv(UNITS / "units_2025.csv", dtype=str, keep_default_na=False)
    assert set(official["new"]) == set(u25[u25["level"] == "commune"]["code"])
    hp = official[official["province"] == "31"]
    assert hp["new"].nunique() == 114


def test_every_official_pair_is_in_the_crosswalk(official, cw, u20):
    communes = cw[cw["from_level"] == "commune"]
    direct = set(zip(communes["from_code"], communes["to_code"], strict=True))
    via = set(zip(communes["via_code"], communes["to_code"], strict=True))
    pairs = official[official["old"] != ""]
    found, fixed, missing = 0, 0, []
    for old, new in zip(pairs["old"], pairs["new"], strict=True):
        if (old, new) in direct or (old, new) in via:
            found += 1
        elif (old, new) in CODE_FIXES:
            assert (CODE_FIXES[old, new], new) in direct, (old, new)
            fixed += 1
        else:
            missing.append((old, new))
    print(
        f"\nofficial pairs with an old commune code: {len(pairs)}; found {found}, "
        f"under a corrected old code {fixed}, missing {len(missing)}: {missing}"
    )
    assert fixed == len(CODE_FIXES)
    # Only pairs from wards that did not exist yet in 2020-2023 may be missing.
    assert {old for old, _ in missing} == NEW_SINCE_2023
    assert not NEW_SINCE_2023 & set(u20["code"])


def test_district_rows_of_the_official_table(official, cw):
    """The special zones made from whole districts without communes (Bạch Long Vĩ among them)."""
    rows = official[(official["old"] == "") & (official["old_name"] == "")]
    assert len(rows) == 5
    ours = cw[cw["from_level"] == "district"]
    ours = dict(zip(zip(ours["from_code"], ours["to_code"], strict=True), ours["relation"], strict=True))
    for district, new in zip(rows["district"], rows["new"], strict=True):
        assert ours.get((district, new)) == "whole", (district, new)
    assert ("318", "11948") in ours


def test_every_hai_phong_2023_unit_is_mapped_into_hai_phong(official, cw, u20):
    districts = set(u20[(u20["level"] == "district") & (u20["parent_code"] == "31")]["code"])
    communes = set(u20[(u20["level"] == "commune") & u20["parent_code"].isin(districts)]["code"])
    hp_new = set(official[official["province"] == "31"]["new"])
    rows = cw[cw["from_code"].isin(communes | districts)]
    assert set(rows["from_code"]) == communes | districts
    assert set(rows["to_code"]) <= hp_new
    # 50 of the 114 come from old Hải Phòng (the rest from old Hải Dương).
    assert rows["to_code"].nunique() == 50
    print(
        f"\nHải Phòng: {len(communes)} communes and {len(districts)} districts of 2023 -> 50 of 114 new units"
    )


def test_relations_agree_with_the_official_notes(official, cw):
    """whole/part from our rule (one target = whole) against the notes of the official table."""
    communes = cw[(cw["from_level"] == "commune") & (cw["method"] == "official")]
    ours = dict(
        zip(zip(communes["from_code"], communes["to_code"], strict=True), communes["relation"], strict=True)
    )
    pairs = official[official["old"] != ""]
    agree, differ = 0, []
    for old, new, note in zip(pairs["old"], pairs["new"], pairs["note"], strict=True):
        mine = ours.get((old, new))
        if mine is None:
            continue
        if mine == _relation(note):
            agree += 1
        else:
            differ.append((old, new, note, mine))
    print(f"\nrelation agrees with the official note on {agree} pairs; differs on {len(differ)}: {differ}")
    print("official notes:", dict(Counter(pairs["note"]).most_common()))
    # Kỳ Lợi (18796) went whole by area to one ward and part of its people to two others: we say part.
    assert {(old, new) for old, new, *_ in differ} == {("18796", "18823")}
