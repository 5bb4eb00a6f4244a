"""``python -m etl``: validate, load, template, demo, status.

Exit status: 0 when no file was rejected, 1 when some file was, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.config import DATA_DIR, db_path
from core.schema import ensure_database
from core.units import Unit
from etl.load import FileReport, load_files, validate_files

SAMPLES_DIR = DATA_DIR / "samples"
_MARK = {"valid": "✓", "loaded": "✓", "duplicate": "=", "rejected": "✗"}


def _print_reports(reports: list[FileReport], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
        return
    for r in reports:
        print(
            f"{_MARK.get(r.status, '?')} {r.status:<9} {r.file}  ({r.assessments} assessments"
            f"{', ' + r.layout if r.layout else ''})"
        )
        for p in r.problems:
            where = f" {p.location}" if p.location else ""
            print(f"    [{p.severity}] {p.code}{where}: {p.message_vi}")
            print(f"        {p.message_en}")
    counts = {s: sum(r.status == s for r in reports) for s in ("valid", "loaded", "duplicate", "rejected")}
    print(", ".join(f"{v} {k}" for k, v in counts.items() if v) or "no files")


def _exit(reports: list[FileReport]) -> int:
    return 1 if any(r.status == "rejected" for r in reports) else 0


def cmd_validate(a: argparse.Namespace) -> int:
    reports = validate_files(a.files, jobs=a.jobs)
    _print_reports(reports, a.format)
    return _exit(reports)


def cmd_load(a: argparse.Namespace) -> int:
    reports = load_files(a.files, a.db, user=a.user, jobs=a.jobs)
    _print_reports(reports, a.format)
    return _exit(reports)


def find_unit(ident: str) -> tuple[Unit | None, str]:
    """A unit from '2020:11311', '2025:11948' or a plain code naming one unit; else (None, why)."""
    from core.units import registry
    from etl.metadata import split_vintage_code

    vintage, code = split_vintage_code(ident)
    lists = [vintage] if vintage else ["2020", "2025"]
    found = [u for v in lists if v in ("2020", "2025") and (u := registry(v).by_code(code)) is not None]
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, f"Không có đơn vị mã {ident} / no unit with code {ident}"
    both = ", ".join(f"{u.locality_id} {u.name_with_type}" for u in found)
    return (
        None,
        f"Mã {code} có ở cả hai danh mục / code {code} is in both unit lists: {both}; write {found[0].locality_id}",
    )


def cmd_template(a: argparse.Namespace) -> int:
    from etl.template import write_template

    unit = None
    if a.unit:
        unit, why = find_unit(a.unit)
        if unit is None:
            print(why, file=sys.stderr)
            return 2
    out = write_template(a.out, unit)
    print(
        f"Đã ghi mẫu đánh giá / template written: {out}"
        + (f" ({unit.locality_id} {unit.name_with_type})" if unit else "")
    )
    return 0


def cmd_demo(a: argparse.Namespace) -> int:
    if a.if_empty:
        from query.status import totals

        if totals(ensure_database(a.db))["current_assessments"]:
            print("Cơ sở dữ liệu đã có dữ liệu / database already holds data; sample data not loaded")
            return 0
    print("Dữ liệu minh họa (illustrative data, not the pilot's results):", SAMPLES_DIR)
    reports = load_files([SAMPLES_DIR], a.db, user="demo", jobs=a.jobs)
    _print_reports(reports, a.format)
    return _exit(reports)


def by_vintage(path: Path) -> list[dict[str, object]]:
    """Current assessments by unit list (vintage), year and stage."""
    from core.db import connect

    with connect(path, read_only=True) as con:
        rows = con.execute(
            """SELECT vintage, year, stage, count(*) AS assessments, count(DISTINCT locality_id) AS units
               FROM current_assessments GROUP BY ALL ORDER BY vintage, year, stage"""
        ).fetchall()
    return [dict(zip(("vintage", "year", "stage", "assessments", "units"), r, strict=True)) for r in rows]


def cmd_status(a: argparse.Namespace) -> int:
    from query.status import assessment_counts, totals

    path = ensure_database(a.db)
    t = totals(path)
    counts = assessment_counts(path)
    vintages = by_vintage(path)
    if a.format == "json":
        print(
            json.dumps(
                {"db": str(path), **t, "by_year": counts.to_dict(orient="records"), "by_vintage": vintages},
                ensure_ascii=False,
                default=int,
            )
        )
        return 0
    print(f"Cơ sở dữ liệu / database: {path} (schema v{t['schema_version']})")
    print(f"Danh mục / catalogue: {t['indicators']} chỉ số; {t['localities']} đơn vị hành chính")
    print(
        f"Tệp đã nhận / uploads: {t['uploads']} ({t['uploads_loaded']} loaded, "
        f"{t['uploads_rejected']} rejected)"
    )
    print(
        f"Kỳ đánh giá hiện hành / current assessments: {t['current_assessments']} "
        f"(lịch sử / in history: {t['all_assessments']})"
    )
    if vintages:
        print(
            "Danh mục đơn vị / unit list, năm / year, giai đoạn / stage: kỳ đánh giá / assessments (đơn vị / units)"
        )
        for row in vintages:
            print(
                f"  {row['vintage']}  {row['year']}  {row['stage']:<9} {row['assessments']:>6}  ({row['units']})"
            )
    if len(counts):
        print(counts.to_string(index=False))
    if counts["illustrative"].sum() if len(counts) else 0:
        print("Lưu ý: có dữ liệu minh họa / note: illustrative data loaded")
    return 0


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before or after the subcommand; SUPPRESS keeps a subparser from resetting it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", default=argparse.SUPPRESS, help=f"database file (default: $ISO18091_DB or {db_path()})"
    )
    ap = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    ap.add_argument("--db", default=None, help=argparse.SUPPRESS)  # its own action: parents share theirs
    sub = ap.add_subparsers(dest="command", required=True)

    def files_cmd(name: str, func, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_)
        p.add_argument("files", nargs="+", help="files or directories")
        p.add_argument("--format", choices=("text", "json"), default="text")
        p.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
        p.set_defaults(func=func)
        return p

    files_cmd("validate", cmd_validate, "check files; writes nothing")
    load = files_cmd("load", cmd_load, "validate and load files")
    load.add_argument("--user", default="cli", help="recorded as who loaded the files")
    t = sub.add_parser("template", parents=[common], help="write the blank assessment workbook")
    t.add_argument("--out", required=True, type=Path)
    t.add_argument("--unit", help="pre-fill for one unit: 2020:11311, 2025:11948, or a code in one list only")
    t.set_defaults(func=cmd_template)
    d = sub.add_parser("demo", parents=[common], help="load the built-in illustrative sample data")
    d.add_argument("--format", choices=("text", "json"), default="text")
    d.add_argument("--jobs", type=int, default=None)
    d.add_argument("--if-empty", action="store_true", help="only when no assessment is loaded yet")
    d.set_defaults(func=cmd_demo)
    s = sub.add_parser("status", parents=[common], help="what the database holds")
    s.add_argument("--format", choices=("text", "json"), default="text")
    s.set_defaults(func=cmd_status)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
    return args.func(args)
