"""Real assessment files for tests, written with the same writers analysts' tools produce."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl

from core.catalogue import indicator_codes
from etl.template import ASSESS_SHEET, INFO_SHEET, write_assessment

CYCLE = ("green", "yellow", "red")


def results(levels: dict[str, str] | None = None) -> dict[str, tuple]:
    """code -> (level, score, evidence, note) for all 39, a fixed pattern unless overridden."""
    out = {c: (CYCLE[i % 3], 50.0 + i % 3, f"Minh chứng {c}", None) for i, c in enumerate(indicator_codes())}
    for code, lvl in (levels or {}).items():
        out[code] = (lvl, None, None, None)
    return out


def template(path: Path, **kw: object) -> Path:
    """A filled project template; keyword arguments override the defaults below."""
    args: dict[str, object] = {
        "province": "Hải Phòng",
        "unit_name": "Phường Minh Khai",
        "unit_code": "11311",
        "district": "Quận Hồng Bàng",
        "year": 2023,
        "stage": "self",
        "results": results(),
        "prepared_by": "Tester",
    }
    args.update(kw)
    return write_assessment(path, **args)  # type: ignore[arg-type]


def edit(path: Path, changes: dict[str, object], sheet: str = ASSESS_SHEET) -> Path:
    """Set cells ({'C3': 'Tím'}) in an existing workbook."""
    wb = openpyxl.load_workbook(path)
    for ref, value in changes.items():
        wb[sheet][ref] = value
    wb.save(path)
    return path


def info(path: Path, changes: dict[str, object]) -> Path:
    """Change info-sheet values by label ('Năm': 2030)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[INFO_SHEET]
    for row in ws.iter_rows(min_row=1, max_col=2):
        if row[0].value in changes:
            row[1].value = changes[row[0].value]
    wb.save(path)
    return path


def level_row(code: str) -> int:
    """The 1-based row of an indicator in the template's assessment sheet (pillar titles interleave)."""
    codes = indicator_codes()
    idx = codes.index(code)
    pillar = int(code.split(".")[0])
    return 2 + idx + pillar  # header row, then one title row before each pillar


def with_cached_formulas(path: Path, cached: dict[str, str], sheet_index: int = 2) -> Path:
    """Give formula cells a cached result, as Excel does when it saves (openpyxl writes none)."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == name:
                xml = data.decode()
                for ref, value in cached.items():
                    xml = re.sub(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
                        lambda m, v=value, r=ref: (
                            f'<c r="{r}"{m.group(1)} t="str"><f>{m.group(2)}</f><v>{v}</v>'
                        ),
                        xml,
                    )
                data = xml.encode()
            zout.writestr(item, data)
    path.write_bytes(buf.getvalue())
    return path
