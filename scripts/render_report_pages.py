"""Render pages of the sample reports to PNG under docs/ (for the README and reviews).

Loads the illustrative samples into a temporary database, builds the ministry's pack and one unit's
pack, and writes chosen PDF pages as small palette PNGs (poppler's pdftoppm, then Pillow).

    python scripts/render_report_pages.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from core.config import DATA_DIR, ROOT
from etl.load import load_files
from reports import build

DOCS = ROOT / "docs"
MINISTRY_PAGES = (1, 2, 5, 8, 9, 13)
UNIT_PAGES = (1, 3)
DPI = 96
COLOURS = 96


def render(pdf: Path, page: int, out: Path, work: Path) -> None:
    base = work / f"page-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(DPI),
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(base),
        ],
        check=True,
    )
    image = Image.open(base.with_suffix(".png")).convert("RGB")
    image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, optimize=True
    )
    print(f"{out.relative_to(ROOT)}  {out.stat().st_size // 1024} KiB")


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "samples.duckdb"
        load_files([DATA_DIR / "samples"], db, user="docs", jobs=1)
        ministry = build.ministry_pack(db, work / "ministry", formats=["pdf"])["pdf"]
        unit = build.unit_pack(db, "2020:311", None, None, work / "unit", formats=["pdf"])["pdf"]
        for page in MINISTRY_PAGES:
            render(ministry, page, DOCS / f"report-ministry-p{page}.png", work)
        for page in UNIT_PAGES:
            render(unit, page, DOCS / f"report-unit-p{page}.png", work)


if __name__ == "__main__":
    main()
