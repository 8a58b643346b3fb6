"""Global filters in the sidebar: kept in session state so they persist across pages, and
mirrored in the URL so a copied link reopens the same view."""

from __future__ import annotations

import streamlit as st

from dashboard.core import home
from dashboard.core.catalogue import Measure
from dashboard.core.filters import (
    PHASE_OPTIONS,
    PHASES_BY_KEY,
    Selection,
    parse_query_params,
    year_label,
)
from dashboard.core.safe_text import md
from dashboard.ui import cache

_KEYS = ("f_year", "f_district", "f_phase")


def global_filters() -> Selection:
    years = cache.years()
    districts = cache.districts()
    state = st.session_state
    stale = state.get("f_year") not in years or (state.get("f_district") not in ("all", *districts))
    pending = state.pop("pending_district", None)  # a click on a map asked for a district
    if pending in districts:
        state.f_district = pending
    phase = state.pop("pending_phase", None)  # a click on the landing grid asked for a phase
    if phase in PHASES_BY_KEY:
        state.f_phase = phase
    if "filters_ready" not in state or stale:
        selection, messages = parse_query_params(st.query_params.to_dict(), years, districts)
        state.f_year = selection.year_code
        state.f_district = selection.district
        state.f_phase = selection.phase
        state.filter_messages = messages
        state.filters_ready = True

    with st.sidebar:
        st.subheader("Filters")
        st.selectbox("Academic year", years, format_func=year_label, key="f_year")
        st.selectbox(
            "District",
            ["all", *districts],
            format_func=lambda c: f"All of {home.current().name}" if c == "all" else districts[c],
            key="f_district",
        )
        st.selectbox(
            "Phase",
            [p.key for p in PHASE_OPTIONS],
            format_func=lambda k: PHASES_BY_KEY[k].label,
            key="f_phase",
        )
        st.caption(
            "Filters apply on every page and are kept in the page address, "
            "so a copied link opens the same view."
        )
        st.toggle(
            "Neutral setting labels in exports", key="anonymise_exports",
            help="For showing a picture to a room without naming schools: every PNG, SVG, CSV "
            "and the briefing pack replace setting names with Setting A, B… and leave out "
            "URNs. The pages themselves keep the names.",
        )  # fmt: skip

    district = state.f_district
    selection = Selection(
        state.f_year, district, state.f_phase, districts.get(district, home.current().name)
    )
    st.query_params.update(selection.query_params())
    for message in state.pop("filter_messages", []):
        st.warning(md(message))
    return selection


def current_selection() -> Selection:
    """The selection the entry script put in place for this run."""
    return st.session_state["selection"]


def url_choice(param: str, options: list, default, state_key: str):
    """Seed a page widget's state from the URL once per session, and keep the URL in step.

    Unknown values fall back to the default with a message rather than an error."""
    state = st.session_state
    seeded = f"_seeded_{state_key}"
    if not state.get(seeded):
        raw = st.query_params.get(param)
        if raw is not None and raw not in [str(o) for o in options]:
            shown = md(repr(raw[:80]))
            st.warning(f"{param.capitalize()} {shown} is not recognised; showing the default.")
        value = next((o for o in options if str(o) == raw), default)
        state[state_key] = value
        state[seeded] = True
    elif state.get(state_key) not in options:
        state[state_key] = default
    return state[state_key]


def set_url(**params) -> None:
    st.query_params.update({k: str(v) for k, v in params.items()})


def measure_picker(measures: list[Measure], key: str, default: str | None = None,
                   label: str = "Measure") -> Measure:  # fmt: skip
    """The page's measure: seeded from the link (`measure=`), kept in it, and a pilot named as
    one wherever pilots sit among established measures. One picker for every page, so a link
    that carries a measure opens the same one on each."""
    by_id = {m.id: m for m in measures}
    ids = list(by_id)
    mixed = len({m.is_pilot for m in measures}) > 1
    url_choice("measure", ids, default if default in by_id else ids[0], key)
    chosen = st.selectbox(
        label, ids, key=key,
        format_func=lambda i: by_id[i].title + (" (pilot)" if mixed and by_id[i].is_pilot
                                                else ""),
    )  # fmt: skip
    set_url(measure=chosen)
    return by_id[chosen]
