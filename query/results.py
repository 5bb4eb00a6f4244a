"""Current results, the read model every view starts from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from query.base import frame


def current_results(db: str | Path | None = None) -> pd.DataFrame:
    return frame("SELECT * FROM current_results ORDER BY locality_code, year, stage, indicator_code", db=db)
