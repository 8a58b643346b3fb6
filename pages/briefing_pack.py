"""Briefing pack: the charts a presenter has collected, in order, as one PowerPoint file."""

from functools import partial

import streamlit as st

from dashboard.core import home
from dashboard.core.safe_text import md
from dashboard.ui import cache
from dashboard.ui.components.export import neutral_labels, rendering
from dashboard.views import anonymise, exports

st.title("Briefing pack")
pack = st.session_state.setdefault("pack", [])
st.markdown(
    "Add charts from any page with **Add to briefing pack**. Each becomes a slide with the "
    "chart, its caption, caveats and source; the pack opens with a title slide and closes with "
    "“About these data”."
)
if not pack:
    st.info("The briefing pack is empty. Use “Add to briefing pack” under any chart.")
    st.stop()


def _move(i: int, step: int) -> None:
    j = i + step
    if 0 <= j < len(pack):
        pack[i], pack[j] = pack[j], pack[i]


def _remove(i: int) -> None:
    pack.pop(i)


for i, item in enumerate(pack):
    c1, c2, c3, c4 = st.columns([8, 1, 1, 1])
    # titles and filters carry setting and area names from data: shown as text, never Markdown
    c1.markdown(
        f"**{i + 1}. {md(item.meta.title)}**  \n{md(item.meta.filters)} · {md(item.meta.year)}"
    )
    c2.button("↑", key=f"up_{i}", on_click=_move, args=(i, -1), disabled=i == 0,
              help="Move up")  # fmt: skip
    c3.button("↓", key=f"down_{i}", on_click=_move, args=(i, 1), disabled=i == len(pack) - 1,
              help="Move down")  # fmt: skip
    c4.button("Remove", key=f"remove_{i}", on_click=_remove, args=(i,))

title = st.text_input(
    "Title slide", f"Inclusion in {home.current().name}: briefing", key="pack_title"
)
demo = cache.is_demo()
sources = cache.sources()
about = exports.about() + [
    f"Data: {r.dataset} ({r.publisher}, {r.vintage})" for r in sources.itertuples()
]
neutral = neutral_labels()
st.caption("Setting names: " + ("replaced with neutral labels (Setting A, B…), URNs left out "
           "— the About slide says so." if neutral else "shown as published. To replace them "
           "with neutral labels, switch on “Neutral setting labels in exports” in the "
           "sidebar."))  # fmt: skip
labels = anonymise.Labels(cache.settings_list()["name"]) if neutral else None
ok, why = rendering()
if ok:
    st.download_button(
        f"Download PowerPoint ({len(pack)} charts)",
        partial(exports.briefing_pack, list(pack), title, about, demo, labels=labels),
        file_name="kent-inclusion-briefing.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        type="primary", on_click="ignore", key="pack_download",
    )  # fmt: skip
else:
    st.warning(f"The pack cannot be built here: {why}. Chart CSVs remain available.")
