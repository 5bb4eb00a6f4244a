"""The dashboard in a real browser: every leadership view draws, on a desktop and on a phone, in both
languages; the language switches; a shared URL reopens as it was; an old link by bare GSO code
still opens its unit.

One server for the session (``streamlit run dashboard.py`` on a database filled by
``python -m etl demo``), one Chromium; each test gets its own browser context.

Screenshots (test-artifacts/): ``screen-<view>-<lang>-1440.png`` and ``screen-<view>-<lang>-420.png``,
the whole view (the window is grown to the view's height first: Streamlit scrolls inside its own
container). Every view fails on a Streamlit exception, a "Page not found" box, English UI text in
the Vietnamese UI (menu, title, and any English source string of the catalogue whose Vietnamese
differs), and on a phone (420 px) on a page that scrolls sideways (wide tables and grids scroll
inside their own frame instead). The time from a click in the menu to the view's charts drawn is
printed and merged into test-artifacts/dashboard-e2e-timings.json.
"""

from __future__ import annotations

import json
import re
import time
from functools import cache
from pathlib import Path

import pytest

import i18n
from i18n import t
from tests.conftest import title_is, wait_idle
from ui.nav import PAGES

pytestmark = pytest.mark.e2e

# The leadership views: url path, page title msgid, plotly charts it draws on the demo data.
VIEWS = [
    ("overview", "Overview", 2),
    ("compare", "Compare", 1),
    ("grid", "Indicator grid", 1),
    ("trends", "Trends", 2),
    ("map", "Map", 1),
    ("profile", "Unit profile", 2),
    ("method", "Method", 0),
]
DESKTOP, PHONE = 1440, 420

# Every chart of the page (at least n) has its data and its SVG drawn.
_DRAWN = """n => {
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot');
  if (charts.length < n) return false;
  return Array.from(charts).every(c => c._fullData && c._fullData.length > 0
                                     && c.querySelector('svg.main-svg'));
}"""
H1 = '[data-testid="stMainBlockContainer"] h1'
# The page to start from: light, and not one of the measured views, so every view is a real navigation.
START = "account"


@pytest.fixture
def url(demo_cli_db, streamlit_server) -> str:
    return streamlit_server(demo_cli_db)


def _title(page) -> str:
    return page.locator(H1).first.inner_text().strip()


def _menu_link(page, title: str, lang: str):
    return page.locator(".st-key-menu").get_by_role("link", name=t(title, lang), exact=True)


def _wait_drawn(page, charts: int) -> None:
    if charts:
        page.wait_for_function(_DRAWN, arg=charts, timeout=30_000)
    else:
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)


def _open_and_time(page, title: str, charts: int, lang: str) -> float:
    """Click the view in the sidebar; seconds until its title shows and every chart has drawn."""
    start = time.perf_counter()
    _menu_link(page, title, lang).click()
    title_is(page, t(title, lang))
    _wait_drawn(page, charts)
    elapsed = time.perf_counter() - start
    wait_idle(page)
    return elapsed


def _screenshot(page, path: Path) -> None:
    """The whole view: Streamlit scrolls inside its own container, so grow the window to fit it first."""
    width = page.viewport_size["width"]
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 900")
    height = min(max(int(height), 900), 8000)
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_function("h => window.innerHeight === h", arg=height)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": 900})


def _no_exception(page) -> None:
    errors = page.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.all_inner_texts()


def _record_timing(artifacts: Path, lang: str, view: str, seconds: float) -> None:
    out = artifacts / "dashboard-e2e-timings.json"
    data = json.loads(out.read_text()) if out.exists() else {}
    data.setdefault(lang, {})[view] = round(seconds, 2)
    out.write_text(json.dumps(data, indent=2))
    print(f"navigation -> charts drawn ({lang}, {view}): {seconds:.2f} s")


@cache
def _english_only() -> tuple[str, ...]:
    """Pieces of English UI text (from the catalogue's source strings) that the Vietnamese never shows.

    Each source string is cut at its placeholders and markup; a piece of at least two words and 12
    characters that its own Vietnamese translation does not contain (commands, file names and unit
    names are the same in both) must not appear in the Vietnamese UI.
    """
    pieces = set()
    for msgid, msgstr in i18n.catalogue("vi").items():
        if msgstr == msgid:
            continue
        for part in re.split(r"\{[^}]*\}|[*`_\n]|\. |: ", msgid):
            part = part.strip(" ,.;:()-–")
            if len(part) >= 12 and len(part.split()) >= 2 and part not in msgstr:
                pieces.add(part)
    return tuple(sorted(pieces))


_MENU_LABELS = """() => Array.from(document.querySelectorAll('.st-key-menu a')).map(a => {
  const c = a.cloneNode(true);
  c.querySelectorAll('[data-testid^="stIcon"]').forEach(i => i.remove());
  return c.textContent.trim();
})"""
_ALL_TEXT = """() => document.body.innerText + '\\n'
  + Array.from(document.querySelectorAll('svg text')).map(e => e.textContent).join('\\n')"""
# Sideways scrolling of the page itself (not of a frame inside it): the document, or Streamlit's
# main container, is wider than the window. The elements that stick out are named for the report.
_OVERFLOW = """() => {
  const w = window.innerWidth;
  const main = document.querySelector('[data-testid="stMain"]');
  const wide = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= w + 2) continue;
    let clipped = false;
    for (let p = el.parentElement; p && p !== main; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX) && p.getBoundingClientRect().right <= w + 2) {
        clipped = true; break;
      }
    }
    if (!clipped) wide.push((el.getAttribute('data-testid') || el.tagName) + ' right=' + Math.round(r.right));
  }
  return {document: document.scrollingElement.scrollWidth, main: main ? main.scrollWidth : 0,
          mainClient: main ? main.clientWidth : 0, width: w, wide: wide.slice(0, 8)};
}"""


def _check_screen(page, view: str, title: str, lang: str) -> None:
    """No exception, no 'Page not found', the UI in its language, and (on a phone) no sideways page."""
    _no_exception(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("does not seem to exist").count() == 0
    assert _title(page) == t(title, lang)
    menu = page.evaluate(_MENU_LABELS)
    viewer_pages = [msgid for _, msgid, _, least in PAGES if least == "viewer"]
    assert menu == [t(msgid, lang) for msgid in viewer_pages], menu
    if lang == "vi":
        text = page.evaluate(_ALL_TEXT)
        english = [piece for piece in _english_only() if piece in text]
        assert english == [], f"English UI text in the Vietnamese {view} view: {english}"
    if page.viewport_size["width"] <= PHONE:
        o = page.evaluate(_OVERFLOW)
        assert o["document"] <= o["width"] + 2 and o["main"] <= o["mainClient"] + 2, (
            f"the {view} page scrolls sideways at {o['width']} px: {o}"
        )


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("view", "title", "charts"), VIEWS, ids=[v[0] for v in VIEWS])
def test_view_on_a_desktop(view, title, charts, lang, url, new_page, artifacts):
    """Opened from the menu at 1440 px: its title, every chart drawn, sample data marked everywhere."""
    page = new_page(DESKTOP, 900)
    page.goto(f"{url}/{START}?lang={lang}")
    wait_idle(page, _menu_link(page, title, lang))

    seconds = _open_and_time(page, title, charts, lang)
    _record_timing(artifacts, lang, view, seconds)
    _check_screen(page, view, title, lang)
    assert page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').count() >= charts
    assert ("lang=en" in page.url) == (lang == "en")  # the language survives the page switch
    if charts:
        # The sample data is marked in the page and in every chart.
        mark = t("Illustrative data: not the pilot's results", lang).split(":")[0]
        assert page.locator('[data-testid="stAlert"]').filter(has_text=mark).count()
        assert page.locator(".js-plotly-plot text").filter(has_text=mark).count() >= charts
    _screenshot(page, artifacts / f"screen-{view}-{lang}-{DESKTOP}.png")


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("view", "title", "charts"), VIEWS, ids=[v[0] for v in VIEWS])
def test_view_on_a_phone(view, title, charts, lang, url, new_page, artifacts):
    """Opened by its address at 420 px: draws, and the page itself does not scroll sideways."""
    page = new_page(PHONE, 900)
    page.goto(f"{url}/{view}?lang={lang}")
    wait_idle(page, page.locator(H1).get_by_text(t(title, lang), exact=True))
    _wait_drawn(page, charts)
    _check_screen(page, view, title, lang)
    _screenshot(page, artifacts / f"screen-{view}-{lang}-{PHONE}.png")


def test_vietnamese_number_format_on_the_overview(url, new_page):
    """Vietnamese number format in the Vietnamese UI (comma decimal), e.g. the mean overall score."""
    page = new_page()
    page.goto(url + "/overview")
    wait_idle(page, '[data-testid="stMetricValue"]')
    metric = (
        page.locator('[data-testid="stMetric"]')
        .filter(has=page.get_by_text("Điểm tổng hợp trung bình", exact=True))
        .locator('[data-testid="stMetricValue"]')
    )
    value = metric.inner_text()
    assert "," in value and "." not in value, value


def test_language_switch_turns_the_ui_english_and_keeps_it(url, new_page):
    page = new_page()
    page.goto(url + "/overview")
    wait_idle(page, page.locator(H1).get_by_text("Tổng quan", exact=True))
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    title_is(page, "Overview")
    wait_idle(page)
    assert "lang=en" in page.url
    menu = page.locator(".st-key-menu").inner_text()
    assert "Indicator grid" in menu and "Lưới chỉ số" not in menu
    # Another view opens in English too, and the address still says so.
    _open_and_time(page, "Indicator grid", 1, "en")
    assert _title(page) == "Indicator grid" and "lang=en" in page.url
    _no_exception(page)


def test_a_shared_url_reopens_the_same_view(url, new_page, artifacts):
    """Choose a filter in the UI, then reopen the address in a fresh browser: same selection, same chart."""
    page = new_page()
    page.goto(url + "/grid?lang=en")
    wait_idle(page, page.locator(H1).get_by_text("Indicator grid", exact=True))
    page.wait_for_function(_DRAWN, arg=1, timeout=30_000)
    rows_all = page.evaluate(
        "() => document.querySelector('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')._fullData[0].y.length"
    )
    pillar_box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Pillar")
    pillar_box.click()
    page.keyboard.type("2. Sustainable")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('pillar=2')", timeout=30_000)
    page.wait_for_function(
        "n => { const c = document.querySelector('[data-testid=\"stPlotlyChart\"] .js-plotly-plot');"
        " return !!c && !!c._fullData && c._fullData[0].y.length !== n; }",
        arg=rows_all,
        timeout=30_000,
    )
    wait_idle(page)
    page.wait_for_function(_DRAWN, arg=1, timeout=30_000)
    shared = page.url
    chart_title = page.locator(".js-plotly-plot .gtitle").first.text_content()
    rows_before = page.evaluate(
        "() => document.querySelector('[data-testid=\"stPlotlyChart\"] .js-plotly-plot')._fullData[0].y.length"
    )
    assert "lang=en" in shared and "pillar=2" in shared

    other = new_page()  # a context of its own: no session state in common with the first
    other.goto(shared)
    wait_idle(other, other.locator(H1).get_by_text("Indicator grid", exact=True))
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


def test_an_old_profile_link_by_bare_gso_code_opens_the_unit(url, new_page):
    """An old link to a profile by bare GSO code (/profile?unit=<code>) still opens that unit."""
    page = new_page()
    page.goto(url + "/profile?unit=311")
    wait_idle(page, '[data-testid="stMainBlockContainer"] h2')
    page.wait_for_function(_DRAWN, arg=2, timeout=30_000)
    _no_exception(page)
    assert page.locator('[data-testid="stMainBlockContainer"] h2').first.inner_text().strip() == (
        "Huyện Thuỷ Nguyên"
    )


def test_the_grid_as_a_table_is_built_when_opened(url, new_page):
    """The grid's table sits in an expander that runs only when opened (it costs the server a
    quarter of the page's run): closed, no table; opened, the 39 rows with symbols and words."""
    page = new_page()
    page.goto(url + "/grid")
    wait_idle(page, page.locator(H1).get_by_text("Lưới chỉ số", exact=True))
    page.wait_for_function(_DRAWN, arg=1, timeout=30_000)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    page.locator('[data-testid="stExpander"]').filter(has_text="Lưới này dưới dạng bảng").locator(
        "summary"
    ).click()
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    wait_idle(page)
    _no_exception(page)
    assert "grid_as_table" not in page.url  # the open table is not written into the address
