"""Issue 9, items 2 and 3: no file can crash the server or eat its memory, and one bad file never
stops a batch. Absurd extents are refused before any reader runs; whatever happens inside a reader
(an abort, running out of memory or time) is that file's problem, and the next file is read."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from etl.limits import Limits
from etl.sandbox import ParsePool, Task
from etl.validate import parse_bytes
from tests import files

ROOT = Path(__file__).resolve().parent.parent


def _one_far_cell(tmp_path: Path, ref: str) -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    wb.active[ref] = "y"
    wb.save(tmp_path / "far.xlsx")
    return (tmp_path / "far.xlsx").read_bytes()


def _ods_repeated(rows: int, cols: int) -> bytes:
    """A 2-3 KB .ods whose one valued cell is repeated across ``cols`` columns and ``rows`` rows."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="Sheet1">'
        f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
        f'table:number-columns-repeated="{cols}" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return buf.getvalue()


def _xls_far(tmp_path: Path) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    sheet.write(0, 0, "x")
    sheet.write(65535, 255, "y")
    book.save(str(tmp_path / "far.xls"))
    return (tmp_path / "far.xls").read_bytes()


CASES = {
    "XFD1048576": ("far.xlsx", lambda tmp: _one_far_cell(tmp, "XFD1048576"), "too-many-rows"),
    "XFD5000": ("far.xlsx", lambda tmp: _one_far_cell(tmp, "XFD5000"), "too-many-columns"),
    "A1048576": ("far.xlsx", lambda tmp: _one_far_cell(tmp, "A1048576"), "too-many-rows"),
    "AMJ2000": ("far.xlsx", lambda tmp: _one_far_cell(tmp, "AMJ2000"), "too-many-cells"),
    "ods-columns": ("r.ods", lambda tmp: _ods_repeated(40, 16_384), "too-many-columns"),
    "ods-rows": ("r.ods", lambda tmp: _ods_repeated(1_048_576, 3), "too-many-rows"),
    "xls-IV65536": ("far.xls", _xls_far, "too-many-rows"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_absurd_extents_are_refused_before_parsing_in_bounded_time_and_memory(tmp_path, case):
    name, make, code = CASES[case]
    data = make(tmp_path)
    assert len(data) < 30_000
    tracemalloc.start()
    t0 = time.perf_counter()
    parsed = parse_bytes(name, data)  # in this very process: no worker to hide behind
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [p.code for p in parsed.problems] == [code]
    assert elapsed < 1.0 and peak < 30 * 2**20, (elapsed, peak)


def test_a_reader_that_aborts_or_overruns_is_one_files_problem_and_the_next_file_is_read(tmp_path):
    """With the extent checks opened wide, calamine itself asks for 2.6 GB on XFD5000 and aborts
    the process ('memory allocation ... failed'); a CSV too big for the time limit is stopped."""
    wide_open = Limits(
        max_rows=10**9, max_columns=10**6, max_cells=10**13, max_csv_rows=10**9,
        parse_memory_bytes=400 * 2**20, parse_seconds=2,
    )  # fmt: skip
    good = files.template(tmp_path / "good.xlsx")
    slow = tmp_path / "slow.csv"
    slow.write_bytes(b"ma chi so,muc\n" + b"1.1,Xanh\n" * 3_000_000)
    tasks = [
        Task("far.xlsx", data=_one_far_cell(tmp_path, "XFD5000")),
        Task("good.xlsx", path=str(good)),
        Task("slow.csv", path=str(slow)),
        Task("good-again.xlsx", path=str(good)),
    ]
    with ParsePool(1, wide_open) as pool:
        first = pool.pids()
        t0 = time.perf_counter()
        done = [d.parsed for d in pool.run(tasks)]
        elapsed = time.perf_counter() - t0
        assert pool.pids() and pool.pids() != first  # the dead worker was replaced
        assert len(pool.deaths) == 2
    assert [p.ok for p in done] == [False, True, False, True]
    memory, slow_one = done[0].problems[0], done[2].problems[0]
    assert (
        memory.code == "file-unreadable" and "bộ nhớ" in memory.message_vi and "memory" in memory.message_en
    )
    assert slow_one.code == "file-unreadable" and "2 giây" in slow_one.message_vi
    assert elapsed < 30


def test_a_batch_goes_on_past_bad_files_and_reports_every_one_as_json(tmp_path):
    """Bad files at the start, the middle and the end of a CLI load: the rest are all loaded."""
    from tests.uploadkit import good_file, hai_phong_communes

    folder = tmp_path / "batch"
    units = hai_phong_communes(18)
    for i, u in enumerate(units):
        good_file(folder, u, seed=i, name=f"{i * 10 + 5:03d}-good.xlsx")
    bad = {
        "000-cr-only.csv": b"Don vi,Quan Le Chan\rNam,2023\rMa chi so,Muc\r1.1,Xanh\r",
        "091-truncated.xlsx": (folder / "005-good.xlsx").read_bytes()[:3000],
        "092-not-a-workbook.xlsx": b"%PDF-1.4",
        "093-far.xlsx": _one_far_cell(tmp_path, "XFD1048576"),
        "999-empty.csv": b"",
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "load",
            str(folder),
            "--db",
            str(tmp_path / "b.duckdb"),
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert r.returncode == 1, r.stderr
    reports = json.loads(r.stdout)
    assert len(reports) == len(units) + len(bad)
    status = {Path(x["file"]).name: x["status"] for x in reports}
    assert [n for n, s in status.items() if s == "loaded"] == sorted(n for n in status if "good" in n)
    assert {n for n, s in status.items() if s == "rejected"} == set(bad)
    assert all(x["problems"] for x in reports if x["status"] == "rejected")
