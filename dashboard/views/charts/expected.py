"""The funnel of observed against expected given intake: each setting's O/E ratio against its
expected count, with the 95% and 99.8% control limits around 1. A context chart: greys and
shapes only, never a better/worse colour, and settings are not ordered by value."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.core.catalogue import Measure
from dashboard.statistics.expected import ABOVE, BELOW, POSITION_TEXT, WITHIN, Pooled
from dashboard.views.charts.style import COMPARATOR, CONTEXT_FLAGGED, MAX_LABELS, SIMILAR, layout
from dashboard.views.presentation import lower_first

MARKS = {ABOVE: "triangle-up", BELOW: "triangle-down", WITHIN: "circle"}


def _hover(measure: Measure, part: pd.DataFrame) -> list[str]:
    return [
        f"<b>{r.name}</b><br>Observed {r.numerator:,.0f} of {r.denominator:,.0f} "
        f"({measure.format_value(r.numerator / r.denominator)}); expected {r.expected:,.1f} "
        f"({measure.format_value(r.expected_share)})<br>Observed ÷ expected {r.ratio:.2f} "
        f"(95% interval {r.lower:.2f} to {r.upper:.2f})"
        for r in part.itertuples(index=False)
    ]


def expected_funnel_figure(measure: Measure, table: pd.DataFrame, lines: dict[str, pd.DataFrame],
                           subtitle: str, demo: bool,
                           together: Pooled | None = None) -> go.Figure:  # fmt: skip
    """`table`: the selection's settings with a ratio; `lines`: "95" and "998" limits;
    `together`: the settings taken as a whole, drawn as one open diamond with its 95% interval
    where its expected total puts it (only when it sums two or more settings)."""
    fig = go.Figure()
    for name, dash, width in (("95", "dash", 1.5), ("998", "dot", 2)):
        line = lines[name]
        label = "95% control limits" if name == "95" else "99.8% control limits"
        for side, show in (("upper", True), ("lower", False)):
            fig.add_trace(go.Scatter(
                x=line["expected"], y=line[side], mode="lines", name=label, legendgroup=name,
                line=dict(color="#505a5f", dash=dash, width=width), showlegend=show,
                hoverinfo="skip",
            ))  # fmt: skip
    if not lines["998"].empty:
        fig.add_trace(go.Scatter(
            x=[lines["998"]["expected"].min(), lines["998"]["expected"].max()], y=[1, 1],
            mode="lines", line=dict(color=COMPARATOR, width=2), hoverinfo="skip",
            name="As expected given intake (ratio 1)",
        ))  # fmt: skip
    shown = table[table["ratio"].notna()]
    distance = (shown["ratio"] - 1).abs() * shown["expected"] ** 0.5
    flagged = shown["position"] != WITHIN
    labelled = set(distance[flagged].sort_values(ascending=False).index[:MAX_LABELS])
    for position in (BELOW, WITHIN, ABOVE):
        part = shown[shown["position"] == position]
        if part.empty:
            continue
        out = position != WITHIN
        fig.add_trace(go.Scatter(
            x=part["expected"], y=part["ratio"], mode="markers+text" if out else "markers",
            text=[n if i in labelled else "" for i, n in zip(part.index, part["name"],
                                                             strict=True)] if out else None,
            textposition="top center", textfont=dict(size=11),
            marker=dict(symbol=MARKS[position], size=11 if out else 8,
                        color=CONTEXT_FLAGGED if out else SIMILAR),
            name=POSITION_TEXT[position], hovertext=_hover(measure, part), hoverinfo="text",
        ))  # fmt: skip
    xs = shown["expected"]
    if together is not None and together.ratio is not None and together.summed > 1:
        assert together.lower is not None and together.upper is not None
        name = f"Taken together ({together.summed} settings)"
        fig.add_trace(go.Scatter(
            x=[together.expected], y=[together.ratio], mode="markers", name=name,
            marker=dict(symbol="diamond-open", size=15, color=COMPARATOR, line=dict(width=2)),
            error_y=dict(type="data", symmetric=False, array=[together.upper - together.ratio],
                         arrayminus=[together.ratio - together.lower], color=COMPARATOR),
            hovertext=[f"<b>{name}</b><br>Observed {together.observed:,.0f}; expected "
                       f"{together.expected:,.1f}<br>Observed ÷ expected {together.ratio:.2f} "
                       f"(95% interval {together.lower:.2f} to {together.upper:.2f})"],
            hoverinfo="text",
        ))  # fmt: skip
        xs = pd.concat([xs, pd.Series([together.expected])])
    log = len(xs) > 1 and xs.max() / max(xs.min(), 0.1) > 30
    fig.update_xaxes(title=f"Expected count given intake ({lower_first(measure.numerator)})",
                     type="log" if log else "linear")  # fmt: skip
    fig.update_yaxes(title="Observed ÷ expected", rangemode="tozero")
    return layout(fig, f"{measure.title}: observed against expected given intake", subtitle,
                  demo, 560)  # fmt: skip
