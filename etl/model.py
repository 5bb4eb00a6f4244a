"""What a file says (drafts, as read) and what will be stored (assessments, validated)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.problems import Problem
from core.units import Unit


@dataclass
class ResultDraft:
    indicator: str
    level: str | None
    score: float | None
    evidence: str | None
    note: str | None
    cell: str  # where the level was read


@dataclass
class Draft:
    """One assessment as a file states it, before the unit, year and stage are resolved."""

    sheet: str
    column: str | None = None  # summary layout: the unit's column letter
    unit_code: str | None = None
    unit_name: str | None = None
    province: str | None = None
    parent: str | None = None
    unit_cell: str | None = None
    year: object = None
    year_cell: str | None = None
    stage: object = None
    stage_cell: str | None = None
    vintage: object = None  # a stated unit list: '2020' or '2025'
    vintage_cell: str | None = None
    prepared_by: str | None = None
    prepared_on: dt.date | None = None
    results: list[ResultDraft] = field(default_factory=list)
    stated: set[str] = field(default_factory=set)  # fields read from a labelled place (not inferred)
    hints: list[str] = field(default_factory=list)  # higher units named by titles: narrow the search
    year_reported: bool = False  # a problem about the year was reported already (a range)


@dataclass
class Assessment:
    """A validated assessment, ready to store."""

    unit: Unit
    year: int
    stage: str  # 'self' | 'verified'
    sheet: str
    column: str | None
    prepared_by: str | None
    prepared_on: dt.date | None
    results: list[ResultDraft]


@dataclass
class Parsed:
    """The outcome of reading and validating one file (nothing written yet)."""

    file_name: str
    size: int
    sha256: str
    layout: str | None = None
    illustrative: bool = False  # the file says its figures are made up (sample data)
    assessments: list[Assessment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    internal_error: str | None = field(default=None, repr=False)  # a traceback, logged by the caller

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)
