"""Find the assessment tables in a workbook, whatever layout people made, and read them as drafts.

Three layouts, told apart by their header row (found by scanning, below any letterhead):
- per unit (the project template and its hand-made variants): one row per indicator with a
  level column; the unit, year and stage come from an information sheet, the rows above the
  table, or the sheet name;
- summary: one row per indicator and one column per unit, as city reports tabulate; the year
  comes from the sheet name or a title row;
- long: one row per unit, year and indicator (bulk exchange, usually CSV).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from openpyxl.utils import get_column_letter

from core import codes
from core.catalogue import indicator_codes, indicator_names
from core.problems import Localized, Problem, Tr, problem
from core.text import ascii_key, name_key
from etl import metadata
from etl.fields import TRUE_WORDS, cell_ref, field_of
from etl.fields import text_of as _text
from etl.levels import level_from_rgb, parse_level
from etl.model import Draft
from etl.readers import Sheet, Workbook
from i18n import N_

HEADER_SCAN_ROWS = 40

_CODE_RE = re.compile(r"^\s*(?:chỉ số|chi so|indicator|cs)?\s*([1-4])[.,](\d{1,2})(?![\d])", re.I)
_UNIT_CODE_RE = re.compile(r"\(((?:20\d{2}\s*:\s*)?\d{2,5})\)\s*$")


@dataclass
class Header:
    row: int
    columns: dict[str, int]  # field -> column index (first occurrence)
    others: dict[int, str]  # column index -> header text, for unrecognised non-empty headers
    ticks: dict[str, int] = field(default_factory=dict)  # level -> column, for Đỏ | Vàng | Xanh tick columns


def _header_of(sheet: Sheet, r: int) -> Header:
    cols: dict[str, int] = {}
    others: dict[int, str] = {}
    for c, v in enumerate(sheet.rows[r]):
        if v is None:
            continue
        f = field_of(v)
        if f and f not in cols:
            cols[f] = c
        elif not f:
            others[c] = str(v)
    h = Header(r, cols, others)
    levels = {c: codes.match("level", text) for c, text in others.items() if len(text) < 20}
    found = {lvl: c for c, lvl in levels.items() if lvl}
    if len(found) == len(codes.codes("level")) and "level" not in cols:
        h.ticks = found  # one column per level, the level marked by a tick in one of them
        for c in found.values():
            del h.others[c]
    return h


def find_header(sheet: Sheet, wb: Workbook | None = None) -> tuple[Header, str] | None:
    """The header row and the layout it implies, or None when the sheet has no table."""
    for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        h = _header_of(sheet, r)
        has_ind = "code" in h.columns or "name" in h.columns
        if not has_ind:
            continue
        if "level" in h.columns or h.ticks:
            if "unit_code" in h.columns or "unit_name" in h.columns:
                return h, "long"
            return h, "per-unit"
        if h.others and _looks_like_summary(sheet, h, wb):
            return h, "summary"
    return None


def _looks_like_summary(sheet: Sheet, h: Header, wb: Workbook | None) -> bool:
    """At least one unrecognised column whose cells below are mostly levels (or level fills)."""
    body = sheet.rows[h.row + 1 : h.row + 60]
    for c in h.others:
        vals = [row[c] for row in body if c < len(row) and row[c] is not None]
        if vals and sum(parse_level(v) is not None for v in vals) >= max(1, len(vals) // 2):
            return True
    if wb is not None and wb.kind == "xlsx":
        for c in h.others:
            fills = [wb.fill_rgb(sheet.name, r, c) for r in range(h.row + 1, min(h.row + 6, len(sheet.rows)))]
            if sum(level_from_rgb(f) is not None for f in fills) >= 3:
                return True
    return False


# ---------------------------------------------------------------------------------------------
# Context: what the file says about the unit, year and stage outside the table (etl/metadata.py).


@dataclass
class Scan:
    """What one pass over a workbook found: each sheet's table, and the information sheets."""

    tables: dict[str, tuple[Header, str]]  # sheet name -> (header, layout)
    info: list[tuple[Sheet, dict[str, list[metadata.Found]]]]
    info_labels: dict[str, str]  # field -> where its label is (value left empty)


def scan(wb: Workbook) -> Scan:
    tables: dict[str, tuple[Header, str]] = {}
    info: list[tuple[Sheet, dict[str, list[metadata.Found]]]] = []
    labels: dict[str, str] = {}
    for sheet in wb.sheets:
        if metadata.is_instructions(sheet):
            continue  # example values and example tables are never read
        found = find_header(sheet, wb)
        if found is not None:
            tables[sheet.name] = found
            continue
        fields, empty = metadata.labelled(sheet.rows[: metadata.INFO_SCAN_ROWS], sheet.name)
        if any(f in fields for f in metadata.META_FIELDS + metadata.OTHER_FIELDS):
            info.append((sheet, fields))
        for f, where in empty.items():
            labels.setdefault(f, where)
        _note_illustrative(wb, fields)
    return Scan(tables, info, labels)


def _note_illustrative(wb: Workbook, fields: dict[str, list[metadata.Found]]) -> None:
    """Remember 'Dữ liệu minh họa: Có' (the file says its figures are made up) when read anywhere."""
    for found in fields.get("illustrative", []):
        words = ascii_key(found.value).split()
        if words and words[0] in TRUE_WORDS:
            wb.illustrative = True


def _context(wb: Workbook, sheet: Sheet, header_row: int, sc: Scan, problems: list[Problem]) -> Draft:
    """Unit, year, stage and preparer for a table, by the precedence of etl/metadata.py."""
    above, empty = metadata.labelled(sheet.rows[:header_row], sheet.name)
    _note_illustrative(wb, above)
    st = metadata.stated(sc.info, above)
    for p in st.problems:
        if p not in problems:
            problems.append(p)
    labels = {**sc.info_labels, **empty}
    d = Draft(sheet=sheet.name)

    def take(f: str) -> tuple[Any, str | None]:
        found = st.fields.get(f)
        return (found.value, found.where) if found else (None, labels.get(f))

    d.unit_code = _text(take("unit_code")[0])
    name, d.unit_cell = take("unit_name")
    d.unit_name = _text(name)
    if d.unit_code and "unit_code" in st.fields and d.unit_name is None:
        d.unit_cell = st.fields["unit_code"].where
    d.province = _text(take("province")[0])
    d.parent = _text(take("parent")[0])
    d.year, d.year_cell = take("year")
    d.stage, d.stage_cell = take("stage")
    d.vintage, d.vintage_cell = take("vintage")
    d.prepared_by = _text(take("prepared_by")[0])
    on = take("prepared_on")[0]
    d.prepared_on = on.date() if isinstance(on, dt.datetime) else on if isinstance(on, dt.date) else None
    d.stated = set(st.fields)
    d.hints = metadata.province_hints(sheet, header_row)
    return d


def _infer(sheet: Sheet, header_row: int, d: Draft, problems: list[Problem], unit: bool = True) -> None:
    """Fill what nothing states from titles and the letterhead (place 4), each with a warning."""
    if d.year is None:
        found, ranged = metadata.infer_year(sheet, header_row)
        if found is not None:
            (year, text), where = found.value, found.where
            d.year, d.year_cell = year, where
            problems.append(
                _at("year-inferred", where, value=text, year=year, place=metadata.where_text(where))
            )
        elif ranged is not None:
            problems.append(_at("year-range", ranged.where, value=ranged.value))
            d.year_reported = True
    if d.stage is None:
        found = metadata.infer_stage(sheet, header_row)
        if found is not None:
            (stage, text), where = found.value, found.where
            d.stage, d.stage_cell = stage, where
            problems.append(
                _at(
                    "stage-inferred",
                    where,
                    value=text,
                    stage=Localized(codes.label("stage", stage, "vi"), codes.label("stage", stage, "en")),
                    place=metadata.where_text(where),
                )
            )
    if unit and d.unit_name is None and d.unit_code is None:
        found, hints = metadata.infer_unit(sheet, header_row)
        if found is not None:
            d.unit_name, d.unit_cell = found.value, found.where
            d.hints = [*hints, *d.hints]
            problems.append(
                _at("unit-inferred", found.where, value=found.value, place=metadata.where_text(found.where))
            )


def _at(code: str, where: str, **kwargs: Any) -> Problem:
    sheet, _, cell = where.partition("!")
    return problem(code, sheet=sheet or None, cell=cell or None, **kwargs)


# ---------------------------------------------------------------------------------------------
# Indicator rows.


def _code_of(value: Any, prev: str | None) -> str | None:
    """'1.1', 1.1, 'Chỉ số 1.1', '1.1. Chính quyền...' -> '1.1'; a float 1.1 after 1.9 is 1.10."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        p, _, n = f"{float(value):.2f}".partition(".")
        n = n.rstrip("0") or "0"
        code = f"{p}.{n}"
        if prev == f"{p}.9" and n == "1":
            return f"{p}.10"
        return code
    m = _CODE_RE.match(str(value))
    if not m:
        return None
    return f"{m.group(1)}.{int(m.group(2))}"


_NAME_INDEX: dict[str, str] | None = None


def _code_by_name(value: Any) -> str | None:
    global _NAME_INDEX
    if _NAME_INDEX is None:
        _NAME_INDEX = {}
        for code, (vi, en) in indicator_names().items():
            _NAME_INDEX[name_key(vi)] = code
            _NAME_INDEX[name_key(en)] = code
    return _NAME_INDEX.get(name_key(value)) if value is not None else None


def _level_cell(
    wb: Workbook, sheet: Sheet, r: int, c: int, indicator: str, problems: list[Problem]
) -> str | None:
    ref = cell_ref(r, c)
    v = sheet.value(r, c)
    if v is not None:
        lvl = parse_level(v)
        if lvl is None:
            problems.append(problem("bad-level", sheet=sheet.name, cell=ref, value=v))
        return lvl
    error = wb.error(sheet.name, r, c)
    if error:
        problems.append(problem("formula-error", sheet=sheet.name, cell=ref, value=error))
        return None
    lvl = level_from_rgb(wb.fill_rgb(sheet.name, r, c))
    if lvl:
        return lvl
    formula = wb.formula(sheet.name, r, c)
    if formula:
        problems.append(problem("formula-no-value", sheet=sheet.name, cell=ref, value=formula))
    else:
        problems.append(problem("missing-level", sheet=sheet.name, cell=ref, indicator=indicator))
    return None


def _score_cell(wb: Workbook, sheet: Sheet, r: int, c: int, problems: list[Problem]) -> float | None:
    v = sheet.value(r, c)
    ref = cell_ref(r, c)
    if v is None:
        error = wb.error(sheet.name, r, c)
        if error:
            problems.append(
                problem("formula-error", sheet=sheet.name, cell=ref, value=error, severity="warning")
            )
            return None
        formula = wb.formula(sheet.name, r, c)
        if formula:
            problems.append(
                problem("formula-no-value", sheet=sheet.name, cell=ref, value=formula, severity="warning")
            )
        return None
    try:
        x = float(str(v).replace(",", ".")) if not isinstance(v, (int, float)) else float(v)
    except ValueError:
        x = -1.0
    if not 0 <= x <= 100:
        problems.append(problem("bad-score", sheet=sheet.name, cell=ref, value=v))
        return None
    return x


def _indicator_rows(sheet: Sheet, h: Header, problems: list[Problem]) -> list[tuple[int, str]]:
    """(row index, indicator code) for each indicator row below the header, in order."""
    out: list[tuple[int, str]] = []
    seen: dict[str, str] = {}
    known = set(indicator_codes())
    prev: str | None = None
    code_col, name_col = h.columns.get("code"), h.columns.get("name")
    for r in range(h.row + 1, len(sheet.rows)):
        raw = sheet.value(r, code_col) if code_col is not None else None
        code = _code_of(raw, prev)
        if code is None and raw is None and name_col is not None:
            code = _code_of(sheet.value(r, name_col), prev) or _code_by_name(sheet.value(r, name_col))
        if code is None:
            # Section titles, blank and footer rows carry no indicator; a code-like value that
            # is not one is reported below.
            level_col = h.columns.get("level")
            has_level = level_col is not None and sheet.value(r, level_col) is not None
            if raw is not None and (has_level or re.match(r"^\s*\d+[.,]\d+\s*$", str(raw))):
                problems.append(
                    problem("unknown-indicator", sheet=sheet.name, cell=cell_ref(r, code_col), value=raw)
                )
            continue
        ref = cell_ref(r, code_col if code_col is not None else name_col)
        if code not in known:
            problems.append(
                problem(
                    "unknown-indicator", sheet=sheet.name, cell=ref, value=raw if raw is not None else code
                )
            )
            continue
        if code in seen:
            problems.append(
                problem("duplicate-indicator", sheet=sheet.name, cell=ref, value=code, other=seen[code])
            )
            continue
        seen[code] = ref
        prev = code
        out.append((r, code))
    return out


def _missing(sheet: Sheet, got: Iterable[str], where: str | None, problems: list[Problem]) -> None:
    have = set(got)
    for code in indicator_codes():
        if code not in have:
            problems.append(problem("missing-indicator", sheet=sheet.name, cell=where, value=code))


_NOT_TICKED = {"", "0", "-", "–", "khong", "no", "false", "n", "o"}


def _tick_cell(
    wb: Workbook, sheet: Sheet, r: int, ticks: dict[str, int], indicator: str, problems: list[Problem]
) -> tuple[str | None, str]:
    """The level whose column holds the tick ('x', '✓', 'X'...) on row r, and the cell it was read at."""
    marked = [
        (lvl, c)
        for lvl, c in ticks.items()
        if (v := sheet.value(r, c)) is not None and ascii_key(v) not in _NOT_TICKED and v is not False
    ]
    first = cell_ref(r, min(ticks.values()))
    if len(marked) == 1:
        return marked[0][0], cell_ref(r, marked[0][1])
    if not marked:
        problems.append(problem("missing-level", sheet=sheet.name, cell=first, indicator=indicator))
    else:
        labels = " + ".join(codes.label("level", lvl, "vi") for lvl, _ in marked)
        problems.append(
            problem(
                "several-levels",
                sheet=sheet.name,
                cell=cell_ref(r, marked[0][1]),
                value=labels,
                indicator=indicator,
            )
        )
    return None, first


def parse_per_unit(wb: Workbook, sheet: Sheet, h: Header, problems: list[Problem], sc: Scan) -> list[Draft]:
    d = _context(wb, sheet, h.row, sc, problems)
    _infer(sheet, h.row, d, problems)
    rows = _indicator_rows(sheet, h, problems)
    cols = h.columns
    for r, code in rows:
        if h.ticks:
            lvl, where = _tick_cell(wb, sheet, r, h.ticks, code, problems)
        else:
            lvl, where = _level_cell(wb, sheet, r, cols["level"], code, problems), cell_ref(r, cols["level"])
        score = _score_cell(wb, sheet, r, cols["score"], problems) if "score" in cols else None
        d.results.add(
            code,
            lvl,
            score,
            _text(sheet.value(r, cols["evidence"])) if "evidence" in cols else None,
            _text(sheet.value(r, cols["note"])) if "note" in cols else None,
            where,
        )
    _missing(sheet, (c for _, c in rows), None, problems)
    return [d]


def _unit_header(head: str) -> tuple[str | None, str]:
    """'Phường Minh Khai (11311)' -> ('11311', 'Phường Minh Khai'); '(2025:11311)' keeps its list."""
    m = _UNIT_CODE_RE.search(head)
    return (m.group(1).replace(" ", "") if m else None), _UNIT_CODE_RE.sub("", head).strip()


def parse_summary(wb: Workbook, sheet: Sheet, h: Header, problems: list[Problem], sc: Scan) -> list[Draft]:
    base = _context(wb, sheet, h.row, sc, problems)
    _infer(sheet, h.row, base, problems, unit=False)
    rows = _indicator_rows(sheet, h, problems)
    drafts: list[Draft] = []
    for c, head in h.others.items():
        vals = [sheet.value(r, c) for r, _ in rows]
        if not any(v is not None for v in vals) and not any(
            wb.fill_rgb(sheet.name, r, c) or wb.error(sheet.name, r, c) for r, _ in rows[:3]
        ):
            continue  # an empty spacer or a criteria column without levels
        if (
            vals
            and sum(parse_level(v) is not None for v in vals if v is not None)
            < len([v for v in vals if v is not None]) // 2
        ):
            continue  # a text column (criteria, remarks) rather than a unit
        code, name = _unit_header(head)
        d = Draft(
            sheet=sheet.name,
            column=get_column_letter(c + 1),
            unit_code=code,
            unit_name=name,
            province=base.province,
            parent=base.parent,
            unit_cell=f"{sheet.name}!{cell_ref(h.row, c)}",
            year=base.year,
            year_cell=base.year_cell,
            stage=base.stage,
            stage_cell=base.stage_cell,
            vintage=base.vintage,
            vintage_cell=base.vintage_cell,
            prepared_by=base.prepared_by,
            prepared_on=base.prepared_on,
            stated=base.stated | {"unit_name"},
            hints=base.hints,
            year_reported=base.year_reported,
        )
        for r, code in rows:
            lvl = _level_cell(wb, sheet, r, c, code, problems)
            d.results.add(code, lvl, None, None, None, cell_ref(r, c))
        drafts.append(d)
    for _ in drafts[:1]:
        _missing(sheet, (c for _, c in rows), None, problems)
    return drafts


_LONG_FIELDS = ("unit_code", "unit_name", "province", "parent", "year", "stage", "vintage")


def _long_draft(sheet: Sheet, r: int, row: list[Any], cols: dict[str, int], base: Draft) -> Draft:
    """The draft of one unit, year and stage of a long table, from its first row."""
    get = {f: row[cols[f]] if f in cols else None for f in _LONG_FIELDS}
    ucol = cols.get("unit_code", cols.get("unit_name"))

    def where(f: str) -> str | None:
        return f"{sheet.name}!{cell_ref(r, cols[f])}" if f in cols else getattr(base, f"{f}_cell")

    return Draft(
        sheet=sheet.name,
        unit_code=_text(get["unit_code"]),
        unit_name=_text(get["unit_name"]),
        province=_text(get["province"]) or base.province,
        parent=_text(get["parent"]) or base.parent,
        unit_cell=f"{sheet.name}!{cell_ref(r, ucol)}",
        year=get["year"] if "year" in cols else base.year,
        year_cell=where("year"),
        stage=get["stage"] if "stage" in cols else base.stage,
        stage_cell=where("stage"),
        vintage=get["vintage"] if "vintage" in cols else base.vintage,
        vintage_cell=where("vintage"),
        prepared_by=base.prepared_by,
        prepared_on=base.prepared_on,
        stated=base.stated | {f for f in _LONG_FIELDS if f in cols},
        hints=base.hints,
    )


def parse_long(wb: Workbook, sheet: Sheet, h: Header, problems: list[Problem], sc: Scan) -> list[Draft]:
    cols = h.columns
    base = _context(wb, sheet, h.row, sc, problems)
    if "year" not in cols and base.year is None:
        _infer(sheet, h.row, base, problems, unit=False)
    if "year" not in cols and base.year is None:
        if not base.year_reported:
            problems.append(
                problem(
                    "missing-column",
                    sheet=sheet.name,
                    cell=cell_ref(h.row, 0),
                    column=Tr(N_("Year (Năm)")),
                    expected="Năm, Year, Năm đánh giá",
                )
            )
        return []
    if "stage" not in cols and base.stage is None:
        _infer(sheet, h.row, base, problems, unit=False)
    stated = {
        f: getattr(base, f) for f in _LONG_FIELDS if f in base.stated and f not in ("unit_code", "unit_name")
    }
    stated_where = {"year": base.year_cell, "stage": base.stage_cell, "vintage": base.vintage_cell}
    groups: dict[tuple[Any, ...], Draft] = {}
    seen: dict[tuple[Any, ...], dict[str, str]] = {}
    known = set(indicator_codes())
    icol = cols.get("code", cols.get("name"))
    lcol = cols.get("level")
    checked: set[tuple[str, Any]] = set()
    # A long file repeats a few distinct values many times: each is read once (caches below), and
    # the loop touches each row with plain indexing (a national file has ~22,000 rows).
    width = max(cols.values()) + 1
    at = {f: cols.get(f) for f in (*_LONG_FIELDS, "code", "name", "level", "score", "evidence", "note")}
    code_of: dict[Any, str | None] = {}
    level_of: dict[Any, str | None] = {}
    score_of: dict[Any, float | None] = {}
    text: dict[Any, str | None] = {}
    level_letter = get_column_letter(lcol + 1) if lcol is not None else ""
    code_letter = get_column_letter(icol + 1)
    nothing = [None] * width
    rows = sheet.rows
    key_cols = [c for c in (at[f] for f in _LONG_FIELDS) if c is not None]
    key_of = itemgetter(*key_cols, key_cols[0]) if key_cols else (lambda row: ())
    for r in range(h.row + 1, len(rows)):
        row = rows[r]
        if len(row) < width:
            row = row + nothing[len(row) :]
        if row.count(None) == len(row):
            continue
        key = key_of(row)
        d = groups.get(key)
        if d is None:
            d = groups[key] = _long_draft(sheet, r, row, cols, base)
            seen[key] = {}
            # A column value against the same field stated above the table or in an info sheet.
            for f, value in stated.items():
                c = cols.get(f)
                if c is not None and (f, row[c]) not in checked and value is not None:
                    checked.add((f, row[c]))
                    if row[c] is not None and not metadata.same(f, value, row[c]):
                        problems.append(
                            metadata.conflict(
                                f,
                                metadata.Found(value, stated_where.get(f) or sheet.name, "above"),
                                metadata.Found(row[c], f"{sheet.name}!{cell_ref(r, c)}", "column"),
                            )
                        )
        raw = row[icol]
        if raw in code_of:
            code = code_of[raw]
        else:
            name = row[at["name"]] if at["name"] is not None else None
            code = _code_of(raw, None) or _code_by_name(name)
            if raw is not None:
                code_of[raw] = code
        if code not in known:
            problems.append(
                problem("unknown-indicator", sheet=sheet.name, cell=f"{code_letter}{r + 1}", value=raw)
            )
            continue
        mine = seen[key]
        if code in mine:
            problems.append(
                problem(
                    "duplicate-indicator",
                    sheet=sheet.name,
                    cell=f"{code_letter}{r + 1}",
                    value=code,
                    other=mine[code],
                )
            )
            continue
        mine[code] = f"{code_letter}{r + 1}"
        if h.ticks:
            lvl, where = _tick_cell(wb, sheet, r, h.ticks, code, problems)
        else:
            v = row[lcol]
            where = f"{level_letter}{r + 1}"
            if v is None:
                lvl = _level_cell(wb, sheet, r, lcol, code, problems)
            else:
                lvl = level_of[v] if v in level_of else level_of.setdefault(v, parse_level(v))
                if lvl is None:
                    problems.append(problem("bad-level", sheet=sheet.name, cell=where, value=v))
        score = None
        if at["score"] is not None:
            v = row[at["score"]]
            if v is None or v not in score_of:
                score = _score_cell(wb, sheet, r, at["score"], problems)
                if v is not None:
                    score_of[v] = score
            else:
                score = score_of[v]
                if score is None:
                    problems.append(
                        problem("bad-score", sheet=sheet.name, cell=cell_ref(r, at["score"]), value=v)
                    )
        evidence = note = None
        if at["evidence"] is not None and (v := row[at["evidence"]]) is not None:
            evidence = text[v] if v in text else text.setdefault(v, _text(v))
        if at["note"] is not None and (v := row[at["note"]]) is not None:
            note = text[v] if v in text else text.setdefault(v, _text(v))
        if h.ticks:
            d.results.add(code, lvl, score, evidence, note, where)
        else:
            d.results.add_in_column(code, lvl, score, evidence, note, level_letter, r + 1)
    for key, d in groups.items():
        have = set(seen[key])
        for code in indicator_codes():
            if code not in have:
                problems.append(
                    problem(
                        "missing-indicator", sheet=sheet.name, cell=d.unit_cell.split("!")[-1], value=code
                    )
                )
    return list(groups.values())


PARSERS = {"per-unit": parse_per_unit, "summary": parse_summary, "long": parse_long}


def is_illustrative(wb: Workbook) -> bool:
    """True when any sheet says 'Dữ liệu minh họa: Có' (illustrative data) near its top (read by
    parse_workbook on its way; looked for here when the workbook was not parsed)."""
    if wb.illustrative is not None:
        return wb.illustrative
    for sheet in wb.sheets:
        if metadata.is_instructions(sheet):
            continue
        found = metadata.labelled(sheet.rows[:HEADER_SCAN_ROWS], sheet.name)[0].get("illustrative")
        words = ascii_key(found[0].value).split() if found else []
        if words and words[0] in TRUE_WORDS:
            return True
    return False


def parse_workbook(wb: Workbook) -> tuple[list[Draft], list[Problem], str | None]:
    """All drafts in the workbook, the problems met reading them, and the layout(s) found."""
    problems: list[Problem] = []
    drafts: list[Draft] = []
    layouts: list[str] = []
    wb.illustrative = False
    sc = scan(wb)
    for sheet in wb.sheets:
        found = sc.tables.get(sheet.name)
        if found is None:
            continue
        h, layout = found
        layouts.append(layout)
        drafts.extend(PARSERS[layout](wb, sheet, h, problems, sc))
    if not drafts and not any(p.severity == "error" for p in problems):
        problems.append(_no_table_problem(wb))
    return drafts, problems, "+".join(sorted(set(layouts))) or None


def _no_table_problem(wb: Workbook) -> Problem:
    """Name the missing level column when a header row is there without it."""
    for sheet in wb.sheets:
        for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
            h = _header_of(sheet, r)
            if ("code" in h.columns or "name" in h.columns) and len(h.columns) >= 2:
                return problem(
                    "missing-column",
                    sheet=sheet.name,
                    cell=cell_ref(r, 0),
                    column=Tr(N_("Level (Mức)")),
                    expected="Mức, Mức đánh giá, Kết quả, Level",
                )
    return problem("no-assessment-table", sheet=wb.sheets[0].name if wb.sheets else None)
