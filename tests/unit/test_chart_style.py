"""Every chart carries the house template, and attaching it quickly does not switch off
Plotly's checking of what a chart sets afterwards (a mistyped property must still fail)."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard.views.charts import style


def test_charts_are_drawn_on_the_white_template_whatever_the_default():
    before = pio.templates.default
    pio.templates.default = "plotly_dark"  # Streamlit sets its own default when imported
    try:
        fig = style.layout(go.Figure(go.Bar(x=[1], y=[2])), "Title", "Sub", False, 300)
    finally:
        pio.templates.default = before
    layout = fig.to_plotly_json()["layout"]
    assert layout["template"]["layout"]["plot_bgcolor"] == "white"
    assert layout["height"] == 300


def test_a_mistyped_property_still_fails_after_the_template_is_attached():
    fig = style.white(go.Figure())
    with pytest.raises(ValueError):
        fig.update_layout(hieght=300)
    fig.add_trace(go.Bar(x=[1], y=[2]))
    with pytest.raises(ValueError):
        fig.update_traces(colour="red")


def test_changing_one_figure_leaves_the_shared_template_alone():
    fig = style.white(go.Figure())
    fig.layout.template.layout.plot_bgcolor = "red"
    assert style.white(go.Figure()).layout.template.layout.plot_bgcolor == "white"
