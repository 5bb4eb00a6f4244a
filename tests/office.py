"""Files as an office suite writes them: LibreOffice (Debian's libreoffice-calc-nogui) run headless.

A file typed by hand in openpyxl is not what analysts send: LibreOffice recalculates formulas and
stores their results (``#N/A`` included), writes its own XML, BIFF8 records for .xls, repeated
cells for .ods, CSV in the encodings Vietnamese Windows uses, and encrypts with a password. Each
call runs one soffice process for many files, with a private profile, so tests can run beside
someone else's LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3-uno lives beside the system Python
CSV_FILTER = "Text - txt - csv (StarCalc)"
# LibreOffice text encoding numbers (rtl_TextEncoding) for its CSV filter options.
ENCODINGS = {"utf-8": 76, "windows-1258": 40, "utf-16": 65535}
FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "xls": "MS Excel 97", "ods": "calc8"}

_UNO_SCRIPT = r"""
import os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

profile, pipe, password = sys.argv[1:4]
jobs = [tuple(sys.argv[i:i + 3]) for i in range(4, len(sys.argv), 3)]
office = subprocess.Popen(["soffice", "--headless", "--norestore", "--nologo", "-env:UserInstallation=" + profile,
                           "--accept=pipe,name=%s;urp;" % pipe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
for _ in range(300):
    try:
        ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        break
    except Exception:
        time.sleep(0.1)
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
for src, out, flt in jobs:
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", flt), prop("Password", password)))
    doc.close(True)
try:
    desktop.terminate()
except Exception:
    pass
office.wait(30)
"""


def available() -> bool:
    return Path(SOFFICE).exists()


def _profile(tmp: Path) -> str:
    return (tmp / "lo-profile").resolve().as_uri()


def convert(sources: list[Path], fmt: str, outdir: Path, infilter: str | None = None) -> list[Path]:
    """Open each file in LibreOffice and save it as ``fmt`` ('xlsx', 'xls', 'ods', or a full
    'csv:filter:options' spec) into ``outdir``; returns the written paths, in order."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-") as tmp:
        cmd = [SOFFICE, f"-env:UserInstallation={_profile(Path(tmp))}", "--headless", "--norestore"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", fmt, "--outdir", str(outdir), *map(str, sources)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    ext = fmt.split(":")[0]
    out = [outdir / f"{Path(s).stem}.{ext}" for s in sources]
    missing = [p for p in out if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return out


def csv_in(sources: list[Path], encoding: str, outdir: Path, delimiter: str = ",") -> list[Path]:
    """Save the first sheet of each source as CSV in ``encoding`` (LibreOffice's CSV export)."""
    spec = f"csv:{CSV_FILTER}:{ord(delimiter)},34,{ENCODINGS[encoding]}"
    return convert(sources, spec, outdir)


def with_password(jobs: list[tuple[Path, Path, str]], password: str = "mat-khau") -> list[Path]:
    """Save each (source, target, 'xls'|'ods') with a password to open, through LibreOffice's API."""
    with tempfile.TemporaryDirectory(prefix="lo-") as tmp:
        args = [SYSTEM_PYTHON, "-c", _UNO_SCRIPT, _profile(Path(tmp)), f"lo{Path(tmp).name}", password]
        for src, out, fmt in jobs:
            args += [str(Path(src).resolve()), str(Path(out).resolve()), FILTERS[fmt]]
        subprocess.run(args, check=True, capture_output=True, timeout=180)
    return [out for _, out, _ in jobs]
