"""Shared fixtures: databases, the ../shared reference folder, real streamlit servers, a browser.

End-to-end tests share one ``streamlit run`` per database (and environment) for the whole
session (``streamlit_server``); a test that needs the first request of a brand-new server asks
for ``fresh_streamlit_server``. Browser pages come from ``new_page``: one isolated context per
page, closed after the test (a screenshot of each open page lands in test-artifacts/failures/
when the test failed). ``wait_idle`` waits on conditions (the app connected, its script run
finished, nothing stale on screen, and the element the caller expects), never on a fixed delay.
"""

from __future__ import annotations

import base64
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bench.pagetimes import CHROMIUM, CHROMIUM_ARGS, Server  # the same browser and app as the benchmark

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ARTIFACTS = ROOT / "test-artifacts"
SERVER_START_S = 90  # a server that has not answered its health check by then failed to start


@pytest.fixture(autouse=True)
def _restore_main_module() -> Iterator[None]:
    """Put the real ``__main__`` back after each test.

    Streamlit's script runner (AppTest runs it in this process) installs the script it ran as
    ``sys.modules["__main__"]`` and leaves it there; a later test that starts a process with the
    'spawn' method would then make the child run dashboard.py (test_concurrency did, when it ran
    after an AppTest test).
    """
    main = sys.modules.get("__main__")
    yield
    if main is not None and sys.modules.get("__main__") is not main:
        sys.modules["__main__"] = main


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """A database path that does not exist yet."""
    return tmp_path / "db" / "test.duckdb"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the illustrative sample data (24 assessments). Treat as read-only."""
    from etl.load import load_files

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    reports = load_files([ROOT / "data" / "samples"], db, user="demo", jobs=1)
    assert all(r.status == "loaded" for r in reports), [r.to_dict() for r in reports if r.status != "loaded"]
    return db


@pytest.fixture(scope="session")
def demo_cli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database filled the way a user does it: ``python -m etl demo``. Treat as read-only."""
    db = tmp_path_factory.mktemp("e2e") / "demo.duckdb"
    subprocess.run(
        [sys.executable, "-m", "etl", "demo", "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return db


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repo; tests that need it skip with a reason when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"reference folder {SHARED} is absent (it sits beside the repo in CI)")
    return SHARED


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, env: dict[str, str], logdir: Path) -> Server:
    """The app on a free port (bench/pagetimes.py's launcher, shared with the benchmark)."""
    port = free_port()
    return Server(db, port, logdir / f"streamlit-{port}.log", env, start_s=SERVER_START_S)


def _env_key(db: Path, env: dict[str, str]) -> tuple[str, tuple[tuple[str, str], ...]]:
    return str(Path(db).resolve()), tuple(sorted(env.items()))


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """start(db, **env) -> URL of the session's server for that database and environment.

    The first call for a (database, environment) starts ``streamlit run dashboard.py``; later calls,
    from any test, get the same server. Tests that need special settings (ISO18091_REQUIRE_LOGIN=1)
    pass them as keywords and so get a server of their own.
    """
    logdir = tmp_path_factory.mktemp("streamlit-logs")
    servers: dict[tuple[str, tuple[tuple[str, str], ...]], Server] = {}

    def start(db: Path, **env: str) -> str:
        key = _env_key(db, env)
        server = servers.get(key)
        if server is None or not server.alive:
            server = servers[key] = start_server(Path(db), env, logdir)
        return server.url

    yield start
    for server in servers.values():
        server.stop()


@pytest.fixture
def fresh_streamlit_server(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """start(db, **env) -> URL of a server started for this test alone (first requests after a start)."""
    started: list[Server] = []

    def start(db: Path, **env: str) -> str:
        started.append(start_server(Path(db), env, tmp_path / "streamlit-logs"))
        return started[-1].url

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run scripts/system-deps.sh"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]):
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def new_page(browser, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """new_page(width=1400, height=1000) -> a page in a browser context of its own.

    Every context is closed after the test, whatever happened; when the test failed, each page
    still open is saved to test-artifacts/failures/ first.
    """
    contexts = []

    def make(width: int = 1400, height: int = 1000, **options: Any):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    rep = getattr(request.node, "rep_call", None)
    failed = rep is not None and rep.failed
    for i, context in enumerate(contexts):
        if failed:
            out = ARTIFACTS / "failures"
            out.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
            for j, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(out / f"{name}-{i}{j}.png"), full_page=True, timeout=10_000)
                except Exception as exc:  # a crashed page: the failure itself says more
                    print(f"no failure screenshot of {name}: {exc}")
        context.close()


# The app is idle: connected, its script run finished (Streamlit writes the state on the app's
# root element), no running indicator, and nothing left over from the previous run.
_IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]');
}"""


def wait_idle(page, expect: Any = None, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script for the current view.

    ``expect``: a locator or CSS selector that only the awaited state shows (the new page's title,
    a message). After an action that starts a run (a click, a typed value) pass one: until the
    server has answered the action, the page still looks idle with the previous run's content.
    A freshly loaded page needs none (its script state starts as 'initial', not idle).
    """
    if expect is not None:
        locator = page.locator(expect) if isinstance(expect, str) else expect
        locator.first.wait_for(timeout=timeout)
    page.wait_for_function(_IDLE, timeout=timeout)


def title_is(page, text: str, timeout: float = 30_000) -> None:
    """Wait until the view's title (its first h1) reads ``text``."""
    page.wait_for_function(
        "want => { const h = document.querySelector('[data-testid=\"stMainBlockContainer\"] h1');"
        " return !!h && h.innerText.trim() === want; }",
        arg=text,
        timeout=timeout,
    )


def decode_plotly(value: Any) -> Any:
    """plotly sends numeric arrays as {'dtype', 'bdata'[, 'shape']}; turn them back into lists."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            arr = arr.reshape([int(n) for n in str(value["shape"]).split(",")])
        return arr.tolist()
    if isinstance(value, dict):
        return {k: decode_plotly(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_plotly(v) for v in value]
    return value
