"""Limits that keep a bad file from costing the machine. Configurable by environment.

Two kinds of file, two sets of size limits: workbooks (.xlsx .xls .ods), which analysts fill by
hand for one unit or a few, and CSV, the bulk-exchange format, where one file may carry a whole
province (or the whole country) for a year in the long layout: 10,599 communes x 39 indicators
is about 413,000 rows and 45 MB. CSV is read as a stream of text, so it is cheap per row.

The extent of every sheet is measured before a reader runs (etl/extent.py), and every file is
parsed in a worker process whose address space, CPU time and wall-clock time are bounded
(etl/sandbox.py): whatever happens inside a reader becomes that file's problem.
"""

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
    # Workbooks (.xlsx .xlsm .xls .ods)
    max_file_bytes: int = _env_int("ISO18091_MAX_FILE_MB", 20) * 1024 * 1024
    max_unpacked_bytes: int = _env_int("ISO18091_MAX_UNPACKED_MB", 200) * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, per archive
    max_rows: int = _env_int("ISO18091_MAX_ROWS", 50_000)
    max_columns: int = _env_int("ISO18091_MAX_COLUMNS", 1_024)
    max_cells: int = _env_int("ISO18091_MAX_CELLS", 2_000_000)  # rows x columns of one sheet
    # CSV (long layout: bulk exchange)
    max_csv_bytes: int = _env_int("ISO18091_MAX_CSV_MB", 100) * 1024 * 1024
    max_csv_rows: int = _env_int("ISO18091_MAX_CSV_ROWS", 1_000_000)
    # The worker process that parses one file (etl/sandbox.py)
    parse_memory_bytes: int = _env_int("ISO18091_PARSE_MEMORY_MB", 1_536) * 1024 * 1024
    parse_seconds: int = _env_int("ISO18091_PARSE_SECONDS", 60)


LIMITS = Limits()
