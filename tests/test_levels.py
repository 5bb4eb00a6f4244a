import unicodedata

import pytest

from etl.levels import level_from_rgb, parse_level


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("Đỏ", "red"),
        ("ĐỎ", "red"),
        ("do", "red"),
        (unicodedata.normalize("NFD", "đỏ"), "red"),
        ("Red", "red"),
        ("R", "red"),
        ("r", "red"),
        ("Đ", "red"),
        (1, "red"),
        ("🔴", "red"),
        ("Vàng", "yellow"),
        ("VANG", "yellow"),
        (" y ", "yellow"),
        ("V", "yellow"),
        (2.0, "yellow"),
        ("Xanh", "green"),
        ("xanh lá", "green"),
        ("Green", "green"),
        ("G", "green"),
        ("X", "green"),
        ("3", "green"),
    ],
)
def test_parse_level_accepts_words_letters_numbers(value, level):
    assert parse_level(value) == level


@pytest.mark.parametrize("value", ["Tím", "purple", 4, 1.5, "", None, True])
def test_parse_level_rejects_others(value):
    assert parse_level(value) is None


@pytest.mark.parametrize(
    ("rgb", "level"),
    [
        ("FF0000", "red"),
        ("C00000", "red"),
        ("FFC7CE", "red"),
        ("FFC000", "yellow"),
        ("ED7D31", "yellow"),
        ("D55E00", "yellow"),
        ("FFFF00", "yellow"),
        ("FFEB9C", "yellow"),
        ("00B050", "green"),
        ("92D050", "green"),
        ("C6EFCE", "green"),
        ("FFFFFF", None),
        ("D9D9D9", None),
        ("000000", None),
        ("0070C0", None),
        (None, None),
    ],
)
def test_fill_colours(rgb, level):
    assert level_from_rgb(rgb) == level
