"""Build report packs: the same content as an Excel workbook, a Word document and its PDF.

The public functions here are what the dashboard pages and the CLI call:

- ``ministry_pack(db, out_dir, year, stage, province_id)`` / ``ministry_pack_bytes(...)``
- ``unit_pack(db, locality_id, year, stage, out_dir)`` / ``unit_pack_bytes(...)``
- ``units_pack(db, locality_ids, year, stage, out_dir)`` / ``units_pack_bytes(...)``

Each returns ``{"xlsx": ..., "docx": ..., "pdf": ...}`` (paths or bytes) for the formats asked for,
and reports its progress through an optional ``progress(fraction, message)`` callback (the page's
progress bar). ``reports.common.NoDataError`` is raised when nothing is loaded for what was asked.
"""

from __future__ import annotations

import io
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from i18n import t
from reports import images
from reports.docx_writer import write_docx
from reports.ministry import ministry
from reports.model import Document
from reports.pdf import docx_to_pdf
from reports.profile import unit, units
from reports.xlsx_writer import write_workbook

Db = str | Path | None
FORMATS: tuple[str, ...] = ("xlsx", "docx", "pdf")
Progress = Callable[[float, str], None]
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _say(progress: Progress | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(fraction, message)


def write_pack(
    doc: Document, out_dir: str | Path, formats: Sequence[str] = FORMATS, progress: Progress | None = None
) -> dict[str, Path]:
    """Write ``doc`` in the asked formats into ``out_dir``; returns format -> path."""
    bad = set(formats) - set(FORMATS)
    if bad:
        raise ValueError(f"unknown formats: {sorted(bad)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    lang = doc.lang
    if "xlsx" in formats:
        _say(progress, 0.15, t("Writing the Excel workbook…", lang))
        paths["xlsx"] = out / f"{doc.file_stem}.xlsx"
        write_workbook(doc, paths["xlsx"])
    if "docx" in formats or "pdf" in formats:
        _say(progress, 0.35, t("Drawing the charts…", lang))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The kopts argument is ignored")
            images.render(doc.figures())
        _say(progress, 0.6, t("Writing the Word document…", lang))
        docx = out / f"{doc.file_stem}.docx"
        write_docx(doc, docx)
        if "docx" in formats:
            paths["docx"] = docx
        if "pdf" in formats:
            _say(progress, 0.75, t("Converting to PDF…", lang))
            paths["pdf"] = docx_to_pdf(docx, out)
            if "docx" not in formats:
                docx.unlink()
    _say(progress, 1.0, t("Done.", lang))
    return {f: paths[f] for f in FORMATS if f in paths}


def pack_bytes(
    doc: Document, formats: Sequence[str] = FORMATS, progress: Progress | None = None
) -> dict[str, bytes]:
    """The files of ``doc`` in memory (for download buttons); format -> bytes."""
    if set(formats) == {"xlsx"}:
        buf = io.BytesIO()
        write_workbook(doc, buf)
        _say(progress, 1.0, t("Done.", doc.lang))
        return {"xlsx": buf.getvalue()}
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_pack(doc, tmp, formats, progress)
        return {f: p.read_bytes() for f, p in paths.items()}


def file_name(doc: Document, fmt: str) -> str:
    return f"{doc.file_stem}.{fmt}"


def ministry_pack(
    db: Db,
    out_dir: str | Path,
    year: int | None = None,
    stage: str | None = None,
    province_id: str | None = None,
    lang: str = "vi",
    formats: Sequence[str] = FORMATS,
    progress: Progress | None = None,
    issuer: str | None = None,
    place: str | None = None,
) -> dict[str, Path]:
    """The ministry's rollout report of a province (or every loaded unit) as files in ``out_dir``."""
    _say(progress, 0.02, t("Reading the figures…", lang))
    doc = ministry(db, year, stage, province_id, lang, issuer, place)
    return write_pack(doc, out_dir, formats, progress)


def ministry_pack_bytes(
    db: Db,
    year: int | None = None,
    stage: str | None = None,
    province_id: str | None = None,
    lang: str = "vi",
    formats: Sequence[str] = FORMATS,
    progress: Progress | None = None,
) -> tuple[str, dict[str, bytes]]:
    """(file stem, format -> bytes) of the ministry's report, for download buttons."""
    _say(progress, 0.02, t("Reading the figures…", lang))
    doc = ministry(db, year, stage, province_id, lang)
    return doc.file_stem, pack_bytes(doc, formats, progress)


def unit_pack(
    db: Db,
    locality_id: str,
    year: int | None,
    stage: str | None,
    out_dir: str | Path,
    lang: str = "vi",
    formats: Sequence[str] = FORMATS,
    progress: Progress | None = None,
    issuer: str | None = None,
    place: str | None = None,
) -> dict[str, Path]:
    """One unit's profile report (``locality_id`` like '2020:303') as files in ``out_dir``."""
    _say(progress, 0.02, t("Reading the figures…", lang))
    doc = unit(db, locality_id, year, stage, lang, issuer, place)
    return write_pack(doc, out_dir, formats, progress)


def unit_pack_bytes(
    db: Db,
    locality_id: str,
    year: int | None = None,
    stage: str | None = None,
    lang: str = "vi",
    formats: Sequence[str] = FORMATS,
    progress: Progress | None = None,
) -> tuple[str, dict[str, bytes]]:
    """(file stem, format -> bytes) of one unit's profile report, for the profile page."""
    _say(progress, 0.02, t("Reading the figures…", lang))
    doc = unit(db, locality_id, year, stage, lang)
    return doc.file_stem, pack_bytes(doc, formats, progress)


def units_pack(
    db: Db,
    locality_ids: Sequence[str],
    year: int | None,
    stage: str | None,
    out_dir: str | Path,
    lang: str = "vi",
    formats: Sequence[str] = FORMATS,
    progress: Progress | None = None,
    issuer: str | None = None,
    place: str | None = None,
) -> dict[str, Path]:
    """A chosen set of units side by side as files in ``out_dir``."""
    _say(progress, 0.02, t("Reading the figures…", lang))
    doc = units(db, locality_ids, year, stage, lang, issuer, place)
    return write_pack(doc, out_dir, formats, progress)


def units_pack_bytes(
    db: Db,
    locality_ids: Sequence[str],
    year: int | None = None,
    stage: str | None = None,
    lang: str = "vi",
    formats: Sequence[str] = FORMATS,
    progress: Progress | None = None,
) -> tuple[str, dict[str, bytes]]:
    """(file stem, format -> bytes) of a chosen set's report, for the compare page."""
    _say(progress, 0.02, t("Reading the figures…", lang))
    doc = units(db, locality_ids, year, stage, lang)
    return doc.file_stem, pack_bytes(doc, formats, progress)
