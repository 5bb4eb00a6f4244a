"""Illustrative assessment files in every accepted layout, for the demo, the tests and the benchmark.

The figures are made up by a seeded generator; every file says so ("Dữ liệu minh họa"). The
12 units are plausible real units of Hải Phòng (the real pilot units are not public): 3 quận,
3 huyện, and one phường or xã inside each of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from core.catalogue import indicator_codes, indicators_frame
from core.scoring import LEVEL_SCORE
from core.units import Unit, registry
from etl.levels import FILL_RGB
from etl.template import ILLUSTRATIVE_LABEL, ILLUSTRATIVE_NOTE, LEVEL_WORDS, STAGE_WORDS, write_assessment

SEED = 18091
PROVINCE = "Thành phố Hải Phòng"
DISTRICTS = (
    "303",
    "305",
    "306",
    "311",
    "313",
    "315",
)  # Hồng Bàng, Lê Chân, Hải An, Thuỷ Nguyên, An Lão, Tiên Lãng
LAYOUTS = ("template", "fill", "messy", "xls", "ods", "csv")  # one assessment per file
EVIDENCE = (
    "Báo cáo tổng kết năm",
    "Quyết định ban hành kế hoạch",
    "Biên bản kiểm tra",
    "Số liệu thống kê",
    "Kế hoạch và báo cáo thực hiện",
    "",
)


def pilot_units() -> list[Unit]:
    """3 quận, 3 huyện, and the first phường of each quận and first xã of each huyện (by code)."""
    reg = registry()
    out = [reg.units[c] for c in DISTRICTS]
    for d in DISTRICTS:
        want = "phuong" if reg.units[d].unit_type == "quan" else "xa"
        kids = sorted((u for u in reg.children(d) if u.unit_type == want), key=lambda u: u.code)
        out.append(kids[0])
    return out


@dataclass
class SampleAssessment:
    unit: Unit
    year: int
    stage: str
    results: dict[str, tuple]  # code -> (level, score, evidence, note)


def make_levels(
    rng: random.Random, unit: Unit, year: int, base: dict[str, float] | None = None
) -> dict[str, float]:
    """A latent 0..1 quality per indicator: pillar and unit-type effects, better in later years."""
    type_effect = {"quan": 0.12, "phuong": 0.05, "huyen": -0.05, "xa": -0.12}.get(unit.unit_type, 0)
    pillar_effect = {1: 0.08, 2: 0.0, 3: 0.04, 4: -0.1}
    out = {}
    for row in indicators_frame().itertuples(index=False):
        if base is None:
            out[row.code] = 0.5 + type_effect + pillar_effect[row.pillar] + rng.gauss(0, 0.22)
        else:
            out[row.code] = base[row.code] + 0.12 + rng.gauss(0, 0.12)
    return out


def _level(x: float) -> str:
    return "red" if x < 0.38 else "yellow" if x < 0.68 else "green"


def sample_set(seed: int = SEED, years: tuple[int, ...] = (2022, 2023)) -> list[SampleAssessment]:
    rng = random.Random(seed)
    out = []
    for unit in pilot_units():
        latent = None
        for year in years:
            latent = make_levels(rng, unit, year, latent)
            results = {}
            for code, x in latent.items():
                lvl = _level(x)
                score = (
                    round(min(100, max(0, LEVEL_SCORE[lvl] + rng.uniform(-15, 15))))
                    if rng.random() < 0.6
                    else None
                )
                results[code] = (lvl, score, rng.choice(EVIDENCE) or None, None)
            out.append(SampleAssessment(unit, year, "self", results))
    return out


def _district_name(a: SampleAssessment) -> str | None:
    if a.unit.level != "commune":
        return None
    return registry().units[a.unit.parent_code].name_with_type


def write_template(a: SampleAssessment, path: Path, fill_only: bool = False) -> Path:
    return write_assessment(
        path,
        province=PROVINCE,
        unit_name=a.unit.name_with_type,
        unit_code=a.unit.code,
        district=_district_name(a),
        year=a.year,
        stage=a.stage,
        results=a.results,
        prepared_by="Dữ liệu minh họa",
        prepared_on=dt.date(a.year, 12, 15),
        fill_only=fill_only,
        illustrative=True,
    )


def write_messy(a: SampleAssessment, path: Path) -> Path:
    """Letterhead, merged title cells, English headers without diacritics, NFD text, R/Y/G letters."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "UBND " + a.unit.name_with_type.upper()
    ws["D1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("A1:B1")
    ws.merge_cells("D1:F1")
    ws["A3"] = f"BẢNG TỰ ĐÁNH GIÁ THEO TCVN ISO 18091:2020 NĂM {a.year}"
    ws.merge_cells("A3:F3")
    ws["A4"] = f"{ILLUSTRATIVE_LABEL}: có"
    ws["A5"] = "Tỉnh/Thành phố: Hải Phòng"
    ws["A6"] = unicodedata.normalize("NFD", f"Đơn vị: {a.unit.name_with_type}")
    if a.unit.level == "commune":
        ws["D6"] = f"Quận/Huyện: {_district_name(a)}"
    headers = ["No.", "INDICATOR_CODE", "Indicator name", "LEVEL", "Score (0-100)", "Evidence", "Notes"]
    for c, h in enumerate(headers, start=1):
        ws.cell(row=8, column=c, value=h).font = Font(bold=True)
    letters = {"red": "R", "yellow": "y", "green": " G "}
    names = dict(zip(indicators_frame()["code"], indicators_frame()["name_en"], strict=True))
    r = 9
    for i, code in enumerate(indicator_codes(), start=1):
        lvl, score, ev, note = a.results[code]
        ws.cell(row=r, column=1, value=i)
        ws.cell(row=r, column=2, value=code)
        ws.cell(row=r, column=3, value=names[code])
        ws.cell(row=r, column=4, value=letters[lvl])
        ws.cell(row=r, column=5, value=score)
        ws.cell(row=r, column=6, value=unicodedata.normalize("NFD", ev) if ev else None)
        ws.cell(row=r, column=7, value=note)
        r += 1
    ws.cell(row=r + 1, column=5, value="Người lập biểu")
    wb.save(path)
    return path


def _per_unit_frames(a: SampleAssessment) -> tuple[pd.DataFrame, pd.DataFrame]:
    info = pd.DataFrame(
        [
            ["Tỉnh/Thành phố", "Hải Phòng"],
            ["Đơn vị", a.unit.name],
            ["Mã đơn vị", a.unit.code],
            ["Năm", a.year],
            ["Giai đoạn", STAGE_WORDS[a.stage]],
            [ILLUSTRATIVE_LABEL, ILLUSTRATIVE_NOTE],
        ]
    )
    rows = [
        [code, LEVEL_WORDS[lvl].lower(), score, ev or ""] for code, (lvl, score, ev, _) in a.results.items()
    ]
    table = pd.DataFrame(rows, columns=["ma_chi_so", "muc_danh_gia", "diem", "minh_chung"])
    return info, table


def write_ods(a: SampleAssessment, path: Path) -> Path:
    info, table = _per_unit_frames(a)
    with pd.ExcelWriter(path, engine="odf") as xw:
        info.to_excel(xw, sheet_name="Thong tin", header=False, index=False)
        table.to_excel(xw, sheet_name="Danh gia", index=False)
    return path


def write_xls(a: SampleAssessment, path: Path) -> Path:
    import xlwt

    info, table = _per_unit_frames(a)
    book = xlwt.Workbook(encoding="utf-8")
    s1, s2 = book.add_sheet("Thong tin"), book.add_sheet("Danh gia")
    for r, (k, v) in enumerate(info.itertuples(index=False)):
        s1.write(r, 0, k)
        s1.write(r, 1, v)
    for c, h in enumerate(table.columns):
        s2.write(0, c, h)
    for r, row in enumerate(table.itertuples(index=False), start=1):
        for c, v in enumerate(row):
            if v is not None and v == v:
                s2.write(r, c, v)
    book.save(str(path))
    return path


def write_csv(a: SampleAssessment, path: Path, bom: bool = True) -> Path:
    """Per-unit CSV: a few 'key,value' lines, then the table."""
    info, table = _per_unit_frames(a)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        w = csv.writer(f)
        for k, v in info.itertuples(index=False):
            w.writerow([k, v])
        w.writerow([])
        w.writerow(list(table.columns))
        for row in table.itertuples(index=False):
            w.writerow(["" if v is None or v != v else v for v in row])
    return path


def write_summary(items: list[SampleAssessment], path: Path, fill_only: bool = False) -> Path:
    """One row per indicator, one column per unit; the year in the title row and the sheet name."""
    year = items[0].year
    wb = Workbook()
    ws = wb.active
    ws.title = f"Tổng hợp {year}"
    ws["A1"] = f"BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ THEO TCVN ISO 18091:2020 NĂM {year}"
    ws["A2"] = "Thành phố Hải Phòng"
    ws["A3"] = f"{ILLUSTRATIVE_LABEL}: có"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2 + len(items))
    ws.cell(row=5, column=1, value="Mã")
    ws.cell(row=5, column=2, value="Chỉ số")
    for c, a in enumerate(items, start=3):
        ws.cell(row=5, column=c, value=f"{a.unit.name_with_type} ({a.unit.code})")
    names = dict(zip(indicators_frame()["code"], indicators_frame()["name_vi"], strict=True))
    for r, code in enumerate(indicator_codes(), start=6):
        ws.cell(row=r, column=1, value=code)
        ws.cell(row=r, column=2, value=names[code])
        for c, a in enumerate(items, start=3):
            lvl = a.results[code][0]
            cell = ws.cell(row=r, column=c)
            cell.fill = PatternFill("solid", fgColor=FILL_RGB[lvl])
            if not fill_only:
                cell.value = LEVEL_WORDS[lvl]
    wb.save(path)
    return path


# The columns of a long CSV as the samples and the national benchmark write it (one row per unit,
# year, stage and indicator); the reader accepts these and many other spellings (etl/layouts.py).
LONG_CSV_HEADER = (
    "locality_code",
    "locality_name",
    "year",
    "stage",
    "indicator_code",
    "level",
    "score",
    "evidence",
)


def write_long_csv(items: list[SampleAssessment], path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([ILLUSTRATIVE_LABEL, "có"])
        w.writerow(LONG_CSV_HEADER)
        for a in items:
            for code, (lvl, score, ev, _) in a.results.items():
                w.writerow(
                    [
                        a.unit.code,
                        a.unit.name_with_type,
                        a.year,
                        a.stage,
                        code,
                        lvl.capitalize(),
                        "" if score is None else score,
                        ev or "",
                    ]
                )
    return path


WRITERS = {
    "template": lambda a, p: write_template(a, p),
    "fill": lambda a, p: write_template(a, p, fill_only=True),
    "messy": write_messy,
    "xls": write_xls,
    "ods": write_ods,
    "csv": write_csv,
}
EXTENSIONS = {
    "template": ".xlsx",
    "fill": ".xlsx",
    "messy": ".xlsx",
    "xls": ".xls",
    "ods": ".ods",
    "csv": ".csv",
}


def write_samples(out: Path, seed: int = SEED) -> list[Path]:
    """The demo set: 24 assessments (12 units x 2022, 2023) spread over every layout."""
    out.mkdir(parents=True, exist_ok=True)
    items = sample_set(seed)
    written: list[Path] = []
    quan_2022 = [a for a in items if a.year == 2022 and a.unit.unit_type == "quan"]
    huyen_2022 = [a for a in items if a.year == 2022 and a.unit.unit_type == "huyen"]
    written.append(write_summary(quan_2022, out / "tong-hop-quan-2022.xlsx"))
    written.append(write_long_csv(huyen_2022, out / "du-lieu-dai-huyen-2022.csv"))
    rest = [a for a in items if a not in quan_2022 and a not in huyen_2022]
    for i, a in enumerate(rest):
        layout = LAYOUTS[i % len(LAYOUTS)]
        name = f"{a.year}-{a.unit.code}-{layout}{EXTENSIONS[layout]}"
        written.append(WRITERS[layout](a, out / name))
    return written
