"""The indicator catalogue: 4 pillars, 39 indicators, 3 levels, read from data/catalogue/.

This module is the only place that knows where the catalogue comes from. Everything else asks
the database (query layer) or these functions.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from core import codes
from core.config import DATA_DIR
from core.text import nfc
from i18n import N_, t

CATALOGUE_DIR = DATA_DIR / "catalogue"


def source_files() -> list[Path]:
    return [CATALOGUE_DIR / f for f in ("pillars.csv", "indicators.csv", "criteria.csv")] + [
        codes.CODES_DIR / "level.csv"
    ]


def _read(name: str) -> pd.DataFrame:
    df = pd.read_csv(CATALOGUE_DIR / name, dtype=str, keep_default_na=False)
    for c in df.columns:
        df[c] = df[c].map(nfc)
    return df


OVERALL_LABEL = N_("Overall")


def pillar_labels(
    pillars: pd.DataFrame, lang: str, numbered: bool = True, short: bool = False
) -> dict[int, str]:
    """pillar number -> its name in ``lang`` ('1. Xây dựng thể chế'; short: '1. Thể chế'), 0 ->
    'Overall'. ``pillars``: the pillar table (query.results.pillars). The dashboard and the reports
    both name pillars through this."""
    names = pillars[f"{'short' if short else 'name'}_{'en' if lang == 'en' else 'vi'}"]
    out = {
        int(p): (f"{int(p)}. {n}" if numbered else str(n))
        for p, n in zip(pillars["pillar"], names, strict=True)
    }
    out[0] = t(OVERALL_LABEL, lang)
    return out


def pillars_frame() -> pd.DataFrame:
    df = _read("pillars.csv")
    df["pillar"] = df["pillar"].astype(int)
    return df[["pillar", "name_vi", "name_en", "short_vi", "short_en", "source"]]


@cache
def _indicators() -> pd.DataFrame:
    ind = _read("indicators.csv")
    crit = _read("criteria.csv").rename(columns={"source": "criteria_source"})
    df = ind.merge(crit, on="code", how="left", validate="one_to_one")
    df["pillar"] = df["pillar"].astype(int)
    df["seq"] = range(1, len(df) + 1)
    cols = [
        "code",
        "pillar",
        "seq",
        "name_vi",
        "name_en",
        "name_es",
        "source_vi",
        "source_en",
        "confidence",
        "notes",
        "red_vi",
        "yellow_vi",
        "green_vi",
        "red_en",
        "yellow_en",
        "green_en",
        "criteria_source",
    ]
    return df[cols]


def indicators_frame() -> pd.DataFrame:
    return _indicators().copy()


def levels_frame() -> pd.DataFrame:
    """The three levels as the ``level`` table stores them (from the code table data/codes/level.csv)."""
    df = codes.table("level").rename(columns={"code": "level", "label_vi": "name_vi", "label_en": "name_en"})
    return df[["level", "rank", "score", "name_vi", "name_en", "meaning_vi", "meaning_en", "source"]]


@cache
def indicator_codes() -> tuple[str, ...]:
    """The 39 codes in catalogue order."""
    return tuple(_indicators()["code"])


@cache
def indicator_names() -> dict[str, tuple[str, str]]:
    """code -> (name_vi, name_en)."""
    df = _indicators()
    return {c: (v, e) for c, v, e in zip(df["code"], df["name_vi"], df["name_en"], strict=True)}
