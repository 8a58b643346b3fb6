"""A headline card: value, denominator, interval, the like-for-like comparator, caveats."""

from __future__ import annotations

import streamlit as st

from dashboard.core.catalogue import POLARITY_LABELS, Measure
from dashboard.ui.components import notices
from dashboard.views import presentation


def headline_card(measure: Measure, row) -> None:
    text = presentation.card_text(measure, row)
    with st.container(border=True):
        st.markdown(f"**{measure.title}**")
        notices.measure_badges(measure)
        st.metric(measure.short_title, text.value, label_visibility="collapsed")
        if text.counts:
            st.caption(text.counts)
        if text.interval:
            st.caption(text.interval)
        if text.flag:
            st.caption(text.flag)
        if text.authority:
            st.caption(text.authority)
        if text.comparison:
            st.markdown(text.comparison)
        for line in text.comparators:
            st.caption(line)
        with st.expander("About this figure"):
            st.markdown(measure.definition)
            st.markdown(f"*{POLARITY_LABELS[measure.polarity]}.* Method: {measure.model_label}.")
            notices.caveats(measure)
            if row.year_note:
                st.markdown(f"**This year:** {row.year_note}")
            if row.note:
                st.markdown(row.note)
            if row.published_text:
                st.markdown(f"**Published figures:** {row.published_text}")
            st.caption(f"Source: {measure.source}")
