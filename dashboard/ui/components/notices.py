"""Standing notices: the demo-data banner, pilot badges and caveat boxes."""

from __future__ import annotations

import streamlit as st

from dashboard.core import home
from dashboard.core.catalogue import Measure
from dashboard.core.config import DEMO_NOTICE
from dashboard.core.safe_text import md


def demo_banner() -> None:
    name = home.current().name
    st.warning(
        f"**{DEMO_NOTICE}.** Every setting, its name and every setting-level figure on these "
        "pages is invented for demonstration. Real and published: the districts and their "
        "boundaries, the published figures, the authority-level EHC plans figures, and DfE's "
        f"authority figures beside the statistical neighbours ({md(name)} in context, and the "
        f"Overview's first row for all of {md(name)}).",
        icon="⚠️",
    )


def measure_badges(measure: Measure) -> None:
    if measure.is_pilot:
        st.badge("Pilot measure — under discussion", color="orange")
    if measure.is_context:
        st.badge("Context measure — not good or bad", color="gray")


def caveats(measure: Measure) -> None:
    for c in measure.caveats:
        st.markdown(f"- {c}")


NO_DISTRICTS = (
    "**No setting has a district yet.** The files loaded so far (performance-tables spine, "
    "census, EES files…) do not record one, so there is nothing to show by district or on a "
    "map. Load a GIAS establishment extract to place every setting: "
    "`python -m dashboard.ingest ingest edubasealldata<date>.csv`."
)


def no_districts_stop() -> None:
    """Stop a district view with the real reason and the load that fixes it, instead of an
    empty map with codes for names and 'nan%'."""
    st.warning(NO_DISTRICTS)
    st.stop()


def unplaced_notice(count: int, district_name: str | None) -> None:
    """Settings without a district count in Kent's figures but in no district's: say so."""
    if not count:
        return
    text = (
        f"{count:,} open settings have no district recorded yet (known only from files "
        f"without one): they count in {home.current().possessive} figures but in no district's, "
        "and are not on the "
        "map. Load a GIAS extract to place them."
    )
    st.sidebar.caption(text)
    if district_name:
        st.info(f"{md(district_name)}: {text}")


def reconstructed_notice(year_label: str) -> None:
    """Absence counts rebuilt from percentages look like counts; say they are approximate."""
    st.info(
        f"Absence figures for {year_label} come from the performance tables, which publish "
        "percentages only: the counts shown (persistently absent pupils, sessions missed) are "
        "rebuilt from those percentages and January pupils on roll, so numerators, denominators "
        "and intervals are approximate."
    )
