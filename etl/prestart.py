"""Start the parse workers' fork server before anything heavy is imported.

``python -m etl load`` spends about half a second importing pandas and the project, and the fork
server of the parse workers (etl/sandbox.py) spends about as long importing the readers and
building the unit registries before it forks the first worker. Started first, the server does its
part on the other core while the command does its own: one province's load went from 2.0 to about
1.4 s. This module imports nothing but multiprocessing, so that the server starts at once.
"""

from __future__ import annotations

import multiprocessing as mp
from multiprocessing import forkserver

PRELOAD = ["etl.sandbox_preload"]
STARTED = False


def fork_server() -> None:
    """Start the fork server (with the parse workers' preload) now; it warms up in the background."""
    global STARTED
    mp.get_context("forkserver").set_forkserver_preload(PRELOAD)
    forkserver.ensure_running()
    STARTED = True
