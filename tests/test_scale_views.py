"""At national scale no view draws one mark per unit beyond what a person can read.

A generated (illustrative) database of several provinces, a few thousand units, opened in every
leadership view at the whole country's scope and at the largest province's: every chart has at most
MARKS marks per trace (bars, points, heatmap columns), every table at most ROWS rows (pages, top
lists), and unit pickers list a province's units or a search's matches, never the country.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench.national import generate_long_csvs
from etl.load import load_files
from tests.conftest import decode_plotly

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = [
    "01",
    "38",
    "79",
    "31",
]  # Hà Nội (579 communes), Thanh Hóa, Hồ Chí Minh City, Hải Phòng (2020-2023)
MARKS = 70  # 63 provinces is the most a chart may list one by one
ROWS = 100
VIEWS = ["overview", "compare", "grid", "trends", "profile"]


@pytest.fixture(scope="module")
def country_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("scale")
    paths = generate_long_csvs(tmp / "csv", PROVINCES, (2022, 2023))
    # And the units of the 2025 reform in three of the 34 new provinces, assessed in 2026.
    paths += generate_long_csvs(tmp / "csv", ["01", "79", "31"], (2026,), vintage="2025")
    db = tmp / "scale.duckdb"
    reports = load_files(paths, db, jobs=2)
    assert all(r.status == "loaded" for r in reports), [r.to_dict() for r in reports if r.status != "loaded"]
    return db


def _marks(trace: dict) -> int:
    """How many marks a trace draws: heatmap columns, or points/bars along its longest axis."""
    if trace.get("type") == "heatmap":
        z = trace.get("z") or [[]]
        return max(len(row) for row in z) if z else 0
    sizes = [len(trace[k]) for k in ("x", "y", "r", "lon") if isinstance(trace.get(k), list)]
    return max(sizes, default=0)


def _open(db: Path, view: str, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("ISO18091_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params.update(params)
    at.run()
    at.switch_page(f"pages/{view}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize(
    ("year", "province"), [("2023", "all"), ("2023", "2020:01"), ("2026", "all"), ("2026", "2025:79")]
)
def test_no_view_draws_one_mark_per_unit(country_db, monkeypatch, view, year, province):
    at = _open(country_db, view, monkeypatch, year=year, province=province)
    figures = [decode_plotly(json.loads(el.proto.spec)) for el in at.get("plotly_chart")]
    one_year = view == "trends" and year == "2026"  # one year of the new units: no trend yet
    assert figures or view == "profile" or one_year, f"{view} drew no chart"
    for fig in figures:
        for trace in fig["data"]:
            assert _marks(trace) <= MARKS, (view, year, province, trace.get("name"), _marks(trace))
    for table in at.dataframe:
        assert len(table.value) <= ROWS, (view, year, province, len(table.value))
    for box in [*at.selectbox, *at.multiselect]:
        assert len(box.options) <= 1001, (view, box.label, len(box.options))


def test_the_country_is_ranked_by_province_and_a_province_by_district(country_db, monkeypatch):
    at = _open(country_db, "overview", monkeypatch, year="2023", province="all")
    provinces = next(d.value for d in at.dataframe if "Tỉnh/thành phố" in d.value.columns)
    assert len(provinces) == len(PROVINCES)
    at = _open(country_db, "overview", monkeypatch, year="2023", province="2020:01")
    districts = next(
        d.value for d in at.dataframe if "Quận/huyện" in d.value.columns and "Hạng" in d.value.columns
    )
    assert len(districts) == 30  # Hà Nội's 30 districts in the 2020-2023 list
    ranking = next(d.value for d in at.dataframe if "Đơn vị" in d.value.columns)
    assert len(ranking) == 50  # one page of the 579 units
    # After the reform: the new provinces, no district level.
    at = _open(country_db, "overview", monkeypatch, year="2026", province="all")
    provinces = next(d.value for d in at.dataframe if "Tỉnh/thành phố" in d.value.columns)
    assert len(provinces) == 3
    at = _open(country_db, "overview", monkeypatch, year="2026", province="2025:79")
    assert not any("Quận/huyện" in d.value.columns and "Hạng" in d.value.columns for d in at.dataframe)
