"""Match boundary features to registry units: by an official code property when the file has
one, otherwise by name through the registry's one matcher (core/units.py).

Every feature ends matched, merged into its unit (parts of one unit), or reported: unmatched,
ambiguous, far from the others, or outside the province/level asked for. Nothing is dropped
silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

from core.problems import Problem
from core.text import header_key, nfc
from core.units import VINTAGE, VINTAGES, Registry, Unit, registry
from geo.problems import LEVEL_WORDS, geo_problem

LEVELS: tuple[str, ...] = ("district", "commune")

# Property names (as core.text.header_key sees them) that hold a GSO code or a name.
_CODE_KEYS = {
    "district": ("code", "ma", "madvhc", "madonvi", "gsocode", "gso", "mahuyen", "maqh", "districtcode"),
    "commune": (
        "code",
        "ma",
        "madvhc",
        "madonvi",
        "gsocode",
        "gso",
        "maxa",
        "mapx",
        "communecode",
        "wardcode",
    ),
}
_NAME_KEYS = {
    "district": ("name", "ten", "tendvhc", "tendonvi", "shapename", "tenhuyen", "tenqh", "name2", "adm2name"),
    "commune": ("name", "ten", "tendvhc", "tendonvi", "shapename", "tenxa", "tenpx", "name3", "adm3name"),
}
_PARENT_CODE_KEYS = ("districtcode", "mahuyen", "maqh", "parentcode")
_PARENT_NAME_KEYS = ("district", "huyen", "tenhuyen", "quanhuyen", "districtname", "adm2name")


@dataclass
class MatchedUnit:
    """One unit with its (possibly merged) geometry and how the file named it."""

    unit: Unit
    geometry: shapely.Geometry
    how: str  # code | name | ascii
    feature_name: str | None
    feature_code: str | None
    parts: int = 1


@dataclass
class MatchResult:
    level: str
    province: str | None
    units: list[MatchedUnit] = field(default_factory=list)
    vintage: str = VINTAGE
    problems: list[Problem] = field(default_factory=list)
    features_read: int = 0
    outside: int = 0
    code_column: str | None = None
    name_column: str | None = None

    @property
    def matched_codes(self) -> list[str]:
        return [m.unit.code for m in self.units]


@dataclass
class _Candidate:
    index: int
    unit: Unit
    how: str
    name: str | None
    code: str | None
    geometry: shapely.Geometry


def _column(gdf: gpd.GeoDataFrame, keys: Iterable[str]) -> list[str]:
    by_key = {header_key(c): c for c in gdf.columns if c != "geometry"}
    return [by_key[k] for k in keys if k in by_key]


def _text(value: object) -> str | None:
    text = nfc(value)
    return text or None


def _code_column(gdf: gpd.GeoDataFrame, level: str, reg: Registry) -> str | None:
    """The property whose values best resolve to units of ``level`` (at least half of them)."""
    best, best_share = None, 0.5
    for col in _column(gdf, _CODE_KEYS[level]):
        values = [v for v in gdf[col].map(_text) if v]
        if not values:
            continue
        hits = sum(1 for v in values if (u := reg.by_code(v)) is not None and u.level == level)
        if hits / len(values) >= best_share:
            best, best_share = col, hits / len(values)
    return best


def _units_list(units: Iterable[Unit]) -> str:
    return ", ".join(f"{u.name_with_type} ({u.code})" for u in units)


def match_boundaries(
    gdf: gpd.GeoDataFrame,
    level: str,
    province: str | None = None,
    *,
    file: str | None = None,
    reg: Registry | None = None,
) -> MatchResult:
    """Match every feature of ``gdf`` to a unit of ``level`` (inside ``province`` when given)."""
    reg = reg or registry()
    out = MatchResult(level, province, features_read=len(gdf))
    code_col = _code_column(gdf, level, reg)
    name_cols = _column(gdf, _NAME_KEYS[level])
    name_col = name_cols[0] if name_cols else None
    out.code_column, out.name_column = code_col, name_col
    if code_col is None and name_col is None:
        out.problems.append(geo_problem("geo-no-name", file=file))
        return out
    parent_code_cols = _column(gdf, _PARENT_CODE_KEYS) if level == "commune" else []
    parent_name_cols = _column(gdf, _PARENT_NAME_KEYS) if level == "commune" else []
    within = f" ({reg.units[province].name_with_type})" if province and province in reg.units else ""

    candidates: list[_Candidate] = []
    records = gdf.drop(columns="geometry").to_dict("records")
    for rec, geom in zip(records, gdf.geometry, strict=True):
        index = int(rec.get("feature_index", len(candidates) + 1))
        name = _text(rec.get(name_col)) if name_col else None
        code = _text(rec.get(code_col)) if code_col else None
        shown = name or code or f"#{index}"

        unit = reg.by_code(code) if code else None
        if unit is not None and unit.level == level:
            if province and unit.province_code != province:
                out.outside += 1
                continue
            m = reg.match_name(name, levels=(level,), parent=unit.parent_code) if name else None
            if m is not None and m.unit != unit and not (m.ambiguous and unit in m.candidates):
                out.problems.append(
                    geo_problem(
                        "geo-code-name-mismatch",
                        file=file,
                        index=index,
                        value=name,
                        gso=unit.code,
                        unit=unit.name_with_type,
                    )
                )
            candidates.append(_Candidate(index, unit, "code", name, code, geom))
            continue
        if not name:
            out.problems.append(
                geo_problem(
                    "geo-unmatched-feature",
                    file=file,
                    index=index,
                    value=shown,
                    level=LEVEL_WORDS[level],
                    within=within,
                    suggestions="–",
                )
            )
            continue

        parent = None
        for col in parent_code_cols:
            if (pu := reg.by_code(_text(rec.get(col)))) is not None and pu.level == "district":
                parent = pu.code
                break
        if parent is None:
            for col in parent_name_cols:
                if (
                    _text(rec.get(col))
                    and (pm := reg.match_name(rec.get(col), province=province, levels=("district",))).unit
                ):
                    parent = pm.unit.code
                    break
        m = reg.match_name(name, province=province, parent=parent, levels=(level,))
        if m.unit is not None:
            if m.how == "ascii":
                out.problems.append(
                    geo_problem(
                        "geo-name-without-diacritics",
                        file=file,
                        index=index,
                        value=name,
                        unit=m.unit.name_with_type,
                    )
                )
            candidates.append(_Candidate(index, m.unit, m.how or "name", name, code, geom))
        elif m.ambiguous:
            out.problems.append(
                geo_problem(
                    "geo-ambiguous-feature",
                    file=file,
                    index=index,
                    value=name,
                    candidates=_units_list(m.candidates),
                )
            )
        elif province and _known_elsewhere(reg, name):
            out.outside += 1  # a real unit name, of another province or level
        else:
            out.problems.append(
                geo_problem(
                    "geo-unmatched-feature",
                    file=file,
                    index=index,
                    value=name,
                    level=LEVEL_WORDS[level],
                    within=within,
                    suggestions=", ".join(u.name_with_type for u in m.candidates) or "–",
                )
            )

    out.units = _group(candidates, out, file)
    if out.outside:
        out.problems.append(geo_problem("geo-outside-scope", file=file, count=out.outside))
    _report_missing(out, reg, file)
    return out


def _known_elsewhere(reg: Registry, name: str) -> bool:
    m = reg.match_name(name, levels=LEVELS)
    return m.unit is not None or m.ambiguous


def _point(geom: shapely.Geometry) -> np.ndarray:
    p = geom.representative_point()
    return np.array([p.x, p.y])


def _group(candidates: list[_Candidate], out: MatchResult, file: str | None) -> list[MatchedUnit]:
    """One geometry per unit: parts of one unit merge; a namesake far from the rest is left out."""
    by_unit: dict[str, list[_Candidate]] = {}
    for c in candidates:
        by_unit.setdefault(c.unit.code, []).append(c)
    singles = [_point(cs[0].geometry) for cs in by_unit.values() if len(cs) == 1]
    centre = np.median(np.array(singles), axis=0) if singles else None
    radius = (max(float(np.linalg.norm(p - centre)) for p in singles) * 1.5 + 0.1) if singles else None

    units: list[MatchedUnit] = []
    for cs in by_unit.values():
        keep = cs
        if len(cs) > 1 and centre is not None:
            dist = [float(np.linalg.norm(_point(c.geometry) - centre)) for c in cs]
            keep = [c for c, d in zip(cs, dist, strict=True) if d <= radius] or [cs[int(np.argmin(dist))]]
            for c in cs:
                if c not in keep:
                    out.problems.append(
                        geo_problem(
                            "geo-elsewhere",
                            file=file,
                            index=c.index,
                            value=c.name,
                            unit=c.unit.name_with_type,
                        )
                    )
        first = keep[0]
        geom = first.geometry if len(keep) == 1 else shapely.union_all([c.geometry for c in keep])
        if len(keep) > 1:
            out.problems.append(
                geo_problem("geo-merged-parts", file=file, count=len(keep), unit=first.unit.name_with_type)
            )
        units.append(MatchedUnit(first.unit, geom, first.how, first.name, first.code, len(keep)))
    units.sort(key=lambda m: m.unit.code)
    return units


def _report_missing(out: MatchResult, reg: Registry, file: str | None) -> None:
    """Units of the level, in the province asked for (or the provinces touched), with no boundary."""
    provinces = {out.province} if out.province else {m.unit.province_code for m in out.units}
    got = set(out.matched_codes)
    missing = [
        u
        for u in reg.units.values()
        if u.level == out.level and u.province_code in provinces and u.code not in got
    ]
    if out.units and missing:
        missing.sort(key=lambda u: u.code)
        shown = _units_list(missing[:12]) + (" …" if len(missing) > 12 else "")
        out.problems.append(geo_problem("geo-unit-missing", file=file, count=len(missing), units=shown))


def detect_level(
    gdf: gpd.GeoDataFrame, province: str | None, file: str | None = None, reg: Registry | None = None
) -> MatchResult:
    """Match at both levels and keep the one that places more features."""
    results = [match_boundaries(gdf, level, province, file=file, reg=reg) for level in LEVELS]
    return max(results, key=lambda r: (len(r.units), r.level == "district"))


def _agreement(r: MatchResult) -> int:
    """How well a match fits its unit list: units placed, less the features whose code names another
    unit than their name does (a 2025 code read in the 2020 list) and the features left unmatched."""
    bad = sum(1 for p in r.problems if p.code in ("geo-code-name-mismatch", "geo-unmatched-feature"))
    return len(r.units) - bad


def match_any(
    gdf: gpd.GeoDataFrame,
    level: str | None,
    province: str | None,
    vintage: str | None = None,
    file: str | None = None,
) -> MatchResult:
    """Match in the unit list ``vintage`` ('2020' | '2025'), or in the one the file's codes and names
    fit best when it is None (the same 5-digit code can be a 2020 and a 2025 unit, so a code alone
    does not decide: its name must agree). Ties go to the 2020 list."""
    vintages = [vintage] if vintage else list(VINTAGES)
    results = []
    for v in vintages:
        reg = registry(v)
        r = (
            match_boundaries(gdf, level, province, file=file, reg=reg)
            if level
            else detect_level(gdf, province, file=file, reg=reg)
        )
        r.vintage = v
        results.append(r)
    return max(results, key=lambda r: (_agreement(r), r.vintage == VINTAGE))
