"""Vietnamese text as data: one place that decides when two names are the same.

Names arrive in NFC or NFD, with old-style (``Thuỷ``) or new-style (``Thủy``) tone-mark
placement, in any case, with or without the unit-type prefix. Everything that compares names
goes through :func:`name_key` (exact up to those variations) or :func:`ascii_key` (diacritics
removed too; a match that needs it is reported as a warning).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook, dot below

# Old-style placement puts the tone on the second vowel of these open diphthongs; the modern
# (and GSO 2025) style puts it on the first. Keys compare in the modern style.
_OLD_STYLE_PAIRS = ("oa", "oe", "uy")


def nfc(text: object) -> str:
    """NFC-normalise and trim; None and NaN become ''."""
    if text is None:
        return ""
    if isinstance(text, float) and text != text:  # NaN
        return ""
    return unicodedata.normalize("NFC", str(text)).strip()


def _move_tones(word: str) -> str:
    chars = list(unicodedata.normalize("NFD", word))
    tones = [c for c in chars if c in _TONES]
    if len(tones) != 1:
        return unicodedata.normalize("NFC", word)
    bare = [c for c in chars if c not in _TONES]
    letters = [i for i, c in enumerate(bare) if not unicodedata.combining(c)]
    low = "".join(bare[i] for i in letters).lower()
    for pair in _OLD_STYLE_PAIRS:
        # Only an open syllable ending in the pair (hoà, thuỷ, khoẻ) changes; in "quý" the u
        # belongs to the consonant "qu", so the tone stays on the y.
        if low.endswith(pair) and not (pair == "uy" and low.endswith("quy")):
            first = letters[len(low) - 2]
            # Insert after the letter and its own quality marks; NFC orders the rest.
            at = first + 1
            while at < len(bare) and unicodedata.combining(bare[at]):
                at += 1
            bare.insert(at, tones[0])
            return unicodedata.normalize("NFC", "".join(bare))
    return unicodedata.normalize("NFC", word)


def canonical_tones(text: str) -> str:
    """Rewrite old-style tone placement (hoà, Thuỷ) in the modern style (hòa, Thủy)."""
    return " ".join(_move_tones(w) for w in nfc(text).split())


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", nfc(text))
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    return out.replace("đ", "d").replace("Đ", "D")


def _squash(text: str) -> str:
    text = re.sub(r"[\s_\-\.:/,;()\[\]'\"`]+", " ", text.casefold())
    return re.sub(r"\s+", " ", text).strip()


def name_key(text: object) -> str:
    """Key equal for the same name whatever its normal form, tone placement, case or spacing."""
    if isinstance(text, str):
        return _name_key(text)
    return _squash(canonical_tones(nfc(text)))


def ascii_key(text: object) -> str:
    """Key that also ignores diacritics (Hai Phong == Hải Phòng)."""
    if isinstance(text, str):
        return _ascii_key(text)
    return _squash(strip_diacritics(nfc(text)))


@lru_cache(maxsize=65_536)
def _name_key(text: str) -> str:
    # Cached: a national load matches the same names in every file of a province.
    return _squash(canonical_tones(nfc(text)))


@lru_cache(maxsize=65_536)
def _ascii_key(text: str) -> str:
    return _squash(strip_diacritics(nfc(text)))


def header_key(text: object) -> str:
    """Column-header key: no diacritics, no case, no spaces or underscores ('Mã_chỉ số' -> 'machiso')."""
    return ascii_key(text).replace(" ", "")
