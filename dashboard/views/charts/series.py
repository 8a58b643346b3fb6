"""Charts over years: a setting beside its district and Kent, trends with gaps never joined and
disrupted years shaded, and small multiples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core.catalogue import Measure
from dashboard.views.charts.style import layout, rgba

SERIES_STYLE = {
    0: dict(color="#0b0c0c", dash="solid", symbol="circle"),
    1: dict(color="#0072B2", dash="dash", symbol="square"),
    2: dict(color="#6f777b", dash="dot", symbol="diamond"),
}


def series_figure(
    series: pd.DataFrame,
    measure: Measure,
    subtitle: str,
    demo: bool,
    year_notes: dict[str, str] | None = None,
) -> go.Figure:
    """Values over academic years with 95% intervals. Missing years are gaps, not lines, and
    disrupted years are shaded with their reason in the hover text."""
    scale = measure.multiplier
    years = list(dict.fromkeys(series.sort_values("year_code")["year"]))
    fig = go.Figure()
    for i, (name, part) in enumerate(series.groupby("series", sort=False)):
        part = part.set_index("year").reindex(years)
        style = SERIES_STYLE[i % 3]
        hollow = part["flag"].eq("u")
        fig.add_trace(go.Scatter(
            x=years, y=part["value"] * scale, name=name, mode="lines+markers",
            connectgaps=False,
            line=dict(color=style["color"], dash=style["dash"], width=2.5 if i == 0 else 2),
            marker=dict(symbol=[style["symbol"] + ("-open" if h else "") for h in hollow],
                        size=9, color=style["color"]),
            error_y=dict(type="data", symmetric=False,
                         array=(part["upper"] - part["value"]) * scale,
                         arrayminus=(part["value"] - part["lower"]) * scale,
                         color=style["color"], thickness=1.2, width=3),
            customdata=_origin(part),
            hovertemplate="%{x}: %{y:.2f}%{customdata}<extra>" + name + "</extra>",
        ))  # fmt: skip
    shapes, notes = [], []
    breaks = _breaks(series, years)
    for i in breaks:  # a change of URN: the predecessor's years sit before the line
        shapes.append(dict(type="line", xref="x", yref="paper", x0=i + 0.5, x1=i + 0.5, y0=0,
                           y1=1, line=dict(color="#0b0c0c", width=2, dash="dot")))  # fmt: skip
        notes.append(dict(x=i + 0.5, y=1.02, yref="paper", text="‖ change of URN",
                          showarrow=False, font=dict(size=12),
                          hovertext="Before this line: the predecessor setting's figures "
                          "(GIAS links file)"))  # fmt: skip
    for i, year in enumerate(years):
        note = (year_notes or {}).get(year)
        if note:
            shapes.append(dict(type="rect", xref="x", yref="paper", x0=i - 0.5, x1=i + 0.5,
                               y0=0, y1=1, fillcolor="#dddddd", opacity=0.5, line_width=0,
                               layer="below"))  # fmt: skip
            notes.append(dict(x=year, y=1, yref="paper", text="†", showarrow=False,
                              hovertext=note, font=dict(size=14)))  # fmt: skip
    fig.update_layout(shapes=shapes, annotations=notes)
    fig.update_xaxes(type="category", title="Academic year")
    fig.update_yaxes(title=f"{measure.short_title} ({measure.unit})", rangemode="tozero")
    fig = layout(fig, measure.title, subtitle, demo, 430)
    fig.update_layout(margin=dict(b=110))
    return fig


def _origin(part: pd.DataFrame) -> list[str]:
    """Hover text naming a year whose figure is a predecessor setting's."""
    if "predecessor" not in part:
        return [""] * len(part)
    return [" (predecessor setting)" if p is True else "" for p in part["predecessor"]]


def _breaks(series: pd.DataFrame, years: list[str]) -> list[int]:
    """Positions after which the setting's own years follow a predecessor's."""
    if "predecessor" not in series or not series["predecessor"].fillna(False).any():
        return []
    own = series[series["series"] == series["series"].iloc[0]].set_index("year")
    flags = [bool(own["predecessor"].get(y, False)) for y in years]
    return [i for i in range(len(years) - 1) if flags[i] and not flags[i + 1]]


TREND_COLOURS = ["#0b0c0c", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
TREND_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "solid", "dash"]


def _runs(present: list[bool]) -> list[list[int]]:
    """Indices of each unbroken run of True values."""
    runs, current = [], []
    for i, ok in enumerate(present):
        if ok:
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _annotate_years(fig: go.Figure, years: list[str], notes: dict[str, str]) -> None:
    fig.update_layout(shapes=[
        dict(type="rect", xref="x", yref="paper", x0=i - 0.5, x1=i + 0.5, y0=0, y1=1,
             fillcolor="#dddddd", opacity=0.45, line_width=0, layer="below")
        for i, year in enumerate(years) if notes.get(year)
    ])  # fmt: skip


def trend_figure(
    data: pd.DataFrame,
    measure: Measure,
    published: pd.DataFrame,
    subtitle: str,
    demo: bool,
) -> go.Figure:
    """Lines with 95% bands; gaps where there is no value, never interpolated; disrupted years
    shaded, with the reason written under the chart."""
    scale = measure.multiplier
    years = list(dict.fromkeys(data.sort_values("year_code")["year"]))
    fig = go.Figure()
    for i, (name, part) in enumerate(data.groupby("series", sort=False)):
        part = part.set_index("year").reindex(years)
        colour = TREND_COLOURS[i % len(TREND_COLOURS)]
        for run in _runs(part["value"].notna().to_list()):  # a band per unbroken stretch
            xs = [years[k] for k in run]
            top = list(part["upper"].iloc[run] * scale)
            bottom = list(part["lower"].iloc[run[::-1]] * scale)
            fig.add_trace(go.Scatter(
                x=xs + xs[::-1], y=top + bottom, mode="lines",
                fill="toself", fillcolor=rgba(colour, 0.15), line=dict(width=0),
                hoverinfo="skip", showlegend=False, legendgroup=name,
            ))  # fmt: skip
        fig.add_trace(go.Scatter(
            x=years, y=part["value"] * scale, name=name, mode="lines+markers", connectgaps=False,
            line=dict(color=colour, dash=TREND_DASHES[i % len(TREND_DASHES)], width=2.5),
            marker=dict(size=7, symbol=["circle-open" if f == "u" else "circle"
                                        for f in part["flag"].fillna("")]),
            legendgroup=name,
            customdata=np.stack([part["lower"] * scale, part["upper"] * scale], axis=-1),
            hovertemplate="%{x}: %{y:.2f} (95% interval %{customdata[0]:.2f} to "
            "%{customdata[1]:.2f})<extra>" + name + "</extra>",
        ))  # fmt: skip
    for j, (name, part) in enumerate(published.groupby("series", sort=False)):
        part = part[part["year_label"].isin(years)]
        fig.add_trace(go.Scatter(
            x=part["year_label"], y=part["value"] * scale, mode="markers", name=name,
            marker=dict(symbol="diamond-open" if j % 2 else "diamond", size=11,
                        color="#4c2c92", line=dict(width=2, color="#4c2c92")),
            hovertext=[f"{name}: {measure.format_value(v)} — {s}, {vt}" for v, s, vt in
                       zip(part["value"], part["source"], part["vintage"], strict=True)],
            hoverinfo="text",
        ))  # fmt: skip
    _annotate_years(fig, years, measure.year_notes)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years,
                     title="Academic year")  # fmt: skip
    fig.update_yaxes(title=f"{measure.short_title} ({measure.unit})", rangemode="tozero")
    return layout(fig, f"{measure.title} over time", subtitle, demo, 520)


def small_multiples_figure(
    data: pd.DataFrame, measure: Measure, subtitle: str, demo: bool, reference: str
) -> go.Figure:
    """One panel per district with shared axes; the authority line repeated in every panel."""
    from plotly.subplots import make_subplots

    scale = measure.multiplier
    years = list(dict.fromkeys(data.sort_values("year_code")["year"]))
    areas = [a for a in dict.fromkeys(data["series"]) if a != reference]
    cols = 4
    rows = max(1, -(-len(areas) // cols))
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=True, shared_yaxes=True,
                        subplot_titles=[a.split(" (")[0] for a in areas],
                        vertical_spacing=0.09, horizontal_spacing=0.03)  # fmt: skip
    ref = data[data["series"] == reference].set_index("year").reindex(years)
    for k, name in enumerate(areas):
        r, c = k // cols + 1, k % cols + 1
        part = data[data["series"] == name].set_index("year").reindex(years)
        fig.add_trace(go.Scatter(x=years, y=ref["value"] * scale, mode="lines",
                                 line=dict(color="#8c8c8c", dash="dot", width=1.5),
                                 name=reference, showlegend=k == 0, legendgroup="ref",
                                 connectgaps=False, hoverinfo="skip"), row=r, col=c)  # fmt: skip
        fig.add_trace(go.Scatter(
            x=years, y=part["value"] * scale, mode="lines+markers", connectgaps=False,
            line=dict(color="#0b0c0c", width=2), marker=dict(size=4),
            error_y=dict(type="data", symmetric=False,
                         array=(part["upper"] - part["value"]) * scale,
                         arrayminus=(part["value"] - part["lower"]) * scale,
                         thickness=1, width=0, color="#505a5f"),
            name="District (95% interval)", showlegend=k == 0, legendgroup="district",
            hovertemplate="%{x}: %{y:.2f}<extra>" + name + "</extra>",
        ), row=r, col=c)  # fmt: skip
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years,
                     tickangle=-90, tickfont=dict(size=9))  # fmt: skip
    fig.update_yaxes(rangemode="tozero")
    fig = layout(fig, f"{measure.title}: districts", subtitle, demo, 260 * rows + 200)
    return fig
