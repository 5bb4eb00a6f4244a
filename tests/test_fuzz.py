"""Property-based fuzzing of everything that reads an uploaded file (hypothesis), about a minute.

Real files of every layout are mutated: bytes flipped, truncated, zip members swapped, dropped,
duplicated or corrupted (with and without a valid CRC), extreme cell addresses, rows and columns
repeated a million times, random cell types (NaN, inf, huge numbers, dates), huge strings, control
characters, formulas, and CSV text in every accepted encoding and line ending. Each mutant goes
through the same path as an upload (a limited parse worker, then the writer), and:

- nothing raises: every file gets a report; an unexpected error inside the reader is a failure here;
- every rejected file carries an error with a known problem code and both messages;
- time and memory are bounded (the workers' limits; the slowest file and the peak are printed);
- the database's assessment tables are unchanged after every rejected file (only its audit row).

Examples are derandomised, so a run is repeatable; FUZZ_EXAMPLES scales the run (default 1).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.catalogue import indicator_codes
from core.db import connect
from core.problems import MESSAGES
from core.schema import ensure_database
from core.units import registry
from etl import samples
from etl.limits import Limits
from etl.load import store_parsed
from etl.sandbox import ParsePool, Task
from tests import files

pytestmark = pytest.mark.fuzz

SCALE = float(os.environ.get("FUZZ_EXAMPLES", "1"))
LIMITS = Limits(parse_seconds=20, parse_memory_bytes=1024 * 2**20)
SETTINGS = settings(
    max_examples=1,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
STATS: dict[str, object] = {"cases": 0, "rejected": 0, "accepted": 0, "slowest_s": 0.0, "slowest": ""}


def examples(n: int) -> settings:
    return settings(SETTINGS, max_examples=max(1, int(n * SCALE)))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """One real file of every layout and format."""
    folder = tmp_path_factory.mktemp("seeds")
    reg = registry()
    units = [reg.units[c] for c in ("11311", "303", "305")]
    items = [samples.SampleAssessment(u, 2023, "self", files.results()) for u in units]
    out = {
        "template.xlsx": files.template(folder / "template.xlsx"),
        "fill.xlsx": files.template(folder / "fill.xlsx", fill_only=True),
        "messy.xlsx": samples.write_messy(items[0], folder / "messy.xlsx"),
        "summary.xlsx": samples.write_summary(items[1:], folder / "summary.xlsx"),
        "unit.xls": samples.write_xls(items[0], folder / "unit.xls"),
        "unit.ods": samples.write_ods(items[0], folder / "unit.ods"),
        "unit.csv": samples.write_csv(items[0], folder / "unit.csv"),
        "long.csv": samples.write_long_csv(items, folder / "long.csv"),
    }
    return {name: p.read_bytes() for name, p in out.items()}


@pytest.fixture(scope="module")
def pool():
    with ParsePool(2, LIMITS) as p:
        yield p
        STATS["deaths"] = len(p.deaths)
        STATS["worker_peak_mb"] = round(p.peak_rss() / 2**20, 1)
        STATS["internal_errors"] = len(p.internal_errors)
        assert p.internal_errors == [], p.internal_errors[:1]
    Path("test-artifacts").mkdir(exist_ok=True)
    Path("test-artifacts/fuzz.json").write_text(json.dumps(STATS, indent=2))
    print("\nfuzz:", json.dumps(STATS))


EXPECTED: dict[str, int] = {}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding one loaded file, so 'unchanged' means something."""
    path = ensure_database(tmp_path_factory.mktemp("fuzzdb") / "fuzz.duckdb")
    good = files.template(tmp_path_factory.mktemp("fuzzgood") / "good.xlsx")
    from etl.load import load_files

    assert load_files([good], path)[0].status == "loaded"
    EXPECTED.update(_counts(path))
    assert EXPECTED["assessment"] == 1 and EXPECTED["result"] == 39
    return path


def _counts(db: Path) -> dict[str, int]:
    with connect(db, read_only=True) as con:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("assessment", "result", "unit_score", "upload")
        }


def check(pool: ParsePool, db: Path, name: str, data: bytes) -> None:
    """The properties every mutant must keep (see the module docstring)."""
    t0 = time.perf_counter()
    errors = len(pool.internal_errors)
    [done] = list(pool.run([Task(name, data=data)]))
    elapsed = time.perf_counter() - t0
    assert len(pool.internal_errors) == errors, pool.internal_errors[-1]  # an exception in our code
    parsed = done.parsed
    STATS["cases"] = int(STATS["cases"]) + 1
    if elapsed > float(STATS["slowest_s"]):
        STATS["slowest_s"], STATS["slowest"] = round(elapsed, 3), name
    assert elapsed < LIMITS.parse_seconds + 10
    for p in parsed.problems:
        assert p.code in MESSAGES and p.message_vi and p.message_en, p
    if parsed.ok:
        STATS["accepted"] = int(STATS["accepted"]) + 1
        assert parsed.assessments or not parsed.problems
        return
    STATS["rejected"] = int(STATS["rejected"]) + 1
    assert any(p.severity == "error" for p in parsed.problems)
    before = _counts(db)
    [report] = list(store_parsed([(name, parsed, data)], db, "fuzz"))
    after = _counts(db)
    assert report.status == "rejected"
    assert {k: v for k, v in after.items() if k != "upload"} == {
        k: v for k, v in before.items() if k != "upload"
    }
    assert after["upload"] == before["upload"] + 1


# ---------------------------------------------------------------------------------------------
# Mutations


def _rezip(data: bytes, change, extra: list[tuple[str, bytes]] | None = None) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zin.infolist():
            new = change(item.filename, zin.read(item.filename))
            if new is not None:
                z.writestr(item.filename, new)
        for name, body in extra or []:
            z.writestr(name, body)
    return buf.getvalue()


def flip(data: bytes, positions: list[int], values: list[int]) -> bytes:
    b = bytearray(data)
    for p, v in zip(positions, values, strict=False):
        b[p % len(b)] ^= v or 1
    return bytes(b)


EXTREME = ["XFD1048576", "XFD1", "A1048576", "XFD5000", "ZZ99999", "AMJ1", "A50001", "AMK2", "B2"]
ODS_REPEAT = [2, 1024, 16_384, 65_536, 1_048_576]
NASTY_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            '=HYPERLINK("http://evil.example","x")',
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-",
            "@SUM(A1)",
            "\t=1",
            "Đỏ\x00",
            "\x01\x02\x1b[31m",
            "Xanh\u202e",
            "2022-2023",
            "Độc lập - Tự do - Hạnh phúc",
            "ngày 10 tháng 01 năm 2024",
            "#N/A",
        ]
    ),
    st.integers(min_value=1, max_value=200_000).map(lambda n: "ạ" * n),
)
CELL_VALUES = st.one_of(
    NASTY_TEXT,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.datetimes(),
    st.none(),
)


@st.composite
def zip_mutant(draw: st.DrawFn, data: bytes, kind: str) -> bytes:
    """A mutation of an .xlsx or .ods archive."""
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    op = draw(
        st.sampled_from(["flip", "truncate", "swap", "drop", "dup", "corrupt", "crc", "extreme", "repeat"])
    )
    if op == "flip":
        n = draw(st.integers(1, 40))
        return flip(
            data,
            draw(st.lists(st.integers(0, len(data) - 1), min_size=n, max_size=n)),
            draw(st.lists(st.integers(1, 255), min_size=n, max_size=n)),
        )
    if op == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    if op == "swap":
        a, b = draw(st.sampled_from(names)), draw(st.sampled_from(names))
        z = zipfile.ZipFile(io.BytesIO(data))
        swapped = {a: z.read(b), b: z.read(a)}
        return _rezip(data, lambda n, d: swapped.get(n, d))
    if op == "drop":
        gone = draw(st.sampled_from(names))
        return _rezip(data, lambda n, d: None if n == gone else d)
    if op == "dup":
        twice = draw(st.sampled_from(names))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a duplicate member is the point
            return _rezip(data, lambda n, d: d, [(twice, draw(st.binary(max_size=200)))])
    if op == "corrupt":  # a member's content changed, archive valid (parsers see broken XML)
        victim = draw(st.sampled_from(names))
        cut, junk = draw(st.integers(0, 400)), draw(st.binary(max_size=80))
        return _rezip(data, lambda n, d: d[:cut] + junk + d[cut + len(junk) :] if n == victim else d)
    if op == "crc":  # the compressed stream damaged, the CRC no longer matches
        z = zipfile.ZipFile(io.BytesIO(data))
        info = z.getinfo(draw(st.sampled_from(names)))
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        at = start + draw(st.integers(0, max(0, info.compress_size - 1)))
        return flip(data, [at], [draw(st.integers(1, 255))])
    if op == "extreme" and kind == "xlsx":
        ref = draw(st.sampled_from(EXTREME))
        value = draw(st.sampled_from(["x", "Xanh", "1.1"]))
        cell = f'<row r="{re.sub(r"[A-Z]", "", ref)}"><c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c></row>'.encode()
        sheet = draw(st.sampled_from([n for n in names if n.startswith("xl/worksheets/")]))
        return _rezip(
            data, lambda n, d: d.replace(b"</sheetData>", cell + b"</sheetData>") if n == sheet else d
        )
    if op in ("extreme", "repeat") and kind == "ods":
        rows, cols = draw(st.sampled_from(ODS_REPEAT)), draw(st.sampled_from(ODS_REPEAT))
        extra = (
            f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
            f'table:number-columns-repeated="{cols}" office:value-type="string"><text:p>x</text:p>'
            "</table:table-cell></table:table-row>"
        ).encode()
        return _rezip(
            data,
            lambda n, d: (
                d.replace(b"</table:table>", extra + b"</table:table>", 1) if n == "content.xml" else d
            ),
        )
    # 'repeat' on xlsx: a row with thousands of valued cells
    width = draw(st.sampled_from([100, 1_025, 20_000]))
    cells = "".join(f'<c t="inlineStr"><is><t>{i}</t></is></c>' for i in range(width)).encode()
    sheet = draw(st.sampled_from([n for n in names if n.startswith("xl/worksheets/")]))
    return _rezip(
        data,
        lambda n, d: (
            d.replace(b"</sheetData>", b'<row r="60">' + cells + b"</row></sheetData>") if n == sheet else d
        ),
    )


def _cells_mutant(seed: bytes, changes: list[tuple[int, int, object]]) -> bytes:
    """Random values written by openpyxl into random cells (extreme addresses included)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(seed))
    ws = wb.worksheets[-1]
    for r, c, v in changes:
        try:
            ws.cell(row=r, column=c, value=v)
        except Exception:  # openpyxl refuses some values (control characters): write them as text
            ws.cell(row=r, column=c, value=repr(v))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# The properties, over each family of mutants


@given(data=st.data())
@examples(170)
def test_mutated_xlsx_and_ods(seeds, pool, db, data):
    name = data.draw(
        st.sampled_from(["template.xlsx", "fill.xlsx", "messy.xlsx", "summary.xlsx", "unit.ods"])
    )
    mutant = data.draw(zip_mutant(seeds[name], "ods" if name.endswith(".ods") else "xlsx"))
    check(pool, db, name, mutant)


@given(data=st.data())
@examples(60)
def test_random_cells_in_a_real_workbook(seeds, pool, db, data):
    n = data.draw(st.integers(1, 8))
    rows = st.one_of(st.integers(1, 60), st.sampled_from([1_048_576, 50_001, 5_000]))
    cols = st.one_of(st.integers(1, 12), st.sampled_from([16_384, 1_025, 500]))
    changes = [(data.draw(rows), data.draw(cols), data.draw(CELL_VALUES)) for _ in range(n)]
    check(pool, db, "cells.xlsx", _cells_mutant(seeds["template.xlsx"], changes))


@given(data=st.data())
@examples(70)
def test_mutated_xls(seeds, pool, db, data):
    seed = seeds["unit.xls"]
    if data.draw(st.booleans()):
        n = data.draw(st.integers(1, 40))
        positions = data.draw(st.lists(st.integers(0, len(seed) - 1), min_size=n, max_size=n))
        mutant = flip(seed, positions, data.draw(st.lists(st.integers(1, 255), min_size=n, max_size=n)))
    else:
        mutant = seed[: data.draw(st.integers(0, len(seed) - 1))]
    check(pool, db, "unit.xls", mutant)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258", "cp1252", "latin-1"]


@given(data=st.data())
@examples(140)
def test_csv_in_every_encoding_and_line_ending(seeds, pool, db, data):
    name = data.draw(st.sampled_from(["unit.csv", "long.csv", "random.csv"]))
    if name == "random.csv":
        rows = data.draw(st.lists(st.lists(NASTY_TEXT, max_size=8), max_size=30))
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        text = buf.getvalue()
    else:
        text = seeds[name].decode("utf-8-sig")
        for _ in range(data.draw(st.integers(0, 3))):
            at = data.draw(st.integers(0, max(0, len(text) - 1)))
            text = text[:at] + data.draw(NASTY_TEXT) + text[at + 1 :]
    newline = data.draw(st.sampled_from(["\r\n", "\n", "\r"]))
    text = re.sub(r"\r\n|\n|\r", newline, text)
    encoding = data.draw(st.sampled_from(ENCODINGS))
    raw = text.encode(encoding, errors="replace")
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    check(pool, db, name, raw)


@given(data=st.data())
@examples(40)
def test_random_bytes_under_every_name(pool, db, data):
    name = data.draw(st.sampled_from(["x.xlsx", "x.xls", "x.ods", "x.csv", "x.xlsm", "x.pdf", "x"]))
    prefix = data.draw(
        st.sampled_from(
            [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe"]
        )
    )
    check(pool, db, name, prefix + data.draw(st.binary(max_size=3000)))


def test_a_long_csv_of_every_unit_of_a_province_is_accepted(pool, db):
    """Not a mutant: the biggest legitimate file a province sends (all its communes, 39 each)."""
    reg = registry()
    units = [u for u in reg.units.values() if u.province_code == "38" and u.level == "commune"]
    rng = random.Random(1)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["locality_code", "year", "stage", "indicator_code", "level"])
    for u in units:
        for code in indicator_codes():
            w.writerow([u.code, 2023, "self", code, rng.choice(["Đỏ", "Vàng", "Xanh"])])
    [done] = list(pool.run([Task("thanh-hoa-2023.csv", data=buf.getvalue().encode())]))
    assert done.parsed.ok and len(done.parsed.assessments) == len(units) > 500
