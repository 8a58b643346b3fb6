"""Comparison charts: the funnel plot and the interval (caterpillar) chart of units against
their comparator, and the highlight of one unit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core.catalogue import Measure
from dashboard.figures.comparison import Comparison
from dashboard.views.charts.style import COMPARATOR, MAX_LABELS, SYMBOLS, layout, result_style


def unit_hover(measure: Measure, units: pd.DataFrame) -> list[str]:
    out = []
    for r in units.itertuples(index=False):
        counts = (
            f"{r.numerator:,.0f} / {r.denominator:,.0f}"
            if not measure.two_groups
            else f"SEN {r.numerator:,.0f}/{r.denominator:,.0f}; "
            f"no SEN {r.numerator_b:,.0f}/{r.denominator_b:,.0f}"
        )
        flag = " · u: low reliability" if r.flag == "u" else ""
        out.append(
            f"<b>{r.label}</b><br>{measure.format_value(r.value)} "
            f"(95% interval {measure.format_value(r.lower)} to {measure.format_value(r.upper)})"
            f"<br>{counts}{flag}"
        )
    return out


def _groups(comp: Comparison):
    shown = comp.shown
    for result in ("lower", "similar", "higher", ""):
        part = shown[shown["result"] == result]
        if not part.empty:
            yield result, part


def funnel_figure(comp: Comparison, subtitle: str, demo: bool) -> go.Figure:
    """Value against denominator with the comparator and 95% / 99.8% control limits."""
    m, f = comp.measure, comp.funnel
    scale = m.multiplier
    fig = go.Figure()
    if f is not None:
        for name, dash, width in (("95", "dash", 1.5), ("998", "dot", 2)):
            label = "95% control limits" if name == "95" else "99.8% control limits"
            for side, show in (("upper", True), ("lower", False)):
                fig.add_trace(go.Scatter(
                    x=f["denominator"], y=f[f"{side}_{name}"] * scale, mode="lines",
                    line=dict(color="#505a5f", dash=dash, width=width), name=label,
                    legendgroup=name, showlegend=show, hoverinfo="skip",
                ))  # fmt: skip
        fig.add_trace(go.Scatter(
            x=[f["denominator"].min(), f["denominator"].max()],
            y=[comp.comparator * scale] * 2, mode="lines", line=dict(color=COMPARATOR, width=2),
            name=f"{comp.comparator_name}: {m.format_value(comp.comparator)}", hoverinfo="skip",
        ))  # fmt: skip
    flagged_all = comp.shown[comp.shown["result"].isin(["higher", "lower"])]
    z = (flagged_all["value"] - comp.comparator).abs() / np.sqrt(
        np.maximum(comp.comparator * (1 - min(comp.comparator, 0.999)), 1e-12)
        / flagged_all["denominator"]
    )
    labelled = set(z.sort_values(ascending=False).index[:MAX_LABELS])
    for result, part in _groups(comp):
        colour, label = result_style(m, result, comp.comparator_name)
        hollow = part["flag"] == "u"
        symbols = [SYMBOLS[result] + ("-open" if h and result else "") for h in hollow]
        flagged = result in ("higher", "lower")
        fig.add_trace(go.Scatter(
            x=part["denominator"], y=part["value"] * scale,
            mode="markers+text" if flagged else "markers",
            text=[t if i in labelled else "" for i, t in zip(part.index, part["label"],
                                                             strict=True)]
            if flagged else None,
            textposition="top center",
            textfont=dict(size=11),
            marker=dict(symbol=symbols, size=11 if flagged else 8, color=colour,
                        line=dict(width=1.5, color=colour)),
            name=label, hovertext=unit_hover(m, part), hoverinfo="text",
        ))  # fmt: skip
    dens = comp.shown["denominator"]
    log = len(dens) > 1 and dens.max() / max(dens.min(), 1) > 30
    fig.update_xaxes(title=m.denominator, type="log" if log else "linear")
    fig.update_yaxes(title=f"{m.short_title} ({m.unit})", rangemode="tozero")
    return layout(fig, f"{m.title}: funnel plot", subtitle, demo, 560)


def interval_figure(comp: Comparison, subtitle: str, demo: bool) -> go.Figure:
    """Each unit's value with its 95% interval, ordered by value. No rank numbers."""
    m = comp.measure
    scale = m.multiplier
    shown = comp.shown.sort_values("value")
    many = len(shown) > 60
    fig = go.Figure()
    for result, part in _groups(comp):
        colour, label = result_style(m, result, comp.comparator_name)
        symbols = [SYMBOLS[result] + ("-open" if f == "u" and result else "") for f in part["flag"]]
        fig.add_trace(go.Scatter(
            x=part["value"] * scale, y=part["label"], mode="markers",
            marker=dict(symbol=symbols, size=10, color=colour, line=dict(width=1.5, color=colour)),
            error_x=dict(type="data", symmetric=False,
                         array=(part["upper"] - part["value"]) * scale,
                         arrayminus=(part["value"] - part["lower"]) * scale,
                         color=colour, thickness=1.5, width=3),
            name=label, hovertext=unit_hover(m, part), hoverinfo="text",
        ))  # fmt: skip
    if comp.level == "phases":
        bench = shown.dropna(subset=["comparator"])
        fig.add_trace(go.Scatter(
            x=bench["comparator"] * scale, y=bench["label"], mode="markers",
            marker=dict(symbol="line-ns", size=18, line=dict(width=3, color=COMPARATOR)),
            name=f"{comp.comparator_name}", hoverinfo="skip",
        ))  # fmt: skip
    elif not np.isnan(comp.comparator):
        fig.add_vline(x=comp.comparator * scale, line=dict(color=COMPARATOR, width=2))
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="lines", line=dict(color=COMPARATOR, width=2),
            name=f"{comp.comparator_name}: {m.format_value(comp.comparator)}",
        ))  # fmt: skip
    fig.update_yaxes(
        categoryorder="array", categoryarray=list(shown["label"]), showticklabels=not many,
        title="" if not many else f"{len(shown)} units, ordered by value",
    )  # fmt: skip
    fig.update_xaxes(title=f"{m.short_title} ({m.unit}), with 95% interval")
    height = 330 + (6 if many else 26) * max(len(shown), 3)
    return layout(fig, f"{m.title}: values with 95% intervals", subtitle, demo, min(height, 2400))


def highlight(fig: go.Figure, units: pd.DataFrame, unit, measure: Measure, label: str) -> None:
    """Mark one unit on a funnel plot with a large open star and its name."""
    row = units[units["unit"] == unit]
    if row.empty or row["value"].isna().all():
        return
    r = row.iloc[0]
    fig.add_trace(go.Scatter(
        x=[r.denominator], y=[r.value * measure.multiplier], mode="markers+text",
        text=[label], textposition="bottom center",
        marker=dict(symbol="star-open", size=22, color="#0b0c0c", line=dict(width=2.5)),
        name=label, hoverinfo="skip",
    ))  # fmt: skip


# ------------------------------------------------------------------------------------ maps
