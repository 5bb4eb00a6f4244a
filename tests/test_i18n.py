"""Every string marked for translation in the code has a Vietnamese translation, and the .po files are sound."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO_DIR = ROOT / "i18n" / "locales" / "vi" / "LC_MESSAGES"
KEYWORDS = {"t": None, "_": None, "N_": None, "tn": (1, 2)}
SKIP_DIRS = {".venv", ".git", "test-artifacts", "node_modules", "tests", "__pycache__"}


def _marked() -> dict[str, str]:
    """msgid -> first place it is marked, over every .py file of the repo except tests and the venv."""
    found: dict[str, str] = {}

    def keep(dirpath: str) -> bool:
        return Path(dirpath).name not in SKIP_DIRS

    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=(),
        strip_comment_tags=True,
        directory_filter=keep,
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def _key(msgid) -> str:
    """A message's key: its msgid, or the singular msgid of a plural message."""
    return str(msgid[0]) if isinstance(msgid, (list, tuple)) else str(msgid)


def _forms(value) -> list[str]:
    return [str(x) for x in value] if isinstance(value, (list, tuple)) else [str(value)]


def _catalogues() -> dict[str, list]:
    out = {}
    for po in sorted(PO_DIR.glob("*.po")):
        with open(po, "rb") as f:
            out[po.name] = list(read_po(f, locale="vi"))
    return out


def test_po_files_parse_and_have_no_duplicate_msgids_across_files():
    catalogues = _catalogues()
    assert "ui.po" in catalogues
    counts = Counter(_key(m.id) for msgs in catalogues.values() for m in msgs if m.id)
    dupes = sorted(k for k, n in counts.items() if n > 1)
    assert not dupes, f"msgids defined in more than one .po file: {dupes[:20]}"


def test_every_marked_string_has_a_vietnamese_translation():
    translated = {
        _key(m.id)
        for msgs in _catalogues().values()
        for m in msgs
        if m.id and m.string and not m.fuzzy and all(_key(x) for x in _forms(m.string))
    }
    marked = _marked()
    assert len(marked) > 50, "extraction found too few strings: is the keyword list right?"
    missing = {k: v for k, v in marked.items() if k not in translated}
    assert not missing, "no Vietnamese msgstr for:\n" + "\n".join(
        f"  {v}: {k!r}" for k, v in sorted(missing.items())
    )


def test_placeholders_survive_translation():
    """A msgstr must keep the {names} of its msgid, or t(..., name=...) raises at run time."""
    import string

    bad = []
    for name, msgs in _catalogues().items():
        for m in msgs:
            if not (m.id and m.string):
                continue
            want = {f for x in _forms(m.id) for _, f, _, _ in string.Formatter().parse(x) if f}
            for form in _forms(m.string):
                got = {f for _, f, _, _ in string.Formatter().parse(form) if f}
                if want != got:
                    bad.append(f"{name}: {m.id!r} -> {m.string!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("value,lang,expected", [(61.5797, "vi", "61,6"), (61.5797, "en", "61.6")])
def test_numbers_follow_the_ui_language(value, lang, expected):
    import i18n

    assert i18n.number(value, lang=lang) == expected


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_number_formats_equal_babels_own(lang):
    """i18n keeps babel's parsed patterns and locales; the text must stay what babel's own
    format_decimal / format_percent write, separators, rounding and signs included."""
    from babel.numbers import format_decimal, format_percent

    import i18n

    for value in (0, 1234.5678, -3.25, 0.5, 2.5, 1_000_000, 99.95):
        for digits in (0, 1, 2):
            fmt = "#,##0" + ("." + "0" * digits if digits else "")
            assert i18n.number(value, lang, digits) == format_decimal(value, format=fmt, locale=lang)
    for share in (0, 0.256, 0.2567, 1, 0.005):
        for digits in (0, 1):
            fmt = "#,##0" + ("." + "0" * digits if digits else "") + "%"
            assert i18n.percent(share, lang, digits) == format_percent(share, format=fmt, locale=lang)
    assert i18n.number(None, lang) == "–" and i18n.percent(float("nan"), lang) == "–"
