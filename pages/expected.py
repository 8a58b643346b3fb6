"""Expected given intake: each setting's figure beside the value a model of every loaded
setting expects for its intake (phase, size, free-school-meal and EAL shares), as observed ÷
expected on a funnel. Context for a conversation, never a verdict; settings are listed by name."""

import streamlit as st

from dashboard.core import catalogue, home
from dashboard.core.filters import year_label
from dashboard.core.safe_text import md
from dashboard.statistics.expected import RULE, SHOWN_CONF, funnel_lines, pooled
from dashboard.ui import cache
from dashboard.ui.components import chart
from dashboard.ui.components import groups as group_files
from dashboard.ui.components.export import chart_exports
from dashboard.ui.components.filters import (
    current_selection,
    measure_picker,
    set_url,
    url_choice,
)
from dashboard.ui.components.notices import measure_badges
from dashboard.views import expected_text, presentation

selection = current_selection()
demo = cache.is_demo()
HOME = home.current()
st.title("Expected given intake")
st.info(f"**{expected_text.CONTEXT_NOTE}**")

measure = measure_picker([m for m in catalogue.load() if m.expected], "exp_measure")
measure_id = measure.id
measure_badges(measure)
counted = presentation.lower_first(measure.numerator)

years = cache.expected_years(measure_id)
if selection.year_code not in years:
    offered = ", ".join(year_label(y) for y in years) or "none"
    st.info(
        f"No expected values for {selection.year_label}: no setting has both a published "
        f"{counted} figure and a published intake (free school meals and "
        f"EAL) that year. Years with both: {offered}. Choose one in the sidebar."
    )
    st.stop()

if note := measure.year_notes.get(selection.year_label):
    st.warning(f"**{selection.year_label}:** {note}")
fitted = cache.expected_national(measure_id, selection.year_code)
fit = fitted.fit
if fit is None:
    st.info(expected_text.no_model_text(fitted, selection.year_label))
    st.stop()

user_groups = group_files.current()  # uploaded on Compare, or carried by the link
SIDEBAR = ""  # the sidebar's selection: no group is named "" (a name is never blank)
scopes = [SIDEBAR, *(user_groups.names if user_groups else [])]
url_choice("settings", scopes, SIDEBAR, "exp_scope")
scope = st.selectbox(
    "Settings", scopes, key="exp_scope",
    format_func=lambda s: f"Your group: {s}" if s else f"The sidebar's selection: "
    f"{selection.label}",
    help="Choose one of your groups of settings (uploaded on Compare, or carried by the link) "
    "to see its members, whatever the sidebar's district and phase, for the year chosen there.",
)  # fmt: skip
if scope:
    set_url(settings=scope)
else:
    st.query_params.pop("settings", None)
if not scope or not user_groups:
    table = cache.expected_selection(measure_id, selection)
    scope_label, what = selection.label, "this selection"
else:
    members = dict(user_groups.members)[scope]
    table = cache.expected_group(measure_id, selection, members)
    scope_label = f"{scope} · {selection.year_label}"
    what = scope
shown = table[table["ratio"].notna()]
# Plotly text, not Markdown: chart.show escapes it
subtitle = f"{scope_label} · model fitted on every loaded setting"
whole = pooled(table, fitted)  # the settings taken together: in words, and on the funnel
if shown.empty:
    st.info("No setting in this selection has an expected value: see the table for why.")
else:
    lines = {c: funnel_lines(fitted, conf, upto=whole.expected if whole.ratio else None)
             for c, conf in (("95", SHOWN_CONF), ("998", RULE.conf))}  # fmt: skip
    fig = cache.figure("expected_funnel_figure", measure, shown, lines, subtitle, demo, whole)
    chart.show(fig, key=f"expected_{measure_id}")
sentence = expected_text.summary(table)
together = expected_text.pooled_text(whole, measure, what)
st.markdown(f"**In words:** {md(sentence)}")
st.markdown(md(together))
st.caption(
    "Each point is a setting: its observed count divided by the count expected given its "
    f"intake, against that expected count. Its {SHOWN_CONF:.0%} interval is in the table. "
    "The open diamond, where two or more settings have a ratio, is them taken together, with "
    f"its {SHOWN_CONF:.0%} interval. "
    f"Outside the {RULE.conf:.1%} control limits a setting is said to have more or fewer than "
    "expected; settings are listed by name, never ranked. "
    + " ".join(measure.caveats)
)  # fmt: skip

st.subheader("Settings")
frame = expected_text.settings_table(measure, table, demo)
meta = presentation.export_meta(
    measure, f"{measure.title}: observed against expected given intake", scope_label,
    selection.year_label, demo, summary=f"{sentence} {together}",
    method="Expected given intake: a model fitted on every loaded setting (Data and methods)",
    notes=(expected_text.CONTEXT_NOTE,),
)  # fmt: skip
st.dataframe(frame.drop(columns=["data_status"]), hide_index=True)
if not shown.empty:
    chart_exports(fig, meta, frame, f"expected_{measure_id}", show_table=False)

st.subheader("The model")
for line in expected_text.fit_text(fit, measure, selection.year_label, HOME.name):
    st.markdown(line)
st.dataframe(expected_text.terms_table(fit), hide_index=True)
st.caption(
    f"Each term multiplies the {fit.multiplier_name.split()[0]} of "
    f"{counted} when it rises as stated, the others held equal. These are "
    "associations across settings, not causes. How the model is fitted, and its limits: Data "
    "and methods."
)
