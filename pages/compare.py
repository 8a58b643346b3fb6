"""Compare: settings, districts or phases against a like-for-like comparator, with funnel and
interval charts, a table and captions that say what chance alone would flag."""

from dataclasses import replace

import streamlit as st

from dashboard.core import catalogue, home
from dashboard.core.catalogue import verdict_rule
from dashboard.core.filters import PHASES_BY_KEY
from dashboard.core.safe_text import md
from dashboard.figures.comparison import (
    CONFIDENCE_LABELS,
    LEVELS,
    SINGLE_GROUPS,
    level_labels,
    measure_applies,
    settings_group,
)
from dashboard.ui import cache
from dashboard.ui.components import chart
from dashboard.ui.components import groups as group_files
from dashboard.ui.components.export import chart_exports, table_download
from dashboard.ui.components.filters import (
    current_selection,
    measure_picker,
    set_url,
    url_choice,
)
from dashboard.ui.components.notices import measure_badges, no_districts_stop
from dashboard.views import presentation

selection = current_selection()
measures = {m.id: m for m in catalogue.load()}
st.title("Compare")
st.caption(
    f"Units are set against the {md(home.current().name)} figure for the same phase, never an "
    "all-phase figure. "
    "Nothing is ranked: units are ordered by value with their intervals shown."
)

user_groups = group_files.manager()
left, right = st.columns([2, 1])
with left:
    measure_id = measure_picker(list(measures.values()), "cmp_measure", "ehcp_pct").id
with right:
    # a unitary authority is one district: comparing its districts would compare it with itself
    levels = [v for v in LEVELS if (v != "districts" or len(cache.districts()) > 1)
              and (v != "groups" or user_groups)]  # fmt: skip
    url_choice("level", levels, "settings", "cmp_level")
    level = st.radio("Compare", levels, format_func=level_labels().get, key="cmp_level")
measure = measures[measure_id]
if not measure_applies(measure, level):
    why = (
        f"is computed for {home.current().possessive} own areas only, not for other authorities"
        if level == "authorities"
        else "is defined only for groups of settings"
    )
    fallback = "districts" if "districts" in levels else "phases"
    st.info(md(f"{measure.title} {why}: comparing {fallback}."))
    level = fallback

group, pooled = None, False
rule = verdict_rule(level)
options = st.columns(3)
if level in ("settings", "groups"):
    choices = [g for g in SINGLE_GROUPS if selection.phase == "all" or
               PHASES_BY_KEY[g].phases == selection.phase_option.phases]  # fmt: skip
    if selection.phase not in SINGLE_GROUPS:
        with options[0]:
            group = st.selectbox(
                "Compare settings within", choices, format_func=lambda k: PHASES_BY_KEY[k].label,
                index=choices.index(settings_group(selection)), key="cmp_group",
                help="Settings are only ever compared with settings of the same phase.",
            )  # fmt: skip
if level == "settings":
    with options[1]:
        pooled = st.toggle(
            "Pool three years for small settings", key="cmp_pooled",
            help="Sums each setting's numbers over this and the two previous years.",
        )  # fmt: skip
with options[2]:
    # the catalogue's rule for this level first (the verdict every other page gives); the
    # other level only on request, and said beside the verdicts
    confidences = sorted(CONFIDENCE_LABELS, key=lambda c: c != rule.conf)
    flag_conf: float = st.radio(
        "Flag units beyond",
        confidences,
        format_func=lambda c: f"{CONFIDENCE_LABELS[c]} " + ("limits (the dashboard's rule)"
                                                      if c == rule.conf else "limits"),
        key=f"cmp_flag_{'settings' if level == 'settings' else 'areas'}",
        help="With many units compared, 95% limits flag about 1 in 20 by chance alone. "
        + rule.describe(),
    )  # fmt: skip
set_url(measure=measure_id, level=level)

if level == "districts" and cache.no_setting_placed():
    no_districts_stop()
comp = cache.compare(measure_id, selection, level, group, flag_conf, pooled, user_groups)
measure_badges(measure)
st.markdown(presentation.comparison_caption(comp))
if flag_conf != rule.conf:
    st.warning(
        f"Verdicts here are at {CONFIDENCE_LABELS[flag_conf]}, as you chose; everywhere else in "
        f"the dashboard these figures are judged at {CONFIDENCE_LABELS[rule.conf]}, so some may "
        "read differently on other pages."
    )

shown = len(comp.shown)
if comp.units.empty:
    st.info("There are no units to compare for this selection. Widen the filters.")
    st.stop()
if comp.mostly_suppressed:
    st.warning(
        f"Most values in this selection are suppressed or unreliable: {shown} of "
        f"{len(comp.units)} units can be shown. Small numbers are withheld to protect pupils; "
        "widen the selection, choose districts, or pool three years."
    )

subtitle = presentation.chart_subtitle(comp)
demo = cache.is_demo()
table = presentation.comparison_table(comp, demo)
summary = presentation.comparison_summary(comp)
meta = presentation.export_meta(
    measure, measure.title, subtitle, selection.year_label, demo,
    method=" ".join([*comp.notes, comp.method]), summary=summary,
)  # fmt: skip
if shown:
    tabs = st.tabs(["Funnel plot", "Interval chart"] if comp.funnel is not None
                   else ["Interval chart"])  # fmt: skip
    if comp.funnel is not None:
        with tabs[0]:
            funnel = cache.comparison_figure(
                measure_id, selection, level, group, flag_conf, pooled, "funnel", demo, user_groups
            )
            chart.show(funnel, key="funnel")
            st.caption(f"In words: {md(summary)}")
            marked = (
                "Points outside the limits are drawn as triangles and labelled"
                if rule.method == "funnel"
                else "Triangles mark the units called higher or lower by their own "
                f"{CONFIDENCE_LABELS[flag_conf]} interval (the verdict every page gives them), so "
                "a point close to a line may be marked otherwise than the line suggests"
            )
            st.caption(
                "Each point is a unit; the solid line is the comparator and the dashed and dotted "
                f"lines the 95% and 99.8% control limits. {marked}; hollow markers are low "
                "reliability."
            )
            chart_exports(funnel, replace(meta, title=f"{measure.title}: funnel plot"), table,
                          f"compare_funnel_{measure_id}", show_table=False)  # fmt: skip
    with tabs[-1]:
        intervals = cache.comparison_figure(
            measure_id, selection, level, group, flag_conf, pooled, "interval", demo, user_groups
        )
        chart.show(intervals, key="intervals")
        st.caption(f"In words: {md(summary)}")
        chart_exports(intervals, replace(meta, title=f"{measure.title}: values with intervals"),
                      table, f"compare_intervals_{measure_id}", show_table=False)  # fmt: skip
        if comp.funnel is None and level != "phases":
            st.caption("No funnel plot for this measure: it has no single denominator.")

st.subheader("The figures behind the charts")
st.dataframe(
    table.drop(columns=["data_status", "code"], errors="ignore"), hide_index=True, width="stretch"
)
table_download(
    "Download the data behind these charts (CSV)",
    table,
    f"kent-compare-{measure_id}-{level}-{selection.query_params()['year']}.csv",
)
