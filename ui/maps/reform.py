"""The 2025 map: the units of the 2025 reform, coloured by the results carried onto them.

The figures are query.reform.carried_scores (the rule is core/reform.py): a unit ``assessed`` on
its own or ``derived`` from predecessors that were all assessed is coloured by its score; a
``partial`` figure (only some predecessors assessed) and a unit with no figure (``none``) are drawn
in two light greys with a legend entry each, so the map never suggests more than the data hold.
The hover names the unit, its status, its score and its predecessors ("derived from: ...").

With 114 small units only the best and worst few are named on the map (and no name on a phone,
see frame.PHONE_CSS); every unit is in the table (``carried_table``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import shapely

from core.reform import rule_lines
from geo.shapes import bounds, collection, inset_box, inset_px, outliers
from i18n import N_, t
from ui.map_labels import MapView, place_labels
from ui.maps.frame import finish, geo_layout, inset_frame, legend_entry, names_trace, plot_box
from ui.maps.measures import NO_DATA, OVERALL_LABEL, SCORE_SCALE, Measure, coloraxis, text_colour

REFORM_MEASURES: tuple[str, ...] = ("overall", "p1", "p2", "p3", "p4")
PARTIAL = "#ECECEC"  # lighter than "no figure": some predecessors were assessed
PARTIAL_LINE = "#8C8C8C"
COLOURED = ("assessed", "derived")
STATUS_LABEL: dict[str, str] = {
    "assessed": N_("Assessed itself"),
    "derived": N_("Derived from all its predecessors"),
    "partial": N_("Partial: only some predecessors assessed (not coloured)"),
    "none": N_("No predecessor assessed"),
}
# Legend entries, short enough for one line on a phone.
LEGEND_LABEL: dict[str, str] = {"partial": N_("Partial figure (not coloured)"), "none": N_("No figure")}
NAMED = 3  # the best and the worst few units are named on the map
HOVER_NAMES = 6  # predecessors listed in the hover before "and n more"


def reform_measure_options(pillar_names: dict[int, str]) -> dict[str, str]:
    """measure key -> label: the overall score and the four pillars (what the rule carries)."""
    out = {"overall": t(OVERALL_LABEL)}
    for p in (1, 2, 3, 4):
        if p in pillar_names:
            out[f"p{p}"] = pillar_names[p]
    return out


def reform_measure(key: str, label: str) -> Measure:
    return Measure(key, label, SCORE_SCALE, 0.0, 100.0, 1)


def rule_caption(lang: str) -> str:
    """The rule of the 2025 map in a few sentences (core/reform.rule_lines, the Method page's)."""
    return " ".join(rule_lines(lang))


def _num(value: object) -> float | None:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _names(values: object) -> list[str]:
    return [str(v) for v in values] if isinstance(values, (list, tuple)) else []


def _name_list(names: Sequence[str], limit: int = HOVER_NAMES) -> str:
    shown = list(names[:limit])
    lines = [", ".join(shown[i : i + 3]) for i in range(0, len(shown), 3)]
    text = ",<br>".join(lines)
    if len(names) > limit:
        text += " " + t("and {n} more", n=len(names) - limit)
    return text


def status_text(row: pd.Series | object) -> str:
    status = str(getattr(row, "status", "none"))
    if status == "partial" and int(getattr(row, "assessed", 0) or 0) >= int(
        getattr(row, "predecessors", 0) or 0
    ):
        return t("Partial: a predecessor lies only partly in this unit")
    if status == "partial":
        return t(
            "Partial: {assessed} of {predecessors} predecessors assessed",
            assessed=int(getattr(row, "assessed", 0) or 0),
            predecessors=int(getattr(row, "predecessors", 0) or 0),
        )
    return t(STATUS_LABEL.get(status, STATUS_LABEL["none"]))


def predecessors_text(row: object) -> str:
    """'Derived from: A, B' (the assessed predecessors), or the predecessors none of which was."""
    status = str(getattr(row, "status", "none"))
    assessed = _names(getattr(row, "assessed_names", []))
    others = _names(getattr(row, "other_names", []))
    if status == "assessed":
        return t("Own assessment")
    if assessed:
        return t("Derived from: {units}", units=_name_list(assessed))
    if others:
        return t("Predecessors (none assessed): {units}", units=_name_list(others))
    return t("No predecessor in the crosswalk")


def _custom(carried: pd.DataFrame, m: Measure, codes: Sequence[str]) -> list[list[object]]:
    """customdata per unit: locality_id, name, status, measure value, predecessors line."""
    by_code = carried.set_index("locality_code")
    rows = []
    for c in codes:
        r = by_code.loc[c]
        rows.append(
            [
                r["locality_id"],
                r["name_with_type"],
                status_text(r),
                m.text(_num(r[m.key])),
                predecessors_text(r),
            ]
        )
    return rows


def _hovertemplate(m: Measure) -> str:
    return (
        "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>"
        + f"{m.label}: <b>%{{customdata[3]}}</b><br>"
        + "%{customdata[4]}<extra></extra>"
    )


def reform_map(
    layer: pd.DataFrame,
    carried: pd.DataFrame,
    m: Measure,
    title: str,
    attribution: str,
    illustrative: bool,
    width: int = 900,
    height: int = 720,
) -> go.Figure:
    """The 2025 units of ``layer`` (query.geo.boundary_layer of vintage 2025) coloured by ``m`` of
    ``carried`` (query.reform.carried_scores): assessed and derived units on the score scale,
    partial and none in greys; a far-off island in an inset; the best and worst ``NAMED`` named.
    Show it with ``geo_config()``."""
    carried = carried[carried["locality_code"].isin(layer["locality_code"])]
    status = dict(zip(carried["locality_code"], carried["status"], strict=True))
    value = {
        c: v
        for c, v, s in zip(carried["locality_code"], carried[m.key], carried["status"], strict=True)
        if s in COLOURED and _num(v) is not None
    }
    geoms = {
        c: shapely.from_geojson(g) for c, g in zip(layer["locality_code"], layer["geometry"], strict=True)
    }
    away = outliers(layer)
    main = layer[~layer["locality_code"].isin(away)]
    label_size = 12.0 if width < 1200 else 14.0
    view = MapView.fit(
        bounds([geoms[c] for c in main["locality_code"]]), plot_box(width, height, illustrative), 0.02
    )
    fig = go.Figure()
    hover = _hovertemplate(m)

    def polygons(codes: Sequence[str], geo: str) -> None:
        groups = (
            ("none", [c for c in codes if status.get(c, "none") == "none"], NO_DATA, "#FFFFFF"),
            (
                "partial",
                [
                    c
                    for c in codes
                    if status.get(c) == "partial" or (status.get(c) in COLOURED and c not in value)
                ],
                PARTIAL,
                PARTIAL_LINE,
            ),
            ("scored", [c for c in codes if c in value], None, "#FFFFFF"),
        )
        for kind, part, fill, outline in groups:
            if not part:
                continue
            fig.add_trace(
                go.Choropleth(
                    geojson=collection(part, geoms),
                    locations=part,
                    z=[value[c] for c in part] if fill is None else [0] * len(part),
                    coloraxis="coloraxis" if fill is None else None,
                    colorscale=None if fill is None else [[0, fill], [1, fill]],
                    showscale=False if fill is not None else None,
                    marker={"line": {"color": outline, "width": 0.8}},
                    customdata=_custom(carried, m, part),
                    hovertemplate=hover,
                    name=kind,
                    showlegend=False,
                    geo=geo,
                )
            )

    polygons(list(main["locality_code"]), "geo")
    obstacles: list[shapely.Geometry] = []
    inset_dom = None
    if away:
        inset_dom = inset_box(view, [view.project(geoms[c]) for c in main["locality_code"]])
        x0, y0, w, h = inset_px(view, inset_dom)
        obstacles.append(shapely.box(x0, y0 - 18, x0 + w, y0 + h))
    ranked = sorted((c for c in value if c in set(main["locality_code"])), key=lambda c: value[c])
    named = list(dict.fromkeys(ranked[-NAMED:][::-1] + ranked[:NAMED]))
    names_on_map = place_labels(main[main["locality_code"].isin(named)], geoms, view, label_size, obstacles)
    ink = [text_colour(m.colour(value.get(lb.code))) for lb in names_on_map]
    fig.add_trace(names_trace(names_on_map, ink))

    partial_label, none_label = LEGEND_LABEL["partial"], LEGEND_LABEL["none"]
    legend_entry(
        fig,
        t(partial_label),
        {"symbol": "square", "size": 14, "color": PARTIAL, "line": {"color": PARTIAL_LINE, "width": 1}},
    )
    legend_entry(fig, t(none_label), {"symbol": "square", "size": 14, "color": NO_DATA})

    fig.update_layout(geo=geo_layout(view, {"x": [0, 1], "y": [0, 1]}))
    if away and inset_dom is not None:
        polygons(away, "geo2")
        names = dict(zip(layer["locality_code"], layer["name"], strict=True))
        inset_frame(
            fig, view, inset_dom, [geoms[c] for c in away], ", ".join(names[c] for c in away), label_size
        )
    fig.update_layout(coloraxis=coloraxis(m))
    return finish(fig, title, illustrative, height, attribution)


def carried_table(carried: pd.DataFrame, m: Measure) -> pd.DataFrame:
    """The carried figures as a readable table, best first (units with no figure last): unit,
    status, the measure, the share of predecessors assessed, where the figure comes from."""
    order = carried.assign(_v=pd.to_numeric(carried[m.key], errors="coerce")).sort_values(
        ["_v", "name_with_type"], ascending=[False, True], na_position="last"
    )
    return pd.DataFrame(
        {
            t("Unit"): order["name_with_type"].tolist(),
            t("Status"): [status_text(r) for r in order.itertuples(index=False)],
            m.label: [m.text(_num(v)) for v in order[m.key]],
            t("Predecessors assessed"): [
                t("{n} of {total}", n=int(r.assessed or 0), total=int(r.predecessors or 0))
                if r.predecessors
                else "–"
                for r in order.itertuples(index=False)
            ],
            t("Where the figure comes from"): [
                predecessors_text(r).replace(",<br>", ", ") for r in order.itertuples(index=False)
            ],
        }
    )


def status_counts(carried: pd.DataFrame) -> str:
    """'12 assessed, 48 derived, 30 partial, 24 without a figure' for the table's caption."""
    n = carried["status"].value_counts()
    return t(
        "{assessed} assessed, {derived} derived from all their predecessors, {partial} partial (not coloured), {none} without a figure.",
        assessed=int(n.get("assessed", 0)),
        derived=int(n.get("derived", 0)),
        partial=int(n.get("partial", 0)),
        none=int(n.get("none", 0)),
    )
