"""The house style of every chart (core/figstyle.py): the same figure plotly's own calls would give."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from core import figstyle


def _styled_the_slow_way(fig: go.Figure, title: str, illustrative: bool, height: int | None) -> go.Figure:
    """What style() did with update_layout and the plotly_white template before it was made fast."""
    wrapped = figstyle.wrap_label(title, figstyle.TITLE_WIDTH)
    lines = wrapped.count("<br>") + 1
    fig.update_layout(
        template=figstyle._house_template(),
        title={"text": wrapped, "x": 0, "xanchor": "left", "font": {"size": 16}},
        font={"family": figstyle.FONT, "size": 13, "color": "#222"},
        separators=figstyle.separators(),
        margin={"l": 10, "r": 10, "t": 40 + 22 * lines, "b": 10},
        legend={"title": {"text": "Nhóm"}},
        hoverlabel={"font": {"family": figstyle.FONT}},
    )
    if height:
        fig.update_layout(height=height + 22 * (lines - 1))
    if illustrative:
        fig.update_layout(
            title={"subtitle": {"text": "⚠ x", "font": {"color": "#8A5A00", "size": 12}}},
            margin={"t": int(fig.layout.margin.t) + 22},
        )
    return fig


def _figure() -> go.Figure:
    # A chart that sets some of the same properties before the house style runs: they must merge.
    fig = go.Figure(go.Bar(x=["Thủy Nguyên", "Thuỷ Nguyên 2"], y=[61.5, 70]))
    fig.update_layout(legend={"orientation": "h", "y": -0.2}, title={"y": 0.95}, margin={"l": 80})
    return fig


@pytest.mark.parametrize("illustrative,height", [(False, None), (True, 420)])
def test_style_merges_like_update_layout(illustrative, height):
    title = "Điểm trung bình theo trụ cột của các đơn vị đã tự đánh giá năm 2023"
    fast = figstyle.style(_figure(), title, illustrative=illustrative, height=height, legend_title="Nhóm")
    slow = _styled_the_slow_way(_figure(), title, illustrative, height)
    a, b = fast.to_plotly_json()["layout"], slow.to_plotly_json()["layout"]
    if illustrative:  # the mark's text is translated; compare its place and look only
        a["title"]["subtitle"]["text"] = b["title"]["subtitle"]["text"] = "x"
    assert a == b
    assert a["legend"]["orientation"] == "h" and a["margin"]["l"] == 10 and a["title"]["y"] == 0.95


def test_every_figure_gets_the_white_house_template():
    import streamlit.elements.plotly_chart  # noqa: F401 - Streamlit makes its theme plotly's default

    # A figure built while another template is the default gets the house one when styled ...
    pio.templates.default = "streamlit"
    fig = figstyle.style(go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])), "Lưới")
    template = fig.to_plotly_json()["layout"]["template"]
    white = pio.templates["plotly_white"].to_plotly_json()
    assert template["layout"] == white["layout"]
    assert set(template["data"]) == set(figstyle._TRACES)
    assert template["data"]["heatmap"] == white["data"]["heatmap"]
    # ... and the figures after it are built with it.
    later = go.Figure(go.Bar(x=[1], y=[2])).to_plotly_json()["layout"]["template"]
    assert later == template


def test_the_template_covers_every_trace_type_the_project_draws():
    """A trace type missing from the house template would lose plotly_white's look for it."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    used = {
        name.lower()
        for folder in ("ui", "reports", "core", "pages")
        for path in (root / folder).rglob("*.py")
        for name in re.findall(r"\bgo\.([A-Z][A-Za-z]+)\(", path.read_text(encoding="utf-8"))
        if name not in {"Figure"}
    }
    assert used and used <= set(figstyle._TRACES), used - set(figstyle._TRACES)


@pytest.mark.parametrize("plots", [1, 2])
def test_pillar_rules_are_the_lines_add_hline_draws(plots):
    """ui/charts._pillar_rules writes at once the shapes plotly's add_hline would add, one per pillar
    change and plot, in the same order."""
    from plotly.subplots import make_subplots

    from ui.charts import _pillar_rules

    rows = ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "4.1", "4.2"]

    def figure() -> go.Figure:
        fig = make_subplots(rows=1, cols=plots, shared_yaxes=True)
        for col in range(1, plots + 1):
            fig.add_trace(go.Heatmap(z=[[1]] * len(rows)), row=1, col=col)
        return fig

    slow = figure()
    for i in range(1, len(rows)):
        if rows[i][0] != rows[i - 1][0]:
            slow.add_hline(y=i - 0.5, line={"color": "#222", "width": 2})
    fast = figure()
    _pillar_rules(fast, [r[0] for r in rows], ("x", "x2")[:plots])
    shapes = fast.to_plotly_json()["layout"]["shapes"]
    assert shapes == slow.to_plotly_json()["layout"]["shapes"] and len(shapes) == 3 * plots
