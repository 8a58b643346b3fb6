"""The landing grid: one row per measure, one column per phase, the authority beside England
for the same phase. A column's button opens that phase's Overview."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core.catalogue import Measure
from dashboard.core.filters import PHASES_BY_KEY
from dashboard.ui.components.export import table_download
from dashboard.ui.components.notices import measure_badges
from dashboard.views import presentation

# column headings short enough to sit on one line in a narrow column
SHORT = {"primary": "Primary", "secondary": "Secondary", "secondary-selective": "Grammar",
         "secondary-non-selective": "Non-sel.", "special": "Special",
         "alternative-provision": "AP / PRU"}  # fmt: skip


def _open(key: str) -> None:
    st.session_state["pending_phase"] = key


def phase_grid(grid: pd.DataFrame, measures: dict[str, Measure], is_demo: bool,
               year_slug: str) -> None:  # fmt: skip
    phases = list(dict.fromkeys(grid["phase"]))
    widths = [2.2] + [1.0] * len(phases)
    head = st.columns(widths)
    head[0].markdown("**Measure**")
    for column, key in zip(head[1:], phases, strict=True):
        label = PHASES_BY_KEY[key].label
        column.button(f"**{SHORT.get(key, label)}** ›", key=f"grid_open_{key}", on_click=_open,
                      args=(key,), help=f"Open: {label}, every figure in full",
                      width="stretch")  # fmt: skip
    # one pass over the grid: filtering it per measure cost ~10 ms a row (Arrow-backed columns)
    by_cell = {(r.measure_id, r.phase): r for r in grid.itertuples(index=False)}
    for theme in dict.fromkeys(m.theme for m in measures.values()):
        st.markdown(f"##### {theme}")
        for m in (m for m in measures.values() if m.theme == theme):
            cells = st.columns(widths, border=True)
            with cells[0]:
                st.markdown(f"**{m.title}** ({m.unit})")
                measure_badges(m)
            for column, key in zip(cells[1:], phases, strict=True):
                # each cell names its phase: on a narrow screen the columns stack, and a
                # figure without its phase would be read against the wrong one
                column.caption(SHORT.get(key, PHASES_BY_KEY[key].label))
                column.markdown(presentation.grid_cell(m, by_cell[m.id, key]))
    table_download(
        "Download the grid (CSV)",
        presentation.grid_table(grid, measures, is_demo),
        f"kent-inclusion-by-phase-{year_slug}.csv",
        key="grid_csv",
    )
