"""The one translation layer: gettext catalogues (.po) read with Babel; Vietnamese by default.

Source strings in code are English and marked with ``_()`` / ``t()`` (translate now) or ``N_()``
(mark only, translate later). ``i18n/locales/vi/LC_MESSAGES/*.po`` hold the Vietnamese; each
area of the product keeps its own .po file so changes do not collide. A test extracts every
marked string from the code and fails if one has no Vietnamese translation.

Numbers are formatted with Babel's CLDR data, so Vietnamese shows ``12,5`` and English ``12.5``.
"""

from __future__ import annotations

import contextvars
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES: tuple[str, ...] = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
_current: contextvars.ContextVar[str] = contextvars.ContextVar("lang", default=DEFAULT_LANGUAGE)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation for ``lang``, merged over every .po file of that language."""
    out: dict[str, str] = {}
    folder = LOCALES / lang / "LC_MESSAGES"
    for po in sorted(folder.glob("*.po")) if folder.exists() else []:
        with open(po, "rb") as f:
            for msg in read_po(f, locale=lang):
                if msg.id and msg.string and not msg.fuzzy:
                    out[str(msg.id)] = str(msg.string)
    return out


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
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=fmt, locale=lang or _current.get())


def percent(value: float | None, lang: str | None = None, digits: int = 0) -> str:
    """A share 0..1 as a percentage in the language's format."""
    if value is None or value != value:
        return "–"
    fmt = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(value, format=fmt, locale=lang or _current.get())
