"""`python -m etl` as a user runs it: real processes, real files, exit codes, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests import files

ROOT = Path(__file__).resolve().parent.parent


def etl(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_validate_json_and_exit_codes(tmp_path):
    good = files.template(tmp_path / "good.xlsx")
    bad = files.edit(files.template(tmp_path / "bad.xlsx"), {f"C{files.level_row('1.1')}": "Tím"})
    db = tmp_path / "never.duckdb"
    r = etl("validate", str(good), "--format", "json", "--db", str(db))
    assert r.returncode == 0, r.stderr
    [out] = json.loads(r.stdout)
    assert (out["status"], out["assessments"], out["problems"]) == ("valid", 1, [])
    r = etl("validate", str(good), str(bad), "--format", "json")
    assert r.returncode == 1
    reports = json.loads(r.stdout)
    assert [x["status"] for x in reports] == ["valid", "rejected"]
    prob = reports[1]["problems"][0]
    assert set(prob) >= {"code", "severity", "sheet", "cell", "value", "message_vi", "message_en"}
    assert (prob["code"], prob["sheet"], prob["cell"], prob["value"]) == (
        "bad-level",
        "Đánh giá",
        "C3",
        "Tím",
    )
    assert not db.exists()  # validate writes nothing


def test_usage_error_exits_2(tmp_path):
    assert etl("frobnicate").returncode == 2
    assert etl("load").returncode == 2


def test_load_directory_demo_status_on_new_paths(tmp_path):
    db = tmp_path / "new" / "x.duckdb"
    r = etl("demo", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "minh họa" in r.stdout
    r = etl("status", "--format", "json", "--db", str(db))
    status = json.loads(r.stdout)
    assert status["current_assessments"] == 24 and status["indicators"] == 39
    assert sum(x["assessments"] for x in status["by_year"]) == 24
    text = etl("--db", str(db), "status").stdout
    assert "24" in text and "minh họa" in text
    # Load a directory through the environment variable; the second run is all duplicates.
    d = tmp_path / "in"
    d.mkdir()
    files.template(d / "a.xlsx")
    (d / "notes.txt").write_text("ignored: not a spreadsheet extension")
    r = etl("load", str(d), "--format", "json", env={"ISO18091_DB": str(db)})
    assert r.returncode == 0 and [x["status"] for x in json.loads(r.stdout)] == ["loaded"]
    r = etl("load", str(d), "--format", "json", env={"ISO18091_DB": str(db)})
    assert [x["status"] for x in json.loads(r.stdout)] == ["duplicate"]
    assert "if-empty" in etl("demo", "--help").stdout
    assert "not loaded" in etl("demo", "--if-empty", "--db", str(db)).stdout


def test_template_is_blank_in_vietnamese_with_dropdown(tmp_path):
    out = tmp_path / "mau.xlsx"
    r = etl("template", "--out", str(out))
    assert r.returncode == 0 and out.exists()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Thông tin", "Đánh giá"]
    info = [c.value for c in wb["Thông tin"]["A"] if c.value]
    assert {"Tỉnh/Thành phố", "Đơn vị", "Mã đơn vị", "Năm", "Giai đoạn", "Người lập", "Ngày lập"} <= set(info)
    ws = wb["Đánh giá"]
    assert [c.value for c in ws[1]][:6] == [
        "Mã chỉ số",
        "Tên chỉ số",
        "Mức (Đỏ/Vàng/Xanh)",
        "Điểm (0-100)",
        "Minh chứng",
        "Ghi chú",
    ]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    levels = [dv for dv in lists if dv.formula1 == '"Đỏ,Vàng,Xanh"']
    assert levels and "C2:C" in str(levels[0].sqref)
    codes = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert len([c for c in codes if c and c[0].isdigit()]) == 39
    # Blank: validating it reports every missing level, the unit and the year.
    r = etl("validate", str(out), "--format", "json")
    codes = [p["code"] for p in json.loads(r.stdout)[0]["problems"]]
    assert codes.count("missing-level") == 39 and "missing-locality" in codes and "missing-year" in codes
