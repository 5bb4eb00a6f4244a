"""Regenerate data/samples/ (illustrative data, fixed seed). Run: python scripts/make_samples.py"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.samples import write_samples

OUT = Path(__file__).resolve().parent.parent / "data" / "samples"

if __name__ == "__main__":
    shutil.rmtree(OUT, ignore_errors=True)
    files = write_samples(OUT)
    (OUT / "README.md").write_text(
        "# Sample data: ILLUSTRATIVE, not the pilot's results\n\n"
        "Dữ liệu minh họa, không phải kết quả thí điểm thực tế.\n\n"
        "Made by `scripts/make_samples.py` with a fixed seed (`etl/samples.py`). The 12 units are\n"
        "plausible real units of Hải Phòng (3 quận, 3 huyện, one phường or xã in each): the names of\n"
        "the real pilot units are not public. Levels are invented: on average better in 2023 than\n"
        "in 2022, with differences between pillars and unit types. The files use every accepted\n"
        "layout (template, fill colour only, letterhead with English headers, .xls, .ods, CSV,\n"
        "summary workbook, long CSV) and each says it is illustrative.\n",
        encoding="utf-8",
    )
    print(f"{len(files)} files in {OUT}")
