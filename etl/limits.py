"""Limits that keep a bad file from costing the machine. Configurable by environment."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = _env_int("ISO18091_MAX_FILE_MB", 20) * 1024 * 1024
    max_unpacked_bytes: int = _env_int("ISO18091_MAX_UNPACKED_MB", 200) * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, per archive
    max_rows: int = _env_int("ISO18091_MAX_ROWS", 50_000)


LIMITS = Limits()
