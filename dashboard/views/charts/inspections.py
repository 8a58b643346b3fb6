"""Inspections: how long since each setting's last inspection."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.views.charts.style import white


def since_inspection_figure(labels: list[str], values: list[int]) -> go.Figure:
    """Settings by whole years since their last inspection, counts written on the bars."""
    fig = go.Figure(go.Bar(x=labels, y=values, marker_color="#505a5f", text=values,
                           textposition="outside"))  # fmt: skip
    white(fig).update_layout(height=320, margin=dict(t=20, b=40),
                      xaxis_title="years since last inspection",
                      yaxis_title="settings")  # fmt: skip
    return fig
