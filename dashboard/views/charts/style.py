"""Shared look of every chart: colour-blind-safe palette, fonts, the title/subtitle/demo-notice
frame, and the words and colours of a verdict."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.core.catalogue import Measure
from dashboard.core.config import DEMO_NOTICE

BETTER = "#0072B2"  # Okabe–Ito blue
WORSE = "#D55E00"  # Okabe–Ito vermillion
SIMILAR = "#8c8c8c"
CONTEXT_FLAGGED = "#3b3b3b"
COMPARATOR = "#0b0c0c"
FONT = dict(family="Arial, Helvetica, sans-serif", size=14, color="#0b0c0c")
MAX_LABELS = 12  # beyond this, label only the furthest flagged units; the table lists all
SYMBOLS = {
    "higher": "triangle-up",
    "lower": "triangle-down",
    "similar": "circle",
    "": "circle-open",
}


def result_style(measure: Measure, result: str, comparator_name: str) -> tuple[str, str]:
    """(colour, legend label) for a comparison result under the measure's polarity."""
    if result == "similar":
        return SIMILAR, f"Not significantly different from {comparator_name}"
    if result == "":
        return SIMILAR, "Not compared (low reliability or no comparator)"
    if measure.polarity == "context":
        word = "Above" if result == "higher" else "Below"
        return CONTEXT_FLAGGED, f"{word} {comparator_name}"
    good = (result == "higher") == (measure.polarity == "higher_better")
    word = "Higher" if result == "higher" else "Lower"
    return (BETTER if good else WORSE), (
        f"{word} than {comparator_name} ({'better' if good else 'worse'})"
    )


TEMPLATE = pio.templates["plotly_white"]


def white(fig: go.Figure) -> go.Figure:
    """Give `fig` the house template (plotly_white). Plotly validates a template afresh each
    time one is assigned by name, about 40 ms, which on a page of ten charts was a third of
    the server's time; this one was validated when Plotly made it, so it is attached without
    validating it again. Everything else set on the figure is validated as usual."""
    fig.layout._validate = False
    try:
        fig.layout.template = TEMPLATE
    finally:
        fig.layout._validate = True
    return fig


def layout(fig: go.Figure, title: str, subtitle: str, demo: bool, height: int) -> go.Figure:
    notes = subtitle + (f"<br><b>{DEMO_NOTICE}</b>" if demo else "")
    white(fig).update_layout(
        title=dict(text=f"{title}<br><sup>{notes}</sup>", x=0, xanchor="left"),
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=110 if demo else 90, b=140),
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0.01, x=0),
        hoverlabel=dict(font_size=13),
    )
    return fig


def rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"
