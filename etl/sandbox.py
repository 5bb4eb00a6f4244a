"""Parse untrusted files in worker processes whose memory, CPU and wall-clock time are bounded.

A file is data from outside: a reader may abort (a Rust ``memory allocation ... failed`` abort
takes the whole process down), crash, loop or swallow the machine's memory. So every file is read
and validated in a long-lived worker process (``python -m etl validate/load``, the upload page and
``etl.load.load_bytes`` alike), never in the server or the CLI's own process:

- address space: ``RLIMIT_AS`` = the worker's size at start + ``ISO18091_PARSE_MEMORY_MB``;
- CPU time: ``RLIMIT_CPU`` raised before each file to what was used + ``ISO18091_PARSE_SECONDS``;
- wall-clock time: ``alarm(ISO18091_PARSE_SECONDS)`` inside the worker, and the parent kills a
  worker that overstays by a few seconds more;
- a worker never outlives its parent: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` on Linux, and it exits
  when its pipe to the parent closes.

Whatever happens inside a worker (an exception, an abort, a signal, a timeout) becomes that
file's ``file-unreadable`` problem with a translated reason; the worker is replaced and the batch
goes on. Workers are reused across files (one fork per file cost more than the parse, see
BENCHMARKS.md), a few files are queued to each so they never wait on the writer, and the window
of files in flight is bounded in number and bytes, so memory stays bounded however many files a
load has. Results come back in the order the files were given.

Workers are forked from the calling process when it runs a single thread (the CLI: they inherit
the unit registry), and started from a fork server otherwise (the Streamlit server, which has many
threads: forking it could copy a lock held by another thread).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import faulthandler
import logging
import multiprocessing as mp
import os
import resource
import signal
import tempfile
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from core.problems import Localized, Problem, Tr, problem
from etl.limits import LIMITS, Limits
from etl.model import Parsed
from etl.readers import base_name
from i18n import N_, t

log = logging.getLogger(__name__)

QUEUE_DEPTH = 64  # files queued to one worker: enough to keep it busy while the writer writes
WINDOW_FILES = 512  # files dispatched or finished but not yet taken by the caller
WINDOW_BYTES = 48 * 2**20  # ... and their size in bytes
GRACE_SECONDS = 5.0  # the parent's backstop beyond the worker's own alarm


@dataclass
class Task:
    """One file to parse: by path (read in the worker) or by its bytes."""

    name: str
    path: str | None = None
    data: bytes | None = field(default=None, repr=False)
    keep_in: str | None = None  # a database path: keep the original beside it when the file is ok
    annotate: list[Problem] | None = field(default=None, repr=False)  # make the marked copy instead

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        try:
            return os.stat(self.path or "").st_size
        except OSError:
            return 0


@dataclass
class Done:
    """A parsed file and where its original was kept (None when not kept); or a marked copy."""

    parsed: Parsed
    stored: str | None = None
    output: bytes | None = field(default=None, repr=False)


def _seconds_reason(seconds: int) -> Localized:
    return Localized(
        t(N_("reading it took longer than {seconds} seconds"), "vi", seconds=seconds),
        t(N_("reading it took longer than {seconds} seconds"), "en", seconds=seconds),
    )


def failed(task: Task, reason: Tr | Localized) -> Parsed:
    """The report of a file whose parse failed: one ``file-unreadable`` problem."""
    name = base_name(task.name)
    parsed = Parsed(name, task.size, "")
    if task.data is not None:
        import hashlib

        parsed.sha256 = hashlib.sha256(task.data).hexdigest()
    parsed.problems.append(problem("file-unreadable", value=name, reason=reason))
    return parsed


# ---------------------------------------------------------------------------------------------
# The worker side


def _die_with_parent() -> None:
    """Linux: the kernel kills this process when the thread that forked it ends."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


def _address_space() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _set_limits(limits: Limits) -> None:
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with contextlib.suppress(ValueError, OSError, FileNotFoundError):
        cap = _address_space() + limits.parse_memory_bytes
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _cpu_budget(seconds: int) -> None:
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime) + seconds + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def parse_task(task: Task, limits: Limits = LIMITS) -> Done:
    """Read (if by path), parse and validate one file, and keep its original; never raises."""
    from etl.validate import parse_bytes

    data = task.data
    if data is None:
        try:
            with open(task.path or "", "rb") as f:
                size, most = os.fstat(f.fileno()).st_size, max(limits.max_file_bytes, limits.max_csv_bytes)
                if size > most:  # never read a file that no limit admits
                    parsed = Parsed(base_name(task.name), size, "")
                    parsed.problems.append(
                        problem(
                            "file-too-large",
                            value=parsed.file_name,
                            size=f"{size / 2**20:.1f}",
                            limit=most // 2**20,
                        )
                    )
                    return Done(parsed)
                data = f.read()
        except FileNotFoundError:
            return Done(failed(task, Tr(N_("the file does not exist"))))
        except PermissionError:
            return Done(failed(task, Tr(N_("the file may not be read (permission denied)"))))
        except IsADirectoryError:
            return Done(failed(task, Tr(N_("it is a folder, not a file"))))
        except OSError:
            return Done(failed(task, Tr(N_("the file could not be opened"))))
    if task.annotate is not None:
        from etl.annotate import annotate

        return Done(
            Parsed(base_name(task.name), len(data), ""),
            output=annotate(task.name, data, task.annotate, limits),
        )
    parsed = parse_bytes(task.name, data, limits)
    stored = None
    if task.keep_in and parsed.ok:
        from etl.originals import keep_original

        stored = keep_original(Path(task.keep_in), parsed, data)
    return Done(parsed, stored)


def _worker(conn: Connection, limits: Limits, stderr_path: str) -> None:
    _die_with_parent()
    # What a reader prints when it aborts (a Rust panic) lands here for the parent to read.
    with contextlib.suppress(OSError):
        fd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
    os.environ["RUST_BACKTRACE"] = "0"  # a reader's abort message, not pages of backtrace
    faulthandler.disable()  # it writes to a copy of the parent's stderr: an abort is ours to report
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    _set_limits(limits)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            os._exit(0)  # the parent is gone
        if msg is None:
            os._exit(0)
        idx, task = msg
        with contextlib.suppress(OSError):
            os.ftruncate(2, 0)
            os.lseek(2, 0, os.SEEK_SET)
        _cpu_budget(limits.parse_seconds)
        signal.alarm(limits.parse_seconds)
        try:
            done = parse_task(task, limits)
        except MemoryError:
            done = Done(failed(task, Tr(N_("the file needs more memory than a file may use"))))
        except BaseException:
            parsed = failed(task, Tr(N_("the file is damaged or uses a feature the reader does not support")))
            parsed.internal_error = traceback.format_exc()
            done = Done(parsed)
        signal.alarm(0)
        try:
            conn.send((idx, done))
        except (OSError, EOFError):
            os._exit(0)
        except Exception:  # could not be pickled: report it rather than lose the file
            parsed = failed(task, Tr(N_("the file is damaged or uses a feature the reader does not support")))
            parsed.internal_error = traceback.format_exc()
            conn.send((idx, Done(parsed)))


_WARM = False


def _warm() -> None:
    """Build what every parse needs once (unit registries, code tables, header caches, the readers'
    imports) by parsing two sample files, before workers are forked from this process."""
    global _WARM
    if _WARM:
        return
    from core.config import DATA_DIR
    from core.units import registry
    from etl.validate import parse_bytes

    registry("2020")
    for sample in ("2023-315-csv.csv", "2023-303-template.xlsx"):
        path = DATA_DIR / "samples" / sample
        if path.exists():
            parse_bytes(path.name, path.read_bytes())
    _WARM = True


# ---------------------------------------------------------------------------------------------
# The parent side


def _context() -> mp.context.BaseContext:
    if threading.active_count() == 1:
        return mp.get_context("fork")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["etl.sandbox_preload"])
    return ctx


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, limits: Limits, folder: str, n: int) -> None:
        self.stderr_path = os.path.join(folder, f"worker-{n}.stderr")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, limits, self.stderr_path), daemon=True)
        self.proc.start()
        child.close()
        self.queue: deque[int] = deque()  # task indexes sent, in order
        self.head_since = time.monotonic()
        self.dead = False

    def send(self, idx: int, task: Task) -> None:
        if not self.queue:
            self.head_since = time.monotonic()
        self.queue.append(idx)
        self.conn.send((idx, task))

    def stderr_head(self) -> str:
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read(8192).decode("utf-8", "replace")
        except OSError:
            return ""

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        self.proc.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()
        self.dead = True

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        with contextlib.suppress(Exception):
            self.conn.close()


def _death_reason(code: int | None, stderr: str, limits: Limits, timed_out: bool) -> Tr | Localized:
    sig = -code if code is not None and code < 0 else None
    if timed_out or sig in (signal.SIGALRM, signal.SIGXCPU):
        return _seconds_reason(limits.parse_seconds)
    if "memory allocation" in stderr or "MemoryError" in stderr or "out of memory" in stderr.lower():
        return Tr(N_("the file needs more memory than a file may use"))
    if sig == signal.SIGKILL:
        return Tr(N_("the file needs more memory than a file may use"))
    return Tr(N_("the reader stopped on a damaged part of the file"))


class ParsePool:
    """A few long-lived, limited worker processes that parse files; see the module docstring."""

    def __init__(self, workers: int | None = None, limits: Limits = LIMITS) -> None:
        self.limits = limits
        self.size = max(1, workers or os.cpu_count() or 1)
        self._ctx = _context()
        if self._ctx.get_start_method() == "fork":
            _warm()  # forked workers inherit it instead of building it each
        self._folder = tempfile.mkdtemp(prefix="iso18091-parse-")
        self._workers: list[_Worker] = []
        self._spawned = 0
        self._want = self.size
        self.ahead = False  # during run(): whether the next result is ready now (writers group by it)
        # What went wrong inside workers, for tests and benchmarks to count.
        self.deaths: list[tuple[str, int | None]] = []  # (file, exit code) of workers that died
        self.internal_errors: list[tuple[str, str]] = []  # (file, traceback) of unexpected errors
        self._lock = threading.Lock()

    # -- lifecycle

    def _spawn(self) -> _Worker:
        self._spawned += 1
        return _Worker(self._ctx, self.limits, self._folder, self._spawned)

    def _ensure(self) -> None:
        """Replace workers that died while idle; start up to the wanted number."""
        for w in self._workers:
            if not w.dead and not w.queue and not w.proc.is_alive():
                w.kill()
        self._workers = [w for w in self._workers if not w.dead]
        while len(self._workers) < self._want:
            self._workers.append(self._spawn())

    def close(self) -> None:
        for w in self._workers:
            w.stop()
        self._workers = []
        for f in Path(self._folder).glob("*"):
            with contextlib.suppress(OSError):
                f.unlink()
        with contextlib.suppress(OSError):
            os.rmdir(self._folder)

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pids(self) -> list[int]:
        return [w.proc.pid for w in self._workers if not w.dead and w.proc.pid]

    def peak_rss(self) -> int:
        """The largest resident size (bytes) any live worker reached (VmHWM), for measurements."""
        peak = 0
        for pid in self.pids():
            with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) * 1024)
        return peak

    # -- work

    def parse(self, name: str, data: bytes) -> Parsed:
        """One file given as bytes."""
        return next(self.run([Task(name, data=data)])).parsed

    def run(self, tasks: Iterable[Task], expected: int | None = None) -> Iterator[Done]:
        """Parse ``tasks``; yields one Done per task, in order. Thread-safe (one run at a time)."""
        with self._lock:
            yield from self._run(iter(tasks), expected)

    def _run(self, tasks: Iterator[Task], expected: int | None) -> Iterator[Done]:
        self._want = min(self.size, expected) if expected else self.size
        self._ensure()
        byidx: dict[int, Task] = {}
        done: dict[int, Done] = {}
        retry: deque[int] = deque()
        next_in, next_out, window_bytes = 0, 0, 0
        exhausted = False
        try:
            while True:
                # Take files while the window has room, then hand them to workers with room.
                while not exhausted and len(byidx) < WINDOW_FILES and window_bytes < WINDOW_BYTES:
                    try:
                        task = next(tasks)
                    except StopIteration:
                        exhausted = True
                        break
                    byidx[next_in] = task
                    window_bytes += task.size
                    retry.append(next_in)
                    next_in += 1
                while retry:
                    w = self._pick(byidx[retry[0]])
                    if w is None:
                        break
                    idx = retry.popleft()
                    try:
                        w.send(idx, byidx[idx])
                    except (OSError, EOFError):
                        self._bury(w, byidx, done, retry)
                while next_out in done:
                    d = done.pop(next_out)
                    task = byidx.pop(next_out)
                    window_bytes -= task.size
                    next_out += 1
                    if d.parsed.internal_error:
                        self.internal_errors.append((d.parsed.file_name, d.parsed.internal_error))
                    _log_internal(d.parsed)
                    if next_out not in done:  # take what the workers have sent, without waiting
                        for w in self._workers:
                            if w.queue and not w.dead and w.conn.poll():
                                self._drain(w, done)
                    self.ahead = next_out in done or (exhausted and not retry and len(byidx) == 1)
                    yield d
                if exhausted and not byidx:
                    return
                self._collect(byidx, done, retry)
        finally:
            if byidx:  # the caller stopped early: workers may still hold its tasks
                for w in self._workers:
                    if w.queue:
                        w.kill()

    def _pick(self, task: Task) -> _Worker | None:
        """The least busy live worker with room (a task given as bytes goes only to an idle one,
        so a large send never blocks while that worker is busy)."""
        self._ensure()
        live = [w for w in self._workers if not w.dead]
        if not live:
            return None
        w = min(live, key=lambda x: len(x.queue))
        if task.data is not None and w.queue:
            return None
        return w if len(w.queue) < QUEUE_DEPTH else None

    def _collect(self, byidx: dict[int, Task], done: dict[int, Done], retry: deque[int]) -> None:
        busy = [w for w in self._workers if w.queue and not w.dead]
        if not busy:
            return
        now = time.monotonic()
        deadline = min(w.head_since for w in busy) + self.limits.parse_seconds + GRACE_SECONDS
        ready = wait(
            [w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=max(0.0, deadline - now)
        )
        for w in busy:
            if w.conn in ready or w.proc.sentinel in ready:
                self._drain(w, done)
            if w.proc.sentinel in ready and not w.proc.is_alive():
                self._drain(w, done)
                self._bury(w, byidx, done, retry)
            elif w.queue and time.monotonic() - w.head_since > self.limits.parse_seconds + GRACE_SECONDS:
                w.kill()
                self._bury(w, byidx, done, retry, timed_out=True)

    def _drain(self, w: _Worker, done: dict[int, Done]) -> None:
        """Take every result the worker has sent."""
        try:
            while w.queue and w.conn.poll():
                idx, result = w.conn.recv()
                if w.queue and w.queue[0] == idx:
                    w.queue.popleft()
                    w.head_since = time.monotonic()
                done[idx] = result
        except (EOFError, OSError):
            pass

    def _bury(
        self,
        w: _Worker,
        byidx: dict[int, Task],
        done: dict[int, Done],
        retry: deque[int],
        timed_out: bool = False,
    ) -> None:
        """A worker died: its current file gets the problem, its queued files go to another worker."""
        w.proc.join(5)
        code = w.proc.exitcode
        if w.queue:
            culprit = w.queue.popleft()
            tail = w.stderr_head()
            log.debug("worker stderr: %s", tail[-500:])
            reason = _death_reason(code, tail, self.limits, timed_out)
            done[culprit] = Done(failed(byidx[culprit], reason))
            log.warning("parse worker stopped (exit %s) on %s", code, byidx[culprit].name)
            self.deaths.append((byidx[culprit].name, code))
            for idx in reversed(w.queue):
                retry.appendleft(idx)
            w.queue.clear()
        if not w.dead:
            w.kill()
        self._ensure()


def _log_internal(parsed: Parsed) -> None:
    if parsed.internal_error:
        log.error("unexpected error while reading %s:\n%s", parsed.file_name, parsed.internal_error)
        parsed.internal_error = None


_SHARED: ParsePool | None = None
_SHARED_LOCK = threading.Lock()


def shared_pool() -> ParsePool:
    """The process's pool for single uploads (the upload page, load_bytes): started once, kept."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = ParsePool(workers=min(2, os.cpu_count() or 1))
            atexit.register(_SHARED.close)  # its workers and their stderr folder go with the process
        return _SHARED


def parse_untrusted(name: str, data: bytes) -> Parsed:
    """Read and validate one file's bytes in a limited worker process (see the module docstring)."""
    return shared_pool().parse(name, data)


def parse_many_untrusted(files: list[tuple[str, bytes]]) -> list[Parsed]:
    """Several files' bytes, read and validated in the shared limited workers, in order."""
    return [d.parsed for d in shared_pool().run([Task(n, data=b) for n, b in files], expected=len(files))]


def annotate_untrusted(name: str, data: bytes, problems: list[Problem]) -> bytes | None:
    """The marked .xlsx copy of an uploaded file (etl/annotate.py), made in a limited worker."""
    done = next(shared_pool().run([Task(name, data=data, annotate=list(problems))]))
    return done.output
