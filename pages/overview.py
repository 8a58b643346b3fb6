"""Overview: headline figures for the selection beside the authority for the same phases."""

import streamlit as st

from dashboard.core import catalogue, home
from dashboard.core.safe_text import md
from dashboard.figures import indicators
from dashboard.ui import cache
from dashboard.ui.components import groups as group_files
from dashboard.ui.components.export import table_download
from dashboard.ui.components.filters import current_selection
from dashboard.ui.components.headline import headline_card
from dashboard.ui.components.phase_grid import phase_grid

HOME = home.current()  # the authority this dashboard serves (dashboard/core/home.py)

selection = current_selection()
st.title("Overview")

summary = cache.selection_summary(selection)
st.markdown(
    f"**{selection.label}**: {summary['settings']:,} settings with census returns, "
    f"{summary['pupils']:,} pupils on roll (January census)."
)
st.caption(
    "Every figure shows its numerator, denominator and 95% interval. Figures are compared "
    f"with {selection.authority().area_label} for the same phases, never an all-phase figure "
    "for a single phase. “Not significantly different” means the interval includes that "
    "figure. Small numbers are suppressed (c) or marked low reliability (u)."
)
year_note = cache.year_notes().get(selection.year_code)
if year_note:
    st.info(f"**{selection.year_label}:** {year_note}")
landing = selection.phase == "all" and selection.is_whole_authority
if selection.phase == "all" and not landing:
    st.info(
        "All phases together mix special, alternative and mainstream provision. Choose a phase "
        "in the sidebar to compare like with like."
    )

if selection.is_whole_authority:
    headline_items = [i for i in cache.context_items() if i.headline]
    if headline_items:
        strip = st.container(key="kent_in_context")  # pages and tests tell it from the cards
        strip.subheader(f"{md(HOME.name)} against England and its statistical neighbours")
        strip.caption("DfE's published authority figures (LAIT), all state-funded schools; real in "
                   "every build. Published percentages carry no denominator, so no interval is "
                   "drawn and no difference is called significant.")  # fmt: skip
        for column, item in zip(strip.columns(len(headline_items)), headline_items, strict=True):
            seen = cache.context_glance(item.item)
            if seen is None:
                continue
            with column:
                st.metric(md(f"{item.short_title}, {seen.year}"), item.format(seen.authority),
                          help=md(item.title))  # fmt: skip
                st.caption(f"England {item.format(seen.england)} · median of "
                           f"{seen.neighbours} neighbours {item.format(seen.neighbours_median)}"
                           f" ({md(item.unit)})")  # fmt: skip
        strip.page_link(
            "../pages/context.py",
            icon="➡️",
            label=f"Every item, over time: {md(HOME.name)} in context",
        )


if summary["settings"] == 0:
    st.info("There are no settings in this selection for this year. Widen the filters.")
    st.stop()

measures = {m.id: m for m in catalogue.load()}
if landing:
    st.subheader(f"{md(HOME.name)} by phase, beside England for the same phase")
    st.caption(
        "All phases together mix special, alternative and mainstream provision, so each phase "
        f"is shown apart. Each cell: {md(HOME.name)}'s figure, its 95% interval, England's figure "
        "for "
        "the same phase and year (computed from school-level data where national rows are "
        "loaded, otherwise published where a like-for-like figure exists) and whether the "
        "interval excludes it (▲ ▼, or ● when it does not: not significantly different). "
        "Context measures are above or below, never better or worse. England – : no "
        "like-for-like England figure for that phase and year; c: suppressed; z: does not "
        "apply. A phase's heading opens its figures in full, with numerators, denominators "
        "and caveats."
    )
    phase_grid(cache.phase_grid(selection.year_code), measures, cache.is_demo(),
               selection.query_params()["year"])  # fmt: skip
    group_files.overview_section(selection, measures)
    st.stop()

table = cache.headlines(selection)
view = st.segmented_control(
    "Show as", ["Cards", "Table"], default="Cards", key="overview_view", width="content"
)
if view == "Table":
    st.dataframe(
        indicators.headline_csv(table, selection, cache.is_demo()),
        hide_index=True,
        width="stretch",
    )
else:
    for theme in dict.fromkeys(table["theme"]):
        st.subheader(theme)
        rows = list(table[table["theme"] == theme].itertuples(index=False))
        for start in range(0, len(rows), 3):  # row by row, so reading order is catalogue order
            for column, row in zip(st.columns(3), rows[start : start + 3], strict=False):
                with column:
                    headline_card(measures[row.measure_id], row)

table_download(
    "Download these figures (CSV)",
    indicators.headline_csv(table, selection, cache.is_demo()),
    f"kent-inclusion-overview-{selection.query_params()['year']}.csv",
)
group_files.overview_section(selection, measures)
