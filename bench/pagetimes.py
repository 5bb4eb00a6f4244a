"""Page timings in headless Chromium against a real ``streamlit run`` server.

A page counts as drawn when the app's script run has finished (Streamlit writes its state on the
app's root element), nothing from an earlier run is left on screen, the view's title is there and
every plotly chart on it has its data and its SVG (the check the end-to-end tests use); the Method
page, which has no chart, also waits for its first table.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.procmem import PeakSampler

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

DRAWN = """minCharts => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if (!document.querySelector('[data-testid="stMainBlockContainer"] h1')) return false;
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
        await page.goto(url + visit.path)
        await page.wait_for_function(CONNECTED, timeout=timeout_s * 1000)
        connected = time.perf_counter() - t0
        await page.wait_for_function(RUN_DONE, timeout=timeout_s * 1000)
        script_done = time.perf_counter() - t0
        if visit.min_charts >= 0:
            await page.wait_for_function(DRAWN, arg=visit.min_charts, timeout=timeout_s * 1000)
        drawn = time.perf_counter() - t0
        errors = await page.locator('[data-testid="stException"]').count()
        if errors:
            text = await page.locator('[data-testid="stException"]').first.inner_text()
            raise RuntimeError(f"{visit.label}: the page raised: {text[:500]}")
        return Timing(connected, script_done, drawn)
    finally:
        await (context.close() if own else page.close())


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
    url: str, visits: list[Visit], sessions: int, cached: Visit | None = None
) -> list[tuple[str, Timing]]:
    """``sessions`` visitors opening pages at the same moment (visits taken in turn): fresh
    contexts, or with ``cached`` tabs of one context whose cache holds the app's scripts."""
    from playwright.async_api import async_playwright

    chosen = [visits[i % len(visits)] for i in range(sessions)]

    async def run() -> list[tuple[str, Timing]]:
        async with async_playwright() as p:
            browser = await _launch(p)
            try:
                context = await _cached_context(browser, url, cached) if cached else None
                times = await asyncio.gather(
                    *(_visit(browser, url, v, timeout_s=300, context=context) for v in chosen)
                )
                return [(v.label, t) for v, t in zip(chosen, times, strict=True)]
            finally:
                await browser.close()

    return asyncio.run(run())
