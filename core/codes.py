"""Coded values: levels, stages, unit types and upload outcomes, one table each in data/codes/.

Each table holds a value's code, its Vietnamese and English labels and (where files may spell it
in many ways) the aliases accepted in files. Readers, the template, validation, labels, charts
and the Method page all read them from here, so a label or an alias is changed in one place.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from core.config import DATA_DIR
from core.text import ascii_key, name_key, nfc

CODES_DIR = DATA_DIR / "codes"
KINDS: tuple[str, ...] = ("level", "stage", "unit_type", "upload_outcome")


def source_files() -> list[Path]:
    return [CODES_DIR / f"{kind}.csv" for kind in KINDS]


@cache
def _table(kind: str) -> pd.DataFrame:
    if kind not in KINDS:
        raise KeyError(kind)
    df = pd.read_csv(CODES_DIR / f"{kind}.csv", dtype=str, keep_default_na=False)
    for c in df.columns:
        df[c] = df[c].map(nfc)
    for c in ("order", "rank", "number"):
        if c in df.columns:
            df[c] = df[c].astype(int)
    if "score" in df.columns:
        df["score"] = df["score"].astype(float)
    return df.sort_values("rank" if "rank" in df.columns else "order").reset_index(drop=True)


def table(kind: str) -> pd.DataFrame:
    """The code table of ``kind`` in its display order (a copy; callers may change it)."""
    return _table(kind).copy()


@cache
def codes(kind: str) -> tuple[str, ...]:
    return tuple(_table(kind)["code"])


@cache
def column(kind: str, name: str) -> dict[str, str]:
    """code -> value of one column ('level', 'colour') -> {'red': '#D55E00', ...}."""
    df = _table(kind)
    return dict(zip(df["code"], df[name], strict=True))


def label(kind: str, code: object, lang: str) -> str:
    """The code's label in ``lang`` ('vi' or 'en'); the code itself when the table lacks it."""
    labels = column(kind, "label_en" if lang == "en" else "label_vi")
    return labels.get(str(code), str(code))


@cache
def aliases(kind: str) -> dict[str, str]:
    """alias key -> code, for the words files use ('Tự đánh giá', 'Thẩm định', 'Đỏ', 'R').

    Keys are compared with and without diacritics: both ``name_key`` and ``ascii_key`` of every
    alias and label are present (an ASCII spelling can only collide within one table's words,
    which the test of this table checks).
    """
    df = _table(kind)
    out: dict[str, str] = {}
    for code, label_vi, label_en, words in zip(
        df["code"], df["label_vi"], df["label_en"], df.get("aliases", pd.Series([""] * len(df))), strict=True
    ):
        for w in [code, label_vi, label_en, *str(words).split("|")]:
            w = w.strip()
            if w:
                out.setdefault(name_key(w), code)
                out.setdefault(ascii_key(w), code)
    return out


def match(kind: str, text: object) -> str | None:
    """The code a cell's whole text names ('Thẩm định' -> 'verified'), or None."""
    words = aliases(kind)
    return words.get(name_key(text)) or words.get(ascii_key(text))
