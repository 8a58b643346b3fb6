"""Every chart a page draws goes through here, so no page can show a figure whose text from
data (setting, district or area names) Plotly would render as a link or markup."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboard.core import safe_text


def show(fig: Any, **kwargs: Any) -> Any:
    """st.plotly_chart on the figure with its display text made safe (`safe_text.figure`).

    Streamlit validates a figure given as a dict by building a Figure from it, about 35 ms a
    chart on every rerun. This dict is Plotly's own output (a validated figure's
    `to_plotly_json`) with only its strings rewritten, so it is handed over as a Figure built
    without validating it again."""
    return st.plotly_chart(go.Figure(safe_text.figure(fig), _validate=False), **kwargs)
