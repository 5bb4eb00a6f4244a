"""The filters shared by every view, kept in the URL so a view can be shared as a link.

URL parameters (codes, never translated labels, so a link works in either language):
``year=2023``, ``stage=self|verified``, ``province=2020:31`` (a province's locality_id; absent = the
whole country), ``district=2020:303``, ``type=xa``, ``pillar=1..4``, ``unit=2020:11311`` (the unit
profile), ``units=2020:303,2020:305`` (compare), and view options such as ``mode``, ``detail``,
``measure``, ``mapview`` (the map's unit list: 2020 or 2025), ``q`` (a search) and ``page``. Old links that name a unit by its bare GSO code
(``?unit=303``) still work while the code means one assessed unit.

How it works: the session keeps one canonical value per filter. At the start of every run
``sync_from_url`` adopts what the URL brings (a shared link, a link from another page); a widget
drawn by a page starts from the canonical value and writes its choice back to both the session and
the URL. Widget keys carry the UI language, so switching language redraws every widget with labels
in the new language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

import i18n
from i18n import t
from query import results
from query import units as uq
from query.scope import Scope
from ui import labels
from ui.data import cached

PARAMS: tuple[str, ...] = (
    "year",
    "stage",
    "province",
    "district",
    "type",
    "pillar",
    "units",
    "unit",
    "mode",
    "detail",
    "measure",
    "mapview",
    "q",
    "page",
    "from",
)
ALL = "all"
MAX_COMPARE = 8
_STATE = "_filters"  # canonical values: str, or list[str] for units
_WRITTEN = "_filters_url"  # what this session last put in (or read from) the URL


def _widget_key(key: str) -> str:
    return f"flt_{key}_{i18n.get_language()}"


def _state() -> dict[str, Any]:
    return st.session_state.setdefault(_STATE, {})


def _written() -> dict[str, Any]:
    return st.session_state.setdefault(_WRITTEN, {})


def _from_url(key: str) -> Any:
    if key not in st.query_params:
        return None
    if key == "units":
        return [c.strip() for v in st.query_params.get_all(key) for c in v.split(",") if c.strip()]
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

    Called once at the start of every run, before any page draws a widget.
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
            for lang in i18n.LANGUAGES:
                st.session_state.pop(f"flt_{key}_{lang}", None)


def current(key: str) -> Any:
    """The canonical value of a filter (None when never set)."""
    return _state().get(key)


def remember(key: str, value: Any) -> None:
    """Set a filter's canonical value (and the URL), e.g. after a click on a chart or table row."""
    _state()[key] = value
    _to_url(key, value)
    for lang in i18n.LANGUAGES:
        st.session_state.pop(f"flt_{key}_{lang}", None)


def remember_quiet(key: str, value: Any) -> None:
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
    wkey = _widget_key(key)
    shown = {o: format_func(o) for o in options}  # labels in this run's language
    canon = current(key)
    if canon not in options:
        canon = default
    if st.session_state.get(wkey, canon) not in options:
        del st.session_state[wkey]  # the options changed under the widget: start from the filter
    widget = container.radio if radio else container.selectbox
    value = widget(
        label,
        list(options),
        index=list(options).index(canon),
        key=wkey,
        format_func=shown.__getitem__,
        help=help,
    )
    remember_quiet(key, value)
    return value


def choice(
    key: str, options: dict[str, str], label: str, container: Any = None, default: str | None = None
) -> str:
    """A view option kept in the URL: ``options`` maps the URL code to its (translated) label."""
    box = container if container is not None else st
    codes = list(options)
    return _select(key, codes, default or codes[0], label, options.__getitem__, box, radio=True)


def flag(key: str, label: str, container: Any = None) -> bool:
    """An on/off view option kept in the URL as ``key=1``."""
    box = container if container is not None else st
    value = bool(box.toggle(label, value=current(key) == "1", key=_widget_key(key)))
    remember_quiet(key, "1" if value else "")
    return value


def text(key: str, label: str, container: Any = None, placeholder: str | None = None) -> str:
    """A search box kept in the URL (``q=``)."""
    box = container if container is not None else st
    value = str(
        box.text_input(label, value=current(key) or "", key=_widget_key(key), placeholder=placeholder) or ""
    )
    value = value.strip()
    remember_quiet(key, value)
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


def from_year_filter(year: int | None, stage: str, container: Any = None) -> int | None:
    """The earlier year a trend starts from (kept as ``?from=``): the earliest loaded one by default."""
    box = container if container is not None else st.sidebar
    per = cached(results.periods)
    earlier = sorted(
        {int(y) for y, s in zip(per["year"], per["stage"], strict=True) if s == stage and year and y < year}
    )
    if not earlier:
        return None
    options = [str(y) for y in earlier]
    return int(_select("from", options, options[0], t("Compare from"), str, box))


def scope_filters(year: int | None, stage: str, container: Any = None, districts: bool = True) -> Scope:
    """Province (or the whole country) and, for 2020-2023 provinces, a district: the view's scope.

    Only provinces with results in the chosen year are offered; with one such province it is the
    default, with several the whole country is.
    """
    box = container if container is not None else st.sidebar
    provs = cached(uq.provinces, year, stage)
    if provs.empty:
        return Scope()
    both_vintages = provs["vintage"].nunique() > 1
    names = {
        r.province_id: labels.province_label(r.name_with_type, r.vintage if both_vintages else None, r.units)
        for r in provs.itertuples(index=False)
    }
    options = [ALL, *names]
    default = options[1] if len(options) == 2 else ALL
    value = _select(
        "province",
        options,
        default,
        t("Province"),
        lambda c: t("Whole country ({n} provinces)", n=len(names)) if c == ALL else names[c],
        box,
    )
    if value == ALL:
        remember_quiet("district", "")
        return Scope()
    district = None
    if districts and value.startswith("2020:"):
        ds = cached(uq.districts, value, year, stage)
        if len(ds) > 1:
            dnames = dict(zip(ds["district_id"], ds["name_with_type"], strict=True))
            dv = _select(
                "district",
                [ALL, *dnames],
                ALL,
                t("District"),
                lambda c: t("All districts") if c == ALL else dnames[c],
                box,
            )
            district = None if dv == ALL else dv
    return Scope(province=value, district=district)


def unit_type_filter(scope: Scope, year: int | None, stage: str, container: Any = None) -> Scope:
    """One unit type, or all; only types assessed in the scope are offered."""
    box = container if container is not None else st.sidebar
    types = cached(results.unit_types_in, scope, year, stage)
    options = [ALL, *types]
    value = _select(
        "type",
        options,
        ALL,
        t("Unit type"),
        lambda c: t("All types") if c == ALL else labels.unit_type(c),
        box,
    )
    return Scope(scope.province, scope.district, None if value == ALL else value)


def pillar_filter(container: Any = None) -> int | None:
    """One pillar (1-4), or None for all of them."""
    box = container if container is not None else st.sidebar
    names = labels.pillar_names(cached(results.pillars))
    options = [ALL, *(str(p) for p in sorted(names) if p)]
    value = _select(
        "pillar", options, ALL, t("Pillar"), lambda c: t("All pillars") if c == ALL else names[int(c)], box
    )
    return None if value == ALL else int(value)


def _resolve(values: list[str]) -> tuple[list[str], list[str]]:
    """URL unit values -> (locality_ids, values that name no unit or more than one)."""
    ids, bad = [], []
    for v in values:
        found = cached(uq.resolve_unit, v)
        if len(found) == 1:
            ids.append(found[0])
        else:
            bad.append(v)
    return ids, bad


PICKER_LIMIT = 1000  # units listed at once; beyond this a search narrows the list


def _unit_choices(scope: Scope, year: int | None, stage: str, keep: list[str], box: Any) -> dict[str, str]:
    """locality_id -> label for a picker: every assessed unit of the scope, or a search's matches."""
    found = cached(uq.unit_options, scope, year, stage, None, PICKER_LIMIT + 1)
    if len(found) > PICKER_LIMIT:
        query = text("q", t("Search a unit"), box, placeholder=t("Name or GSO code"))
        found = cached(uq.unit_options, scope, year, stage, query or None, 100) if query else found.head(100)
    extra = [i for i in keep if i not in set(found["locality_id"])]
    if extra:
        found = pd.concat([found, cached(uq.unit_labels, extra)], ignore_index=True)
    return labels.unit_choice_labels(found, with_province=scope.national)


def unit_filter(
    scope: Scope, year: int | None, stage: str, container: Any = None
) -> tuple[str | None, str | None]:
    """One unit, kept as ``?unit=2020:11311``: (locality_id, the URL value that named no unit or None).

    The first assessed unit of the scope is the default; an unknown unit in the URL is reported,
    never replaced silently.
    """
    box = container if container is not None else st.sidebar
    raw = current("unit")
    wanted, bad = _resolve([raw]) if raw else ([], [])
    if bad:
        remember_quiet("unit", "")
        return None, raw
    choices = _unit_choices(scope, year, stage, wanted, box)
    if not choices:
        return None, None
    if wanted:
        _state()["unit"] = wanted[0]
    options = list(choices)
    value = _select("unit", options, wanted[0] if wanted else options[0], t("Unit"), choices.__getitem__, box)
    return value, None


def units_filter(
    scope: Scope,
    year: int | None,
    stage: str,
    container: Any = None,
    label: str | None = None,
    help: str | None = None,
) -> tuple[list[str], list[str]]:
    """Up to MAX_COMPARE units (locality_ids) of the scope: (chosen, URL values that named no unit)."""
    box = container if container is not None else st.sidebar
    raw = current("units") or []
    wanted, bad = _resolve(list(raw))
    choices = _unit_choices(scope, year, stage, wanted, box)
    wkey = _widget_key("units")
    chosen = [c for c in wanted if c in choices][:MAX_COMPARE]
    widget = st.session_state.get(wkey)
    if widget is not None and any(c not in choices for c in widget):
        del st.session_state[wkey]
    value = box.multiselect(
        label or t("Units"),
        list(choices),
        default=chosen,
        key=wkey,
        format_func=choices.__getitem__,
        placeholder=t("Choose units"),
        help=help,
        max_selections=MAX_COMPARE,
    )
    remember_quiet("units", list(value))
    return list(value), bad


@dataclass(frozen=True)
class ViewFilters:
    year: int | None
    stage: str
    scope: Scope
    pillar: int | None = None


def view_filters(pillar: bool = False, unit_type: bool = True) -> ViewFilters:
    """The sidebar filters of the views over many units, in one order: year, stage, province,
    district, unit type, pillar."""
    year, stage = year_stage_filters()
    scope = scope_filters(year, stage)
    if unit_type:
        scope = unit_type_filter(scope, year, stage)
    p = pillar_filter() if pillar else None
    share_hint()
    return ViewFilters(year, stage, scope, p)


def share_hint() -> None:
    """A short line telling the reader the address bar now holds the view."""
    st.sidebar.caption(t("The address of this page keeps the filters: copy it to share this view."))
