"""Which field a header or label cell names, whatever its language, case, spacing or diacritics.

Shared by the table finder (etl/layouts.py) and the metadata reader (etl/metadata.py).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from openpyxl.utils import get_column_letter

from core.text import header_key, nfc

# Field -> header keys (no diacritics, case, spaces or underscores; parenthesised parts dropped).
FIELDS: dict[str, tuple[str, ...]] = {
    "code": ("ma", "machiso", "mact", "masochiso", "code", "indicatorcode", "indicatorid", "id", "kyhieu"),
    "name": (
        "tenchiso",
        "chiso",
        "noidung",
        "noidungchiso",
        "indicator",
        "indicatorname",
        "name",
        "ten",
        "tieuchi",
        "description",
    ),
    "level": (
        "muc",
        "mucdanhgia",
        "ketqua",
        "ketquadanhgia",
        "level",
        "rating",
        "mau",
        "xeploai",
        "danhgia",
        "tudanhgia",
        "mucdo",
        "color",
        "colour",
        "trafficlight",
        "den",
        "mucdat",
    ),
    "score": ("diem", "diemso", "score", "diemdanhgia", "points"),
    "evidence": ("minhchung", "bangchung", "evidence", "tailieuminhchung", "cancu"),
    "note": ("ghichu", "note", "notes", "remarks", "remark", "comment", "comments"),
    "seq": ("stt", "tt", "no", "sothutu", "#", "n"),
    "unit_code": ("madonvi", "madvhc", "localitycode", "unitcode", "madiaphuong", "gsocode"),
    "unit_name": (
        "donvi",
        "tendonvi",
        "locality",
        "unit",
        "localityname",
        "unitname",
        "diaphuong",
        "donvihanhchinh",
        "tendiaphuong",
        "tendvhc",
        "donvidanhgia",
    ),
    "year": ("nam", "year", "namdanhgia", "kydanhgia"),
    "stage": ("giaidoan", "stage", "hinhthuc", "loaidanhgia", "hinhthucdanhgia", "buoc"),
    "province": ("tinh", "tinhthanhpho", "province", "thanhpho", "tinhtp"),
    "parent": ("quanhuyen", "district", "donvicaptren", "parent", "huyenthixa", "caphuyen"),
    "prepared_by": ("nguoilap", "nguoithuchien", "preparedby", "nguoidanhgia", "canbolap"),
    "prepared_on": ("ngaylap", "ngay", "date", "ngaydanhgia", "preparedon"),
    "illustrative": ("dulieuminhhoa", "minhhoa", "illustrative", "illustrativedata", "sampledata"),
    "vintage": ("danhmucdonvi", "danhmucdvhc", "danhmuc", "vintage", "unitlist", "unitvintage"),
}
TRUE_WORDS = {"co", "yes", "x", "true", "1", "dung", "y"}
_KEY_TO_FIELD = {k: f for f, keys in FIELDS.items() for k in keys}


def field_of(header: object) -> str | None:
    """The field a header cell names, or None ('Mã chỉ số' -> 'code', 'Điểm (0-100)' -> 'score')."""
    if not isinstance(header, str):
        return None
    return _field_of_text(header)


@lru_cache(maxsize=8192)
def _field_of_text(header: str) -> str | None:
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", nfc(header))
    key = header_key(text.rstrip(":*"))
    return _KEY_TO_FIELD.get(key)


def cell_ref(r: int, c: int) -> str:
    return f"{get_column_letter(c + 1)}{r + 1}"


def text_of(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()[:10]
    s = nfc(v)
    return s or None
