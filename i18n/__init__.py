"""The one translation layer: gettext catalogues (.po) read with Babel; Vietnamese by default.

Source strings in code are English and marked with ``_()`` / ``t()`` (translate now), ``tn()``
(a count: singular and plural source strings, the language's plural forms) or ``N_()`` (mark
only, translate later). ``i18n/locales/vi/LC_MESSAGES/*.po`` hold the Vietnamese; each
area of the product keeps its own .po file so changes do not collide. A test extracts every
marked string from the code and fails if one has no Vietnamese translation.

Numbers are formatted with Babel's CLDR data, so Vietnamese shows ``12,5`` and English ``12.5``.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from functools import cache
from gettext import c2py
from pathlib import Path

from babel.core import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, parse_pattern

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES: tuple[str, ...] = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
_current: contextvars.ContextVar[str] = contextvars.ContextVar("lang", default=DEFAULT_LANGUAGE)


@cache
def _catalogues(lang: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]], Callable[[int], int]]:
    """(msgid -> translation, singular msgid -> plural forms, count -> form index) for ``lang``.

    The plural rule is the language's CLDR rule as Babel writes it into a catalogue header.
    """
    out: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    folder = LOCALES / lang / "LC_MESSAGES"
    rule = c2py(Catalog(locale=lang).plural_expr)
    for po in sorted(folder.glob("*.po")) if folder.exists() else []:
        with open(po, "rb") as f:
            for msg in read_po(f, locale=lang):
                if not msg.id or not msg.string or msg.fuzzy:
                    continue
                if isinstance(msg.id, (list, tuple)):
                    plurals[str(msg.id[0])] = tuple(str(x) for x in msg.string)
                else:
                    out[str(msg.id)] = str(msg.string)
    return out, plurals, rule


def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation for ``lang``, merged over every .po file of that language."""
    return _catalogues(lang)[0]


def set_language(lang: str) -> None:
    _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def get_language() -> str:
    return _current.get()


def gettext(msgid: str, lang: str | None = None) -> str:
    lang = lang or _current.get()
    if lang == "en":
        return msgid
    return catalogue(lang).get(msgid, msgid)


def t(msgid: str, lang: str | None = None, **kwargs: object) -> str:
    """Translate ``msgid`` into ``lang`` (default: the current language) and fill ``{names}``."""
    text = gettext(msgid, lang)
    return text.format(**kwargs) if kwargs else text


_ = t


def tn(msgid: str, msgid_plural: str, n: int, lang: str | None = None, **kwargs: object) -> str:
    """A message that depends on a count ('1 file' / '2 files') in the language's plural forms
    (Babel's CLDR rules: English has two, Vietnamese one); ``{n}`` is filled with the count."""
    lang = lang or _current.get()
    english = (msgid, msgid_plural)
    if lang == "en":
        text = english[c2py(Catalog(locale="en").plural_expr)(abs(n))]
    else:
        _, plurals, rule = _catalogues(lang)
        forms = plurals.get(msgid)
        text = forms[min(rule(abs(n)), len(forms) - 1)] if forms else english[n != 1]
    return text.format(n=number(n, lang, digits=0), **kwargs)


def N_(msgid: str) -> str:  # noqa: N802 - gettext convention
    """Mark a string for extraction without translating it yet."""
    return msgid


def both(msgid: str, **kwargs: object) -> tuple[str, str]:
    """(Vietnamese, English) of one message, for values that carry both (problems, exports)."""
    return t(msgid, "vi", **kwargs), t(msgid, "en", **kwargs)


def number(value: float | int | None, lang: str | None = None, digits: int = 1) -> str:
    """A number in the language's format (vi: 1.234,5; en: 1,234.5); None -> '–'."""
    if value is None or value != value:
        return "–"
    return _format(value, "#,##0" + ("." + "0" * digits if digits else ""), lang)


def percent(value: float | None, lang: str | None = None, digits: int = 0) -> str:
    """A share 0..1 as a percentage in the language's format."""
    if value is None or value != value:
        return "–"
    return _format(value, "#,##0" + ("." + "0" * digits if digits else "") + "%", lang)


@cache
def _number_format(fmt: str, lang: str) -> tuple[NumberPattern, Locale]:
    # babel's format_decimal parses the locale and the pattern on every call, and reading the
    # locale's data takes a process-wide lock: a grid page formats thousands of numbers.
    return parse_pattern(fmt), Locale.parse(lang)


def _format(value: float | int, fmt: str, lang: str | None) -> str:
    pattern, locale = _number_format(fmt, lang or _current.get())
    return pattern.apply(value, locale)
