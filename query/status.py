"""What the database holds, for ``python -m etl status`` and the Method page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from query.base import frame


def assessment_counts(db: str | Path | None = None) -> pd.DataFrame:
    """Current assessments per vintage of units, year and stage, with how many are illustrative."""
    return frame(
        """SELECT vintage, year, stage, count(*) AS assessments, count(DISTINCT locality_id) AS units,
                  count(DISTINCT province_id) AS provinces, count(*) FILTER (WHERE illustrative) AS illustrative
           FROM current_assessments GROUP BY vintage, year, stage ORDER BY vintage, year, stage""",
        db=db,
    )


def totals(db: str | Path | None = None) -> dict[str, int]:
    row = frame(
        """SELECT (SELECT count(*) FROM current_assessments) AS current_assessments,
                  (SELECT count(*) FROM assessment) AS all_assessments,
                  (SELECT count(*) FROM upload) AS uploads,
                  (SELECT count(*) FROM upload WHERE outcome = 'loaded') AS uploads_loaded,
                  (SELECT count(*) FROM upload WHERE outcome = 'rejected') AS uploads_rejected,
                  (SELECT count(*) FROM indicator) AS indicators,
                  (SELECT count(*) FROM locality) AS localities,
                  (SELECT max(version) FROM schema_version) AS schema_version""",
        db=db,
    ).iloc[0]
    return {k: int(v) for k, v in row.items()}
