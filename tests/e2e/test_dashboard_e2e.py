"""The dashboard in a real browser: every view draws, the language switches, a shared URL reopens as it was.

One server (``streamlit run dashboard.py``) on a database filled by ``python -m etl demo``, one
Chromium; screenshots of every view in both languages go to test-artifacts/. The time from a
click in the navigation to the view's charts drawn is printed and saved as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from i18n import t
from tests.conftest import ROOT, wait_idle

pytestmark = pytest.mark.e2e

# view url path, page title msgid, plotly charts it draws on the demo data
VIEWS = [
    ("", "Overview", 2),
    ("compare", "Compare", 1),
    ("grid", "Indicator grid", 1),
    ("trends", "Trends", 2),
    ("profile", "Unit profile", 2),
    ("method", "Method", 0),
]

_DRAWN = """n => {
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot');
  if (charts.length < n) return false;
  return Array.from(charts).every(c => c._fullData && c._fullData.length > 0
                                     && c.querySelector('svg.main-svg'));
}"""


@pytest.fixture(scope="module")
def demo_cli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database filled the way a user does it: ``python -m etl demo``."""
    db = tmp_path_factory.mktemp("e2e") / "demo.duckdb"
    subprocess.run(
        [sys.executable, "-m", "etl", "demo", "--db", str(db)], cwd=ROOT, check=True, capture_output=True
    )
    return db


def _title(page) -> str:
    return page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text().strip()


def _open_and_time(page, view: str, title: str, charts: int, lang: str) -> float:
    """Click the view in the sidebar; seconds until its title shows and every chart has drawn."""
    start = time.perf_counter()
    page.locator(".st-key-menu").get_by_role("link", name=t(title, lang), exact=True).click()
    page.wait_for_function(
        "([sel, want]) => { const h = document.querySelector(sel); return h && h.innerText.trim() === want; }",
        arg=['[data-testid="stMainBlockContainer"] h1', t(title, lang)],
        timeout=30_000,
    )
    if charts:
        page.wait_for_function(_DRAWN, arg=charts, timeout=30_000)
    else:
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    elapsed = time.perf_counter() - start
    wait_idle(page)
    return elapsed


def _screenshot(page, path: Path) -> None:
    """The whole view: Streamlit scrolls inside its own container, so grow the window to fit it first."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 1000")
    page.set_viewport_size({"width": 1400, "height": min(max(int(height), 1000), 6000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]'
    ).all_inner_texts()


def test_every_view_draws_in_both_languages_and_a_shared_url_reopens(
    demo_cli_db, streamlit_server, browser, artifacts
):
    url = streamlit_server(demo_cli_db)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    wait_idle(page)
    page.wait_for_function(_DRAWN, arg=2, timeout=30_000)
    timings: dict[str, dict[str, float]] = {"vi": {}, "en": {}}

    for lang in ("vi", "en"):
        if lang == "en":
            page.get_by_text("English", exact=True).click()
            page.wait_for_function(
                "() => document.querySelector('[data-testid=\"stMainBlockContainer\"] h1')?.innerText.trim() "
                "=== 'Overview'",
                timeout=30_000,
            )
            wait_idle(page)
            assert "lang=en" in page.url
        # Start away from the overview so that its timing is a real navigation too.
        order = VIEWS[1:] + VIEWS[:1]
        for view, title, charts in order:
            seconds = _open_and_time(page, view, title, charts, lang)
            timings[lang][view or "overview"] = round(seconds, 2)
            _no_exception(page)
            assert _title(page) == t(title, lang)
            assert page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').count() >= charts
            if charts:
                # The sample data is marked in the page and in every chart.
                mark = t("Illustrative data: not the pilot's results", lang).split(":")[0]
                assert page.locator('[data-testid="stAlert"]').filter(has_text=mark).count()
                assert page.locator(".js-plotly-plot text").filter(has_text=mark).count() >= charts
            _screenshot(page, artifacts / f"dashboard-{view or 'overview'}-{lang}.png")
        if lang == "vi":
            # Vietnamese number format in the Vietnamese UI (comma decimal), e.g. the mean overall score.
            metric = page.locator('[data-testid="stMetricValue"]').nth(4).inner_text()
            assert "," in metric and "." not in metric, metric

    # Choose a filter in the UI, then reopen the address in a fresh page: same selection, same chart.
    _open_and_time(page, "grid", "Indicator grid", 1, "en")
    pillar_box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Pillar")
    pillar_box.click()
    page.keyboard.type("2. Sustainable")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('pillar=2')", timeout=30_000)
    wait_idle(page)
    page.wait_for_function(_DRAWN, arg=1, timeout=30_000)
    shared = page.url
    chart_title = page.locator(".js-plotly-plot .gtitle").first.text_content()
    rows_before = page.evaluate(
        "() => document.querySelector('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')._fullData[0].y.length"
    )
    assert "lang=en" in shared and "pillar=2" in shared

    other = browser.new_page(viewport={"width": 1400, "height": 1000})
    other.goto(shared)
    wait_idle(other)
    other.wait_for_function(_DRAWN, arg=1, timeout=30_000)
    _no_exception(other)
    assert _title(other) == "Indicator grid"
    shown = (
        other.locator('[data-testid="stSelectbox"]')
        .filter(has_text="Pillar")
        .evaluate(
            "el => el.textContent + ' ' + Array.from(el.querySelectorAll('input')).map(i => i.value).join(' ')"
        )
    )
    assert "2. Sustainable economic development" in shown, shown
    assert other.locator(".js-plotly-plot .gtitle").first.text_content() == chart_title
    rows_after = other.evaluate(
        "() => document.querySelector('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')._fullData[0].y.length"
    )
    assert rows_after == rows_before < 39
    _screenshot(other, artifacts / "dashboard-grid-shared-url-en.png")

    # An old link to a profile by bare GSO code (/profile?unit=<code>) still opens that unit.
    other.goto(url + "/profile?unit=311")
    wait_idle(other)
    other.wait_for_function(_DRAWN, arg=2, timeout=30_000)
    _no_exception(other)
    assert (
        other.locator('[data-testid="stMainBlockContainer"] h2').first.inner_text().strip()
        == "Huyện Thuỷ Nguyên"
    )
    other.close()
    page.close()

    (artifacts / "dashboard-e2e-timings.json").write_text(json.dumps(timings, indent=2))
    print("navigation -> charts drawn (s):", json.dumps(timings))
