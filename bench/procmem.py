"""Peak resident memory of a process and all its descendants, sampled in a background thread.

The sum over the tree is what the machine has to hold: the ETL loader forks parse workers, the
dashboard server may start kaleido's Chromium for a PNG export.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable

import psutil


def _tree_sum(pid: int, measure: Callable[[psutil.Process], float]) -> float:
    """``measure`` summed over ``pid`` and its living descendants (0 when it is gone)."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0.0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += measure(p)
    return total


def tree_rss(pid: int) -> int:
    """Bytes resident in ``pid`` and every descendant right now (0 when it is gone)."""
    return int(_tree_sum(pid, lambda p: p.memory_info().rss))


def high_water(pid: int) -> int:
    """The kernel's own peak RSS of one process (VmHWM), in bytes; 0 when unknown."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakSampler:
    """``with PeakSampler(pid) as s: ...`` then ``s.peak_bytes``: the largest tree RSS seen.

    Also folds in the root's VmHWM read at each sample, so a spike between two samples of the
    main process is not missed.
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_bytes = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        self.peak_bytes = max(self.peak_bytes, tree_rss(self.pid), high_water(self.pid))
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_bytes / 2**20


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its living descendants."""
    return _tree_sum(pid, lambda p: sum(p.cpu_times()[:2]))


class CpuSplit:
    """CPU seconds the server and the browsers use between ``start()`` and ``stop()``: where the time
    of many sessions at once goes when the server and every browser share one machine.

    The server is a child of this process, and Playwright's driver and Chromium are too: the
    browsers' share is this process's tree minus the server's tree and this process itself.
    """

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.server_s = 0.0
        self.browser_s = 0.0
        self._at: tuple[float, float] = (0.0, 0.0)

    def _read(self) -> tuple[float, float]:
        me = psutil.Process()
        own = sum(me.cpu_times()[:2])
        server = tree_cpu(self.server_pid)
        return server, tree_cpu(me.pid) - server - own

    def start(self) -> None:
        self._at = self._read()

    def stop(self) -> None:
        server, browser = self._read()
        self.server_s = round(server - self._at[0], 2)
        self.browser_s = round(max(0.0, browser - self._at[1]), 2)


async def gather(awaitables: list[Awaitable], cpu: CpuSplit | None = None) -> list:
    """``asyncio.gather`` of ``awaitables``; ``cpu`` (when given) measures the server's and the
    browsers' CPU while they run."""
    if cpu:
        cpu.start()
    out = await asyncio.gather(*awaitables)
    if cpu:
        cpu.stop()
    return list(out)
