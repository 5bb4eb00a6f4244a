"""ui/tables.show: what the browser's grid gets for numbers, including missing ones."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _table_app() -> None:
    import pandas as pd

    from ui import tables

    frame = pd.DataFrame(
        {"Trụ cột": ["1", "Tổng hợp"], "Điểm": [51.25, 51.1], "Hạng": pd.array([3, None], dtype="Int64")}
    )
    tables.show(frame, numbers={"Điểm": 1}, key="t")


def test_a_missing_number_is_a_dash_not_none_and_the_rest_stay_numbers():
    at = AppTest.from_function(_table_app).run()
    assert not at.exception
    shown = at.dataframe[0].value
    # The grid would write a null as "None" whatever the Styler says: the gap reaches it as "–".
    assert list(shown["Hạng"]) == ["3", "–"]
    assert shown["Điểm"].dtype.kind == "f"  # a column without gaps stays numeric (sorts as numbers)
