"""Resolve what a file states (drafts) against the registry and catalogue, reporting every problem.

Reading and validating never touch the database; the pipeline here is pure, so it can run in
worker processes and in ``validate`` without a write lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath

from core.problems import Problem, problem
from core.text import nfc
from core.units import Registry, Unit, registry
from etl.layouts import _stage_of, is_illustrative, parse_workbook
from etl.limits import LIMITS, Limits
from etl.model import Assessment, Draft, Parsed
from etl.readers import ReadError, read_workbook

YEAR_MIN = 2015


def year_max() -> int:
    return dt.date.today().year + 1


def _sheet_cell(ref: str | None, default_sheet: str) -> tuple[str | None, str | None]:
    if not ref:
        return default_sheet, None
    if "!" in ref:
        sheet, _, cell = ref.partition("!")
        return sheet, cell
    return ref, None


def _province(reg: Registry, text: str | None, problems: list[Problem], sheet: str) -> str | None:
    if not text:
        return None
    by_code = reg.by_code(text)
    if by_code and by_code.level == "province":
        return by_code.code
    m = reg.match_name(text, levels=("province",))
    if m.unit:
        return m.unit.code
    problems.append(problem("unknown-province", sheet=sheet, value=text))
    return None


def _describe(reg: Registry, u: Unit) -> str:
    """'Huyện An Lão (313, Thành phố Hải Phòng)': enough to tell same-named units apart."""
    parent = reg.units.get(u.parent_code or "")
    return (
        f"{u.name_with_type} ({u.code}, {parent.name_with_type})"
        if parent
        else f"{u.name_with_type} ({u.code})"
    )


def _unit(reg: Registry, d: Draft, problems: list[Problem]) -> Unit | None:
    sheet, cell = _sheet_cell(d.unit_cell, d.sheet)
    province = _province(reg, d.province, problems, sheet or d.sheet)
    parent_unit = None
    if d.parent:
        pm = reg.match_name(d.parent, province=province, levels=("district",))
        parent_unit = pm.unit
    if d.unit_code:
        u = reg.by_code(d.unit_code)
        if u is None:
            problems.append(
                problem(
                    "unknown-locality", sheet=sheet, cell=cell, value=d.unit_code, within="", suggestions="–"
                )
            )
            return None
        if d.unit_name:
            m = reg.match_name(d.unit_name, province=u.province_code, levels=(u.level,))
            same = m.unit == u or (m.ambiguous and u in m.candidates)
            if not same:
                problems.append(
                    problem(
                        "locality-mismatch",
                        sheet=sheet,
                        cell=cell,
                        value=d.unit_name,
                        unit_code=u.code,
                        unit=u.name_with_type,
                    )
                )
                return None
        return u
    if not d.unit_name:
        problems.append(problem("missing-locality", sheet=sheet, cell=cell))
        return None
    m = reg.match_name(d.unit_name, province=province, parent=parent_unit.code if parent_unit else None)
    within = ""
    if province:
        within = f" ({reg.units[province].name_with_type})"
    if m.unit is None and m.ambiguous:
        problems.append(
            problem(
                "ambiguous-locality",
                sheet=sheet,
                cell=cell,
                value=d.unit_name,
                candidates="; ".join(_describe(reg, c) for c in m.candidates[:6]),
            )
        )
        return None
    if m.unit is None:
        problems.append(
            problem(
                "unknown-locality",
                sheet=sheet,
                cell=cell,
                value=d.unit_name,
                within=within,
                suggestions="; ".join(_describe(reg, c) for c in m.candidates) or "–",
            )
        )
        return None
    if m.how == "ascii":
        problems.append(
            problem(
                "locality-without-diacritics",
                sheet=sheet,
                cell=cell,
                value=d.unit_name,
                unit=f"{m.unit.name_with_type} ({m.unit.code})",
            )
        )
    return m.unit


def _year(d: Draft, problems: list[Problem]) -> int | None:
    sheet, cell = _sheet_cell(d.year_cell, d.sheet)
    v = d.year
    if v is None or (isinstance(v, str) and not v.strip()):
        problems.append(problem("missing-year", sheet=sheet, cell=cell))
        return None
    if isinstance(v, (dt.date, dt.datetime)):
        y = v.year
    else:
        text = nfc(v)
        digits = "".join(ch for ch in text.split(".")[0] if ch.isdigit())
        if not digits:
            problems.append(problem("missing-year", sheet=sheet, cell=cell))
            return None
        y = int(digits)
    if not YEAR_MIN <= y <= year_max():
        problems.append(
            problem("year-out-of-range", sheet=sheet, cell=cell, value=y, low=YEAR_MIN, high=year_max())
        )
        return None
    return y


def _stage(d: Draft, problems: list[Problem]) -> str:
    sheet, cell = _sheet_cell(d.stage_cell, d.sheet)
    if d.stage is None or not nfc(d.stage):
        problems.append(problem("missing-stage", sheet=sheet, cell=cell))
        return "self"
    s = d.stage if d.stage in ("self", "verified") else _stage_of(nfc(d.stage))
    if s is None:
        problems.append(problem("bad-stage", sheet=sheet, cell=cell, value=d.stage))
        return "self"
    return s


def validate_drafts(drafts: list[Draft], problems: list[Problem], reg: Registry) -> list[Assessment]:
    out: list[Assessment] = []
    seen: dict[tuple[str, int, str], str] = {}
    for d in drafts:
        unit = _unit(reg, d, problems)
        year = _year(d, problems)
        stage = _stage(d, problems)
        if unit is None or year is None:
            continue
        key = (unit.code, year, stage)
        where = f"{d.sheet}!{d.column}" if d.column else d.sheet
        if key in seen:
            problems.append(
                problem(
                    "duplicate-assessment",
                    sheet=d.sheet,
                    cell=d.column,
                    value=unit.name_with_type,
                    unit=unit.name_with_type,
                    year=year,
                    stage=stage,
                    other=seen[key],
                )
            )
            continue
        seen[key] = where
        out.append(Assessment(unit, year, stage, d.sheet, d.column, d.prepared_by, d.prepared_on, d.results))
    return out


def parse_bytes(name: str, data: bytes, limits: Limits = LIMITS, reg: Registry | None = None) -> Parsed:
    """Read and validate one file's bytes; writes nothing. Every problem is reported at once."""
    name = PurePath(name).name
    parsed = Parsed(name, len(data), hashlib.sha256(data).hexdigest())
    try:
        wb = read_workbook(name, data, limits)
    except ReadError as exc:
        parsed.problems.append(exc.problem)
        return parsed
    drafts, problems, layout = parse_workbook(wb)
    parsed.layout = layout
    parsed.illustrative = is_illustrative(wb)
    parsed.problems.extend(problems)
    # Kept even when the file has errors, for previews; the loader stores only ``parsed.ok`` files.
    parsed.assessments = validate_drafts(drafts, parsed.problems, reg or registry())
    return parsed
