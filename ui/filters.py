"""The filters shared by every view, kept in the URL so a view can be shared as a link.

URL parameters (codes, never translated labels, so a link works in either language):
``year=2023``, ``stage=self|verified``, ``units=303,305`` (GSO codes), ``pillar=1..4``,
``type=quan|huyen|phuong|xa|...``, ``unit=303`` (the unit profile); view options ``mode=...`` and
``detail=1`` (the compare view's 39-axis radar).

How it works: the session keeps one canonical value per filter. At the start of every run
``sync_from_url`` adopts what the URL brings (a shared link, a link from another page such as
``/profile?unit=303``); a widget drawn by a page starts from the canonical value and writes its
choice back to both the session and the URL. A parameter missing from the URL (Streamlit drops
the query string on a page switch) keeps the session's value and is written back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from i18n import t
from query import results
from ui import labels
from ui.data import cached

PARAMS: tuple[str, ...] = ("year", "stage", "units", "pillar", "type", "unit", "mode", "detail")
ALL = "all"
_STATE = "_filters"  # canonical values: str, or list[str] for units
_WRITTEN = "_filters_url"  # what this session last put in (or read from) the URL
_WIDGET = "flt_"  # widget keys: flt_year, flt_stage, ...


def _state() -> dict[str, Any]:
    return st.session_state.setdefault(_STATE, {})


def _written() -> dict[str, Any]:
    return st.session_state.setdefault(_WRITTEN, {})


def _from_url(key: str) -> Any:
    if key not in st.query_params:
        return None
    if key == "units":
        return [c for v in st.query_params.get_all(key) for c in v.split(",") if c.strip()]
    return st.query_params.get(key)


def _to_url(key: str, value: Any) -> None:
    text = ",".join(value) if isinstance(value, list) else value
    if text in (None, ""):
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != text:
        st.query_params[key] = text
    _written()[key] = value


def sync_from_url() -> None:
    """Adopt the filter values the URL brings; put the session's values back when it lost them.

    Called once at the start of every run (dashboard.py), before any page draws a widget.
    """
    state, written = _state(), _written()
    for key in PARAMS:
        value = _from_url(key)
        if value is None:
            if state.get(key) not in (None, "", []):
                _to_url(key, state[key])
            continue
        if value != written.get(key):
            state[key] = value
            written[key] = value
            st.session_state.pop(_WIDGET + key, None)


def current(key: str) -> Any:
    """The canonical value of a filter (None when never set)."""
    return _state().get(key)


def _remember(key: str, value: Any) -> None:
    _state()[key] = value
    _to_url(key, value)


def _select(
    key: str,
    options: Sequence[str],
    default: str,
    label: str,
    format_func: Callable[[str], str],
    container: Any,
    help: str | None = None,
    radio: bool = False,
) -> str:
    wkey = _WIDGET + key
    # Labels are computed now, in this run's language, not later by whoever calls format_func.
    shown = {o: format_func(o) for o in options}
    format_func = shown.__getitem__
    canon = current(key)
    if canon not in options:
        canon = default
    if st.session_state.get(wkey) not in options:
        st.session_state[wkey] = canon
    if radio:
        value = container.radio(label, list(options), key=wkey, format_func=format_func, help=help)
    else:
        value = container.selectbox(label, list(options), key=wkey, format_func=format_func, help=help)
    _remember(key, value)
    return value


def choice(
    key: str,
    options: dict[str, str],
    label: str,
    container: Any = None,
    default: str | None = None,
) -> str:
    """A view option kept in the URL: ``options`` maps the URL code to its (translated) label."""
    box = container if container is not None else st
    codes = list(options)
    return _select(key, codes, default or codes[0], label, options.__getitem__, box, radio=True)


def flag(key: str, label: str, container: Any = None) -> bool:
    """An on/off view option kept in the URL as ``key=1``."""
    box = container if container is not None else st
    wkey = _WIDGET + key
    if wkey not in st.session_state:
        st.session_state[wkey] = current(key) == "1"
    value = bool(box.toggle(label, key=wkey))
    _remember(key, "1" if value else "")
    return value


def year_stage_filters(container: Any = None) -> tuple[int | None, str]:
    """Year and stage of assessment (sidebar by default); (None, 'self') when nothing is loaded.

    The default is the latest year, and within it the verified stage when there is one.
    """
    box = container if container is not None else st.sidebar
    per = cached(results.periods)
    if per.empty:
        return None, "self"
    years = [str(y) for y in sorted(per["year"].unique(), reverse=True)]
    year = _select("year", years, years[0], t("Year"), str, box)
    stages = sorted(per.loc[per["year"] == int(year), "stage"], key=lambda s: s != "verified")
    stage = _select("stage", stages, stages[0], t("Stage"), labels.stage, box)
    return int(year), stage


def unit_type_filter(container: Any = None) -> str | None:
    """One unit type, or None for all; only types that have assessments are offered."""
    box = container if container is not None else st.sidebar
    units = cached(results.assessed_units)
    types = [ALL, *dict.fromkeys(units["locality_type"])]
    value = _select(
        "type", types, ALL, t("Unit type"), lambda c: t("All types") if c == ALL else labels.unit_type(c), box
    )
    return None if value == ALL else value


def pillar_filter(container: Any = None) -> int | None:
    """One pillar (1-4), or None for all of them."""
    box = container if container is not None else st.sidebar
    names = labels.pillar_names(cached(results.pillars))
    options = [ALL, *(str(p) for p in sorted(names) if p)]
    value = _select(
        "pillar", options, ALL, t("Pillar"), lambda c: t("All pillars") if c == ALL else names[int(c)], box
    )
    return None if value == ALL else int(value)


def units_filter(
    container: Any = None,
    unit_type: str | None = None,
    default: Sequence[str] = (),
    label: str | None = None,
    help: str | None = None,
) -> list[str]:
    """Several units (GSO codes), optionally only of one type; empty means 'all' for most views."""
    box = container if container is not None else st.sidebar
    units = cached(results.assessed_units)
    if unit_type:
        units = units[units["locality_type"] == unit_type]
    options = list(units["locality_code"])
    all_names = labels.unit_names(cached(results.assessed_units))
    names = {c: all_names.get(c, c) for c in options}
    wkey = _WIDGET + "units"
    canon = current("units")
    chosen = [c for c in (canon if canon is not None else default) if c in options]
    widget = st.session_state.get(wkey)
    if widget is None or any(c not in options for c in widget):
        st.session_state[wkey] = chosen
    value = box.multiselect(
        label or t("Units"),
        options,
        key=wkey,
        format_func=names.__getitem__,
        placeholder=t("All units"),
        help=help,
    )
    _remember("units", list(value))
    return list(value)


def unit_filter(container: Any = None, label: str | None = None) -> str | None:
    """One unit (GSO code), kept as ``?unit=``; the first assessed unit by default."""
    box = container if container is not None else st.sidebar
    units = cached(results.assessed_units)
    if units.empty:
        return None
    options = list(units["locality_code"])
    names = labels.unit_names(units)
    types = dict(zip(units["locality_code"], units["locality_type"], strict=True))
    return _select(
        "unit",
        options,
        options[0],
        label or t("Unit"),
        lambda c: f"{names.get(c, c)} · {labels.unit_type(types.get(c))}",
        box,
    )


@dataclass(frozen=True)
class ResultFilters:
    year: int | None
    stage: str
    pillar: int | None
    unit_type: str | None
    units: list[str]


def result_filters() -> ResultFilters:
    """The sidebar filters of the views over all units (grid, trends): one place, one order."""
    year, stage = year_stage_filters()
    pillar = pillar_filter()
    unit_type = unit_type_filter()
    units = units_filter(unit_type=unit_type, help=t("Empty: every unit of the chosen type."))
    share_hint()
    return ResultFilters(year, stage, pillar, unit_type, units)


def share_hint() -> None:
    """A short line telling the reader the address bar now holds the view."""
    st.sidebar.caption(t("The address of this page keeps the filters: copy it to share this view."))
