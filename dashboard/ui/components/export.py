"""Export controls under every chart: PNG, SVG, the CSV behind it, and the briefing pack."""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from dashboard.core.safe_text import md
from dashboard.ui import cache
from dashboard.views import anonymise, exports


@st.cache_resource(show_spinner=False)
def rendering() -> tuple[bool, str]:
    return exports.rendering_available()


def neutral_labels() -> bool:
    """The presenter's choice (sidebar): setting names replaced in every export."""
    return bool(st.session_state.get("anonymise_exports", False))


def table_download(label: str, table, file_name: str, key: str | None = None) -> None:
    """The one way a page offers a table as CSV: through `exports.table_csv` (no cell a
    spreadsheet would run), with neutral labels and no URN, in the cells or the file name,
    when the presenter has chosen them."""
    if neutral_labels():
        table = anonymise.table(table, anonymise.Labels(cache.settings_list()["name"]))
        file_name = anonymise.file_name(file_name)
    st.download_button(label, exports.table_csv(table), file_name=file_name, mime="text/csv",
                       key=key, on_click="ignore")  # fmt: skip


def chart_exports(
    fig: go.Figure | dict, meta: exports.ExportMeta, table, key: str, show_table: bool = True
) -> None:
    """Download buttons, the briefing-pack button and (unless the page already shows it) the
    chart's data as a table, the accessible alternative to the chart."""
    if show_table:
        with st.expander("Show as table"):
            st.dataframe(table.drop(columns=["data_status"], errors="ignore"), hide_index=True)
    figure = fig.to_plotly_json() if isinstance(fig, go.Figure) else fig
    slug = key.replace("_", "-")
    ok, why = rendering()
    shown_figure, shown_meta = figure, meta  # the pack keeps names; it applies the choice itself
    if neutral_labels():
        labels = anonymise.Labels(cache.settings_list()["name"])
        table = anonymise.table(table, labels)  # first: the table's order decides the letters
        figure, meta = anonymise.figure(figure, labels), anonymise.meta(meta, labels)
        slug = anonymise.file_name(slug)
    cols = st.columns([1, 1, 1, 2])
    if ok:
        cols[0].download_button("PNG", partial(exports.png, figure, meta),
                                file_name=f"{slug}.png", mime="image/png",
                                key=f"png_{key}", on_click="ignore")  # fmt: skip
        cols[1].download_button("SVG", partial(exports.svg, figure, meta),
                                file_name=f"{slug}.svg", mime="image/svg+xml",
                                key=f"svg_{key}", on_click="ignore")  # fmt: skip
    cols[2].download_button("CSV", exports.csv_bytes(table, meta), file_name=f"{slug}.csv",
                            mime="text/csv", key=f"csv_{key}", on_click="ignore")  # fmt: skip
    pack = st.session_state.setdefault("pack", [])
    titles = [item.meta.title + item.meta.filters for item in pack]
    added = shown_meta.title + shown_meta.filters in titles
    if cols[3].button("Added to briefing pack ✓" if added else "Add to briefing pack",
                      key=f"pack_{key}", disabled=added):  # fmt: skip
        pack.append(exports.PackItem(shown_figure, shown_meta))
        st.toast(f"Added “{md(shown_meta.title)}” to the briefing pack ({len(pack)} charts).")
        st.rerun()
    if not ok:
        st.caption(f"Image download is unavailable here: {why}. The CSV still works.")
