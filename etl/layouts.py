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
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from openpyxl.utils import get_column_letter

from core import codes
from core.catalogue import indicator_codes, indicator_names
from core.problems import Problem, problem
from core.text import ascii_key, header_key, name_key, nfc
from etl.levels import level_from_rgb, parse_level
from etl.model import Draft, ResultDraft
from etl.readers import Sheet, Workbook

HEADER_SCAN_ROWS = 40

# Field -> header keys (no diacritics, case, spaces or underscores; parenthesised parts dropped).
_FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("ma", "machiso", "mact", "masochiso", "code", "indicatorcode", "indicatorid", "id", "kyhieu"),
    "name": (
        "tenchiso",
        "chiso",
        "noidung",
        "noidungchiso",
        "indicator",
        "indicatorname",
        "name",
        "ten",
        "tieuchi",
        "description",
    ),
    "level": (
        "muc",
        "mucdanhgia",
        "ketqua",
        "ketquadanhgia",
        "level",
        "rating",
        "mau",
        "xeploai",
        "danhgia",
        "tudanhgia",
        "mucdo",
        "color",
        "colour",
        "trafficlight",
        "den",
        "mucdat",
    ),
    "score": ("diem", "diemso", "score", "diemdanhgia", "points"),
    "evidence": ("minhchung", "bangchung", "evidence", "tailieuminhchung", "cancu"),
    "note": ("ghichu", "note", "notes", "remarks", "remark", "comment", "comments"),
    "seq": ("stt", "tt", "no", "sothutu", "#", "n"),
    "unit_code": ("madonvi", "madvhc", "localitycode", "unitcode", "madiaphuong", "gsocode"),
    "unit_name": (
        "donvi",
        "tendonvi",
        "locality",
        "unit",
        "localityname",
        "unitname",
        "diaphuong",
        "donvihanhchinh",
        "tendiaphuong",
        "tendvhc",
        "donvidanhgia",
    ),
    "year": ("nam", "year", "namdanhgia", "kydanhgia"),
    "stage": ("giaidoan", "stage", "hinhthuc", "loaidanhgia", "hinhthucdanhgia", "buoc"),
    "province": ("tinh", "tinhthanhpho", "province", "thanhpho", "tinhtp"),
    "parent": ("quanhuyen", "district", "donvicaptren", "parent", "huyenthixa", "caphuyen"),
    "prepared_by": ("nguoilap", "nguoithuchien", "preparedby", "nguoidanhgia", "canbolap"),
    "prepared_on": ("ngaylap", "ngay", "date", "ngaydanhgia", "preparedon"),
    "illustrative": ("dulieuminhhoa", "minhhoa", "illustrative", "illustrativedata", "sampledata"),
}
_TRUE = {"co", "yes", "x", "true", "1", "dung", "y"}
_KEY_TO_FIELD = {k: f for f, keys in _FIELDS.items() for k in keys}
_CODE_RE = re.compile(r"^\s*(?:chỉ số|chi so|indicator|cs)?\s*([1-4])[.,](\d{1,2})(?![\d])", re.I)
_YEAR_RE = re.compile(r"(?:năm|nam|year)\s*[:\-]?\s*((?:19|20)\d{2})", re.I)
_ANY_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_UNIT_CODE_RE = re.compile(r"\((\d{2,5})\)\s*$")
_UNIT_TITLE_RE = re.compile(
    r"(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+((?:quận|huyện|thị xã|thành phố|phường|xã|thị trấn)\s+.+)",
    re.I,
)
_PROVINCE_TITLE_RE = re.compile(r"(?:tỉnh|thành phố|tp\.?)\s+([^,;:\-–()]+)", re.I)


def field_of(header: object) -> str | None:
    """The field a header cell names, or None ('Mã chỉ số' -> 'code', 'Điểm (0-100)' -> 'score')."""
    if not isinstance(header, str):
        return None
    return _field_of_text(header)


@lru_cache(maxsize=8192)
def _field_of_text(header: str) -> str | None:
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", nfc(header))
    key = header_key(text.rstrip(":*"))
    return _KEY_TO_FIELD.get(key)


def cell_ref(r: int, c: int) -> str:
    return f"{get_column_letter(c + 1)}{r + 1}"


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()[:10]
    s = nfc(v)
    return s or None


@dataclass
class Header:
    row: int
    columns: dict[str, int]  # field -> column index (first occurrence)
    others: dict[int, str]  # column index -> header text, for unrecognised non-empty headers


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
    return Header(r, cols, others)


def find_header(sheet: Sheet, wb: Workbook | None = None) -> tuple[Header, str] | None:
    """The header row and the layout it implies, or None when the sheet has no table."""
    for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        h = _header_of(sheet, r)
        has_ind = "code" in h.columns or "name" in h.columns
        if not has_ind:
            continue
        if "level" in h.columns:
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
# Context: what the file says about the unit, year and stage outside the table.


def _key_values(rows: Iterable[list[Any]], row_offset: int = 0) -> dict[str, tuple[Any, int, int]]:
    """Field -> (value, row, col) from 'Key | value' cell pairs and 'Key: value' cells."""
    out: dict[str, tuple[Any, int, int]] = {}
    for r, row in enumerate(rows, start=row_offset):
        cells = [(c, v) for c, v in enumerate(row) if v is not None]
        for i, (c, v) in enumerate(cells):
            if isinstance(v, str) and ":" in v:
                k, _, rest = v.partition(":")
                f = field_of(k)
                if f and rest.strip() and f not in out:
                    out[f] = (rest.strip(), r, c)
                    continue
            f = field_of(v) if isinstance(v, str) else None
            if f and f not in out and not (i and field_of(cells[i - 1][1]) and cells[i - 1][0] == c - 1):
                # The value is the cell just right of the label (merged cells keep it there).
                out[f] = (row[c + 1] if c + 1 < len(row) else None, r, c + 1)
    return out


def _titles(sheet: Sheet, upto: int) -> list[str]:
    texts = [sheet.name]
    for row in sheet.rows[:upto]:
        texts.extend(str(v) for v in row if isinstance(v, str))
    return texts


def _stage_of(text: str) -> str | None:
    """The stage a text names: the whole text ('Thẩm định'), else one stage's words inside it
    ('KẾT QUẢ TỰ ĐÁNH GIÁ'); None when it names none or both ('Tự đánh giá hoặc Thẩm định')."""
    exact = codes.match("stage", text)
    if exact:
        return exact
    key = header_key(text)
    found = {
        code
        for alias, code in codes.aliases("stage").items()
        if len(alias) > 4 and alias.replace(" ", "") in key
    }
    return found.pop() if len(found) == 1 else None


def _context(wb: Workbook, sheet: Sheet, header_row: int) -> Draft:
    """Unit, year, stage and preparer as stated by info sheets, letterhead rows and titles."""
    d = Draft(sheet=sheet.name)
    found: dict[str, tuple[Any, str, str]] = {}
    # Rows above the table first (closest to it), then other sheets without a table.
    for f, (v, r, c) in _key_values(sheet.rows[:header_row]).items():
        found.setdefault(f, (v, sheet.name, cell_ref(r, c)))
    for other in wb.sheets:
        if other is sheet or find_header(other, wb) is not None:
            continue
        for f, (v, r, c) in _key_values(other.rows[:200]).items():
            found.setdefault(f, (v, other.name, cell_ref(r, c)))

    def take(f: str) -> tuple[Any, str | None]:
        if f in found:
            v, sh, cell = found[f]
            return v, f"{sh}!{cell}"
        return None, None

    d.unit_code = _text(take("unit_code")[0])
    d.unit_name, d.unit_cell = take("unit_name")
    d.unit_name = _text(d.unit_name)
    d.province = _text(take("province")[0])
    d.parent = _text(take("parent")[0])
    d.year, d.year_cell = take("year")
    d.stage, d.stage_cell = take("stage")
    d.prepared_by = _text(take("prepared_by")[0])
    on = take("prepared_on")[0]
    d.prepared_on = on.date() if isinstance(on, dt.datetime) else on if isinstance(on, dt.date) else None

    titles = _titles(sheet, header_row)
    if d.year is None:
        for t in titles:
            m = _YEAR_RE.search(t) or _ANY_YEAR_RE.search(t)
            if m:
                d.year, d.year_cell = int(m.group(1)), sheet.name
                break
    if d.stage is None:
        d.stage = next((s for s in map(_stage_of, titles) if s), None)
    if d.unit_name is None and d.unit_code is None:
        for t in titles:
            m = _UNIT_TITLE_RE.search(t)
            if m:
                d.unit_name, d.unit_cell = m.group(1).strip(), sheet.name
                break
    if d.province is None:
        for t in titles:
            m = _PROVINCE_TITLE_RE.search(t)
            if m:
                d.province = m.group(1).strip()
                break
    return d


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


def parse_per_unit(wb: Workbook, sheet: Sheet, h: Header, problems: list[Problem]) -> list[Draft]:
    d = _context(wb, sheet, h.row)
    rows = _indicator_rows(sheet, h, problems)
    cols = h.columns
    for r, code in rows:
        lvl = _level_cell(wb, sheet, r, cols["level"], code, problems)
        score = _score_cell(wb, sheet, r, cols["score"], problems) if "score" in cols else None
        d.results.append(
            ResultDraft(
                code,
                lvl,
                score,
                _text(sheet.value(r, cols["evidence"])) if "evidence" in cols else None,
                _text(sheet.value(r, cols["note"])) if "note" in cols else None,
                cell_ref(r, cols["level"]),
            )
        )
    _missing(sheet, (c for _, c in rows), None, problems)
    return [d]


def parse_summary(wb: Workbook, sheet: Sheet, h: Header, problems: list[Problem]) -> list[Draft]:
    base = _context(wb, sheet, h.row)
    rows = _indicator_rows(sheet, h, problems)
    drafts: list[Draft] = []
    for c, head in h.others.items():
        vals = [sheet.value(r, c) for r, _ in rows]
        if not any(v is not None for v in vals) and not any(
            wb.fill_rgb(sheet.name, r, c) for r, _ in rows[:3]
        ):
            continue  # an empty spacer or a criteria column without levels
        if (
            vals
            and sum(parse_level(v) is not None for v in vals if v is not None)
            < len([v for v in vals if v is not None]) // 2
        ):
            continue  # a text column (criteria, remarks) rather than a unit
        m = _UNIT_CODE_RE.search(head)
        d = Draft(
            sheet=sheet.name,
            column=get_column_letter(c + 1),
            unit_code=m.group(1) if m else None,
            unit_name=_UNIT_CODE_RE.sub("", head).strip(),
            province=base.province,
            parent=base.parent,
            unit_cell=f"{sheet.name}!{cell_ref(h.row, c)}",
            year=base.year,
            year_cell=base.year_cell,
            stage=base.stage,
            stage_cell=base.stage_cell,
            prepared_by=base.prepared_by,
            prepared_on=base.prepared_on,
        )
        for r, code in rows:
            lvl = _level_cell(wb, sheet, r, c, code, problems)
            d.results.append(ResultDraft(code, lvl, None, None, None, cell_ref(r, c)))
        drafts.append(d)
    for _ in drafts[:1]:
        _missing(sheet, (c for _, c in rows), None, problems)
    return drafts


def parse_long(wb: Workbook, sheet: Sheet, h: Header, problems: list[Problem]) -> list[Draft]:
    cols = h.columns
    if "year" not in cols:
        problems.append(
            problem(
                "missing-column",
                sheet=sheet.name,
                cell=cell_ref(h.row, 0),
                column="Năm / Year",
                expected="Năm, Year, Năm đánh giá",
            )
        )
        return []
    groups: dict[tuple[Any, ...], Draft] = {}
    seen: dict[tuple[Any, ...], dict[str, str]] = {}
    known = set(indicator_codes())
    for r in range(h.row + 1, len(sheet.rows)):
        row = sheet.rows[r]
        if not any(v is not None for v in row):
            continue

        def get(f: str, row_index: int = r) -> Any:
            return sheet.value(row_index, cols[f]) if f in cols else None

        ucode, uname = _text(get("unit_code")), _text(get("unit_name"))
        key = (
            ucode,
            uname and name_key(uname),
            _text(get("province")),
            _text(get("year")),
            _text(get("stage")),
        )
        d = groups.get(key)
        if d is None:
            ucol = cols.get("unit_code", cols.get("unit_name"))
            d = groups[key] = Draft(
                sheet=sheet.name,
                unit_code=ucode,
                unit_name=uname,
                province=_text(get("province")),
                parent=_text(get("parent")),
                unit_cell=f"{sheet.name}!{cell_ref(r, ucol)}",
                year=get("year"),
                year_cell=f"{sheet.name}!{cell_ref(r, cols['year'])}",
                stage=get("stage"),
                stage_cell=f"{sheet.name}!{cell_ref(r, cols['stage'])}" if "stage" in cols else None,
            )
            seen[key] = {}
        icol = cols.get("code", cols.get("name"))
        raw = get("code") if "code" in cols else get("name")
        code = _code_of(raw, None) or _code_by_name(get("name"))
        ref = cell_ref(r, icol)
        if code not in known:
            problems.append(problem("unknown-indicator", sheet=sheet.name, cell=ref, value=raw))
            continue
        if code in seen[key]:
            problems.append(
                problem("duplicate-indicator", sheet=sheet.name, cell=ref, value=code, other=seen[key][code])
            )
            continue
        seen[key][code] = ref
        lvl = _level_cell(wb, sheet, r, cols["level"], code, problems)
        score = _score_cell(wb, sheet, r, cols["score"], problems) if "score" in cols else None
        d.results.append(
            ResultDraft(
                code, lvl, score, _text(get("evidence")), _text(get("note")), cell_ref(r, cols["level"])
            )
        )
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
    """True when any sheet says 'Dữ liệu minh họa: Có' (illustrative data) near its top."""
    for sheet in wb.sheets:
        found = _key_values(sheet.rows[:HEADER_SCAN_ROWS]).get("illustrative")
        words = ascii_key(found[0]).split() if found else []
        if words and words[0] in _TRUE:
            return True
    return False


def parse_workbook(wb: Workbook) -> tuple[list[Draft], list[Problem], str | None]:
    """All drafts in the workbook, the problems met reading them, and the layout(s) found."""
    problems: list[Problem] = []
    drafts: list[Draft] = []
    layouts: list[str] = []
    for sheet in wb.sheets:
        found = find_header(sheet, wb)
        if found is None:
            continue
        h, layout = found
        layouts.append(layout)
        drafts.extend(PARSERS[layout](wb, sheet, h, problems))
    if not drafts and not problems:
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
                    column="Mức / Level",
                    expected="Mức, Mức đánh giá, Kết quả, Level",
                )
    return problem("no-assessment-table", sheet=wb.sheets[0].name if wb.sheets else None)
