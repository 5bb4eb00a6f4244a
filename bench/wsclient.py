"""Sessions of the app without a browser: Streamlit's own websocket protocol, as the frontend
speaks it, so that the server's share of many sessions at once can be measured apart from the
browsers' (20 Chromium renderers on the server's own two cores measure the machine, not the app).

A session connects to ``/_stcore/stream`` and asks for a page the way the frontend does on a
click in the menu: a ``rerun_script`` message with the page's address and its query string. The
server's answer is complete when it reports the run finished; every message before that is read
(and counted) as a browser would receive it. Nothing is drawn.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.procmem import CpuSplit, gather

_DONE = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY


@dataclass(frozen=True)
class Answer:
    seconds: float  # from the request to the server's "run finished"
    messages: int
    bytes: int


class Session:
    """``async with Session(url) as s: await s.open('/grid?province=all')``."""

    def __init__(self, url: str, timeout_s: float = 300) -> None:
        self.ws_url = url.replace("http", "ws", 1) + "/_stcore/stream"
        self.timeout_s = timeout_s
        self._ws: websockets.ClientConnection | None = None

    async def __aenter__(self) -> Session:
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def open(self, path: str) -> Answer:
        """Ask for ``path`` ('/grid?province=all') and read the answer until the run is finished."""
        assert self._ws is not None, "use the session in 'async with'"
        page, _, query = path.lstrip("/").partition("?")
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        count = size = 0
        async with asyncio.timeout(self.timeout_s):
            while True:
                data = await self._ws.recv()
                count += 1
                size += len(data)
                fm = ForwardMsg()
                fm.ParseFromString(data)
                kind = fm.WhichOneof("type")
                if kind == "delta" and fm.delta.new_element.WhichOneof("type") == "exception":
                    raise RuntimeError(f"{path}: the page raised: {fm.delta.new_element.exception.message}")
                if kind == "page_not_found":
                    raise RuntimeError(f"{path}: no such page")
                # A run the app ends itself to start another (st.switch_page, st.rerun) is followed
                # by that run; the answer is complete when a run finishes normally.
                if kind == "script_finished" and fm.script_finished == _DONE:
                    return Answer(time.perf_counter() - t0, count, size)


def concurrent(url: str, starts: list[str], targets: list[str], cpu: CpuSplit | None = None) -> list[Answer]:
    """One session per (start, target): each opens its start page first (not timed, one after
    another), then every session asks for its target at the same moment; ``cpu`` is started and
    stopped around those requests."""

    async def run() -> list[Answer]:
        async with contextlib.AsyncExitStack() as stack:  # every session closed, set-up failing or not
            sessions = [await stack.enter_async_context(Session(url)) for _ in targets]
            for s, start in zip(sessions, starts, strict=True):
                await s.open(start)
            return await gather([s.open(p) for s, p in zip(sessions, targets, strict=True)], cpu)

    return asyncio.run(run())
