"""Pilot measures and quality marks: for KAH members judging whether a measure is fair before
it is adopted. Everything here is labelled as a pilot or as opt-in."""

import pandas as pd
import streamlit as st

from dashboard.core import catalogue, home
from dashboard.core.safe_text import md
from dashboard.figures import quality_marks
from dashboard.ui import cache
from dashboard.ui.components import chart
from dashboard.ui.components.export import chart_exports
from dashboard.ui.components.filters import current_selection, measure_picker
from dashboard.ui.components.notices import caveats, measure_badges
from dashboard.views import presentation

selection = current_selection()


demo = cache.is_demo()
st.title("Pilot measures and quality marks")
st.warning(
    "**Pilot measures — under discussion.** These measures are proposals for discussion with "
    "schools, not established indicators. Read each definition and its caveats before drawing "
    "any conclusion.",
)

pilots = {m.id: m for m in catalogue.load() if m.is_pilot}
st.header("The pilot measures")
for m in pilots.values():
    with st.expander(f"{m.title} — pilot measure, under discussion"):
        measure_badges(m)
        st.markdown(f"**Definition.** {m.definition}")
        st.markdown(f"**Numerator:** {m.numerator}. **Denominator:** {m.denominator}.")
        st.markdown("**Why it is proposed, and why to be careful**")
        caveats(m)

m = measure_picker(list(pilots.values()), "pilot_measure",
                   label="Compare districts and phases for")  # fmt: skip
measure_badges(m)
st.caption(" ".join(m.caveats))
levels = [("districts", f"Districts of {md(home.current().name)}"), ("phases", "Phases")]
if len(cache.districts()) < 2:  # a unitary authority: no districts to set apart
    levels = levels[1:]
for level, label in levels:
    comp = cache.compare(m.id, selection, level, None, None, False)
    subtitle = presentation.chart_subtitle(comp)
    st.subheader(label)
    if comp.shown.empty:
        st.info("Every value is suppressed or unavailable for this selection.")
        continue
    fig = cache.comparison_figure(m.id, selection, level, None, None, False, "interval", demo)
    chart.show(fig, key=f"pilot_{m.id}_{level}")
    summary = presentation.comparison_summary(comp)
    st.caption(f"In words: {md(summary)}")
    meta = presentation.export_meta(m, f"{m.title} (pilot): {label.lower()}", subtitle,
                                    selection.year_label, demo, summary=summary)  # fmt: skip
    chart_exports(fig, meta, presentation.comparison_table(comp, demo), f"pilot_{m.id}_{level}")

st.header("Quality marks")
st.info(
    "Quality marks are **opt-in and paid for**: “no award” does not mean “not inclusive”. "
    "Settings chose to seek an award, so any difference between holders and others may reflect "
    "that choice (selection), not the award (causation)."
)
holders = cache.selection_query("award_holders", selection)
st.markdown(
    f"On 31 August {selection.year_end.year}, {selection.label}: "
    f"{(holders.iqm_level.notna() | holders.cpld_level.notna()).sum()} of {len(holders)} open "
    "settings held a current IQM (Standard / Centre of Excellence / Flagship) or CPLD (Bronze / "
    "Silver / Gold / single level) award."
)
by = st.radio(
    "Break down by",
    ["district_name", "phase"],
    horizontal=True,
    key="qm_by",
    format_func={"district_name": "District", "phase": "Phase"}.get,
)
table = quality_marks.holdings(holders, by)
fig = cache.quality_mark_share_figure(table, by, selection.label, demo)
chart.show(fig, key="qm_share")
m_qm = catalogue.get("quality_mark_pct")
show = table.rename(columns={by: "District" if by == "district_name" else "Phase"})
st.caption(
    "In words: "
    + "; ".join(f"{r[0]}: {quality_marks.share_text(r)}" for r in table.itertuples(index=False))
)
chart_exports(
    fig,
    presentation.export_meta(
        m_qm, "Settings holding a current quality mark", selection.label, selection.year_label, demo
    ),
    show,
    f"qm_share_{by}",
)

st.subheader("Award holders beside other settings")
setting_measures = [
    m for m in catalogue.load() if m.grain == "setting" and m.model in ("binomial", "poisson")
]
mid = st.selectbox(
    "Measure",
    [m.id for m in setting_measures],
    key="qm_measure",
    format_func=lambda i: catalogue.get(i).title,
)
measure = catalogue.get(mid)
units, sentence = cache.holders_vs_others(mid, selection)
fig = cache.groups_figure(
    units, mid, f"{measure.title}: award holders and others", selection.label, demo, ""
)
chart.show(fig, key="qm_holders")
st.markdown(f"**In words:** {md(sentence)}")
chart_exports(
    fig,
    presentation.export_meta(
        measure,
        f"{measure.title}: award holders and others",
        selection.label,
        selection.year_label,
        demo,
        summary=sentence,
    ),
    presentation.comparison_table_simple(units, measure, demo),
    f"qm_holders_{mid}",
)

st.subheader("Holders before and after their award")
around = cache.around_award(mid, selection)
if around.dropna(subset=["value"]).empty:
    st.info("Too few award holders with data around their award year in this selection.")
else:
    fig = cache.groups_figure(
        around,
        mid,
        f"{measure.title} around the award year",
        f"{selection.area_label} · {selection.phase_option.label} · year 0 "
        "= academic year of first award",
        demo,
        "Years from first award",
    )
    chart.show(fig, key="qm_around")
    st.caption(
        "Pooled over holders with data in each year; different settings contribute to different "
        "years, and authority-wide trends (such as rising absence after 2020) move every year. "
        "This is a description, not evidence that awards change anything."
    )
    chart_exports(
        fig,
        presentation.export_meta(
            measure, f"{measure.title} around the award", selection.label, "all years", demo
        ),
        presentation.comparison_table_simple(around, measure, demo),
        f"qm_around_{mid}",
    )

if home.current() == home.KENT:  # a Kent pilot: its register names Kent settings only
    st.header("The 2014–15 Kent SEND Workforce Reform Pilot")
    register = cache.pilot_register()
    st.markdown(
        "Twenty-four volunteer settings, 0–25 (early years, primary, secondary, special, further "
        "education colleges and work-based training providers), were audited against both marks "
        "between April 2014 and March 2015; 21 had achieved awards when the evaluation was "
        "published. The register below is as printed in the evaluation. **No figures are attached "
        "to these settings**, and a setting is linked to its URN only once a match has been "
        f"reviewed and confirmed ({register.urn.notna().sum()} confirmed so far)."
    )
    st.dataframe(
        register.assign(
            urn=[str(int(u)) if pd.notna(u) else "not matched" for u in register.urn],
            profile=[f"setting?urn={int(u)}" if pd.notna(u) else None for u in register.urn],
        )
        .rename(
            columns={
                "setting_name_as_published": "Setting (as published)",
                "pilot_phase_group": "Phase group",
                "scheme": "Scheme",
                "level": "Level",
                "notes": "Notes",
                "urn": "URN",
            }
        )
        .drop(columns=["register_row"]),
        hide_index=True,
        width="stretch",
        column_config={"profile": st.column_config.LinkColumn("Profile", display_text="Open")},
    )
