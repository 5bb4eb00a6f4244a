"""Resolve what a file states (drafts) against the registry and catalogue, reporting every problem.

Reading and validating never touch the database; the pipeline here is pure, so it can run in
worker processes and in ``validate`` without a write lock.

Which unit list (vintage) a unit is looked up in: the list a file states (a labelled field
``Danh mục đơn vị`` / ``Vintage`` with 2020 or 2025, or a code written ``2025:11311``); otherwise
the assessment year decides: up to 2024 the 2020 list (GSO 2020-2023 units), from 2026 the 2025
list (after the two-level reform of 1 July 2025), and a 2025 assessment is looked up in both and
must resolve to exactly one unit (``ambiguous-locality`` names both otherwise).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import traceback
from collections.abc import Mapping

from core import codes
from core.problems import Localized, Problem, Tr, problem
from core.text import nfc
from core.units import Registry, Unit, registry
from etl import metadata
from etl.layouts import is_illustrative, parse_workbook
from etl.limits import LIMITS, Limits
from etl.model import Assessment, Draft, Parsed
from etl.readers import ReadError, base_name, read_workbook
from i18n import N_

YEAR_MIN = 2015
VINTAGES = ("2020", "2025")


def year_max() -> int:
    return dt.date.today().year + 1


def vintages_for(year: int | None) -> tuple[str, ...]:
    """The unit lists an assessment of ``year`` is looked up in (see the module docstring)."""
    if year is None or year == 2025:
        return ("2020", "2025")
    return ("2020",) if year <= 2024 else ("2025",)


def vintage_of(reg: Registry) -> str:
    """The vintage of a registry's units ('2020' for an empty one)."""
    return next(iter(reg.units.values())).vintage if reg.units else "2020"


def _sheet_cell(ref: str | None, default_sheet: str) -> tuple[str | None, str | None]:
    if not ref:
        return default_sheet, None
    if "!" in ref:
        sheet, _, cell = ref.partition("!")
        return sheet, cell
    return ref, None


def _province(reg: Registry, text: str | None, problems: list[Problem] | None, sheet: str) -> str | None:
    """The province code a text names; an unknown one is a problem (or, for a hint, nothing)."""
    if not text:
        return None
    by_code = reg.by_code(text)
    if by_code and by_code.level == "province":
        return by_code.code
    m = reg.match_name(text, levels=("province",))
    if m.unit:
        return m.unit.code
    if problems is not None:
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


def _hinted(reg: Registry, d: Draft, province: str | None) -> tuple[str | None, str | None]:
    """(province, parent) narrowed by the higher units a letterhead or title names, when they match."""
    parent = None
    for hint in d.hints:
        if province is None:
            p = _province(reg, hint, None, d.sheet)
            if p:
                province = p
                continue
        if parent is None:
            m = reg.match_name(hint, province=province, levels=("district",))
            if m.unit:
                parent = m.unit.code
    return province, parent


def _unit(reg: Registry, d: Draft, problems: list[Problem], code: str | None) -> Unit | None:
    sheet, cell = _sheet_cell(d.unit_cell, d.sheet)
    province = _province(reg, d.province, problems, sheet or d.sheet)
    parent_unit = None
    if d.parent:
        pm = reg.match_name(d.parent, province=province, levels=("district",))
        parent_unit = pm.unit
    if code:
        u = reg.by_code(code)
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
    parent_code = parent_unit.code if parent_unit else None
    m = reg.match_name(d.unit_name, province=province, parent=parent_code)
    if m.unit is None and d.hints and not (province and parent_code):
        # Only now, the higher units a letterhead or title names narrow the search.
        hinted_province, hinted_parent = _hinted(reg, d, province)
        if hinted_province or hinted_parent:
            narrowed = reg.match_name(
                d.unit_name, province=province or hinted_province, parent=parent_code or hinted_parent
            )
            if narrowed.unit is not None:
                m = narrowed
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


def _stated_vintage(d: Draft, problems: list[Problem]) -> tuple[str | None, str | None]:
    """(vintage stated by the file or by a '2025:11311' code, the bare code)."""
    code_vintage, code = (None, None)
    if d.unit_code:
        code_vintage, code = metadata.split_vintage_code(d.unit_code)
    vintage = None
    if d.vintage is not None and nfc(d.vintage):
        vintage = metadata.read_vintage(d.vintage)
        if vintage is None:
            sheet, cell = _sheet_cell(d.vintage_cell, d.sheet)
            problems.append(problem("bad-vintage", sheet=sheet, cell=cell, value=d.vintage))
            return None, code
    if vintage and code_vintage and vintage != code_vintage:
        sheet, cell = _sheet_cell(d.unit_cell, d.sheet)
        problems.append(
            metadata.conflict(
                "vintage",
                metadata.Found(d.vintage, d.vintage_cell or d.sheet, "info"),
                metadata.Found(d.unit_code, d.unit_cell or d.sheet, "info"),
            )
        )
    return vintage or code_vintage, code


def resolve_unit(
    d: Draft, year: int | None, problems: list[Problem], registries: Mapping[str, Registry]
) -> Unit | None:
    """The unit a draft names, looked up in the unit list its vintage rule picks."""
    vintage, code = _stated_vintage(d, problems)
    wanted = (vintage,) if vintage else vintages_for(year)
    tried = [(v, registries[v]) for v in wanted if v in registries and registries[v].units]
    if not tried and len(registries) == 1:  # one unit list given (a caller's own registry): use it
        tried = list(registries.items())
    if not tried:  # the unit list the rule picks holds no unit here: nothing can match
        sheet, cell = _sheet_cell(d.unit_cell, d.sheet)
        problems.append(
            problem(
                "unknown-locality",
                sheet=sheet,
                cell=cell,
                value=d.unit_name or d.unit_code,
                within=f" ({'/'.join(wanted)})",
                suggestions="–",
            )
        )
        return None
    found: list[tuple[Unit, list[Problem]]] = []
    first: list[Problem] | None = None
    for _, reg in tried:
        mine: list[Problem] = []
        u = _unit(reg, d, mine, code)
        if u is not None:
            found.append((u, mine))
        elif first is None or (len(tried) > 1 and vintage_of(reg) == "2025" and year == 2025):
            first = mine
    if len(found) == 1:
        problems.extend(found[0][1])
        return found[0][0]
    if len(found) > 1:
        sheet, cell = _sheet_cell(d.unit_cell, d.sheet)
        problems.append(
            problem(
                "ambiguous-locality",
                sheet=sheet,
                cell=cell,
                value=d.unit_name or d.unit_code,
                candidates="; ".join(
                    f"{u.locality_id} {_describe(registries[u.vintage], u)}" for u, _ in found
                ),
            )
        )
        return None
    problems.extend(first or [])
    return None


def _year(d: Draft, problems: list[Problem]) -> int | None:
    sheet, cell = _sheet_cell(d.year_cell, d.sheet)
    v = d.year
    if v is None or (isinstance(v, str) and not v.strip()):
        if not d.year_reported:
            problems.append(problem("missing-year", sheet=sheet, cell=cell))
        return None
    y, error = metadata.read_year(v)
    if error == "year-range":
        problems.append(problem("year-range", sheet=sheet, cell=cell, value=v))
        return None
    if y is None:
        problems.append(problem("missing-year", sheet=sheet, cell=cell, value=v))
        return None
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
    s = metadata.read_stage(d.stage)
    if s is None:
        problems.append(problem("bad-stage", sheet=sheet, cell=cell, value=d.stage))
        return "self"
    return s


class _Registries(Mapping[str, Registry]):
    """Both unit lists, each built only when a file needs it (most files need only the 2020 one)."""

    def __getitem__(self, vintage: str) -> Registry:
        if vintage not in VINTAGES:
            raise KeyError(vintage)
        return registry(vintage)

    def __iter__(self):  # type: ignore[override]
        return iter(VINTAGES)

    def __len__(self) -> int:
        return len(VINTAGES)


def validate_drafts(
    drafts: list[Draft],
    problems: list[Problem],
    reg: Registry | None = None,
    registries: Mapping[str, Registry] | None = None,
) -> list[Assessment]:
    """Assessments from drafts; ``reg`` (one unit list) or ``registries`` (by vintage) for tests."""
    if registries is None:
        registries = {vintage_of(reg): reg} if reg is not None else _Registries()
    out: list[Assessment] = []
    seen: dict[tuple[str, int, str], str] = {}
    for d in drafts:
        year = _year(d, problems)
        unit = resolve_unit(d, year, problems, registries)
        stage = _stage(d, problems)
        if unit is None or year is None:
            continue
        key = (unit.locality_id, year, stage)
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
                    stage=Localized(codes.label("stage", stage, "vi"), codes.label("stage", stage, "en")),
                    other=seen[key],
                )
            )
            continue
        seen[key] = where
        out.append(Assessment(unit, year, stage, d.sheet, d.column, d.prepared_by, d.prepared_on, d.results))
    return out


def parse_bytes(
    name: str,
    data: bytes,
    limits: Limits = LIMITS,
    reg: Registry | None = None,
    registries: Mapping[str, Registry] | None = None,
) -> Parsed:
    """Read and validate one file's bytes; writes nothing. Every problem is reported at once.

    Never raises for a bad file: whatever goes wrong becomes a problem of this file (an unexpected
    error also keeps its traceback in ``internal_error`` for the caller to log). Runs in-process:
    untrusted files go through etl/sandbox.py, which calls this inside a limited worker.
    """
    name = base_name(name)
    parsed = Parsed(name, len(data), hashlib.sha256(data).hexdigest())
    try:
        wb = read_workbook(name, data, limits)
    except ReadError as exc:
        parsed.problems.append(exc.problem)
        return parsed
    except MemoryError:
        parsed.problems.append(_unreadable(name, Tr(N_("the file needs more memory than a file may use"))))
        return parsed
    except Exception:
        parsed.problems.append(_unreadable(name, _DAMAGED))
        parsed.internal_error = traceback.format_exc()
        return parsed
    try:
        drafts, problems, layout = parse_workbook(wb)
        parsed.layout = layout
        parsed.illustrative = is_illustrative(wb)
        parsed.problems.extend(problems)
        parsed.problems.extend(wb.style_problems)
        # Kept even when the file has errors, for previews; the loader stores only ``parsed.ok`` files.
        parsed.assessments = validate_drafts(drafts, parsed.problems, reg, registries)
    except MemoryError:
        parsed.assessments = []
        parsed.problems.append(_unreadable(name, Tr(N_("the file needs more memory than a file may use"))))
    except Exception:
        parsed.assessments = []
        parsed.problems.append(_unreadable(name, _DAMAGED))
        parsed.internal_error = traceback.format_exc()
    return parsed


_DAMAGED = Tr(N_("the file is damaged or uses a feature the reader does not support"))


def _unreadable(name: str, reason: Tr) -> Problem:
    return problem("file-unreadable", value=name, reason=reason)
