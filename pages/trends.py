"""Trends: a measure over academic years for Kent, districts and phases, with 95% bands,
published figures, gaps where there is no data and a plain-words summary."""

import pandas as pd
import streamlit as st

from dashboard.core import catalogue, home
from dashboard.core.filters import PHASES_BY_KEY, year_label
from dashboard.core.safe_text import md
from dashboard.figures import trends
from dashboard.figures.comparison import SINGLE_GROUPS
from dashboard.ui import cache
from dashboard.ui.components import chart
from dashboard.ui.components import groups as group_files
from dashboard.ui.components.export import chart_exports
from dashboard.ui.components.filters import current_selection, measure_picker
from dashboard.ui.components.notices import measure_badges
from dashboard.views import charts, presentation

HOME = home.current()  # the authority this dashboard serves (dashboard/core/home.py)

selection = current_selection()
measures = {m.id: m for m in catalogue.load()}
districts = cache.districts()
st.title("Trends")

measure = measure_picker(list(measures.values()), "trend_measure", "ehcp_pct")
measure_id = measure.id
phase_keys = ["all", "primary", "secondary", *[k for k in SINGLE_GROUPS if k != "primary"]]
c1, c2, c3 = st.columns([2, 2, 1])
with c1:
    phases = st.multiselect(
        "Phases", phase_keys, default=[selection.phase], key="trend_phases",
        format_func=lambda k: PHASES_BY_KEY[k].label, max_selections=3,
    )  # fmt: skip
with c2:
    chosen = st.multiselect(
        "Districts", list(districts), format_func=lambda c: districts[c], key="trend_districts",
        default=[] if selection.is_whole_authority else [selection.district], max_selections=4,
    )  # fmt: skip
with c3:
    small = st.toggle("One panel per district", key="trend_small_multiples")
user_groups = group_files.current()  # uploaded on Compare, or carried by the link
picked: list[str] = []
if user_groups and measure.grain == "setting":
    picked = st.multiselect(
        "Your groups of settings", user_groups.names, key="trend_groups", max_selections=4,
        help="Groups you uploaded on Compare (or that the link carries). A year in which a "
        "member's figure is suppressed is a gap in its group's line.",
    )  # fmt: skip
if not phases:
    st.info("Choose at least one phase.")
    st.stop()
measure_badges(measure)
demo = cache.is_demo()
subtitle = (
    f"{', '.join(PHASES_BY_KEY[p].label for p in phases)} · comparator lines for the same phases"
)

if small:
    data = cache.trend(measure_id, phases[:1], [], all_districts=True)
    reference = f"{HOME.name} ({PHASES_BY_KEY[phases[0]].label.lower()})"
    fig = charts.small_multiples_figure(data, measure, subtitle, demo, reference)
    chart.show(fig, key="trend_panels")
    if len(phases) > 1:
        st.caption(f"Panels show the first phase chosen: {PHASES_BY_KEY[phases[0]].label}.")
else:
    data = cache.trend(measure_id, phases, chosen)
    if picked and user_groups:
        extra = cache.group_trend(measure_id, phases, user_groups, picked)
        data = pd.concat([data, extra], ignore_index=True) if not extra.empty else data
    published = trends.published(cache.published_figures(), measure, phases, data)
    fig = charts.trend_figure(data, measure, published, subtitle, demo)
    chart.show(fig, key="trend_lines")

sentence = trends.summary_sentence(measure, data)
st.markdown(f"**In words:** {md(sentence)}")
span = sorted(data["year_code"].unique())
period = f"{year_label(span[0])} to {year_label(span[-1])}" if span else "no years"
meta = presentation.export_meta(measure, f"{measure.title} over time", subtitle,
                                period, demo, summary=sentence)  # fmt: skip
chart_exports(fig, meta, presentation.series_table(data, measure, demo),
              f"trend_{measure_id}_{'panels' if small else 'lines'}")  # fmt: skip
shown = {year_label(y) for y in span}
notes = [f"**{y}:** {n}" for y, n in measure.year_notes.items() if y in shown]
if notes:
    st.markdown("Shaded years and gaps: " + " ".join(notes))
st.caption(
    "Bands are 95% intervals" + (
        " for sampling variation only; absence varies between settings more than chance, so "
        "read small changes with caution." if measure.overdispersed else "."
    ) + " England and the region are computed from the loaded school-level rows (same "
    "phases, definition and suppression) in the years those rows cover them; otherwise "
    "published England figures appear, only for the same phase, with their source in the "
    "hover text. " + " ".join(measure.caveats) + f" Source: {measure.source}."
)  # fmt: skip
