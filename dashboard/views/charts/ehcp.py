"""EHC plans: caseload lines, placement mix, age and the all-authorities dot plot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.views.charts.style import layout, rgba

AREA_STYLE = {"authority": ("#0b0c0c", "solid"), "national": ("#0072B2", "dash"),
              "regional": ("#8c8c8c", "dot")}  # fmt: skip


def ehcp_lines_figure(wide: pd.DataFrame, y: str, y_title: str, title: str, subtitle: str,
                      demo: bool, pct: bool = False, band: tuple[str, str] | None = None,
                      hover_den: str | None = None,
                      shade: tuple[str, str, str] | None = None,
                      hover_col: str | None = None) -> go.Figure:  # fmt: skip
    """One line per area (authority, region, England) over periods; optional 95% band, and
    an optional shaded run of periods (first, last, label), e.g. a change of definition;
    `hover_col` names a column of ready-made hover sentences (with their denominators)."""
    fig = go.Figure()
    scale = 100 if pct else 1
    for level, part in wide.groupby("area_level", sort=False):
        colour, dash = AREA_STYLE[level]
        name = part["area_name"].iloc[0]
        if band and level == "authority":
            xs = list(part["period"])
            fig.add_trace(go.Scatter(
                x=xs + xs[::-1],
                y=list(part[band[1]] * scale) + list(part[band[0]][::-1] * scale),
                fill="toself", fillcolor=rgba(colour, 0.15), line=dict(width=0),
                mode="lines", hoverinfo="skip", name=f"{name}: 95% interval",
            ))  # fmt: skip
        hover = list(part[hover_col]) if hover_col else None
        if hover_den and not hover_col:
            hover = [
                f"{name}, {p}: {v * scale:.1f}{'%' if pct else ''} of {d:,.0f}"
                for p, v, d in zip(part["period"], part[y], part[hover_den], strict=True)
            ]
        fig.add_trace(go.Scatter(
            x=part["period"], y=part[y] * scale, name=name, mode="lines+markers",
            line=dict(color=colour, dash=dash, width=2.5), hovertext=hover,
            hoverinfo="text" if hover else None,
        ))  # fmt: skip
    fig.update_xaxes(type="category", title="",
                     categoryorder="array", categoryarray=sorted_periods(wide))  # fmt: skip
    if shade:
        order = sorted_periods(wide)
        if shade[0] in order and shade[1] in order:
            x0, x1 = order.index(shade[0]) - 0.5, order.index(shade[1]) + 0.5
            fig.add_shape(
                type="rect",
                xref="x",
                yref="paper",
                x0=x0,
                x1=x1,
                y0=0,
                y1=1,
                fillcolor="#dddddd",
                opacity=0.5,
                line_width=0,
                layer="below",
            )
            fig.add_annotation(x=(x0 + x1) / 2, y=1.02, yref="paper", text=shade[2],
                               showarrow=False, font=dict(size=12))  # fmt: skip
    fig.update_yaxes(title=y_title, rangemode="tozero")
    return layout(fig, title, subtitle, demo, 460)


def sorted_periods(wide: pd.DataFrame) -> list[str]:
    """Period labels in time order (the labels themselves do not sort)."""
    return list(dict.fromkeys(wide.sort_values("period_code")["period"]))


def placement_figure(long: pd.DataFrame, subtitle: str, demo: bool) -> go.Figure:
    """Placement shares over time, one panel per placement, authority beside England."""
    from plotly.subplots import make_subplots

    places = list(dict.fromkeys(long["placement"]))
    fig = make_subplots(rows=1, cols=len(places), subplot_titles=places, shared_yaxes=False)
    shown = set()
    for c, place in enumerate(places, start=1):
        for level, part in long[long["placement"] == place].groupby("area_level", sort=False):
            colour, dash = AREA_STYLE[level]
            name = part["area"].iloc[0]
            fig.add_trace(go.Scatter(
                x=part["period"], y=part["share"] * 100, mode="lines+markers", name=name,
                line=dict(color=colour, dash=dash, width=2), legendgroup=name,
                showlegend=name not in shown,
                hovertext=[f"{name}, {p}: {s:.1%} ({n:,.0f} of {a:,.0f} plans)" for p, s, n, a
                           in zip(part["period"], part["share"], part["plans"],
                                  part["all_plans"], strict=True)],
                hoverinfo="text",
            ), row=1, col=c)  # fmt: skip
            shown.add(name)
    fig.update_xaxes(type="category", tickangle=-60, tickfont=dict(size=10))
    fig.update_yaxes(rangemode="tozero")  # every panel from zero: no exaggerated wiggles
    fig.update_yaxes(title_text="% of plans", col=1)
    return layout(fig, "Where children and young people with EHC plans are placed", subtitle,
                   demo, 470)  # fmt: skip


def dotplot_figure(wide: pd.DataFrame, label: str, pct: bool, subtitle: str, demo: bool):
    """Every authority as a dot; this authority, its region and England highlighted. Sorted
    by nothing but value along one axis: no rank numbers."""
    scale = 100 if pct else 1
    fig = go.Figure()
    styles = {
        "Other authorities": dict(symbol="circle", size=8, color="#b1b4b6"),
        "Same region": dict(symbol="circle-open", size=9, color="#0072B2"),
        "This authority": dict(symbol="star", size=18, color="#0b0c0c"),
    }
    rng = np.random.default_rng(7)
    for group, style in styles.items():
        part = wide[wide["group"] == group]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["value"] * scale, y=rng.uniform(-0.3, 0.3, len(part)) if group !=
            "This authority" else [0] * len(part), mode="markers+text" if group ==
            "This authority" else "markers", text=part["area_name"] if group ==
            "This authority" else None, textposition="top center", marker=style, name=group,
            hovertext=[f"{n}: {v * scale:,.1f}{'%' if pct else ''}" for n, v in
                       zip(part["area_name"], part["value"], strict=True)], hoverinfo="text",
        ))  # fmt: skip
    for group, dash in (("England", "solid"), ("Region", "dash")):
        part = wide[wide["group"] == group]
        if not part.empty:
            v = part["value"].iloc[0] * scale
            fig.add_vline(x=v, line=dict(color="#505a5f", dash=dash, width=2))
            name = f"{part['area_name'].iloc[0]}: {v:,.1f}{'%' if pct else ''}"
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=name,
                                     line=dict(color="#505a5f", dash=dash, width=2)))  # fmt: skip
    fig.update_yaxes(visible=False, range=[-1, 1])
    fig.update_xaxes(title=label)
    return layout(fig, f"{label}: every English authority", subtitle, demo, 380)


def age_figure(ages: pd.DataFrame, demo: bool) -> go.Figure:
    """Each area's plans by age (ehcp.age_shares), grouped bars in the areas' own colours."""
    fig = go.Figure()
    for level, part in ages.groupby("area_level", sort=False):
        colour, _ = AREA_STYLE[level]
        name = part["area_name"].iloc[0]
        fig.add_trace(go.Bar(x=part["breakdown"], y=part["share"] * 100, name=name,
                             marker_color=colour))  # fmt: skip
    fig.update_layout(barmode="group")
    fig.update_yaxes(title="% of the area's plans")
    return layout(fig, "EHC plans by age of the child or young person", "", demo, 420)
