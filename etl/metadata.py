"""Where an assessment's unit, year and stage come from, and what happens when two places disagree.

Precedence, highest first (README "Accepted files" says the same):

1. **Information sheet**: labelled fields (``Đơn vị | Phường Minh Khai``, ``Năm: 2023``) on a sheet
   that holds no assessment table and whose labelled fields are filled in. An instructions sheet
   (named or headed ``Hướng dẫn``, ``Instructions``, ``Ví dụ``, ``Chú thích``...) is never one: its
   example values are never read, and a table on it is not an assessment.
2. **Labelled fields above the table** on the table's own sheet (``Đơn vị: …``, ``Năm: …``,
   ``Giai đoạn: …``, ``Danh mục đơn vị: 2025``).
3. **The table**: the per-row unit, year and stage columns of the long layout; the column headers
   of the summary layout (one unit per column).
4. **Inference**, only for what 1-3 leave unstated, each with a warning that names the cell
   (``unit-inferred``, ``year-inferred``, ``stage-inferred``):
   - unit: the lowest unit of an ``UBND …`` letterhead; the higher ones narrow the search
     (``UBND HUYỆN VĨNH BẢO`` over ``UBND XÃ AN HÒA`` is Xã An Hòa in Huyện Vĩnh Bảo);
   - year: ``năm 2023`` in a title line, else a year in the sheet name, else one year alone in a
     title line;
   - stage: the words of one stage in a title line (``KẾT QUẢ TỰ ĐÁNH GIÁ``).
   Never read: the national name and motto (``Độc lập - Tự do - Hạnh phúc``), date lines
   (``Hải Phòng, ngày 10 tháng 01 năm 2024``), and year ranges (``2022-2023`` is reported as a
   range, never read as a year).

Two stated places (1, 2 or 3) that give different values for one field are an error
(``metadata-conflict``) naming both cells and both values. Several information sheets count as
one place: they must agree with each other too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from core import codes
from core.problems import Localized, Problem, Tr, problem
from core.text import ascii_key, name_key, nfc
from etl.fields import cell_ref, field_of, text_of
from etl.readers import Sheet
from i18n import N_, t

# Fields an assessment's identity is made of, and their names in messages.
META_FIELDS = ("unit_code", "unit_name", "province", "parent", "year", "stage", "vintage")
OTHER_FIELDS = ("prepared_by", "prepared_on", "illustrative")
FIELD_NAMES = {
    "unit_code": N_("unit code (Mã đơn vị)"),
    "unit_name": N_("unit (Đơn vị)"),
    "province": N_("province (Tỉnh/Thành phố)"),
    "parent": N_("district (Quận/Huyện)"),
    "year": N_("year (Năm)"),
    "stage": N_("stage (Giai đoạn)"),
    "vintage": N_("unit list (Danh mục đơn vị)"),
}
INFO_SCAN_ROWS = 200

_INSTRUCTION_WORDS = (
    "huong dan",
    "instruction",
    "guide",
    "readme",
    "read me",
    "cach ghi",
    "cach dien",
    "chu thich",
    "vi du",
    "example",
    "legend",
    "giai thich",
)
_MOTTO = re.compile(r"cong hoa xa hoi chu nghia|doc lap\s*tu do\s*hanh phuc|doc lap tu do", re.I)
_DATE_LINE = re.compile(
    r"ngay\s*\d{1,2}\s*(?:thang|/|-)\s*\d{1,2}\s*(?:nam|/|-)\s*\d{4}|\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}\b",
    re.I,
)
_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:-|–|—|/|đến|den|to)\s*((?:19|20)\d{2})(?!\d)", re.I)
_YEAR_AFTER_WORD = re.compile(r"\b(?:nam|year)\s*[:\-]?\s*((?:19|20)\d{2})(?!\d)", re.I)
_ANY_YEAR = re.compile(r"(?<![\d.,/:])((?:19|20)\d{2})(?![\d.,/:])")
_COUNCIL = re.compile(r"^\s*(?:ubnd|uy ban nhan dan)\s+(.+)$", re.I)


@dataclass
class Found:
    """A value and where it was read: 'Thông tin!B7', and which kind of place (1-4 above)."""

    value: Any
    where: str
    source: str  # 'info' | 'above' | 'column' | 'title'


@dataclass
class Stated:
    """What a file states about an assessment outside its table (places 1 and 2), merged."""

    fields: dict[str, Found] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # field -> where its label has no value
    problems: list[Problem] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # higher units of a letterhead (never an error)


# ---------------------------------------------------------------------------------------------
# Labelled fields


def _filled(v: Any) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip())


def labelled(rows: Iterable[list[Any]], sheet: str) -> tuple[dict[str, list[Found]], dict[str, str]]:
    """Filled labelled fields ('Key | value' cell pairs, 'Key: value' cells), and labels left empty."""
    out: dict[str, list[Found]] = {}
    empty: dict[str, str] = {}
    for r, row in enumerate(rows):
        cells = [(c, v) for c, v in enumerate(row) if v is not None]
        for i, (c, v) in enumerate(cells):
            if not isinstance(v, str):
                continue
            if ":" in v:
                k, _, rest = v.partition(":")
                f = field_of(k)
                if f and rest.strip():
                    out.setdefault(f, []).append(Found(rest.strip(), f"{sheet}!{cell_ref(r, c)}", ""))
                    continue
            f = field_of(v)
            if not f or (i and cells[i - 1][0] == c - 1 and field_of(cells[i - 1][1])):
                continue  # not a label, or a header row (labels side by side)
            value = row[c + 1] if c + 1 < len(row) else None
            where = f"{sheet}!{cell_ref(r, c + 1)}"
            if _filled(value):
                out.setdefault(f, []).append(Found(value, where, ""))
            else:
                empty.setdefault(f, where)
    return out, empty


def is_instructions(sheet: Sheet) -> bool:
    """An instructions/example sheet (by its name or its heading): its values are never read."""
    key = ascii_key(sheet.name)
    if any(w in key for w in _INSTRUCTION_WORDS):
        return True
    for row in sheet.rows[:3]:
        for v in row[:6]:
            if isinstance(v, str) and ascii_key(v).startswith(
                ("huong dan", "instructions", "how to fill", "vi du", "example")
            ):
                return True
    return False


# ---------------------------------------------------------------------------------------------
# Comparing values of one field


def read_year(value: Any) -> tuple[int | None, str | None]:
    """(year, None), or (None, 'year-range' | 'missing-year') for a stated year cell."""
    import datetime as dt

    if value is None:
        return None, "missing-year"
    if isinstance(value, bool):
        return None, "missing-year"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year, None
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            return None, "missing-year"
        return (int(value), None) if float(value).is_integer() else (None, "missing-year")
    text = nfc(value)
    if _RANGE.search(_fold(text)):
        return None, "year-range"
    m = re.fullmatch(r"\s*(?:nam|năm|year)?\s*:?\s*(\d{1,9})(?:\.0+)?\s*", text, re.I)
    if m:
        return int(m.group(1)), None
    years = _ANY_YEAR.findall(text)
    if len(set(years)) == 1:
        return int(years[0]), None
    digits = "".join(ch for ch in text.split(".")[0] if ch.isdigit())
    return (int(digits), None) if digits and len(digits) <= 9 else (None, "missing-year")


def read_stage(value: Any) -> str | None:
    """'self' | 'verified' for a stated stage ('Tự đánh giá', 'Thẩm định'), else None."""
    if value in ("self", "verified"):
        return str(value)
    text = nfc(value)
    return codes.match("stage", text) or _stage_in(text)


def read_vintage(value: Any) -> str | None:
    """'2020' | '2025' from a stated unit list ('2025', 'Danh mục 2025', 2025.0), else None."""
    years = re.findall(r"(?<!\d)(20\d{2})(?!\d)", text_of(value) or "")
    return years[0] if len(set(years)) == 1 and years[0] in ("2020", "2025") else None


def split_vintage_code(code: str) -> tuple[str | None, str]:
    """'2025:11311' -> ('2025', '11311'); '11311' -> (None, '11311')."""
    m = re.fullmatch(r"\s*(20\d{2})\s*:\s*(\d+)\s*", code)
    return (m.group(1), m.group(2)) if m else (None, code.strip())


def _unit_key(value: Any) -> str:
    from core.units import split_prefix

    _, bare = split_prefix(nfc(text_of(value)))
    return name_key(bare)


def same(f: str, a: Any, b: Any) -> bool:
    """Whether two stated values of field ``f`` mean the same thing ('Quận Lê Chân' == 'Lê Chân')."""
    if f == "year":
        ya, yb = read_year(a)[0], read_year(b)[0]
        return ya == yb if ya is not None and yb is not None else name_key(text_of(a)) == name_key(text_of(b))
    if f == "stage":
        return read_stage(a) == read_stage(b)
    if f == "vintage":
        return read_vintage(a) == read_vintage(b)
    if f == "unit_code":
        va, ca = split_vintage_code(text_of(a) or "")
        vb, cb = split_vintage_code(text_of(b) or "")
        return ca.lstrip("0").removesuffix(".0") == cb.lstrip("0").removesuffix(".0") and (
            va is None or vb is None or va == vb
        )
    if f in ("unit_name", "province", "parent"):
        return _unit_key(a) == _unit_key(b)
    return name_key(text_of(a)) == name_key(text_of(b))


def conflict(f: str, first: Found, second: Found) -> Problem:
    """Two places state different values: the error names both (the second is where it points)."""
    sheet, _, cell = second.where.partition("!")
    return problem(
        "metadata-conflict",
        sheet=sheet or None,
        cell=cell or None,
        value=text_of(second.value),
        field=Tr(FIELD_NAMES.get(f, f)),
        place=where_text(second.where),
        other_value=text_of(first.value),
        other_place=where_text(first.where),
    )


def merge(places: list[dict[str, list[Found]]], problems: list[Problem]) -> dict[str, Found]:
    """One value per field from places in precedence order; a disagreement is a conflict."""
    out: dict[str, Found] = {}
    for place in places:
        for f, founds in place.items():
            for found in founds:
                have = out.get(f)
                if have is None:
                    out[f] = found
                elif f in META_FIELDS and not same(f, have.value, found.value):
                    problems.append(conflict(f, have, found))
    return out


def stated(info: list[tuple[Sheet, dict[str, list[Found]]]], above: dict[str, list[Found]]) -> Stated:
    """Merge the information sheets (place 1) and the fields above a table (place 2)."""
    st = Stated()
    info_place: dict[str, list[Found]] = {}
    for _, fields in info:
        for f, founds in fields.items():
            info_place.setdefault(f, []).extend(Found(x.value, x.where, "info") for x in founds)
    above_place = {f: [Found(x.value, x.where, "above") for x in founds] for f, founds in above.items()}
    st.fields = merge([info_place, above_place], st.problems)
    return st


# ---------------------------------------------------------------------------------------------
# Inference (place 4)


def _lines(sheet: Sheet, upto: int) -> list[tuple[str, str]]:
    """(text line, 'Sheet!A3') of the title rows above a table, without motto and date lines."""
    out = []
    for r, row in enumerate(sheet.rows[:upto]):
        for c, v in enumerate(row):
            if not isinstance(v, str):
                continue
            for line in re.split(r"[\r\n]+", v):
                line = line.strip()
                if line and not _MOTTO.search(ascii_key(line)):
                    out.append((line, f"{sheet.name}!{cell_ref(r, c)}"))
    return out


def _fold(text: str) -> str:
    """Lower case without diacritics, one character for one (so spans line up with the text)."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0].lower()
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def _without_dates(text: str) -> str:
    """The text with date phrases blanked ('Hải Phòng, ngày 10 tháng 01 năm 2024' -> 'Hải Phòng, ')."""
    text = nfc(text)
    spans = [m.span() for m in _DATE_LINE.finditer(_fold(text))]
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def infer_year(sheet: Sheet, upto: int) -> tuple[Found | None, Found | None]:
    """(year, range) from the title lines and the sheet name: a Found of (year, source text), and
    the first year range seen (reported when no year is found)."""
    lines = [(_without_dates(text), where) for text, where in _lines(sheet, upto)]
    places = [*lines, (sheet.name, sheet.name)]
    ranged = next((Found(text, where, "title") for text, where in places if _RANGE.search(_fold(text))), None)
    bare = [(_RANGE.sub(" ", _fold(text)), text, where) for text, where in places]
    for folded, text, where in bare[:-1]:  # 'năm 2023' in a title line
        m = _YEAR_AFTER_WORD.search(folded)
        if m:
            return Found((int(m.group(1)), text.strip()), where, "title"), ranged
    for folded, text, where in [bare[-1], *bare[:-1]]:  # the sheet name, then a year alone in a line
        years = set(_ANY_YEAR.findall(folded))
        if len(years) == 1:
            return Found((int(years.pop()), text.strip()), where, "title"), ranged
    return None, ranged


@cache
def _stage_words() -> list[tuple[str, str]]:
    """(alias words as a name key, stage code), longest first; short aliases ('self') are too loose."""
    words = [(k, c) for k, c in codes.aliases("stage").items() if len(k) > 4 and " " in k.strip()]
    return sorted(words, key=lambda x: -len(x[0]))


def _stage_in(text: str) -> str | None:
    """The one stage whose words appear (as whole words) in a text; None for none or both."""
    keys = {name_key(text), ascii_key(text)}
    found = set()
    for alias, code in _stage_words():
        pattern = r"(?:^| )" + re.escape(alias) + r"(?:$| )"
        if any(re.search(pattern, k) for k in keys):
            found.add(code)
    return found.pop() if len(found) == 1 else None


def infer_stage(sheet: Sheet, upto: int) -> Found | None:
    for text, where in [*_lines(sheet, upto), (sheet.name, sheet.name)]:
        s = _stage_in(_without_dates(text))
        if s:
            return Found((s, text), where, "title")
    return None


@cache
def _unit_prefixes() -> list[tuple[str, int]]:
    """(prefix as an ascii key, rank: 0 province, 1 district, 2 commune), longest first."""
    rank = {"province": 0, "district": 1, "commune": 2}
    out: dict[str, int] = {}
    labels = codes.column("unit_type", "label_vi")
    levels = codes.column("unit_type", "level")
    for code, label in labels.items():
        if code == "thanh_pho_tw":
            continue  # 'Thành phố trực thuộc trung ương' is never written before a name
        key = ascii_key(label)
        out[key] = max(out.get(key, -1), rank[levels[code]])
    return sorted(out.items(), key=lambda x: -len(x[0]))


def _council(text: str) -> tuple[str, int] | None:
    """('Xã AN HÒA', rank) for a letterhead line 'UBND XÃ AN HÒA'; None for other lines."""
    key = ascii_key(text)
    m = _COUNCIL.match(key)
    if not m:
        return None
    rest = m.group(1)
    for prefix, rank in _unit_prefixes():
        if rest.startswith(prefix + " "):
            # Cut the council words from the original text, keeping its letters.
            words = nfc(text).split()
            drop = len(key.split()) - len(rest.split())
            name = " ".join(words[drop:]).strip(" ,.;:-–")
            return (name, rank) if name else None
    return None


def infer_unit(sheet: Sheet, upto: int) -> tuple[Found | None, list[str]]:
    """The lowest unit of an 'UBND …' letterhead, and the higher ones (hints for the search)."""
    found = [(c, where) for text, where in _lines(sheet, upto) if (c := _council(text))]
    if not found:
        return None, []
    (name, rank), where = max(found, key=lambda x: x[0][1])
    hints = [n for (n, r), _ in found if r < rank]
    return Found(name, where, "title"), hints


_PROVINCE_HINT = re.compile(r"(?:^| )(?:tinh|thanh pho|tp)\s+(.+)$")


def province_hints(sheet: Sheet, upto: int) -> list[str]:
    """'Thành phố Hải Phòng' in a title line: a hint that narrows unit names (never an error).
    Labels of fields ('Tỉnh/Thành phố') are not titles."""
    out = []
    for text, _ in [*_lines(sheet, upto), (sheet.name, sheet.name)]:
        for part in re.split(r"\s[-–—]\s|[,;:()]", nfc(text)):
            if _PROVINCE_HINT.search(ascii_key(part)) and field_of(part) is None:
                out.append(part.strip())
    return out


def where_text(where: str) -> Localized | str:
    """A place for a message: 'Thông tin!B7', or 'the sheet name' when it is a sheet's name."""
    if "!" in where:
        return where
    return Localized(
        t(N_("the name of sheet '{sheet}'"), "vi", sheet=where),
        t(N_("the name of sheet '{sheet}'"), "en", sheet=where),
    )
