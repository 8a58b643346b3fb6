"""The user's own comparison groups (dashboard/figures/groups.py): upload a CSV of URN → group, see
what was read, download it again to edit or share, and a link that carries the groups.
Kept in session state, and in the page address when short enough, so a copied link reopens
the same groups (URNs and names only, never a figure)."""

from __future__ import annotations

import streamlit as st

from dashboard.core.filters import PHASES_BY_KEY
from dashboard.core.safe_text import md
from dashboard.figures import groups
from dashboard.figures.comparison import settings_group
from dashboard.ui import cache
from dashboard.views import presentation

KEY = "comparison_groups"
TEMPLATE = b"urn,group\n100001,Triad A\n100002,Triad A\n100003,Triad A\n"


def current() -> groups.Groups | None:
    """The groups this session is using: uploaded, or read from the link."""
    token = st.query_params.get("groups")
    held = st.session_state.get(KEY)
    if token and (held is None or st.session_state.get(f"{KEY}_token") != token):
        try:
            held, notes = groups.decode(token, cache.home_urns())
        except groups.GroupsError as exc:
            st.warning(md(f"Groups in the link: {exc}"))
            st.query_params.pop("groups", None)
            return st.session_state.get(KEY)
        st.session_state[KEY], st.session_state[f"{KEY}_token"] = held, token
        for note in notes:
            st.caption(md(note))
    return held


def _read_upload() -> None:
    upload = st.session_state.get(f"{KEY}_file")
    if upload is None:
        return
    try:
        got, notes = groups.read_csv(upload.getvalue(), upload.name, cache.home_urns())
    except groups.GroupsError as exc:
        st.session_state[f"{KEY}_problem"] = str(exc)
        return
    st.session_state[KEY] = got
    st.session_state[f"{KEY}_notes"] = notes
    st.session_state.pop(f"{KEY}_problem", None)
    token = groups.encode(got)
    st.session_state[f"{KEY}_token"] = token
    if token:
        st.query_params["groups"] = token
    else:
        st.query_params.pop("groups", None)


def _clear() -> None:
    for k in (KEY, f"{KEY}_token", f"{KEY}_notes", f"{KEY}_problem"):
        st.session_state.pop(k, None)
    st.query_params.pop("groups", None)


def manager() -> groups.Groups | None:
    """The expander where groups are uploaded, shown and exported; returns the groups."""
    held = current()
    problem = st.session_state.get(f"{KEY}_problem")
    title = "Your groups of settings" + (f" ({len(held)} loaded)" if held else "")
    with st.expander(title, expanded=bool(problem)):
        st.markdown(
            "Compare the groups you work in — a peer-review triad, a cluster, a trust, a local "
            "inclusion forum area — like districts: upload a CSV with a `urn` and a `group` "
            "column (a setting may be in several groups). A group's figure sums its members' "
            "published figures, and a group with any suppressed member shows none, so no group "
            "can reveal a hidden number."
        )
        st.file_uploader("Group file (CSV: urn,group)", type=["csv"], key=f"{KEY}_file",
                         on_change=_read_upload)  # fmt: skip
        if problem:
            st.error(md(problem))
        cols = st.columns(3)
        cols[0].download_button("Template CSV", TEMPLATE, "groups-template.csv", "text/csv",
                                key=f"{KEY}_template")  # fmt: skip
        if held:
            cols[1].download_button("Download these groups (CSV)", groups.to_csv(held),
                                    "groups.csv", "text/csv", key=f"{KEY}_export")  # fmt: skip
            cols[2].button("Clear groups", on_click=_clear, key=f"{KEY}_clear")
            sizes = ", ".join(f"{md(n)} ({len(u)})" for n, u in held.members[:12])
            st.caption(f"From {md(held.source)}: {sizes}" + (" …" if len(held) > 12 else ""))
            for note in st.session_state.get(f"{KEY}_notes", []):
                st.caption(md(note))
            if st.session_state.get(f"{KEY}_token"):
                st.caption("The page address now carries these groups (URNs and names only): "
                           "copy it to share them.")  # fmt: skip
            else:
                st.caption("Too many settings to carry in a link: share the CSV instead.")
    return held


def overview_section(selection, measures: dict) -> None:
    """On the Overview: each of the user's groups across the setting-level measures, for the
    selected year and phase — the very figures Compare shows (cache.compare, level groups)."""
    held = current()
    if not held:
        return
    key = settings_group(selection)
    label = PHASES_BY_KEY[key].label.lower()
    st.subheader("Your groups of settings")
    comps = [cache.compare(m.id, selection, "groups", key, None, False, held)
             for m in measures.values() if m.grain == "setting" and not m.is_pilot]  # fmt: skip
    st.caption(
        f"{selection.year_label}, {label} settings only"
        + ("" if key == selection.phase else " (choose a single phase in the sidebar for another)")
        + f": each group's figure with its 95% interval, compared with "
        f"{md(comps[0].comparator_name) if comps else 'the authority'} as on Compare. A group "
        "with any member whose figure is suppressed shows none (c)."
    )
    table = presentation.group_headlines(comps, held.names)
    st.dataframe(table, hide_index=True, width="stretch")
