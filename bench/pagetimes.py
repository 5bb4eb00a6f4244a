"""Page timings in headless Chromium against a real ``streamlit run`` server.

A page counts as drawn when the app's script run has finished (Streamlit writes its state on the
app's root element), nothing from an earlier run is left on screen, the view's title is there and
every plotly chart on it has its data and its SVG (the check the end-to-end tests use); the Method
page, which has no chart, also waits for its first table.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.procmem import CpuSplit, PeakSampler, gather

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

DRAWN = """(minCharts, notTitle) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const title = document.querySelector('[data-testid="stMainBlockContainer"] h1');
  if (!title || (notTitle && title.innerText === notTitle)) return false;
  const boxes = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const drawn = Array.from(charts).filter(c => c._fullData && c._fullData.length > 0
                                             && c.querySelector('svg.main-svg'));
  if (minCharts === 0) return !!document.querySelector('[data-testid="stDataFrame"] canvas');
  return boxes.length >= minCharts && drawn.length === boxes.length;
}"""


@dataclass(frozen=True)
class Visit:
    label: str  # 'overview[province]'
    path: str  # '/overview?province=2020:01'
    min_charts: int  # 0: a page without charts (waits for its first table instead)


class Server:
    """``streamlit run dashboard.py`` on one database (and extra environment), its memory sampled
    while it runs. The benchmark and the browser tests (tests/conftest.py) both start the app here."""

    def __init__(
        self, db: Path, port: int, log: Path, env: dict[str, str] | None = None, start_s: float = 120
    ) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboard.py",
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env={**os.environ, "ISO18091_DB": str(db), **(env or {})},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.memory = PeakSampler(self.proc.pid, interval=0.1)
        self.memory.__enter__()
        deadline = time.monotonic() + start_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self._log_text()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.1)  # polling a condition (the health check), not waiting for time
        self.stop()
        raise TimeoutError(f"streamlit did not answer within {start_s} s:\n{self._log_text()}")

    def _log_text(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> float:
        """Stop the server; returns its peak memory (MB, process tree)."""
        self.memory.__exit__()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(15)
        if not self._log.closed:
            self._log.close()
        return self.memory.peak_mb


CONNECTED = """() => document.querySelector('[data-testid="stApp"]')
  ?.getAttribute('data-test-connection-state') === 'CONNECTED'"""
RUN_DONE = """() => document.querySelector('[data-testid="stApp"]')
  ?.getAttribute('data-test-script-state') === 'notRunning'"""


@dataclass(frozen=True)
class Timing:
    """Seconds from navigation: the app loaded and connected, the server's script run done, all drawn."""

    connected: float
    script_done: float
    drawn: float


async def _visit(browser, url: str, visit: Visit, timeout_s: float = 120, context=None) -> Timing:
    """Seconds from navigation to every chart drawn, in a browser context of its own (a first-time
    visitor: nothing cached) or, when ``context`` is given, in a new tab of it (a returning visitor
    whose browser has the app's scripts cached)."""
    own = context is None
    if own:
        context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    page = await context.new_page()
    try:
        t0 = time.perf_counter()
        await page.goto(url + visit.path, timeout=timeout_s * 1000)
        await page.wait_for_function(CONNECTED, timeout=timeout_s * 1000)
        connected = time.perf_counter() - t0
        await page.wait_for_function(RUN_DONE, timeout=timeout_s * 1000)
        script_done = time.perf_counter() - t0
        if visit.min_charts >= 0:
            await page.wait_for_function(_drawn(visit.min_charts), timeout=timeout_s * 1000)
        drawn = time.perf_counter() - t0
        await _raise_if_exception(page, visit.label)
        return Timing(connected, script_done, drawn)
    finally:
        await (context.close() if own else page.close())


def _drawn(min_charts: int, not_title: str = "") -> str:
    """The DRAWN check as an expression for wait_for_function (two arguments)."""
    return f"({DRAWN})({min_charts}, {json.dumps(not_title)})"


async def _raise_if_exception(page, label: str) -> None:
    errors = await page.locator('[data-testid="stException"]').count()
    if errors:
        text = await page.locator('[data-testid="stException"]').first.inner_text()
        raise RuntimeError(f"{label}: the page raised: {text[:500]}")


def start_of(visit: Visit) -> Visit:
    """Where a visitor is before opening ``visit`` from the menu: the overview with the same address
    parameters (so the same filters), or the comparison when the visit is the overview."""
    page, _, query = visit.path.lstrip("/").partition("?")
    start = "compare" if page == "overview" else "overview"
    return Visit(f"{start} before {visit.label}", f"/{start}" + (f"?{query}" if query else ""), 1)


async def _open(browser, url: str, visit: Visit, timeout_s: float, context=None):
    """A new tab showing ``visit``, drawn (not timed): in ``context``, or in a fresh one."""
    if context is None:
        context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    page = await context.new_page()
    await page.goto(url + visit.path, timeout=timeout_s * 1000)
    await page.wait_for_function(_drawn(visit.min_charts), timeout=timeout_s * 1000)
    await _raise_if_exception(page, visit.label)
    return page


async def _switch(page, visit: Visit, timeout_s: float) -> float:
    """Seconds from a click on ``visit``'s entry in the sidebar menu of an open app (the session and
    the scripts already in the tab, as for everyone who moves from view to view) to its charts drawn."""
    target = visit.path.lstrip("/").partition("?")[0]
    before = await page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
    link = page.locator(f'[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"][href="{target}"]')
    await link.wait_for(timeout=timeout_s * 1000)
    t0 = time.perf_counter()
    await link.click(timeout=timeout_s * 1000)
    await page.wait_for_function(_drawn(visit.min_charts, before), timeout=timeout_s * 1000)
    took = time.perf_counter() - t0
    if not page.url.split("?")[0].endswith("/" + target):
        raise RuntimeError(f"{visit.label}: the menu opened {page.url}")
    await _raise_if_exception(page, visit.label)
    return took


async def _launch(p):
    return await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


async def _cached_context(browser, url: str, prime: Visit):
    """A browser context whose HTTP cache holds the app's scripts (one visit made beforehand)."""
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    await _visit(browser, url, prime, context=context)
    return context


def sequential(url: str, visits: list[Visit], cached: Visit | None = None) -> dict[str, Timing]:
    """Each visit in turn in one browser: {label: timing}. By default every visit is a first-time
    visitor (a fresh context); with ``cached`` (the visit that fills the cache first) every visit is
    a returning visitor (a new tab of one context whose cache holds the app's scripts)."""
    from playwright.async_api import async_playwright

    async def run() -> dict[str, Timing]:
        async with async_playwright() as p:
            browser = await _launch(p)
            try:
                context = await _cached_context(browser, url, cached) if cached else None
                return {v.label: await _visit(browser, url, v, context=context) for v in visits}
            finally:
                await browser.close()

    return asyncio.run(run())


def concurrent(
    url: str,
    visits: list[Visit],
    sessions: int,
    cached: Visit | None = None,
    cpu: CpuSplit | None = None,
) -> list[tuple[str, Timing]]:
    """``sessions`` visitors opening pages at the same moment (visits taken in turn): fresh
    contexts, or with ``cached`` tabs of one context whose cache holds the app's scripts; ``cpu`` is
    started and stopped around the visits."""
    from playwright.async_api import async_playwright

    chosen = [visits[i % len(visits)] for i in range(sessions)]

    async def run() -> list[tuple[str, Timing]]:
        async with async_playwright() as p:
            browser = await _launch(p)
            try:
                context = await _cached_context(browser, url, cached) if cached else None
                times = await gather(
                    [_visit(browser, url, v, timeout_s=300, context=context) for v in chosen], cpu
                )
                return [(v.label, t) for v, t in zip(chosen, times, strict=True)]
            finally:
                await browser.close()

    return asyncio.run(run())


def navigate(url: str, visits: list[Visit]) -> dict[str, float]:
    """Each visit opened from the sidebar menu of an app already open on another view, in turn:
    {label: seconds from the click to every chart drawn}. Visits with the same filters follow one
    another in one tab, as a person moves from view to view."""
    from playwright.async_api import async_playwright

    async def run() -> dict[str, float]:
        async with async_playwright() as p:
            browser = await _launch(p)
            try:
                # Tabs of one context: the set-up visits read the app's scripts from its cache.
                context = await browser.new_context(viewport={"width": 1440, "height": 1000})
                walks: dict[str, list[Visit]] = {}
                for v in visits:
                    walks.setdefault(v.path.partition("?")[2], []).append(v)
                out = {}
                for walk in walks.values():
                    page, at = None, ""
                    for v in walk:
                        target = v.path.lstrip("/").partition("?")[0]
                        if page is None or target == at:  # a click must lead to another view
                            if page is not None:
                                await page.close()
                            page = await _open(browser, url, start_of(v), 120, context)
                        out[v.label] = await _switch(page, v, 120)
                        at = target
                    if page is not None:
                        await page.close()
                return {v.label: out[v.label] for v in visits}
            finally:
                await browser.close()

    return asyncio.run(run())


def concurrent_navigate(
    url: str, visits: list[Visit], sessions: int, cpu: CpuSplit | None = None
) -> list[tuple[str, float]]:
    """``sessions`` visitors with the app open (each in a tab of its own, opened beforehand and not
    timed) who all choose a view in the menu at the same moment (visits taken in turn); ``cpu``
    is started and stopped around the clicks."""
    from playwright.async_api import async_playwright

    chosen = [visits[i % len(visits)] for i in range(sessions)]

    async def run() -> list[tuple[str, float]]:
        async with async_playwright() as p:
            browser = await _launch(p)
            try:
                # Each tab is a session of its own; they share one context so that setting them up
                # (five at a time, not measured) reads the app's scripts from its cache.
                context = await browser.new_context(viewport={"width": 1440, "height": 1000})
                tabs = []
                for i in range(0, len(chosen), 5):
                    tabs += await asyncio.gather(
                        *(_open(browser, url, start_of(v), 300, context) for v in chosen[i : i + 5])
                    )
                times = await gather([_switch(tab, v, 300) for tab, v in zip(tabs, chosen, strict=True)], cpu)
                return [(v.label, t) for v, t in zip(chosen, times, strict=True)]
            finally:
                await browser.close()

    return asyncio.run(run())
