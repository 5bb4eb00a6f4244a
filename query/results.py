"""Current results and the reference data the dashboard views draw next to them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from query.base import frame


def has_results(db: str | Path | None = None) -> bool:
    """True when at least one current result is loaded (an absent database has none)."""
    try:
        return bool(frame("SELECT EXISTS (SELECT 1 FROM current_results) AS x", db=db)["x"].iloc[0])
    except FileNotFoundError:
        return False


def periods(db: str | Path | None = None) -> pd.DataFrame:
    """Years and stages loaded: year, stage, units, illustrative (any of its results is sample data)."""
    df = frame(
        """SELECT year, stage, count(DISTINCT locality_code) AS units, bool_or(illustrative) AS illustrative
           FROM current_results GROUP BY year, stage ORDER BY year, stage""",
        db=db,
    )
    df["year"] = df["year"].astype("int64")
    return df


def assessed_units(db: str | Path | None = None) -> pd.DataFrame:
    """Units with at least one current assessment: code, name, type, parent, years (sorted list)."""
    df = frame(
        """SELECT r.locality_code, any_value(r.locality_name) AS locality_name,
                  any_value(r.locality_type) AS locality_type, any_value(r.parent_code) AS parent_code,
                  any_value(p.name) AS parent_name, list(DISTINCT r.year ORDER BY r.year) AS years,
                  bool_or(r.illustrative) AS illustrative
           FROM current_results r
           LEFT JOIN locality p ON p.vintage = '2020' AND p.code = r.parent_code
           GROUP BY r.locality_code
           ORDER BY any_value(r.locality_type), any_value(r.locality_name), r.locality_code""",
        db=db,
    )
    df["years"] = df["years"].map(lambda ys: [int(y) for y in ys])
    return df


def indicator_results(
    db: str | Path | None = None,
    year: int | None = None,
    stage: str | None = None,
    codes: list[str] | None = None,
) -> pd.DataFrame:
    """Current results with the indicator's names, one row per unit, year, stage and indicator."""
    df = frame(
        """SELECT r.locality_code, r.locality_name, r.locality_type, r.year, r.stage, r.indicator_code,
                  r.pillar, i.seq, i.name_vi, i.name_en, r.level, r.score, r.reported_score, r.evidence,
                  r.note, r.illustrative
           FROM current_results r JOIN indicator i ON i.code = r.indicator_code
           WHERE (CAST(? AS INTEGER) IS NULL OR r.year = ?)
             AND (CAST(? AS VARCHAR) IS NULL OR r.stage = ?)
           ORDER BY i.seq, r.locality_code, r.year""",
        [year, year, stage, stage],
        db=db,
    )
    df["year"] = df["year"].astype("int64")
    if codes:
        df = df[df["locality_code"].isin(codes)].reset_index(drop=True)
    return df


def level_moves(db: str | Path | None, stage: str, from_year: int, to_year: int) -> pd.DataFrame:
    """Each unit's level per indicator in two years and how many levels it moved (+ up, - down)."""
    return frame(
        """SELECT a.locality_code, a.locality_name, a.locality_type, a.indicator_code, a.pillar,
                  i.seq, i.name_vi, i.name_en, a.level AS level_from, b.level AS level_to,
                  la.rank AS rank_from, lb.rank AS rank_to, lb.rank - la.rank AS move,
                  a.illustrative OR b.illustrative AS illustrative
           FROM current_results a
           JOIN current_results b ON b.locality_code = a.locality_code
                AND b.indicator_code = a.indicator_code AND b.stage = a.stage AND b.year = ?
           JOIN level la ON la.level = a.level
           JOIN level lb ON lb.level = b.level
           JOIN indicator i ON i.code = a.indicator_code
           WHERE a.year = ? AND a.stage = ?
           ORDER BY a.locality_code, i.seq""",
        [to_year, from_year, stage],
        db=db,
    )


def _moves(
    db: str | Path | None,
    stage: str,
    from_year: int,
    to_year: int,
    pillar: int | None,
    codes: list[str] | None,
) -> pd.DataFrame:
    df = level_moves(db, stage, from_year, to_year)
    if pillar is not None:
        df = df[df["pillar"] == pillar]
    if codes:
        df = df[df["locality_code"].isin(codes)]
    return df


def move_counts(
    db: str | Path | None,
    stage: str,
    from_year: int,
    to_year: int,
    pillar: int | None = None,
    codes: list[str] | None = None,
) -> pd.DataFrame:
    """Per unit: how many indicators went up a level, down a level, or stayed."""
    df = _moves(db, stage, from_year, to_year, pillar, codes)
    if df.empty:
        return pd.DataFrame(columns=["locality_code", "locality_name", "locality_type", "up", "same", "down"])
    out = df.groupby(["locality_code", "locality_name", "locality_type"], as_index=False).agg(
        up=("move", lambda m: int((m > 0).sum())),
        same=("move", lambda m: int((m == 0).sum())),
        down=("move", lambda m: int((m < 0).sum())),
        illustrative=("illustrative", "max"),
    )
    out["net"] = out["up"] - out["down"]
    return out.sort_values(["net", "locality_name"], ascending=[False, True]).reset_index(drop=True)


def indicator_moves(
    db: str | Path | None,
    stage: str,
    from_year: int,
    to_year: int,
    pillar: int | None = None,
    codes: list[str] | None = None,
) -> pd.DataFrame:
    """Per indicator across units: units that moved up, down, and the net (most improved first)."""
    df = _moves(db, stage, from_year, to_year, pillar, codes)
    if df.empty:
        return pd.DataFrame(
            columns=["indicator_code", "pillar", "seq", "name_vi", "name_en", "up", "down", "net", "units"]
        )
    out = df.groupby(["indicator_code", "pillar", "seq", "name_vi", "name_en"], as_index=False).agg(
        up=("move", lambda m: int((m > 0).sum())),
        down=("move", lambda m: int((m < 0).sum())),
        units=("locality_code", "nunique"),
        illustrative=("illustrative", "max"),
    )
    out["net"] = out["up"] - out["down"]
    return out.sort_values(["net", "seq"], ascending=[False, True]).reset_index(drop=True)


def pillars(db: str | Path | None = None) -> pd.DataFrame:
    df = frame("SELECT pillar, name_vi, name_en, source FROM pillar ORDER BY pillar", db=db)
    df["pillar"] = df["pillar"].astype("int64")
    return df


def indicator_catalogue(db: str | Path | None = None) -> pd.DataFrame:
    """The 39 indicators with their red/yellow/green criteria and the doubts (confidence, notes)."""
    df = frame(
        """SELECT code, pillar, seq, name_vi, name_en, name_es, source_vi, source_en, confidence, notes,
                  red_vi, yellow_vi, green_vi, red_en, yellow_en, green_en, criteria_source
           FROM indicator ORDER BY seq""",
        db=db,
    )
    df["pillar"] = df["pillar"].astype("int64")
    return df


def levels(db: str | Path | None = None) -> pd.DataFrame:
    """The three levels with the score the project rule gives each (from the ``level`` table)."""
    df = frame(
        "SELECT level, rank, score, name_vi, name_en, meaning_vi, meaning_en, source FROM level ORDER BY rank",
        db=db,
    )
    return df


def registry_summary(db: str | Path | None = None) -> pd.DataFrame:
    """How many units of each vintage and type the registry holds, and where it comes from."""
    return frame(
        """SELECT vintage, unit_type, count(*) AS units, any_value(source) AS source
           FROM locality GROUP BY vintage, unit_type ORDER BY vintage, count(*) DESC""",
        db=db,
    )


def illustrative_uploads(db: str | Path | None = None) -> pd.DataFrame:
    """Files whose current assessments are sample data: file, year, stage, assessments."""
    return frame(
        """SELECT file_name, year, stage, count(*) AS assessments, bool_or(illustrative) AS illustrative
           FROM current_assessments GROUP BY file_name, year, stage ORDER BY year, file_name""",
        db=db,
    )
