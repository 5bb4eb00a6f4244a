"""Generated national data: long CSVs (one per province and year) for every unit of a vintage.

Illustrative figures from a seeded model (a province effect, the unit-type effects of the sample
generator, a small yearly improvement), written in the project's long-CSV layout with the
"Dữ liệu minh họa: có" mark, so they load through ``python -m etl load`` like any bulk exchange.

    python bench/national.py --out /tmp/nat [--vintage 2020|2025] [--provinces 31,38] [--years 2019-2023]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.catalogue import indicators_frame
from core.units import Unit, registry
from etl.template import ILLUSTRATIVE_LABEL

TYPE_EFFECT = {"quan": 0.12, "phuong": 0.05, "thi_tran": 0.0, "huyen": -0.05, "xa": -0.1, "dac_khu": 0.02}
PILLAR_EFFECT = {1: 0.08, 2: 0.0, 3: 0.04, 4: -0.1}
HEADER = ["locality_code", "locality_name", "year", "stage", "indicator_code", "level", "score", "evidence"]


def _level(x: float) -> str:
    return "Red" if x < 0.38 else "Yellow" if x < 0.68 else "Green"


def units_of(
    vintage: str, provinces: list[str] | None = None, levels: tuple[str, ...] = ("commune",)
) -> list[Unit]:
    reg = registry(vintage)
    return sorted(
        (
            u
            for u in reg.units.values()
            if u.level in levels and (not provinces or u.province_code in provinces)
        ),
        key=lambda u: u.code,
    )


def write_national(
    out: Path,
    vintage: str = "2020",
    provinces: list[str] | None = None,
    years: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023),
    seed: int = 18091,
    levels: tuple[str, ...] = ("commune",),
) -> list[Path]:
    """One long CSV per province and year; returns the paths (sorted)."""
    out.mkdir(parents=True, exist_ok=True)
    ind = list(indicators_frame()[["code", "pillar"]].itertuples(index=False))
    rng = random.Random(seed)
    by_province: dict[str, list[Unit]] = {}
    for u in units_of(vintage, provinces, levels):
        by_province.setdefault(u.province_code, []).append(u)
    paths = []
    for prov, units in sorted(by_province.items()):
        prov_effect = rng.gauss(0, 0.08)
        latent = {
            u.code: {
                c: 0.5 + prov_effect + TYPE_EFFECT.get(u.unit_type, 0) + PILLAR_EFFECT[p] + rng.gauss(0, 0.2)
                for c, p in ind
            }
            for u in units
        }
        for y in years:
            path = out / f"{vintage}-{prov}-{y}.csv"
            with open(path, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow([ILLUSTRATIVE_LABEL, "có"])
                w.writerow(HEADER)
                for u in units:
                    lat = latent[u.code]
                    for c, _ in ind:
                        lat[c] += 0.03 + rng.gauss(0, 0.06)
                        w.writerow([u.code, u.name_with_type, y, "self", c, _level(lat[c]), "", ""])
            paths.append(path)
    return sorted(paths)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--vintage", default="2020")
    ap.add_argument("--provinces", default="", help="comma-separated province codes (default: all)")
    ap.add_argument("--years", default="2019-2023", help="first-last")
    a = ap.parse_args()
    first, _, last = a.years.partition("-")
    years = tuple(range(int(first), int(last or first) + 1))
    paths = write_national(a.out, a.vintage, [p for p in a.provinces.split(",") if p] or None, years)
    print(f"{len(paths)} files in {a.out}")


if __name__ == "__main__":
    main()
