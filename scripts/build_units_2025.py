"""Write the 2025 unit list and the 2020-2023 -> 2025 crosswalk (data/units/) from registry packages.

vietnam-provinces is GPL-3.0-or-later and needs Python >= 3.12, so it is never installed: its wheel
is only opened as a zip (JSON data, and the GSO conversion table parsed with ``ast``, not imported).
vietnamadminunits (MIT) bridges 2020-2023 communes that were merged before the January-2025 list,
by name; only its offline ``parse_address`` is used (``convert_address`` can geocode online).

Run from the repo root, in a build-only venv (never the project's)::

    python3.11 -m venv /work/venv-units
    /work/venv-units/bin/pip install -r scripts/requirements-units.txt
    /work/venv-units/bin/pip download --no-deps --python-version 3.12 --only-binary=:all: \
        vietnam-provinces==2026.9.0 -d /tmp/vp
    /work/venv-units/bin/python scripts/build_units_2025.py --wheel /tmp/vp/vietnam_provinces-2026.9.0-py3-none-any.whl

Without ``--wheel`` the script runs that pip download itself. The output is deterministic.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import json
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from importlib import metadata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "units"
VP_NAME, VP_VERSION = "vietnam-provinces", "2026.9.0"
VAU_NAME, VAU_VERSION = "vietnamadminunits", "1.0.4"
EFFECTIVE = "2025-07-01"
HAI_PHONG = "31"
UNIT_COLUMNS = [
    "code",
    "name",
    "name_with_type",
    "unit_type",
    "level",
    "parent_code",
    "valid_from",
    "valid_to",
]
CROSSWALK_COLUMNS = ["from_code", "from_level", "to_code", "relation", "method", "via_code", "source"]
LEVELS = ("province", "district", "commune")

# division_type -> (our unit_type, the name prefix it carries)
_TYPES = {
    "tỉnh": ("tinh", "Tỉnh"),
    "thành phố trung ương": ("thanh_pho_tw", "Thành phố"),
    "phường": ("phuong", "Phường"),
    "xã": ("xa", "Xã"),
    "đặc khu": ("dac_khu", "Đặc khu"),
}

# Districts with no communes in the 2020-2023 list, each a whole special zone in 2025. The official
# table has a district row for each; the package's commune-level table has none.
_DISTRICT_TO_ZONE = {"318": "11948", "471": "19742", "498": "20333", "536": "21548", "755": "26732"}

# Pairs the official table (and so OLD_TO_NEW) lists under a wrong old code: the row's old name is
# that of another commune of the same district, which is absent from the table otherwise.
# (listed old code, new code) -> the old code the row's name belongs to.
_CODE_FIXES = {
    (1615, 1648): 1651,  # 'Xã Mỹ Hưng' under Hồng Quang's code -> Xã Phục Hòa
    (2485, 2494): 2482,  # 'Xã Phú Thịnh' under Công Đa's code -> Xã Thái Bình
    (553, 562): 556,  # 'Xã Đặng Xá' under Cổ Bi's code -> Xã Thuận An
}

SRC_OFFICIAL = f"{VP_NAME} {VP_VERSION} OLD_TO_NEW"
SRC_BRIDGED = f"{VAU_NAME} {VAU_VERSION} alias; {SRC_OFFICIAL}"
SRC_DERIVED = "derived from commune rows"
SRC_MANUAL = "official table, district row"
SRC_FIXED = "official table row listed under old code {listed}; code taken from the row's name"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def fetch_wheel(dest: Path) -> Path:
    pin = f"{VP_NAME}=={VP_VERSION}"
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--python-version", "3.12"]
    subprocess.run([*pip, "--only-binary=:all:", pin, "-d", str(dest)], check=True)
    return next(dest.glob("vietnam_provinces-*.whl"))


def _literal(node: ast.AST) -> object:
    """Constants, tuples and NamedTuple calls of the conversion module, as plain tuples."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        return tuple(_literal(e) for e in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        return tuple(_literal(a) for a in node.args)
    raise ValueError(f"unexpected node {ast.dump(node)[:80]}")


def _old_to_new(source: bytes) -> dict[int, tuple]:
    for node in ast.parse(source.decode()).body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "OLD_TO_NEW":
            return {_literal(k): _literal(v) for k, v in zip(node.value.keys, node.value.values, strict=True)}
    sys.exit("OLD_TO_NEW not found in the wheel")


def read_wheel(path: Path) -> tuple[list[dict], dict[int, tuple], dict[int, tuple], str]:
    """(provinces with wards, ward and province OLD_TO_NEW as {old: (old_ref, new_refs)}, sha256)."""
    with zipfile.ZipFile(path) as z:
        meta = z.read(f"vietnam_provinces-{VP_VERSION}.dist-info/METADATA").decode()
        if f"\nVersion: {VP_VERSION}\n" not in meta:
            sys.exit(f"{path} is not {VP_NAME} {VP_VERSION}")
        nested = json.loads(z.read("vietnam_provinces/data/nested-divisions.json"))
        flat = json.loads(z.read("vietnam_provinces/data/flat-divisions.json"))
        wards = _old_to_new(z.read("vietnam_provinces/_ward_conversion_2025.py"))
        provinces = _old_to_new(z.read("vietnam_provinces/_province_conversion_2025.py"))
    if sorted(w["code"] for w in flat) != sorted(w["code"] for p in nested for w in p["wards"]):
        sys.exit("flat and nested division lists disagree")
    return nested, wards, provinces, hashlib.sha256(path.read_bytes()).hexdigest()


def split_type(name: str, division_type: str) -> tuple[str, str, str]:
    """(unit_type, name without the type word, name with it); the type word's case is made standard
    (the source has one 'xã Bắc Sơn'), the rest of the name is kept as spelt."""
    unit_type, prefix = _TYPES[division_type]
    if not name.casefold().startswith(prefix.casefold() + " "):
        sys.exit(f"{name!r} does not start with {prefix!r}")
    short = name[len(prefix) + 1 :]
    return unit_type, short, f"{prefix} {short}"


def units_2025(nested: list[dict]) -> list[dict]:
    rows = []
    for p in sorted(nested, key=lambda p: p["code"]):
        pname = nfc(p["name"])
        ptype, pshort, pname = split_type(pname, p["division_type"])
        pcode = f"{p['code']:02d}"
        rows.append(dict(code=pcode, name=pshort, name_with_type=pname, unit_type=ptype, level="province"))
        rows[-1]["parent_code"] = ""
        for w in sorted(p["wards"], key=lambda w: w["code"]):
            wname = nfc(w["name"])
            wtype, wshort, wname = split_type(wname, w["division_type"])
            rows.append(
                dict(
                    code=f"{w['code']:05d}",
                    name=wshort,
                    name_with_type=wname,
                    unit_type=wtype,
                    level="commune",
                    parent_code=pcode,
                )
            )
    for r in rows:
        r.update(valid_from=EFFECTIVE, valid_to="")
    return rows


def _alias_text(name: str, name_with_type: str) -> str:
    # Short names keep the parser offline and on its alias tables; a bare number ('Phường 2' -> '2')
    # is not a name, so numbered wards and districts keep their prefix.
    return name_with_type if name.isdigit() else name


def alias_code(old: dict, u20: dict[str, dict]) -> str | None:
    """The January-2025 code vietnamadminunits' alias tables give a 2020-2023 commune."""
    from vietnamadminunits import ParseMode, parse_address

    district = u20[old["parent_code"]]
    province = u20[district["parent_code"]]
    text = ", ".join(_alias_text(u["name"], u["name_with_type"]) for u in (old, district, province))
    return parse_address(text, mode=ParseMode.LEGACY).ward_code or None


def alias_check(u20: dict[str, dict], table: dict[int, tuple]) -> dict:
    """How often the name route finds a surviving commune's own code: the bridge's error rate."""
    found = Counter()
    for code, u in u20.items():
        if u["level"] == "commune" and int(code) in table:
            got = alias_code(u, u20)
            found["agree" if got == code else "disagree" if got else "no_match"] += 1
    return {"communes_in_table_by_code": sum(found.values()), **dict(sorted(found.items()))}


def bridge_by_name(old: dict, u20: dict[str, dict], table: dict[int, tuple]) -> tuple[str | None, str]:
    province = u20[u20[old["parent_code"]]["parent_code"]]
    code = alias_code(old, u20)
    if not code:
        return None, "no match"
    if code == old["code"]:
        return None, f"matched itself ({code}), which is not in the conversion table"
    if int(code) not in table:
        return None, f"matched {code}, which is not in the conversion table"
    if table[int(code)][0][2] != int(province["code"]):
        return None, f"matched {code} in another province"
    return code, ""


def crosswalk(u20: dict[str, dict], u25: dict[str, dict], table: dict[int, tuple]) -> tuple[list[dict], dict]:
    rows: list[dict] = []
    unresolved = []
    by_commune: dict[str, list[dict]] = defaultdict(list)

    def targets(code_2501: str) -> list[str]:
        old = int(code_2501)
        return [f"{n[0]:05d}" for n in table[old][1] if (old, n[0]) not in _CODE_FIXES]

    fixed: dict[str, list[tuple[str, str]]] = defaultdict(list)  # old code -> [(new code, listed code)]
    for (listed, new_code), right in _CODE_FIXES.items():
        fixed[f"{right:05d}"].append((f"{new_code:05d}", f"{listed:05d}"))

    for code, u in u20.items():
        if u["level"] != "commune":
            continue
        if code in fixed or int(code) in table:
            via, method, source = "", "official", SRC_OFFICIAL
            new = targets(code) if int(code) in table else []
            new += [t for t, _ in fixed.get(code, [])]
        else:
            via, why = bridge_by_name(u, u20, table)
            if not via:
                unresolved.append(dict(code=code, name_with_type=u["name_with_type"], why=why))
                continue
            method, source = "bridged-by-name", SRC_BRIDGED
            new = targets(via)
        relation = "whole" if len(new) == 1 else "part"
        for t in new:
            listed = dict(fixed.get(code, [])).get(t)
            r = dict(
                from_code=code,
                from_level="commune",
                to_code=t,
                relation=relation,
                method="manual" if listed else method,
                via_code=via,
                source=SRC_FIXED.format(listed=listed) if listed else source,
            )
            rows.append(r)
            by_commune[code].append(r)

    communes_of: dict[str, list[str]] = defaultdict(list)
    districts_of: dict[str, list[str]] = defaultdict(list)
    for code, u in u20.items():
        if u["level"] == "commune":
            communes_of[u["parent_code"]].append(code)
        elif u["level"] == "district":
            districts_of[u["parent_code"]].append(code)

    for d, u in u20.items():
        if u["level"] != "district":
            continue
        if d in _DISTRICT_TO_ZONE:
            assert not communes_of[d], d
            zone = _DISTRICT_TO_ZONE[d]
            assert u25[zone]["unit_type"] == "dac_khu" and u25[zone]["name"] == u["name"], (d, zone)
            rows.append(
                dict(
                    from_code=d,
                    from_level="district",
                    to_code=zone,
                    relation="whole",
                    method="manual",
                    via_code="",
                    source=SRC_MANUAL,
                )
            )
            continue
        pieces = [r for c in communes_of[d] for r in by_commune.get(c, [])]
        new = sorted({r["to_code"] for r in pieces})
        whole = (
            len(new) == 1
            and all(c in by_commune for c in communes_of[d])
            and all(r["relation"] == "whole" for r in pieces)
        )
        for t in new:
            rows.append(
                dict(
                    from_code=d,
                    from_level="district",
                    to_code=t,
                    relation="whole" if whole else "part",
                    method="derived",
                    via_code="",
                    source=SRC_DERIVED,
                )
            )

    by_district: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["from_level"] == "district":
            by_district[r["from_code"]].append(r)
    for p, u in u20.items():
        if u["level"] != "province":
            continue
        # A province lies whole in a new province when every piece of every commune (and every
        # commune-less district) lands there; whole/part of the communes themselves does not matter.
        pieces = [r for d in districts_of[p] for r in by_district[d]]
        new = sorted({u25[r["to_code"]]["parent_code"] for r in pieces})
        complete = all(c in by_commune for d in districts_of[p] for c in communes_of[d])
        for t in new:
            rows.append(
                dict(
                    from_code=p,
                    from_level="province",
                    to_code=t,
                    relation="whole" if len(new) == 1 and complete else "part",
                    method="derived",
                    via_code="",
                    source=SRC_DERIVED,
                )
            )

    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    rows.sort(key=lambda r: (order[r["from_level"]], r["from_code"], r["to_code"]))
    return rows, {"unresolved": unresolved}


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel", type=Path, help=f"{VP_NAME} {VP_VERSION} wheel (downloaded when absent)")
    args = ap.parse_args()
    if metadata.version(VAU_NAME) != VAU_VERSION:
        sys.exit(f"{VAU_NAME} {VAU_VERSION} is required (see scripts/requirements-units.txt)")
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        nested, table, province_table, wheel_sha = read_wheel(wheel)

    new_rows = units_2025(nested)
    u25 = {r["code"]: r for r in new_rows}
    with open(OUT / "units_2020.csv", encoding="utf-8", newline="") as f:
        u20 = {r["code"]: r for r in csv.DictReader(f)}

    for listed, new_code in _CODE_FIXES:
        if new_code not in [n[0] for n in table[listed][1]]:
            sys.exit(f"the table no longer lists {new_code} under {listed}: review _CODE_FIXES")
    rows, info = crosswalk(u20, u25, table)
    assert len({(r["from_code"], r["from_level"], r["to_code"]) for r in rows}) == len(rows)
    assert len({(r["from_code"], r["to_code"]) for r in rows}) == len(rows), "from_id/to_id not unique"
    # The package's own province table must agree with the provinces derived from communes, but for
    # one slip: the official row for Phường 4 (27691) of Tân An (Long An) names Tiền Giang as its old
    # province, so the package also sends Tiền Giang (82) to Tây Ninh (80).
    derived = defaultdict(set)
    for r in rows:
        if r["from_level"] == "province":
            derived[int(r["from_code"])].add(int(r["to_code"]))
    expected = {
        old: {n[0] for n in e[1]} - ({80} if old == 82 else set()) for old, e in province_table.items()
    }
    if derived != expected:
        sys.exit(f"province tables differ: { {k: (derived.get(k), expected.get(k)) for k in expected} }")

    write_csv(OUT / "units_2025.csv", UNIT_COLUMNS, new_rows)
    write_csv(OUT / "crosswalk_2020_2025.csv", CROSSWALK_COLUMNS, rows)

    communes_25 = [r for r in new_rows if r["level"] == "commune"]
    hp_25 = [r for r in communes_25 if r["parent_code"] == HAI_PHONG]
    write_json(
        OUT / "units_2025.meta.json",
        {
            "vintage": "2025",
            "source": "GSO codes of Decision 19/2025/QĐ-TTg (two-level units from 2025-07-01), "
            f"via the PyPI package {VP_NAME}",
            "package": VP_NAME,
            "package_version": VP_VERSION,
            "package_licence": "GPL-3.0-or-later; used at build time only (the wheel's JSON data is read, "
            "the package is neither installed nor imported by the project)",
            "wheel_sha256": wheel_sha,
            "generated_by": "scripts/build_units_2025.py",
            "valid_from": EFFECTIVE,
            "counts": {lvl: sum(r["level"] == lvl for r in new_rows) for lvl in ("province", "commune")},
            "counts_by_type": dict(sorted(Counter(r["unit_type"] for r in new_rows).items())),
            "hai_phong": dict(sorted(Counter(r["unit_type"] for r in hp_25).items()), total=len(hp_25)),
        },
    )

    mapped = {(r["from_level"], r["from_code"]) for r in rows}
    hp_old = {
        c
        for c, u in u20.items()
        if c == HAI_PHONG
        or u["parent_code"] == HAI_PHONG
        or (u["level"] == "commune" and u20[u["parent_code"]]["parent_code"] == HAI_PHONG)
    }

    def level_counts(codes: set[str]) -> dict:
        out = {}
        for lvl in LEVELS:
            have = [c for c in codes if u20[c]["level"] == lvl]
            n = sum((lvl, c) in mapped for c in have)
            out[lvl] = {"units": len(have), "mapped": n, "unmapped": len(have) - n}
        return out

    hp_rows = [r for r in rows if r["from_code"] in hp_old]
    reachable = {int(r["from_code"]) for r in rows if r["method"] == "official"}
    reachable |= {int(r["via_code"]) for r in rows if r["via_code"]}
    write_json(
        OUT / "crosswalk_2020_2025.meta.json",
        {
            "from_vintage": "2020",
            "to_vintage": "2025",
            "effective": EFFECTIVE,
            "packages": {
                VP_NAME: {
                    "version": VP_VERSION,
                    "licence": "GPL-3.0-or-later; used at build time only",
                    "wheel_sha256": wheel_sha,
                    "use": "units; ward and province OLD_TO_NEW tables",
                },
                VAU_NAME: {
                    "version": VAU_VERSION,
                    "licence": "MIT; used at build time only",
                    "use": "name bridge 2020-2023 -> 2025-01 (parse_address, LEGACY)",
                },
            },
            "generated_by": "scripts/build_units_2025.py",
            "rows": len(rows),
            "rows_by_method": dict(sorted(Counter(r["method"] for r in rows).items())),
            "rows_by_relation": dict(sorted(Counter(r["relation"] for r in rows).items())),
            "rows_by_method_relation": {
                f"{m}/{rel}": n
                for (m, rel), n in sorted(Counter((r["method"], r["relation"]) for r in rows).items())
            },
            "old_units": level_counts(set(u20)),
            "communes_bridged_by_name": len(
                {r["from_code"] for r in rows if r["method"] == "bridged-by-name"}
            ),
            "hai_phong": {
                "old_units": level_counts(hp_old),
                "rows": len(hp_rows),
                "communes_bridged_by_name": len(
                    {r["from_code"] for r in hp_rows if r["method"] == "bridged-by-name"}
                ),
                "rows_by_method": dict(sorted(Counter(r["method"] for r in hp_rows).items())),
            },
            "name_bridge_check_on_surviving_codes": alias_check(u20, table),
            "unmapped_communes": info["unresolved"],
            "conversion_codes_not_reached": sorted(f"{c:05d}" for c in set(table) - reachable),
        },
    )

    print(f"units_2025: {len(new_rows)} rows; crosswalk: {len(rows)} rows")
    print("unmapped 2020-2023 communes:", len(info["unresolved"]))
    for u in info["unresolved"]:
        print(
            f"  {u['code']} {u['name_with_type']} ({u20[u20[u['code']]['parent_code']]['name_with_type']}): {u['why']}"
        )
    print("2025-01 codes of the conversion table not reached:", sorted(set(table) - reachable))


if __name__ == "__main__":
    main()
