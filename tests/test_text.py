import unicodedata

import pytest

from core.text import ascii_key, header_key, name_key, nfc


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Thuỷ Nguyên", "Thủy Nguyên"),  # old vs new tone placement
        ("Kiến Thuỵ", "KIẾN THỤY"),
        ("Hoà Bình", "hòa bình"),
        ("khoẻ", "khỏe"),
        (unicodedata.normalize("NFD", "Thuỷ Nguyên"), "Thủy Nguyên"),  # NFD input
        ("  Lê   Chân ", "lê chân"),
    ],
)
def test_name_key_ignores_tone_placement_form_case_and_spacing(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [("Lê Chân", "Lê Chấn"), ("quý", "qúy"), ("Hải An", "Hải Ân")])
def test_name_key_keeps_real_differences(a, b):
    assert name_key(a) != name_key(b)


def test_quy_keeps_tone_on_y():
    assert name_key("Quý") == "quý"


def test_ascii_and_header_keys():
    assert ascii_key("Hải Phòng") == ascii_key("HAI PHONG") == "hai phong"
    assert ascii_key("Đồ Sơn") == "do son"
    assert header_key("Mã_chỉ số") == header_key("MA CHI SO") == header_key("mãchỉsố") == "machiso"


def test_nfc_handles_missing_values():
    assert nfc(None) == "" and nfc(float("nan")) == ""
    assert nfc(unicodedata.normalize("NFD", "Đỏ")) == "Đỏ"
