"""Kent in context: published authority series beside statistical neighbours, region and
England, and the latest year as dots."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.views.charts.style import layout, rgba


def context_figure(series: pd.DataFrame, band: pd.DataFrame, title: str, unit: str,
                   subtitle: str) -> go.Figure:  # fmt: skip
    """An authority over time beside its statistical neighbours (a band from lowest to
    highest, with their median), its region and England. Published figures only: never
    stamped as demo data."""
    fig = go.Figure()
    years = list(band["year_label"])
    have = band["count"] > 0
    xs = [y for y, h in zip(years, have, strict=True) if h]
    lows = band.loc[have, "min"].tolist()
    highs = band.loc[have, "max"].tolist()
    if xs:
        fig.add_trace(go.Scatter(
            x=xs + xs[::-1], y=highs + lows[::-1], fill="toself",
            fillcolor=rgba("#56B4E9", 0.25), line=dict(width=0), mode="lines",
            hoverinfo="skip", name="Statistical neighbours: lowest to highest",
        ))  # fmt: skip
        fig.add_trace(go.Scatter(
            x=xs, y=band.loc[have, "median"], mode="lines", name="Neighbours' median",
            line=dict(color="#0072B2", dash="dot", width=2),
            hovertext=[f"Neighbours' median, {y}: {m:,.2f} ({int(c)} authorities)"
                       for y, m, c in zip(xs, band.loc[have, "median"], band.loc[have, "count"],
                                          strict=True)], hoverinfo="text",
        ))  # fmt: skip
    styles = {"england": ("#505a5f", "dash", 2), "region": ("#8c8c8c", "dashdot", 2),
              "authority": ("#0b0c0c", "solid", 4)}  # fmt: skip
    for role, (colour, dash, width) in styles.items():
        part = series[series["role"] == role]
        if part.empty:
            continue
        name = str(part["area_name"].iloc[0])
        fig.add_trace(go.Scatter(
            x=part["year_label"], y=part["value"], mode="lines+markers", name=name,
            line=dict(color=colour, dash=dash, width=width),
            hovertext=[f"{name}, {y}: " + ("not published" if pd.isna(v) else
                                                        f"{v:,.2f}")
                       for y, v in zip(part["year_label"], part["value"], strict=True)],
            hoverinfo="text",
        ))  # fmt: skip
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years, title="")
    fig.update_yaxes(title=unit, rangemode="tozero")
    return layout(fig, title, subtitle, False, 470)


def context_dots_figure(latest: pd.DataFrame, title: str, unit: str, subtitle: str) -> go.Figure:
    """One year: every area as a dot along one axis, ordered by value, labelled by name and
    never numbered; the authority, its region and England marked apart."""
    part = latest[latest["value"].notna()]
    marks = {"neighbour": dict(symbol="circle", size=11, color="#56B4E9"),
             "authority": dict(symbol="star", size=18, color="#0b0c0c"),
             "region": dict(symbol="diamond", size=12, color="#8c8c8c"),
             "england": dict(symbol="square", size=12, color="#505a5f")}  # fmt: skip
    names = {"neighbour": "Statistical neighbour", "authority": None, "region": None,
             "england": None}  # fmt: skip
    fig = go.Figure()
    for role, marker in marks.items():
        rows = part[part["role"] == role]
        if rows.empty:
            continue
        label = names[role] or str(rows["area_name"].iloc[0])
        fig.add_trace(go.Scatter(
            x=rows["value"], y=[str(n) for n in rows["area_name"]], mode="markers",
            marker=marker, name=label,
            hovertext=[f"{n!s}: {v:,.2f}"
                       for n, v in zip(rows["area_name"], rows["value"], strict=True)],
            hoverinfo="text",
        ))  # fmt: skip
    order = [str(n) for n in part["area_name"]]
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order, title="")
    fig.update_xaxes(title=unit, rangemode="tozero")
    return layout(fig, title, subtitle, False, 120 + 32 * len(part))
