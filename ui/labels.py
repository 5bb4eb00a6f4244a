"""How codes are shown to people: unit types, stages, levels, pillars, numbers and changes.

Everything goes through the translation layer (i18n); data that carries its own names in both
languages (pillars, indicators, levels) is picked by the current language here, once.
"""

from __future__ import annotations

import math

import pandas as pd

import i18n
from core import catalogue, codes, scoring
from core.figstyle import wrap_label  # noqa: F401 - the pages' name for it
from core.scoring import LEVEL_SYMBOL
from i18n import N_, t, tn


def lang() -> str:
    return i18n.get_language()


def unit_type(code: str | None) -> str:
    if code is None or code != code:
        return "–"
    return codes.label("unit_type", code, lang())


def unit_type_short(code: str | None) -> str:
    """'quận' / 'urban district': the type as a word inside a sentence or after a name."""
    if code is None or code != code:
        return "–"
    if lang() == "en":
        return codes.column("unit_type", "short_en").get(code, str(code))
    return codes.label("unit_type", code, "vi").lower()


def stage(code: str) -> str:
    return codes.label("stage", code, lang())


def outcome(code: str) -> str:
    """An upload's outcome ('loaded' -> 'Đã nạp')."""
    return codes.label("upload_outcome", code, lang())


def level(code: str | None) -> str:
    """A level as symbol + word, so it never depends on colour alone: '✓ Xanh'."""
    if code is None or code != code:
        return "–"
    return f"{LEVEL_SYMBOL[code]} {codes.label('level', code, lang())}"


def localized(df: pd.DataFrame, column: str) -> pd.Series:
    """``name`` -> the ``name_vi`` or ``name_en`` column, whichever the UI speaks."""
    return df[f"{column}_{'en' if lang() == 'en' else 'vi'}"]


def pillar_names(pillars: pd.DataFrame, numbered: bool = True, short: bool = False) -> dict[int, str]:
    """pillar number -> its name in the UI language ('1. Xây dựng thể chế', short: '1. Thể chế');
    0 -> overall."""
    return catalogue.pillar_labels(pillars, lang(), numbered, short)


def num(value: float | int | None, digits: int = 1) -> str:
    """A number the way the UI language writes it (vi 61,6; en 61.6)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return i18n.number(value, digits=digits)


def pct(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return i18n.percent(value, digits=digits)


def signed(value: float | None, digits: int = 1) -> str:
    """'+12,5' / '-3,0' / '0,0'; '–' when there is nothing to compare with."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = i18n.number(abs(value), digits=digits)
    if round(value, digits) > 0:
        return "+" + text
    if round(value, digits) < 0:
        return "-" + text  # ASCII minus: st.metric reads the direction from it
    return text


def arrow(value: float | None, digits: int = 1) -> str:
    """A change with its direction shown by a shape, not only a colour: '▲ +12,5', '▼ -3,0', '► 0,0'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "– " + t("new")
    if round(value, digits) > 0:
        return "▲ " + signed(value, digits)
    if round(value, digits) < 0:
        return "▼ " + signed(value, digits)
    return "► " + signed(value, digits)


VINTAGES: dict[str, str] = {"2020": N_("units of 2020-2023"), "2025": N_("units from July 2025")}


def vintage(code: str | None) -> str:
    """'2020' -> 'đơn vị giai đoạn 2020-2023'."""
    return t(VINTAGES[code]) if code in VINTAGES else str(code or "–")


def units_count(n: int) -> str:
    """'12 đơn vị' / '1 unit', '12 units'."""
    return tn("{n} unit", "{n} units", int(n))


def province_label(name_with_type: str, vintage_code: str | None = None, units: int | None = None) -> str:
    """A province in a picker: 'Thành phố Hải Phòng (đơn vị giai đoạn 2020-2023) · 12 đơn vị'."""
    text = str(name_with_type)
    if vintage_code:
        text += f" ({vintage(vintage_code)})"
    if units is not None:
        text += " · " + units_count(units)
    return text


def unit_choice_labels(units: pd.DataFrame, with_province: bool = False) -> dict[str, str]:
    """locality_id -> how a picker names a unit: 'Phường Minh Khai · Quận Hồng Bàng' (and the province
    when the list spans the country); a name that is still shared gets its GSO code."""
    out: dict[str, str] = {}
    for r in units.itertuples(index=False):
        parts = [str(r.name_with_type)]
        parent = getattr(r, "parent_name", None)
        if isinstance(parent, str) and parent:
            parts.append(parent)
        province = getattr(r, "province_name", None)
        if with_province and isinstance(province, str) and province:
            parts.append(province)
        out[r.locality_id] = " · ".join(parts)
    counts = pd.Series(list(out.values())).value_counts()
    for lid, text in out.items():
        if counts[text] > 1:
            out[lid] = f"{text} ({lid.split(':', 1)[1]})"
    return out


def unit_names(units: pd.DataFrame) -> dict[str, str]:
    """locality_id -> a short name for charts ('Minh Khai'); a name shared by several units gets its
    type ('Tân Thành (xã)'), then its district, then its GSO code, until every unit has its own."""
    ids = list(units["locality_id"])
    names = dict(zip(ids, units["locality_name"], strict=True))
    out = dict(names)
    steps = [
        lambda i, r: f"{names[i]} ({unit_type_short(r.get('locality_type'))})",
        lambda i, r: f"{names[i]} ({unit_type_short(r.get('locality_type'))}, {r.get('parent_name') or '–'})",
        lambda i, r: f"{names[i]} ({unit_type_short(r.get('locality_type'))}, {i.split(':', 1)[1]})",
    ]
    rows = {i: r for i, r in zip(ids, units.to_dict(orient="records"), strict=True)}
    for step in steps:
        counts = pd.Series(list(out.values())).value_counts()
        shared = [i for i in ids if counts[out[i]] > 1]
        if not shared:
            break
        for i in shared:
            out[i] = step(i, rows[i])
    return out


def scale_note() -> str:
    """One line stating the scoring rule under charts (the Method page explains it in full)."""
    return scoring.rule_note(lang())


def short(text: str, width: int = 48) -> str:
    """A long name cut to ``width`` characters with an ellipsis (the full name goes in the hover)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
