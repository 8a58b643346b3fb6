"""Map: the selected measure by district (hex cartogram or true boundaries) or by setting."""

import pandas as pd
import streamlit as st

from dashboard.core import catalogue, home
from dashboard.core.filters import PHASES_BY_KEY
from dashboard.core.safe_text import md
from dashboard.figures import geography
from dashboard.figures.comparison import SINGLE_GROUPS, measure_applies, settings_group
from dashboard.ui import cache
from dashboard.ui.components import chart
from dashboard.ui.components.export import chart_exports, table_download
from dashboard.ui.components.filters import (
    current_selection,
    measure_picker,
    set_url,
    url_choice,
)
from dashboard.ui.components.notices import measure_badges, no_districts_stop
from dashboard.views import charts, presentation

VIEWS = {"hex": "Districts — hex map", "boundaries": "Districts — boundaries",
         "settings": "Settings"}  # fmt: skip

selection = current_selection()


def _exports(fig, comp, key):
    summary = presentation.comparison_summary(comp)
    st.caption(f"In words: {md(summary)}")
    meta = presentation.export_meta(
        comp.measure, f"{comp.measure.title}: map", presentation.chart_subtitle(comp),
        selection.year_label, cache.is_demo(), summary=summary,
    )  # fmt: skip
    chart_exports(
        fig, meta, presentation.comparison_table(comp, cache.is_demo()), key, show_table=False
    )


measures = {m.id: m for m in catalogue.load()}
st.title("Map")
left, right = st.columns([2, 1])
with left:
    measure_id = measure_picker(list(measures.values()), "map_measure", "ehcp_pct").id
# a unitary authority is one district: a map of its districts would be one shape
views = list(VIEWS) if len(cache.districts()) > 1 else ["settings"]
with right:
    url_choice("view", views, views[0] if len(views) == 1 else "hex", "map_view")
    view = st.radio("View", views, format_func=VIEWS.get, key="map_view")
if len(views) == 1:
    st.caption(f"{md(home.current().name)} is one district (a unitary authority), so the map "
               "shows its settings.")  # fmt: skip
measure = measures[measure_id]
set_url(measure=measure_id, view=view)
measure_badges(measure)
demo = cache.is_demo()
geojson = cache.boundaries()

if view == "settings" and not measure_applies(measure, "settings"):
    st.info(f"{measure.title} exists only for groups of settings; showing districts instead.")
    view = "hex"
if view == "boundaries" and geojson is None:
    st.info(
        "No district boundaries are loaded, so the hex map is shown. Load ONS boundaries with "
        "`python -m dashboard.ingest boundaries FILE` (GeoJSON, GeoPackage or shapefile)."
    )
    view = "hex"

if cache.no_setting_placed():
    no_districts_stop()
if view in ("hex", "boundaries"):
    comp = cache.compare(measure_id, selection, "districts", None, None, False)
    subtitle = presentation.chart_subtitle(comp)
    if view == "hex":
        cells, gaps, _ = geography.layout_for(
            {c: xy for c, xy in cache.district_centres().items() if c in cache.districts()}
        )
        fig = charts.hex_map_figure(comp, subtitle, demo, cells, gaps)
        st.caption(
            "Each district is one equal hexagon placed roughly where it lies"
            + md(geography.layout_note(cache.districts(), cache.district_centres()))
            + ". ▲ ▼ mark districts whose 95% interval lies above or below "
            f"{md(home.current().possessive)} figure; ● not significantly different. Click a "
            "district to narrow the district filter."
        )
    else:
        assert geojson is not None  # the boundaries view falls back to hex without them
        fig = charts.boundary_map_figure(comp, geojson, subtitle, demo)
        st.caption("ONS district boundaries on a blank background. Click a district to narrow "
                   "the district filter.")  # fmt: skip
    event = chart.show(fig, key=f"map_{view}", on_select="rerun", selection_mode="points")
    _exports(fig, comp, f"map_{view}_{measure_id}")
    points = event.selection.points if event and event.selection else []
    code = (points[0].get("customdata") or points[0].get("location")) if points else None
    if isinstance(code, list):
        code = code[0]
    if code in geography.HEX_LAYOUT and code != selection.district:
        st.session_state["pending_district"] = code
        st.rerun()
else:
    choices = [g for g in SINGLE_GROUPS if selection.phase == "all" or
               PHASES_BY_KEY[g].phases == selection.phase_option.phases]  # fmt: skip
    group = None
    if selection.phase not in SINGLE_GROUPS:
        group = st.selectbox(
            "Show settings of phase", choices, format_func=lambda k: PHASES_BY_KEY[k].label,
            index=choices.index(settings_group(selection)), key="map_group",
        )  # fmt: skip
    basemap = st.toggle(
        "Tiled basemap (needs internet)", key="map_tiles",
        help="Map tiles come from the internet; without it the map stays blank. The default "
        "plain view works anywhere.",
    )  # fmt: skip
    comp = cache.compare(measure_id, selection, "settings", group, None, False)
    points = cache.setting_points()
    subtitle = presentation.chart_subtitle(comp)
    outlines = geography.outline_paths(geojson) if geojson else None
    labels = None
    if not outlines:
        pts = points.merge(cache.settings_list()[["urn", "district_name"]], on="urn")
        labels = pts.groupby("district_name", as_index=False)[["latitude", "longitude"]].mean()
    if basemap:
        fig = charts.tiled_setting_map(comp, points, subtitle, demo)
        st.warning("Tiled view: colours only (shapes need the plain view); blank if offline.")
    else:
        fig = charts.setting_map_figure(comp, points, subtitle, demo, outlines, labels)
    st.caption(
        "Each point is a setting, sized by its denominator. Triangles mark settings beyond "
        f"the 99.8% control limits around {md(home.current().possessive)} figure for the same "
        "phase; hollow grey "
        "circles are suppressed values. Click a setting to open its profile."
    )
    unplaced = int((~comp.units["unit"].isin(points["urn"])).sum())
    if unplaced:
        st.info(f"{unplaced} of {len(comp.units)} settings have no recorded position and are "
                "not drawn; they are in the table below. Load a GIAS extract to place "
                "them.")  # fmt: skip
    event = chart.show(fig, key="map_settings", on_select="rerun", selection_mode="points")
    _exports(fig, comp, f"map_settings_{measure_id}")
    picked = event.selection.points if event and event.selection else []
    if picked and picked[0].get("customdata") is not None:
        urn = picked[0]["customdata"]
        st.session_state["pending_urn"] = int(urn[0] if isinstance(urn, list) else urn)
        st.switch_page("../pages/setting.py")

if comp.units.empty:
    st.info("There are no settings to show for this selection. Widen the filters.")
elif comp.mostly_suppressed:
    st.warning(
        f"Most values in this selection are suppressed or unreliable: {len(comp.shown)} of "
        f"{len(comp.units)} can be shown. Small numbers are withheld to protect pupils."
    )
st.markdown(presentation.comparison_caption(comp))
with st.expander("Show as table"):
    table = presentation.comparison_table(comp, demo)
    st.dataframe(
        table.drop(columns=["data_status"], errors="ignore"), hide_index=True, width="stretch"
    )
    table_download(
        "Download the data behind this map (CSV)", table, f"kent-map-{measure_id}-{view}.csv"
    )
shown = comp.units.dropna(subset=["value"])
if not shown.empty and len(shown) >= 2:
    lo, hi = shown.iloc[0], shown.iloc[-1]
    st.caption(
        f"Summary: values range from {measure.format_value(lo.value)} ({lo.label}) to "
        f"{measure.format_value(hi.value)} ({hi.label}); "
        f"{(comp.units.result == 'similar').sum()} of {len(comp.units)} are not significantly "
        f"different from {md(home.current().name)}."
        if pd.notna(lo.value)
        else ""
    )
