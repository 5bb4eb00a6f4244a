"""What a file says (drafts, as read) and what will be stored (assessments, validated)."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable, Iterator, MutableSequence
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


class Results(MutableSequence[ResultDraft]):
    """An assessment's results, kept as columns.

    A national long CSV carries ~22,000 results per file: as columns they cross from a parse
    worker to the writer as a few lists (repeated texts pickled once) and go into the database as
    Arrow arrays, instead of one object each. Reading it gives ResultDraft values as before.
    """

    __slots__ = ("cell", "evidence", "indicator", "level", "note", "score")
    _COLUMNS = ("indicator", "level", "score", "evidence", "note")

    def __init__(self, items: Iterable[ResultDraft] = ()) -> None:
        self.indicator: list[str] = []
        self.level: list[str | None] = []
        self.score: list[float | None] = []
        self.evidence: list[str | None] = []
        self.note: list[str | None] = []
        # Where each level was read: 'C7'; or, while all were read in one column (a long table),
        # that column and the row numbers ('F', array of ints), which cost far less to move.
        self.cell: list[str] | tuple[str, array] = []
        for r in items:
            self.append(r)

    def add(
        self,
        indicator: str,
        level: str | None,
        score: float | None,
        evidence: str | None,
        note: str | None,
        cell: str,
    ) -> None:
        self.indicator.append(indicator)
        self.level.append(level)
        self.score.append(score)
        self.evidence.append(evidence)
        self.note.append(note)
        self._cells().append(cell)

    def add_in_column(
        self,
        indicator: str,
        level: str | None,
        score: float | None,
        evidence: str | None,
        note: str | None,
        col: str,
        row: int,
    ) -> None:
        """A result read at ``col`` + ``row`` (1-based), kept compact while every cell is in ``col``."""
        if not self.indicator:
            self.cell = (col, array("l"))
        if isinstance(self.cell, tuple) and self.cell[0] == col:
            self.indicator.append(indicator)
            self.level.append(level)
            self.score.append(score)
            self.evidence.append(evidence)
            self.note.append(note)
            self.cell[1].append(row)
        else:
            self.add(indicator, level, score, evidence, note, f"{col}{row}")

    def _cells(self) -> list[str]:
        if isinstance(self.cell, tuple):
            col, rows = self.cell
            self.cell = [f"{col}{r}" for r in rows]
        return self.cell

    def cells(self) -> tuple[str | None, list[str] | array]:
        """(column, row numbers) when kept compact, else (None, cell addresses): for the writer."""
        if isinstance(self.cell, tuple):
            return self.cell
        return None, self.cell

    def __len__(self) -> int:
        return len(self.indicator)

    def _one(self, i: int) -> ResultDraft:
        cell = f"{self.cell[0]}{self.cell[1][i]}" if isinstance(self.cell, tuple) else self.cell[i]
        return ResultDraft(
            self.indicator[i], self.level[i], self.score[i], self.evidence[i], self.note[i], cell
        )

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._one(j) for j in range(*i.indices(len(self)))]
        return self._one(i)

    def __setitem__(self, i, r):  # type: ignore[override]
        for name in self._COLUMNS:
            getattr(self, name)[i] = getattr(r, name)
        self._cells()[i] = r.cell

    def __delitem__(self, i):  # type: ignore[override]
        for name in self._COLUMNS:
            del getattr(self, name)[i]
        del self._cells()[i]

    def insert(self, i: int, r: ResultDraft) -> None:
        for name in self._COLUMNS:
            getattr(self, name).insert(i, getattr(r, name))
        self._cells().insert(i, r.cell)

    def __iter__(self) -> Iterator[ResultDraft]:
        cells = (f"{self.cell[0]}{r}" for r in self.cell[1]) if isinstance(self.cell, tuple) else self.cell
        return map(ResultDraft, self.indicator, self.level, self.score, self.evidence, self.note, cells)

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (Results, list)) else NotImplemented

    def __getstate__(self) -> tuple[list, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: tuple[list, ...]) -> None:
        for name, values in zip(self.__slots__, state, strict=True):
            setattr(self, name, values)


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
    results: Results = field(default_factory=Results)
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
    results: Results


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
