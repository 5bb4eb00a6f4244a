"""Text that could start a formula is neutralised; everything else passes through unchanged."""

import datetime as dt

import pytest

from core.safe_cells import safe_text


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1", "="],
)
def test_formula_starts_get_an_apostrophe(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["Báo cáo tổng kết", "", " =1", "a=b", "'=1", 42, -3.5, None, dt.date(2024, 1, 1)]
)
def test_other_values_pass_through(value):
    assert safe_text(value) == value
