"""``python -m geo``: load a boundary file, fetch open boundaries, show what is loaded.

Exit status: 0 loaded (warnings allowed), 1 the file or download was refused, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.problems import Problem
from core.units import VINTAGES
from geo.load import PILOT_PROVINCE, LoadReport, load_file
from geo.problems import GeoError

_MARK = {"loaded": "✓", "duplicate": "=", "rejected": "✗"}


def _print_problems(problems: list[Problem]) -> None:
    for p in problems:
        where = f" {p.location}" if p.location else ""
        print(f"    [{p.severity}] {p.code}{where}: {p.message_vi}")
        print(f"        {p.message_en}")


def _print_report(r: LoadReport, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(r.to_dict(), ensure_ascii=False, indent=2))
        return
    print(
        f"{_MARK.get(r.status, '?')} {r.status:<9} {r.file}  (level {r.level or '?'}, "
        f"unit list {r.vintage or '?'}, "
        f"{len(r.matched)} units matched of {r.features_read} features read"
        + (
            f", simplified {r.vertices[0]} -> {r.vertices[1]} vertices ({r.simplify_method})"
            if r.vertices[0]
            else ""
        )
        + ")"
    )
    _print_problems(r.problems)


def cmd_load(a: argparse.Namespace) -> int:
    r = load_file(
        a.file,
        a.db,
        level=a.level,
        province=a.province or None,
        vintage=a.vintage,
        licence=a.licence,
        attribution=a.attribution,
        user=a.user,
    )
    _print_report(r, a.format)
    return 0 if r.ok else 1


def cmd_fetch(a: argparse.Namespace) -> int:
    from geo.fetch import fetch

    print(f"Đang tải / downloading {a.url}", file=sys.stderr)
    try:
        got, r = fetch(
            a.url, a.db, province=a.province, level=a.level, full=a.full, timeout=a.timeout, user=a.user
        )
    except GeoError as exc:
        print("✗ Không tải được ranh giới / boundaries not downloaded", file=sys.stderr)
        for p in exc.problems:
            print(f"    [{p.severity}] {p.code}: {p.message_vi}\n        {p.message_en}", file=sys.stderr)
        return 1
    print(f"Giấy phép / licence: {got.licence}")
    print(f"Ghi nguồn / attribution: {got.attribution}")
    print(f"Nguồn dữ liệu / source: {got.url}")
    _print_report(r, a.format)
    return 0 if r.ok else 1


def cmd_status(a: argparse.Namespace) -> int:
    from core.schema import ensure_database
    from query.geo import boundary_sources

    sources = boundary_sources(ensure_database(a.db), active_only=False)
    if a.format == "json":
        print(sources.to_json(orient="records", date_format="iso", force_ascii=False, indent=2))
        return 0
    if sources.empty:
        print(
            "Chưa nạp ranh giới nào / no boundaries loaded. Use: python -m geo load FILE | python -m geo fetch"
        )
        return 0
    for s in sources.itertuples():
        mark = "*" if s.active else " "
        print(
            f"{mark} #{s.source_id} {s.level:<8} {s.vintage} {s.file_name}  {s.units_matched}/{s.features_read} features, "
            f"sha256 {s.sha256[:12]}…, loaded {s.loaded_at:%Y-%m-%d %H:%M}"
        )
        if s.licence or s.attribution:
            print(f"      licence: {s.licence or '–'}; attribution: {s.attribution or '–'}")
        if s.problems:
            print(f"      {s.problems} problems reported at load (see boundary_problem)")
    print("(* = active layer)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from geo.fetch import DEFAULT_URL

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", type=Path, default=None, help="database file (default: $ISO18091_DB or data/)"
    )
    common.add_argument("--format", choices=("text", "json"), default="text")
    ap = argparse.ArgumentParser(prog="python -m geo", description="Boundaries of administrative units.")
    sub = ap.add_subparsers(dest="command", required=True)

    ld = sub.add_parser("load", parents=[common], help="load a GeoJSON, GeoPackage or zipped Shapefile")
    ld.add_argument("file", type=Path)
    ld.add_argument("--level", choices=("district", "commune"), default=None, help="default: detected")
    ld.add_argument("--province", default=PILOT_PROVINCE, help="GSO province code ('' = whole country)")
    ld.add_argument(
        "--vintage",
        choices=VINTAGES,
        default=None,
        help="unit list: 2020 (GSO 2020-2023) or 2025 (after the 2025 reform); default: detected",
    )
    ld.add_argument("--licence", default=None)
    ld.add_argument("--attribution", default=None)
    ld.add_argument("--user", default=None)
    ld.set_defaults(func=cmd_load)

    fe = sub.add_parser(
        "fetch", parents=[common], help="download open boundaries (geoBoundaries ADM2) and load one province"
    )
    fe.add_argument("--url", default=DEFAULT_URL)
    fe.add_argument("--province", default=PILOT_PROVINCE, help="GSO province code (default 31, Hải Phòng)")
    fe.add_argument("--level", choices=("district", "commune"), default="district")
    fe.add_argument("--full", action="store_true", help="full-resolution file instead of the simplified one")
    fe.add_argument("--timeout", type=float, default=60)
    fe.add_argument("--user", default=None)
    fe.set_defaults(func=cmd_fetch)

    st = sub.add_parser("status", parents=[common], help="list loaded boundary layers")
    st.set_defaults(func=cmd_status)
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    a = ap.parse_args(argv)
    return int(a.func(a))
