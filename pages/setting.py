"""Setting profile: one setting's context, measures over time beside its district and Kent for
the same phase, inspection history, awards, a labelled inspection estimate, similar settings."""

import pandas as pd
import streamlit as st

from dashboard.core import catalogue, home
from dashboard.core.filters import parse_urn
from dashboard.core.safe_text import md
from dashboard.figures import profile
from dashboard.figures.inspections import GUIDANCE
from dashboard.ui import cache
from dashboard.ui.components import chart
from dashboard.ui.components.export import chart_exports
from dashboard.ui.components.filters import set_url
from dashboard.ui.components.notices import measure_badges
from dashboard.views import presentation

st.title("Setting profile")
settings = cache.settings_list()
names = {
    r.urn: f"{r.name} — URN {r.urn}, {r.district_name}"
    + (" (closed)" if pd.notna(r.close_date) else "")
    for r in settings.itertuples()
}

state = st.session_state
if state.get("pending_urn") in names:  # a click on the setting map asked for this setting
    state["profile_urn"] = state.pop("pending_urn")
    state["_seeded_profile_urn"] = True
if "_seeded_profile_urn" not in state:
    raw = st.query_params.get("urn")
    urn = parse_urn(raw)
    urn = urn if urn in names else None
    if raw and urn is None:
        st.warning(f"No setting with URN {md(repr(raw[:20]))} is loaded; search for one below.")
    state["profile_urn"] = urn
    state["_seeded_profile_urn"] = True
urn = st.selectbox(
    "Find a setting by name or URN",
    list(names),
    format_func=lambda u: names[u],
    index=None,
    placeholder="Type part of a name or a URN",
    key="profile_urn",
)
if urn is None:
    st.query_params.pop("urn", None)
    st.info("Choose a setting to see its profile. Settings are never ranked on this page.")
    st.stop()
set_url(urn=urn)

detail = cache.setting_detail(urn)
demo = cache.is_demo()
group = cache.group_key_for(detail["phase"], detail["admissions_policy"])
cols = st.columns(4)
cols[0].markdown(f"**Type**  \n{md(detail['establishment_type'])}")
cols[1].markdown(
    f"**Phase**  \n{detail['phase']}"
    + (f" ({detail['admissions_policy'].lower()})" if detail["phase"] == "Secondary" else "")
)
cols[2].markdown(f"**District**  \n{md(detail['district_name'])}")
pupils = detail["latest_pupils"]
cols[3].markdown(
    f"**Pupils on roll**  \n{pupils:,.0f} (January {int(str(detail['latest_year'])[:4]) + 1})"
    if pd.notna(pupils)
    else "**Pupils on roll**  \nnot known"
)
st.caption(
    f"URN {urn} · ages {detail['age_low']}–{detail['age_high']} · {md(detail['sector'])} · opened "
    + (
        f"{pd.Timestamp(detail['open_date']):%d %B %Y}"
        if pd.notna(detail["open_date"])
        else "date unknown"
    )
    + (
        f" · closed {pd.Timestamp(detail['close_date']):%d %B %Y}"
        if pd.notna(detail["close_date"])
        else ""
    )
    + (" · has resourced provision or an SEN unit" if detail["resourced_provision"] else "")
)

st.header("Measures over time")
lineage_note = profile.lineage_note(cache.setting_lineage(urn))
if lineage_note:
    st.info(md(lineage_note))
st.caption(
    f"Each chart shows this setting with its 95% interval beside its district and "
    f"{md(home.current().name)} for the same phase. Gaps are years with no data or suppressed "
    "values (c); hollow markers are low reliability (u); shaded years were disrupted († hover "
    "for why)."
)
measures = [m for m in catalogue.load() if m.grain == "setting"]
themes = list(dict.fromkeys(m.theme for m in measures))


@st.fragment
def measures_over_time(urn: int) -> None:
    """One theme's charts at a time: a profile's ten charts drawn at once took seconds in the
    browser, and choosing a theme redraws only this part of the page."""
    theme = st.segmented_control("Measures", themes, default=themes[0], key="profile_theme",
                                 help="Choose a theme to see its measures over time.")  # fmt: skip
    theme = theme or themes[0]
    others = [t for t in themes if t != theme]
    st.caption(f"Also on this profile: {', '.join(others)} (choose above).")
    for column, m in zip(st.columns(2) * 3, [m for m in measures if m.theme == theme],
                         strict=False):  # fmt: skip
        with column:
            series = cache.profile_series(urn, m.id)
            measure_badges(m)
            subtitle = f"{detail['name']} · {presentation.group_text(group)}"
            fig = cache.profile_figure(urn, m.id, subtitle, demo)
            chart.show(fig, key=f"trend_{m.id}")
            table = presentation.series_table(series, m, demo)
            own = series[series["series"] == "This setting"]
            st.caption("In words: " + md(presentation.profile_sentence(m, own)))
            with st.expander("Show as table, or export"):
                st.dataframe(table, hide_index=True)
                meta = presentation.export_meta(m, f"{m.title}: {detail['name']}", subtitle,
                                                "2015/16 to latest", demo)  # fmt: skip
                chart_exports(fig, meta, table, f"profile_{urn}_{m.id}", show_table=False)


measures_over_time(urn)

st.header("Inspections")
estimate = cache.next_inspection(urn)
st.markdown(f"**Likely next inspection (estimate):** {estimate.text}")
if estimate.applies:
    st.caption(f"Rule applied: {estimate.rule} Source: {estimate.source}. An estimate only.")
else:
    st.caption(f"Guidance: {GUIDANCE}.")
tables = cache.inspection_tables(urn)
if not tables:
    st.info("No inspections on record for this setting.")
for framework, table in tables.items():
    st.markdown(f"**{framework}**")
    st.dataframe(table, hide_index=True, width="stretch")
st.caption("Grades from different inspection frameworks are shown apart and never combined.")

st.header("Quality marks")
awards = cache.setting_awards(urn)
if awards.empty:
    st.markdown("No IQM or CPLD award recorded. Quality marks are opt-in and paid for: "
                "no award does not mean not inclusive.")  # fmt: skip
else:
    st.dataframe(awards, hide_index=True)

st.header("Similar settings")
similar_ids = [m.id for m in measures if m.model in ("binomial", "poisson")]
latest = int(detail["latest_year"]) if pd.notna(detail["latest_year"]) else None


@st.fragment
def similar_settings(urn: int) -> None:
    """The measure chosen here changes only this panel, so only it reruns."""
    mid = st.selectbox("Measure", similar_ids, format_func=lambda i: catalogue.get(i).title,
                       key="similar_measure")  # fmt: skip
    if latest is None or pd.isna(pupils):
        st.info("No census data for this setting, so no similar settings can be found.")
        return
    comp = cache.similar(mid, urn, group, latest, float(pupils))
    st.markdown(" ".join(comp.notes))
    if comp.shown.empty:
        st.info("Values for these settings are suppressed in this year.")
        return
    fig = cache.similar_figure(mid, urn, group, latest, float(pupils), demo)
    chart.show(fig, key="similar_funnel")
    summary = presentation.comparison_summary(comp)
    st.caption(f"In words: {md(summary)}")
    st.caption(presentation.comparison_caption(comp))
    meta = presentation.export_meta(comp.measure, f"{comp.measure.title}: similar settings",
                                    presentation.chart_subtitle(comp), str(latest), demo,
                                    summary=summary)  # fmt: skip
    chart_exports(fig, meta, presentation.comparison_table(comp, demo), f"similar_{urn}_{mid}")


similar_settings(urn)
