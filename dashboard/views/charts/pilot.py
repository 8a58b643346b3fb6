"""Pilot measures and quality marks: distributions, shares holding an award, and groups
(holders beside others, years around an award)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core.catalogue import Measure
from dashboard.views.charts.style import layout

GROUP_COLOURS = ["#0b0c0c", "#0072B2", "#8c8c8c", "#56B4E9"]


def distribution_figure(data: pd.DataFrame, title: str, subtitle: str, demo: bool,
                        order: list[str]) -> go.Figure:  # fmt: skip
    """Shares of settings by grade for several groups side by side. Grades are categories in
    their own framework's order; groups (selection, Kent, published) get neutral colours and
    every bar is labelled with its percentage."""
    fig = go.Figure()
    for i, (group, part) in enumerate(data.groupby("group", sort=False)):
        part = part.set_index("grade_label").reindex(order)
        fig.add_trace(go.Bar(
            y=order, x=part["share"] * 100, orientation="h", name=group,
            marker=dict(color=GROUP_COLOURS[i % 4],
                        pattern=dict(shape=["", "/", ".", "x"][i % 4])),
            text=[f"{v:.0%}" if pd.notna(v) else "" for v in part["share"]],
            textposition="outside",
            hovertext=[f"{group}: {n:.0f} settings" if pd.notna(n) else f"{group}: published"
                       for n in part.get("settings", pd.Series(index=part.index))],
            hoverinfo="text",
        ))  # fmt: skip
    fig.update_layout(barmode="group")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], title="")
    fig.update_xaxes(title="% of settings", range=[0, 105])
    return layout(fig, title, subtitle, demo, 300 + 34 * len(order) * data["group"].nunique())


def bar_share_figure(table: pd.DataFrame, by: str, title: str, subtitle: str, demo: bool):
    """Share of settings holding an award, with 95% intervals, by district or phase."""
    t = table.sort_values("share")
    fig = go.Figure(go.Bar(
        y=t[by], x=t["share"] * 100, orientation="h", marker_color="#6f777b",
        error_x=dict(type="data", symmetric=False, array=(t["upper"] - t["share"]) * 100,
                     arrayminus=(t["share"] - t["lower"]) * 100, color="#0b0c0c"),
        text=[f"{a:.0f} of {n:.0f}" for a, n in zip(t["any_award"], t["settings"], strict=True)],
        textposition="inside", name="Settings holding a current IQM or CPLD award",
    ))  # fmt: skip
    fig.update_xaxes(title="% of settings (95% interval)")
    return layout(fig, title, subtitle, demo, 220 + 28 * len(t))


def groups_figure(units: pd.DataFrame, measure: Measure, title: str, subtitle: str, demo: bool,
                  x_title: str = "") -> go.Figure:  # fmt: skip
    """A few groups' values with 95% intervals (holders/others, or years around an award)."""
    u = units.dropna(subset=["value"])
    scale = measure.multiplier
    fig = go.Figure(go.Scatter(
        x=[str(x) for x in u["unit"]], y=u["value"] * scale, mode="markers+lines"
        if x_title else "markers",
        marker=dict(size=11, color="#0b0c0c",
                    symbol=["circle-open" if f == "u" else "circle" for f in u["flag"]]),
        line=dict(color="#6f777b", dash="dot"),
        error_y=dict(type="data", symmetric=False, array=(u["upper"] - u["value"]) * scale,
                     arrayminus=(u["value"] - u["lower"]) * scale, color="#0b0c0c"),
        name=measure.short_title,
    ))  # fmt: skip
    fig.update_xaxes(type="category", title=x_title)
    fig.update_yaxes(title=f"{measure.short_title} ({measure.unit})", rangemode="tozero")
    return layout(fig, title, subtitle, demo, 420)


# ------------------------------------------------------------------------- EHC plans (LA)
