"""``python -m geo fetch``: download open boundaries (geoBoundaries ADM2 by default), keep one
province, and load them like any user file.

The URL may be a geoBoundaries API answer (JSON metadata pointing at the GeoJSON, with its
licence and source) or a GeoJSON file directly. The download is kept beside the database so
the stored SHA-256 refers to bytes that still exist.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from core.config import db_path, store_dir
from geo.load import PILOT_PROVINCE, LoadReport, load_file
from geo.problems import GeoError, geo_problem

DEFAULT_URL = "https://www.geoboundaries.org/api/current/gbOpen/VNM/ADM2/"
GEOBOUNDARIES = "geoBoundaries (www.geoboundaries.org; Runfola et al. 2020, PLoS ONE 15(4): e0231866)"
UNKNOWN_LICENCE = "not stated by the download; check the source before publishing"
MAX_BYTES = 300 * 1024 * 1024


@dataclass(frozen=True)
class Download:
    url: str  # where the geometry came from
    data: bytes
    file_name: str
    licence: str
    attribution: str


def _get(url: str, timeout: float) -> bytes:
    try:
        req = urllib.request.Request(url, headers={"User-Agent": "iso18091-dashboard geo fetch"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = resp.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise GeoError([geo_problem("geo-bad-download", url=url, reason=f"HTTP {exc.code}")]) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GeoError([geo_problem("geo-offline", url=url, reason=str(reason))]) from exc
    if len(data) > MAX_BYTES:
        raise GeoError([geo_problem("geo-bad-download", url=url, reason="larger than 300 MB")])
    return data


def _metadata(doc: object) -> dict[str, object] | None:
    """A geoBoundaries API answer (a dict, or a list of one) carries download URLs and licence."""
    if isinstance(doc, list) and len(doc) == 1:
        doc = doc[0]
    if isinstance(doc, dict) and ("gjDownloadURL" in doc or "simplifiedGeometryGeoJSON" in doc):
        return doc
    return None


def _file_name(url: str) -> str:
    base = Path(urllib.parse.urlparse(url).path).name or "boundaries.geojson"
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base)
    return base if base.lower().endswith((".geojson", ".json", ".zip", ".gpkg")) else base + ".geojson"


def download(
    url: str = DEFAULT_URL, *, full: bool = False, timeout: float = 60, licence: str | None = None
) -> Download:
    """Fetch the geometry behind ``url``; raise GeoError (offline, not boundaries) otherwise."""
    data = _get(url, timeout)
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        doc = None
    meta = _metadata(doc)
    if meta is not None:
        keys = (
            ("gjDownloadURL", "simplifiedGeometryGeoJSON")
            if full
            else ("simplifiedGeometryGeoJSON", "gjDownloadURL")
        )
        target = next((str(meta[k]) for k in keys if meta.get(k)), None)
        if target is None:
            raise GeoError(
                [geo_problem("geo-bad-download", url=url, reason="no GeoJSON link in the metadata")]
            )
        target = urllib.parse.urljoin(url, target)
        source = str(meta.get("boundarySource") or "").strip()
        return Download(
            url=target,
            data=_get(target, timeout),
            file_name=_file_name(target),
            licence=licence or str(meta.get("boundaryLicense") or UNKNOWN_LICENCE),
            attribution=f"{source} / {GEOBOUNDARIES}" if source else GEOBOUNDARIES,
        )
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        return Download(
            url, data, _file_name(url), licence or UNKNOWN_LICENCE, urllib.parse.urlparse(url).netloc
        )
    if data[:2] == b"PK":  # a zipped Shapefile or GeoPackage
        return Download(
            url, data, _file_name(url), licence or UNKNOWN_LICENCE, urllib.parse.urlparse(url).netloc
        )
    raise GeoError(
        [geo_problem("geo-bad-download", url=url, reason="neither GeoJSON nor geoBoundaries metadata")]
    )


def fetch(
    url: str = DEFAULT_URL,
    db: str | Path | None = None,
    *,
    province: str = PILOT_PROVINCE,
    level: str = "district",
    full: bool = False,
    timeout: float = 60,
    licence: str | None = None,
    user: str | None = None,
) -> tuple[Download, LoadReport]:
    """Download, keep ``province`` and load as the active ``level`` layer."""
    got = download(url, full=full, timeout=timeout, licence=licence)
    folder = store_dir(db_path(db)) / "boundaries"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / got.file_name
    path.write_bytes(got.data)
    report = load_file(
        path,
        db,
        level=level,
        province=province,
        url=got.url,
        licence=got.licence,
        attribution=got.attribution,
        user=user,
    )
    return got, report
