"""Real assessment files and accounts for the upload, history, concurrency and e2e tests."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl

from core.catalogue import indicator_codes
from core.scoring import LEVELS
from core.units import Unit, registry
from etl.template import write_assessment

PASSWORD = "mật-khẩu thử 2024"  # test accounts only; the app has no default password
HAI_PHONG = "31"
# The bad file's planted problems: (sheet, cell, code).
BAD_LEVEL_CELL = ("Đánh giá", "C10", "bad-level")
BAD_UNIT_CELL = ("Thông tin", "B4", "unknown-locality")


def hai_phong_communes(n: int, skip: int = 0) -> list[Unit]:
    """``n`` wards/communes of Hải Phòng (by code), after the first ``skip``."""
    reg = registry()
    units = sorted(
        (u for u in reg.units.values() if u.province_code == HAI_PHONG and u.level == "commune"),
        key=lambda u: u.code,
    )
    return units[skip : skip + n]


def levels(seed: int) -> dict[str, str]:
    rnd = random.Random(seed)
    return {c: rnd.choice(LEVELS) for c in indicator_codes()}


def good_file(
    folder: Path, unit: Unit, year: int = 2024, stage: str = "self", seed: int = 0, name: str | None = None
) -> Path:
    """A valid template-layout workbook for one unit."""
    reg = registry()
    parent = reg.units.get(unit.parent_code) if unit.parent_code else None
    results = {c: (lvl, None, "Báo cáo năm", None) for c, lvl in levels(seed).items()}
    folder.mkdir(parents=True, exist_ok=True)
    return write_assessment(
        folder / (name or f"{year}-{unit.code}-{stage}-{seed}.xlsx"),
        province="Thành phố Hải Phòng",
        unit_name=unit.name_with_type,
        unit_code=unit.code,
        district=parent.name_with_type if parent else None,
        year=year,
        stage=stage,
        results=results,
    )


def bad_file(folder: Path, name: str = "bad.xlsx") -> Path:
    """A workbook with an unknown unit (Thông tin!B4) and a level that is not one (Đánh giá!C10)."""
    folder.mkdir(parents=True, exist_ok=True)
    results = {c: (lvl, None, None, None) for c, lvl in levels(7).items()}
    path = write_assessment(
        folder / name,
        province="Thành phố Hải Phòng",
        unit_name="Phường Không Có Thật",
        unit_code=None,
        district=None,
        year=2024,
        stage="self",
        results=results,
    )
    wb = openpyxl.load_workbook(path)
    wb["Đánh giá"]["C10"] = "Tím"
    wb.save(path)
    return path


def make_user(db: Path, username: str, role: str, password: str = PASSWORD) -> None:
    """An account with a cheap bcrypt cost (tests only)."""
    from auth.accounts import create_user

    create_user(username, password, role, db, display_name=username.title(), rounds=4)
