"""The home authority in context: beside its statistical neighbours, its region and England, from
DfE's published authority-level figures (LAIT). Real in every build, the demo included."""

import streamlit as st

from dashboard.core import catalogue, home
from dashboard.core.filters import Selection
from dashboard.core.safe_text import md
from dashboard.figures import context
from dashboard.ui import cache
from dashboard.ui.components import chart
from dashboard.ui.components.export import chart_exports
from dashboard.ui.components.notices import measure_badges
from dashboard.views import charts, presentation
from dashboard.views.exports import ExportMeta

HOME = home.current()  # the authority this dashboard serves (dashboard/core/home.py)

st.title(f"{md(HOME.name)} in context")
items = cache.context_items()
if not items:
    st.info("No published authority-level figures are loaded.")
    st.stop()
neighbours = cache.statistical_neighbours()
vintage = neighbours["vintage"].iloc[0] if not neighbours.empty else "not loaded"
st.markdown(
    f"{md(HOME.name)} beside its **ten statistical neighbours** (DfE, {md(vintage)}), "
    f"{md(HOME.region or 'its region')} and England, from DfE's published figures. Statistical "
    "neighbours are the authorities most like this one in context — deprivation, population "
    "and similar — **chosen by similarity, not by performance**. These are real published "
    "figures, not the demo's fictional ones."
)
st.caption("The sidebar's year, district and phase do not apply here: these are authority-wide "
           "figures as DfE publishes them, for every year it holds.")  # fmt: skip
with st.expander("Which authorities are the statistical neighbours?"):
    st.dataframe(
        neighbours.rename(columns={"neighbour_name": "authority", "neighbour_la_code": "LA code"})[
            ["authority", "LA code", "closeness"]
        ],
        hide_index=True,
    )

by_label = {f"{i.theme}: {i.short_title}": i for i in items}
choice = st.selectbox("Item", list(by_label), key="context_item")
item = by_label[choice]
series = cache.context_series(item.item)
if series.empty or context.latest_year(series) is None:
    st.info(f"No published value of this item for {md(HOME.name)}.")
    st.stop()

band = context.neighbour_band(series)
summary = context.summary(item, series, HOME.name)
subtitle = (f"{md(item.unit)}; years as LAIT labels them ({md(item.year_type.lower())}). "
            f"Band: statistical neighbours ({md(vintage)}), lowest to highest.")  # fmt: skip
st.caption(
    "No interval can be drawn: these are published percentages without the numerators and "
    "denominators behind them, so no difference here can be called statistically significant."
    + (
        " A context measure: a higher or lower value is neither good nor bad."
        if item.polarity == "context"
        else ""
    )
)
fig = charts.context_figure(series, band, item.title, item.unit, subtitle)
chart.show(fig, key="context_trend")
st.caption(f"In words: {md(summary)}")


def meta(title: str, year: str) -> ExportMeta:
    return ExportMeta(
        title=title,
        filters=f"{HOME.name}, its statistical neighbours, {HOME.region or 'its region'}, England",
        definition=item.definition.split("\n")[0], source=f"{item.source} ({item.vintage})",
        year=year, caveats=("Published figures without numerators or denominators: no interval.",
                            "Statistical neighbours are chosen by context, not performance."),
        demo=False, summary=summary,
    )  # fmt: skip


year = context.latest_year(series)
if year is None:
    st.info(f"{md(HOME.name)} has no published value for this item in any year LAIT holds.")
    st.stop()
chart_exports(fig, meta(item.title, "all years"), context.table(series), "context_trend")

st.header(f"{md(year)}: every area by value")
st.caption("Ordered by value only; no rank is given. Areas without a published value are listed "
           "in the table with LAIT's reason.")  # fmt: skip
latest = context.latest(series, year)
dots_subtitle = (f"{md(item.unit)}; {md(year)} as LAIT labels it. Ordered by value; no rank "
                 "is given.")  # fmt: skip
dots = charts.context_dots_figure(latest, f"{item.title}, {year}", item.unit, dots_subtitle)
chart.show(dots, key="context_latest")
chart_exports(dots, meta(f"{item.title}, {year}", year), context.table(latest), "context_latest")

twin = catalogue.published_twin(item.item)
# Years DfE published for the authority that the loaded school-level rows also hold.
both = [label for label in context.published_years(series)
        if context.year_code(label) in set(cache.years())]  # fmt: skip
if twin is None:
    st.header("Computed from school-level rows")
    st.caption("No measure of this dashboard has exactly this item's definition, so nothing is "
               "computed beside it.")  # fmt: skip
elif not both:
    st.header("Computed from school-level rows")
    st.caption("The loaded school-level rows hold none of the years DfE published this item "
               "for, so nothing is computed beside it.")  # fmt: skip
else:
    picked = st.selectbox("Year to compute", list(reversed(both)), key="context_computed_year")
    st.header(f"{md(picked)}: computed from school-level rows, beside the published figures")
    code = context.year_code(picked)
    assert code is not None  # `both` holds only years with a code
    published_then = context.latest(series, picked)
    measure, phase_key = twin
    comp = cache.compare(measure.id, Selection(code, phase=phase_key), "authorities", None,
                         None, False)  # fmt: skip
    demo = cache.is_demo()
    measure_badges(measure)
    st.markdown(
        f"The same definition ({md(measure.title.lower())}, "
        f"{md(comp.selection.phase_option.label.lower())}) computed from the loaded "
        "school-level rows, with 95% intervals, beside what DfE published for the same year. "
        "Small differences between the two are expected: DfE counts every pupil enrolment, "
        "while the school-level files give each setting's totals."
        + (" **Demo data — fictional settings and figures**: the computed figures are the "
           "demo's, the published ones are real." if demo else "")
    )  # fmt: skip
    st.markdown(presentation.comparison_caption(comp))
    if comp.shown.empty:
        st.info("No computed figure can be shown for this year.")
    else:
        computed_fig = cache.comparison_figure(measure.id, Selection(code, phase=phase_key),
                                               "authorities", None, None, False, "interval",
                                               demo)  # fmt: skip
        chart.show(computed_fig, key="context_computed")
        beside = context.beside_published(presentation.comparison_table(comp, demo), published_then)
        st.dataframe(beside.drop(columns=["data_status", "code"], errors="ignore"),
                     hide_index=True)  # fmt: skip
        chart_exports(
            computed_fig,
            presentation.export_meta(
                measure, f"{measure.title}: computed beside published, {picked}",
                f"{HOME.name}, its statistical neighbours, {HOME.region or 'its region'}, England",
                comp.selection.year_label, demo, method=" ".join([*comp.notes, comp.method]),
                summary=presentation.comparison_summary(comp),
            ),
            beside, "context_computed", show_table=False,
        )  # fmt: skip

with st.expander("Definition and source"):
    st.markdown(md(item.definition))
    st.caption(f"Source: {md(item.source)}, {md(item.vintage)}. Open Government Licence v3.0.")
