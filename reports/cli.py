"""``python -m reports``: the ministry's rollout pack, one unit's report, a chosen set's report.

    python -m reports ministry --out DIR [--year Y] [--stage self|verified] [--province P]
    python -m reports unit ID [--out DIR] [--year Y] [--stage S]
    python -m reports units ID ID ... [--out DIR] [--year Y] [--stage S]

Each writes an Excel workbook, a Word document and its PDF (``--formats`` to choose) and prints
their paths (``--json``: one JSON object). IDs are unit keys ('2020:303') or plain GSO codes when
they name one unit. ``--db`` as for ``python -m etl``: default $ISO18091_DB, else
data/iso18091.duckdb. Exit status: 0 written; 1 nothing to report or a file could not be made;
2 usage error (bad arguments, unknown or ambiguous unit or province).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.config import db_path
from core.schema import ensure_database
from query import rollout
from query import units as uq
from reports import build
from reports.common import NoDataError
from reports.pdf import PdfError


class UsageError(ValueError):
    """An argument names nothing, or several things."""


def _unit_id(db: Path, text: str) -> str:
    found = uq.resolve_unit(db, text)
    if not found:
        raise UsageError(f"Không có đơn vị '{text}' / unknown unit '{text}'")
    if len(found) > 1:
        raise UsageError(
            f"'{text}' chỉ nhiều đơn vị / names several units: {', '.join(found)}; dùng mã khóa / use a key like {found[0]}"
        )
    return found[0]


def _province_id(db: Path, text: str | None) -> str | None:
    if not text:
        return None
    found = [i for i in uq.resolve_unit(db, text) if rollout.place_name(db, i).get("level") == "province"]
    if not found:
        raise UsageError(f"Không có tỉnh/thành phố '{text}' / unknown province '{text}'")
    if len(found) > 1:
        raise UsageError(f"'{text}' chỉ nhiều tỉnh / names several provinces: {', '.join(found)}")
    return found[0]


def _formats(text: str) -> list[str]:
    out = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in out if f not in build.FORMATS]
    if bad or not out:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(build.FORMATS)}")
    return out


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m reports", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (default $ISO18091_DB, else data/iso18091.duckdb)")
    common.add_argument("--out", default=".", help="folder for the files (created if missing)")
    common.add_argument("--year", type=int, help="year (default: the latest loaded)")
    common.add_argument("--stage", choices=["self", "verified"], help="stage (default: verified when loaded)")
    common.add_argument("--lang", choices=["vi", "en"], default="vi")
    common.add_argument("--formats", type=_formats, default=list(build.FORMATS), help="xlsx,docx,pdf")
    common.add_argument("--issuer", help="issuing body in the header block (default: a field to fill)")
    common.add_argument("--place", help="place before the date in the header block")
    common.add_argument("--json", action="store_true", help="print one JSON object")
    m = sub.add_parser("ministry", parents=[common], help="the ministry's rollout report")
    m.add_argument("--province", help="a province: key ('2020:31') or GSO code; default: every loaded unit")
    u = sub.add_parser("unit", parents=[common], help="one unit's report")
    u.add_argument("unit", help="unit key ('2020:303') or GSO code")
    s = sub.add_parser("units", parents=[common], help="a chosen set of units side by side")
    s.add_argument("units", nargs="+", help="unit keys or GSO codes")
    return ap


def main(argv: list[str] | None = None) -> int:
    a = _parser().parse_args(argv)
    db = db_path(a.db)
    if not db.exists():
        print(f"Không có cơ sở dữ liệu / no database at {db} (python -m etl load FILE ...)", file=sys.stderr)
        return 1
    ensure_database(db)
    options = {"lang": a.lang, "formats": a.formats, "issuer": a.issuer, "place": a.place}
    try:
        if a.command == "ministry":
            paths = build.ministry_pack(db, a.out, a.year, a.stage, _province_id(db, a.province), **options)
        elif a.command == "unit":
            paths = build.unit_pack(db, _unit_id(db, a.unit), a.year, a.stage, a.out, **options)
        else:
            ids = [_unit_id(db, x) for x in a.units]
            paths = build.units_pack(db, ids, a.year, a.stage, a.out, **options)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except (NoDataError, PdfError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if a.json:
        print(json.dumps({k: str(v) for k, v in paths.items()}, ensure_ascii=False))
    else:
        for fmt, path in paths.items():
            print(f"{fmt:<5} {path}")
    return 0
