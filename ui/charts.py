"""One plotly look for every chart: font, level colours and symbols, the 'illustrative data' mark.

Pages (and the map page) build figures with plotly and pass them through ``style`` and ``show``
so titles, fonts, number formats (12,5 in Vietnamese) and the illustrative mark are the same
everywhere. Level colours and symbols come from core.scoring, never from here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.figstyle import REFERENCE_COLOURS, SERIES, style
from core.scoring import LEVEL_COLOUR, LEVEL_RANK, LEVEL_SYMBOL, LEVELS
from i18n import t
from ui import labels

CONFIG = {"displaylogo": False, "responsive": True}


def show(fig: go.Figure, key: str | None = None, min_width: int | None = None) -> None:
    """Draw a figure with our own theme (not Streamlit's, which would override font and colours).

    ``min_width``: a chart that cannot be read narrower (the grid's columns) keeps this width and
    scrolls sideways inside its frame on a narrow screen instead of squeezing its cells (Streamlit
    sizes a chart to its element, so the element is made at least that wide).
    """
    if min_width and key:
        st.html(f"<style>.st-key-{key} {{ min-width: {min_width}px !important; }}</style>")
        st.container(key=f"scroll_{key}").plotly_chart(fig, theme=None, config=CONFIG, key=key)
        return
    st.plotly_chart(fig, theme=None, config=CONFIG, key=key)


def level_legend(fig: go.Figure) -> None:
    """Legend entries for the three levels (colour + symbol + word + score) on any figure."""
    for lvl in LEVELS:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 14, "color": LEVEL_COLOUR[lvl], "line": {"width": 1}},
                name=labels.level(lvl),
                showlegend=True,
                hoverinfo="skip",
            )
        )


def radar(
    series: Sequence[dict[str, object]],
    axes: Sequence[str],
    title: str,
    illustrative: bool,
    height: int = 520,
    radial_title: str | None = None,
) -> go.Figure:
    """A radar (0-100) with one closed line per series.

    Each series is a dict: name, values (one per axis), and optionally kind='reference' (dashed
    grey line, no fill) or colour.
    """
    fig = go.Figure()
    colour_index = 0
    dashes = ["dash", "dot", "dashdot", "longdash"]
    ref_index = 0
    for s in series:
        values = [float(v) if v is not None else None for v in s["values"]]  # type: ignore[union-attr]
        theta = [*axes, axes[0]]
        r = [*values, values[0]]
        if s.get("kind") == "reference":
            colour = s.get("colour", REFERENCE_COLOURS[ref_index % len(REFERENCE_COLOURS)])
            line = {"color": colour, "dash": dashes[ref_index % 4], "width": 2}
            ref_index += 1
            fig.add_trace(
                go.Scatterpolar(
                    r=r, theta=theta, name=str(s["name"]), mode="lines", line=line, hovertemplate=_hover()
                )
            )
        else:
            colour = s.get("colour", SERIES[colour_index % len(SERIES)])
            colour_index += 1
            fig.add_trace(
                go.Scatterpolar(
                    r=r,
                    theta=theta,
                    name=str(s["name"]),
                    mode="lines+markers",
                    line={"color": colour, "width": 2.5},
                    marker={"size": 7},
                    fill="toself",
                    opacity=0.85,
                    fillcolor=_alpha(str(colour), 0.08),
                    hovertemplate=_hover(),
                )
            )
    fig.update_layout(
        polar={
            # The score ticks run along a diagonal, clear of the four pillar names.
            "radialaxis": {
                "range": [0, 100],
                "tickvals": [0, 25, 50, 75, 100],
                "angle": 45,
                "tickangle": 45,
                "tickfont": {"size": 10, "color": "#666"},
            },
            "angularaxis": {"direction": "clockwise", "tickfont": {"size": 13}},
        },
        legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
    )
    style(
        fig,
        title + " · " + (radial_title or t("score 0-100")),
        illustrative=illustrative,
        height=height,
        extra_top=48,
    )
    fig.update_layout(margin={"l": 95, "r": 95, "b": 60})
    return fig


def _hover() -> str:
    return "<b>%{fullData.name}</b><br>%{theta}: %{r:.1f}<extra></extra>"


def _alpha(hex_colour: str, a: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{a})"


def level_grid(
    cells: pd.DataFrame,
    row_labels: dict[str, str],
    column_labels: dict[str, str],
    title: str,
    illustrative: bool,
) -> go.Figure:
    """The traffic-light matrix: rows = indicators (in the order of ``row_labels``), columns = units.

    ``cells`` has indicator_code, locality_code, level, score, evidence, name. Each cell is
    coloured by its level AND shows the level's symbol, so it reads without colour.
    """
    rows = list(row_labels)
    cols = list(column_labels)
    by_key = {(r.indicator_code, r.locality_id): r for r in cells.itertuples(index=False)}
    z, text, custom = [], [], []
    for code in rows:
        zr, tr, cr = [], [], []
        for unit in cols:
            c = by_key.get((code, unit))
            if c is None:
                zr.append(None)
                tr.append("")
                cr.append([row_labels[code], column_labels[unit], t("not assessed"), "–", "–"])
            else:
                zr.append(LEVEL_RANK[c.level])
                tr.append(LEVEL_SYMBOL[c.level])
                evidence = c.evidence if isinstance(c.evidence, str) and c.evidence else "–"
                cr.append(
                    [c.name, column_labels[unit], labels.level(c.level), labels.num(c.score, 0), evidence]
                )
        z.append(zr)
        text.append(tr)
        custom.append(cr)
    scale = [
        [0.0, LEVEL_COLOUR["red"]],
        [1 / 3, LEVEL_COLOUR["red"]],
        [1 / 3, LEVEL_COLOUR["yellow"]],
        [2 / 3, LEVEL_COLOUR["yellow"]],
        [2 / 3, LEVEL_COLOUR["green"]],
        [1.0, LEVEL_COLOUR["green"]],
    ]
    y = [row_labels[r] for r in rows]
    x = [column_labels[c] for c in cols]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14, "color": "#111"},
            customdata=custom,
            colorscale=scale,
            zmin=-0.5,
            zmax=2.5,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                + t("Level")
                + ": %{customdata[2]}<br>"
                + t("Score")
                + ": %{customdata[3]}<br>"
                + t("Evidence")
                + ": %{customdata[4]}<extra></extra>"
            ),
        )
    )
    level_legend(fig)
    fig.update_yaxes(autorange="reversed", title={"text": t("Indicator")}, tickfont={"size": 11})
    fig.update_xaxes(side="top", tickangle=-90 if len(cols) > 6 else 0, automargin=True)
    # A line between pillars: rows are grouped by the pillar number before the dot of the code.
    _pillar_rules(fig, [r.split(".")[0] for r in rows])
    fig.update_layout(
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top"},
    )
    height = 200 + 24 * len(rows)
    return style(fig, title, illustrative=illustrative, height=height, extra_top=100)


UP_COLOUR, DOWN_COLOUR = "#0072B2", "#E69F00"  # Okabe-Ito blue / orange: change, not level


def dumbbell(
    scores: pd.DataFrame, pillar_names: dict[int, str], years: list[int], title: str, illustrative: bool
) -> go.Figure:
    """One panel per pillar (or overall): each unit's score in the first and last year joined by a bar."""
    from plotly.subplots import make_subplots

    pillars = [p for p in (0, 1, 2, 3, 4) if p in set(scores["pillar"])]
    first, last = years[0], years[-1]
    last_overall = scores[(scores["year"] == last) & (scores["pillar"] == pillars[0])]
    order = list(last_overall.sort_values("score", ascending=False)["unit"])
    fig = make_subplots(
        rows=1,
        cols=len(pillars),
        shared_yaxes=True,
        horizontal_spacing=0.02,
        subplot_titles=[labels.wrap_label(pillar_names[p], 24) for p in pillars],
    )
    shown = set()
    for i, p in enumerate(pillars, start=1):
        part = scores[scores["pillar"] == p]
        wide = part.pivot_table(index="unit", columns="year", values="score", aggfunc="first")
        for unit in order:
            if unit not in wide.index:
                continue
            a, b = wide.loc[unit].get(first), wide.loc[unit].get(last)
            if a is None or b is None or a != a or b != b:
                continue
            up = b >= a
            key = "up" if up else "down"
            fig.add_trace(
                go.Scatter(
                    x=[a, b],
                    y=[unit, unit],
                    mode="lines",
                    line={"color": UP_COLOUR if up else DOWN_COLOUR, "width": 3},
                    name=("▲ " + t("improved")) if up else ("▼ " + t("declined")),
                    legendgroup=key,
                    showlegend=key not in shown,
                    hoverinfo="skip",
                ),
                row=1,
                col=i,
            )
            shown.add(key)
        for y, symbol, colour in ((first, "circle-open", "#666"), (last, "circle", "#222")):
            if y not in wide.columns:
                continue
            col = wide[y].reindex(order)
            fig.add_trace(
                go.Scatter(
                    x=col.values,
                    y=order,
                    mode="markers",
                    marker={
                        "symbol": symbol,
                        "size": 10,
                        "color": colour,
                        "line": {"width": 2, "color": colour},
                    },
                    name=str(y),
                    legendgroup=str(y),
                    showlegend=i == 1,
                    hovertemplate="%{y}<br>" + str(y) + ": %{x:.1f}<extra></extra>",
                ),
                row=1,
                col=i,
            )
    fig.update_xaxes(range=[-5, 105], tickvals=[0, 50, 100], title={"text": t("Score")})
    fig.update_yaxes(autorange="reversed", row=1, col=1, title={"text": t("Unit")})
    fig.update_layout(legend={"orientation": "h", "y": -0.12, "x": 0})
    style(fig, title, illustrative=illustrative, height=max(420, 170 + 30 * len(order)), extra_top=48)
    fig.update_annotations(font={"size": 12})
    return fig


READABLE = 30  # at most this many marks per unit in a chart; beyond it, distributions and top/bottom lists


def _bar_height(n: int, per: int = 26, base: int = 130, least: int = 320) -> int:
    return max(least, base + per * n)


def level_counts_bar(table: pd.DataFrame, names: dict[str, str], title: str, illustrative: bool) -> go.Figure:
    """Per unit (best first), how many indicators are green, yellow and red (for at most READABLE units)."""
    table = table.head(READABLE)
    y = [names.get(c, c) for c in table["locality_id"]]
    fig = go.Figure()
    for lvl in reversed(LEVELS):
        counts = table[f"n_{lvl}"].astype(int).tolist()
        fig.add_trace(
            go.Bar(
                y=y,
                x=counts,
                orientation="h",
                name=labels.level(lvl),
                marker={"color": LEVEL_COLOUR[lvl], "line": {"color": "#333", "width": 0.5}},
                text=[f"{LEVEL_SYMBOL[lvl]} {n}" if n else "" for n in counts],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": "#111"},
                hovertemplate="%{y}: %{x} " + t("indicators") + "<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.16, "x": 0})
    fig.update_xaxes(title={"text": t("Number of indicators (of 39)")})
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    return style(fig, title, illustrative=illustrative, height=_bar_height(len(y), 30, 90, 360))


def score_histogram(bins: pd.DataFrame, title: str, illustrative: bool, width: int = 10) -> go.Figure:
    """How many units fall in each band of the overall score, stacked by unit type (any number of units)."""
    fig = go.Figure()
    bands = list(range(0, 100, width))
    ticks = [f"{b}–{b + width}" for b in bands]
    for i, (utype, part) in enumerate(bins.groupby("locality_type", sort=False)):
        counts = part.set_index("low")["units"].reindex(bands, fill_value=0)
        fig.add_trace(
            go.Bar(
                x=ticks,
                y=counts.tolist(),
                name=labels.unit_type(utype),
                marker={"color": SERIES[i % len(SERIES)]},
                hovertemplate="%{x}: %{y} " + t("units") + "<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.22, "x": 0}, bargap=0.08)
    fig.update_xaxes(title={"text": t("Overall score (0-100)")})
    fig.update_yaxes(title={"text": t("Number of units")}, rangemode="tozero")
    return style(fig, title, illustrative=illustrative, height=400)


def group_bars(
    groups: pd.DataFrame,
    title: str,
    illustrative: bool,
    value: str = "overall",
    highlight: str | None = None,
    axis_title: str | None = None,
) -> go.Figure:
    """Provinces or districts ranked by the mean score of their assessed units (one bar per group)."""
    df = groups.sort_values(value, ascending=False)
    y = [
        ("▶ " + n) if gid == highlight else str(n) for gid, n in zip(df["group_id"], df["name"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=df[value],
            y=y,
            orientation="h",
            marker={"color": [SERIES[1] if gid == highlight else SERIES[0] for gid in df["group_id"]]},
            text=[labels.num(v) for v in df[value]],
            textposition="outside",
            customdata=[labels.units_count(n) for n in df["units"]],
            hovertemplate="%{y}: %{x:.1f} (%{customdata})<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(range=[0, 110], title={"text": axis_title or t("Mean overall score")})
    fig.update_yaxes(autorange="reversed", title=None, automargin=True, tickfont={"size": 12})
    return style(fig, title, illustrative=illustrative, height=_bar_height(len(df), 24, 110))


def pillar_means_bar(
    now: dict[str, float],
    before: dict[str, float] | None,
    pillar_names: dict[int, str],
    year: int,
    previous: int | None,
    title: str,
    illustrative: bool,
) -> go.Figure:
    """Mean pillar and overall scores, this year next to the previous one (the same units in both)."""
    order = [1, 2, 3, 4, 0]
    keys = {p: ("overall" if p == 0 else f"p{p}") for p in order}
    y = [labels.wrap_label(pillar_names[p], 22) for p in order]
    fig = go.Figure()
    for yr, values, colour in ((previous, before, "#BBBBBB"), (year, now, SERIES[0])):
        if yr is None or values is None:
            continue
        xs = [float(values.get(keys[p], float("nan"))) for p in order]
        fig.add_trace(
            go.Bar(
                y=y,
                x=xs,
                orientation="h",
                name=str(yr),
                marker={"color": colour},
                text=[labels.num(v) for v in xs],
                textposition="outside",
                hovertemplate="%{y}<br>" + str(yr) + ": %{x:.1f}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group", legend={"orientation": "h", "y": -0.15, "x": 0, "traceorder": "reversed"}
    )
    fig.update_xaxes(range=[0, 110], title={"text": t("Mean score (0-100)")})
    fig.update_yaxes(autorange="reversed", title=None, automargin=True)
    return style(fig, title, illustrative=illustrative, height=460)


def _pillar_rules(fig: go.Figure, pillars: list[object], xaxes: tuple[str, ...] = ("x",)) -> None:
    """A heavier line between two rows of different pillars, across each plot of ``xaxes``: the
    shapes fig.add_hline draws, written at once (add_hline walks plotly's subplot machinery for
    about 3 ms a line, and these charts run on every page view)."""
    lines = [
        {
            "type": "line",
            "xref": f"{x} domain",  # x, x2 ... spanning its plot's width
            "x0": 0,
            "x1": 1,
            "yref": "y" + x[1:],
            "y0": i - 0.5,
            "y1": i - 0.5,
            "line": {"color": "#222", "width": 2},
        }
        for i in range(1, len(pillars))
        if pillars[i] != pillars[i - 1]
        for x in xaxes
    ]
    fig.layout.shapes = (*fig.layout.shapes, *lines)


def _level_scale() -> list[list[object]]:
    return [
        [0.0, LEVEL_COLOUR["red"]],
        [1 / 3, LEVEL_COLOUR["red"]],
        [1 / 3, LEVEL_COLOUR["yellow"]],
        [2 / 3, LEVEL_COLOUR["yellow"]],
        [2 / 3, LEVEL_COLOUR["green"]],
        [1.0, LEVEL_COLOUR["green"]],
    ]


SCORE_SCALE = [[0.0, LEVEL_COLOUR["red"]], [0.5, LEVEL_COLOUR["yellow"]], [1.0, LEVEL_COLOUR["green"]]]


def indicator_comparison(
    levels: pd.DataFrame,
    averages: pd.DataFrame,
    row_labels: dict[str, str],
    title: str,
    illustrative: bool,
) -> go.Figure:
    """The 39 indicators (rows, by pillar) for a few series: each series' level as a traffic-light cell
    with its symbol, and beside them the reference averages (0-100) as numbers on the same colours.

    ``levels``: one column per series (values red/yellow/green or None), indexed by indicator code;
    ``averages``: one column per reference group (scores), same index. Reads without colour.
    """
    from plotly.subplots import make_subplots

    rows = list(row_labels)
    series, refs = list(levels.columns), list(averages.columns)
    widths = [max(1, len(series)), max(1, len(refs)) * 1.2] if refs else [1]
    fig = make_subplots(
        rows=1, cols=2 if refs else 1, shared_yaxes=True, column_widths=widths, horizontal_spacing=0.02
    )
    y = [row_labels[r] for r in rows]
    # One pass over plain lists: a .at lookup per cell cost ~25 ms on a 39 x 8 comparison.
    cells = [
        [v if isinstance(v, str) else None for v in row]
        for row in levels.reindex(index=rows, columns=series).astype(object).to_numpy().tolist()
    ]
    missing = t("not assessed")
    z = [[LEVEL_RANK.get(v) if v else None for v in row] for row in cells]
    text = [[LEVEL_SYMBOL.get(v, "") if v else "" for v in row] for row in cells]
    hover = [[labels.level(v) if v else missing for v in row] for row in cells]
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=[labels.wrap_label(str(c), 14) for c in series],
            y=y,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 13, "color": "#111"},
            customdata=hover,
            colorscale=_level_scale(),
            zmin=-0.5,
            zmax=2.5,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    if refs:
        vals = [
            [None if v is None or v != v else v for v in row]
            for row in averages.reindex(index=rows, columns=refs).astype(object).to_numpy().tolist()
        ]
        fig.add_trace(
            go.Heatmap(
                z=vals,
                x=[labels.wrap_label(str(c), 14) for c in refs],
                y=y,
                text=[[labels.num(v, 0) if v is not None else "" for v in row] for row in vals],
                texttemplate="%{text}",
                textfont={"size": 11, "color": "#111"},
                colorscale=SCORE_SCALE,
                zmin=0,
                zmax=100,
                showscale=False,
                xgap=2,
                ygap=2,
                hovertemplate="%{y}<br>%{x}: %{z:.1f}<extra></extra>",
            ),
            row=1,
            col=2,
        )
    _pillar_rules(fig, [r.split(".")[0] for r in rows], ("x", "x2") if refs else ("x",))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11}, automargin=True)
    fig.update_xaxes(side="top", tickangle=0)
    fig.update_layout(plot_bgcolor="#ffffff")
    return style(fig, title, illustrative=illustrative, height=190 + 22 * len(rows), extra_top=70)


def score_heatmap(
    scores: pd.DataFrame, row_labels: dict[str, str], title: str, illustrative: bool, colour_title: str
) -> go.Figure:
    """Mean scores (0-100) of groups (columns: provinces, unit types) per indicator (rows)."""
    rows = [r for r in row_labels if r in scores.index]
    fig = go.Figure(
        go.Heatmap(
            z=scores.loc[rows].to_numpy(),
            x=list(scores.columns),
            y=[row_labels[r] for r in rows],
            colorscale=SCORE_SCALE,
            zmin=0,
            zmax=100,
            xgap=1,
            ygap=1,
            colorbar={"title": {"text": colour_title, "side": "right"}, "thickness": 12},
            hovertemplate="%{y}<br>%{x}: %{z:.1f}<extra></extra>",
        )
    )
    _pillar_rules(fig, [r.split(".")[0] for r in rows])
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11}, automargin=True)
    fig.update_xaxes(side="top", tickangle=-45, tickfont={"size": 11})
    return style(fig, title, illustrative=illustrative, height=260 + 22 * len(rows), extra_top=110)


def level_shares(
    summary: pd.DataFrame, row_labels: dict[str, str], title: str, illustrative: bool
) -> go.Figure:
    """For each indicator (rows), the share of units at each level, as one stacked bar of 100 %."""
    df = summary[summary["indicator_code"].isin(row_labels)]
    y = [row_labels[c] for c in df["indicator_code"]]
    fig = go.Figure()
    for lvl in reversed(LEVELS):
        share = df[f"share_{lvl}"].astype(float) * 100
        fig.add_trace(
            go.Bar(
                y=y,
                x=share,
                orientation="h",
                name=labels.level(lvl),
                marker={"color": LEVEL_COLOUR[lvl], "line": {"color": "#333", "width": 0.3}},
                text=[f"{LEVEL_SYMBOL[lvl]} {labels.num(v, 0)}%" if v >= 8 else "" for v in share],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": "#111", "size": 10},
                customdata=df[f"n_{lvl}"],
                hovertemplate="%{y}<br>%{fullData.name}: %{x:.0f}% (%{customdata})<extra></extra>",
            )
        )
    _pillar_rules(fig, df["pillar"].tolist())
    fig.update_layout(
        barmode="stack",
        legend={"orientation": "h", "y": -40 / (200 + 22 * len(df)), "x": 0, "yanchor": "top"},
    )
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11}, automargin=True)
    return style(fig, title, illustrative=illustrative, height=200 + 22 * len(df))


def trend_lines(
    trend: pd.DataFrame, pillar_names: dict[int, str], title: str, illustrative: bool
) -> go.Figure:
    """Mean pillar and overall scores per year (one line each)."""
    fig = go.Figure()
    for p in (0, 1, 2, 3, 4):
        part = trend[trend["pillar"] == p].sort_values("year")
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["year"].astype(str),
                y=part["score"],
                mode="lines+markers",
                name=labels.wrap_label(pillar_names[p], 28),
                line={"color": "#222" if p == 0 else SERIES[p - 1], "width": 3.5 if p == 0 else 2},
                marker={"size": 8},
                customdata=[labels.units_count(n) for n in part["units"]],
                hovertemplate="%{x}: %{y:.1f} (%{customdata})<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, 100], title={"text": t("Mean score (0-100)")})
    fig.update_layout(legend={"orientation": "h", "y": -0.2, "x": 0})
    return style(fig, title, illustrative=illustrative, height=440)


def change_histogram(bins: pd.DataFrame, title: str, illustrative: bool, width: int = 5) -> go.Figure:
    """How many units' overall score fell or rose by how much (bars left of 0 fell, right of 0 rose)."""
    lows = bins["low"].astype(int).tolist()
    fig = go.Figure(
        go.Bar(
            x=[lo + width / 2 for lo in lows],
            y=bins["units"],
            width=width * 0.92,
            marker={"color": [DOWN_COLOUR if lo < 0 else UP_COLOUR for lo in lows]},
            customdata=[f"{lo:+d}…{lo + width:+d}" for lo in lows],
            hovertemplate="%{customdata}: %{y} " + t("units") + "<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_vline(x=0, line={"color": "#222", "width": 1.5})
    fig.update_xaxes(title={"text": t("Change of the overall score (points)")}, zeroline=False)
    fig.update_yaxes(title={"text": t("Number of units")}, rangemode="tozero")
    return style(fig, title, illustrative=illustrative, height=380)


def peers_bar(
    ranking: pd.DataFrame, me: str, names: dict[str, str], title: str, illustrative: bool
) -> go.Figure:
    """Overall score of the units of a small group (at most READABLE), this unit highlighted."""
    df = ranking.head(READABLE).sort_values("overall", ascending=True)
    y = [("▶ " if lid == me else "") + names.get(lid, lid) for lid in df["locality_id"]]
    fig = go.Figure(
        go.Bar(
            x=df["overall"],
            y=y,
            orientation="h",
            marker={"color": [SERIES[0] if lid == me else "#C8C8C8" for lid in df["locality_id"]]},
            text=[labels.num(v) for v in df["overall"]],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(range=[0, 110], title={"text": t("Overall score (0-100)")})
    fig.update_yaxes(title=None, automargin=True)
    return style(fig, title, illustrative=illustrative, height=_bar_height(len(df), 26, 120, 360))


def peers_histogram(bins: pd.DataFrame, score: float, title: str, illustrative: bool) -> go.Figure:
    """Where a unit's overall score falls among many peers: the peers' distribution and a line for it."""
    fig = score_histogram(bins, title, illustrative)
    band = min(int(score // 10) * 10, 90)
    fig.add_annotation(
        x=f"{band}–{band + 10}",
        y=0,
        yref="paper",
        text="▲ " + labels.num(score),
        showarrow=False,
        yshift=-2,
        yanchor="top",
        font={"color": SERIES[1], "size": 14},
    )
    return fig
