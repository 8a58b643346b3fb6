"""Every chart a page draws goes through here, so no page can show a figure whose text from
data (setting, district or area names) Plotly would render as a link or markup."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import safe_text


def show(fig: Any, **kwargs: Any) -> Any:
    """st.plotly_chart on the figure with its display text made safe (`safe_text.figure`)."""
    return st.plotly_chart(safe_text.figure(fig), **kwargs)
