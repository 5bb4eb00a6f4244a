"""The PDF of a report: the .docx converted by LibreOffice (headless), so Word and PDF share one content.

The document asks for Times New Roman. Where it is not installed (Debian), LibreOffice replaces it
by its metric-compatible twin (Liberation Serif, from fonts-liberation; fontconfig would offer Tinos
from fonts-croscore, the same design), which covers Vietnamese, so lines and pages break as in Word;
the fonts are embedded (subset) in the PDF. scripts/system-deps.sh installs LibreOffice and the fonts.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

SOFFICE_CANDIDATES = ("soffice", "libreoffice", "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice")
TIMEOUT_S = 180
_LOCK = threading.Lock()


class PdfError(RuntimeError):
    """LibreOffice is missing or the conversion failed."""


def soffice() -> str:
    for c in SOFFICE_CANDIDATES:
        found = shutil.which(c)
        if found:
            return found
    raise PdfError(
        "LibreOffice (soffice) is not installed: run scripts/system-deps.sh "
        "(Debian package libreoffice-writer-nogui) to produce PDF reports."
    )


def _profile() -> Path:
    """A LibreOffice profile of this process (two processes must not share one), removed at exit."""
    path = Path(tempfile.gettempdir()) / f"iso18091-lo-{os.getuid()}-{os.getpid()}"
    if path not in _PROFILES:
        _PROFILES.add(path)
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


_PROFILES: set[Path] = set()


def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    """Convert one .docx into ``out_dir`` (same stem, .pdf); returns the PDF's path."""
    exe = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    with _LOCK, tempfile.TemporaryDirectory() as work:
        cmd = [
            exe,
            f"-env:UserInstallation={_profile().as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            work,
            str(docx),
        ]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfError(f"LibreOffice did not finish converting {docx.name} in {TIMEOUT_S} s") from exc
        made = Path(work) / (docx.stem + ".pdf")
        if run.returncode != 0 or not made.exists():
            raise PdfError(
                f"LibreOffice could not convert {docx.name}: {run.stderr.strip() or run.stdout.strip()}"
            )
        target = out_dir / made.name
        shutil.move(made, target)
    return target


def pdf_bytes(docx_bytes: bytes, stem: str) -> bytes:
    """The PDF of a .docx held in memory."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{stem}.docx"
        src.write_bytes(docx_bytes)
        return docx_to_pdf(src, Path(tmp) / "out").read_bytes()
