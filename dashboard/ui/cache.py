"""The only caching layer: one read-only connection per database file version, and typed
loaders cached on (database version, arguments) so a rebuilt database shows at once."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dashboard.core import catalogue
from dashboard.core import home as home_authority
from dashboard.core.config import database_path
from dashboard.core.filters import Selection
from dashboard.figures import (
    comparators,
    comparison,
    context,
    coverage,
    ehcp,
    expected,
    geography,
    inspections,
    profile,
    quality_marks,
    trends,
)
from dashboard.figures.groups import Groups
from dashboard.statistics.expected import Expected
from dashboard.store import db
from dashboard.views import charts, presentation


class _Connections:
    """One read-only connection per database file, replaced when the file's version changes.

    DuckDB shares one open instance per path within a process, so a connection to a file
    that has since been swapped (every load is a copy-and-rename) would keep serving the old
    contents to any new connection. The old connection is therefore closed first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, tuple[str, duckdb.DuckDBPyConnection]] = {}

    def drop_stale(self, path: Path) -> None:
        """Close the connection to an older version of `path`, so a check sees the new file."""
        with self._lock:
            held = self._held.get(str(path))
            if held and (not path.exists() or held[0] != db.version(path)):
                held[1].close()
                del self._held[str(path)]

    def get(self, path: Path) -> duckdb.DuckDBPyConnection:
        key, current = str(path), db.version(path)
        with self._lock:
            held = self._held.get(key)
            if held and held[0] == current:
                return held[1]
            if held:
                held[1].close()
            con = db.connect(path)
            self._held[key] = (current, con)
            return con


@st.cache_resource(show_spinner=False)
def _connections() -> _Connections:
    return _Connections()


@st.cache_resource(max_entries=8, show_spinner=False)
def _status(path: str, version: str) -> db.DatabaseStatus:
    return db.check(Path(path))


def database_status() -> db.DatabaseStatus:
    path = database_path()
    _connections().drop_stale(path)
    if not path.exists():
        return db.check(path)
    return _status(str(path), db.version(path))


def version() -> str:
    """The key every cached result is stored under: the database file's version and the home
    authority (a national database serves whichever KENT_DASHBOARD_LA names)."""
    return f"{db.version(database_path())}|{home_authority.current().code}"


def connection() -> duckdb.DuckDBPyConnection:
    return _connections().get(database_path())


@st.cache_data(max_entries=512, show_spinner=False)
def _run_query(version: str, name: str, params: tuple) -> pd.DataFrame:
    bound = {k: list(v) if isinstance(v, tuple) else v for k, v in params}
    try:
        return db.run(connection(), name, bound)
    except duckdb.ConnectionException:  # closed by another session after a swap: once more
        return db.run(connection(), name, bound)


def query(name: str, **params) -> pd.DataFrame:
    """A named query's result, cached per database version (lists are bound as lists).
    Do not mutate the result."""
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _run_query(version(), name, key)


def fetch(name: str, params: dict | None = None, /) -> pd.DataFrame:
    """The Fetch the domain modules take (dashboard/store/fetch.py): every query they run is
    cached on the database version like any other."""
    return query(name, **(params or {}))


def metadata() -> dict[str, str]:
    meta = query("metadata")
    return dict(zip(meta["key"], meta["value"], strict=True))


def home() -> home_authority.Home:
    """The database's home authority (dashboard/core/home.py); raises UnknownHome when
    KENT_DASHBOARD_LA or the database names an authority the database does not hold."""
    return home_authority.resolve(metadata(), query("authorities"))


def is_demo() -> bool:
    return metadata().get("is_demo") == "true"


def measure_coverage() -> pd.DataFrame:
    """Years each measure has figures for in this database, or what to load."""
    counts = query("loaded_counts")
    return coverage.measure_coverage(
        query("load_status"), dict(zip(counts["item"], counts["n"], strict=True))
    )


def reconstructed_years() -> set[int]:
    """Years whose absence counts were rebuilt from published percentages (england_abs)."""
    return {int(y) for y in query("reconstructed_years")["year_code"]}


def unplaced_settings() -> int:
    """Open settings with no district recorded yet (real data loaded without a GIAS extract)."""
    return int(
        query("unplaced_settings", la_code=home_authority.current().code)["settings"].iloc[0]
    )


def no_setting_placed() -> bool:
    """True when settings are loaded but none has a district (no GIAS extract yet): district
    views then have nothing to show, for a reason the user can fix."""
    row = query("unplaced_settings", la_code=home_authority.current().code).iloc[0]
    return int(row["settings"]) > 0 and int(row["placed"]) == 0


def years() -> list[int]:
    """Academic years holding figures, newest first (the year choices)."""
    df = query("years")
    return [int(y) for y in df.loc[df["has_figures"], "year_code"]]


def year_span() -> list[int]:
    """Every academic year from the first to the last holding figures, oldest first, gaps
    included, so a chart shows a year without figures as a gap instead of joining its
    neighbours."""
    held = years()
    if not held:
        return []
    return [y * 100 + (y + 1) % 100 for y in range(min(held) // 100, max(held) // 100 + 1)]


def year_notes() -> dict[int, str]:
    df = query("years")
    return {int(r.year_code): r.note for r in df.itertuples() if isinstance(r.note, str)}


def districts() -> dict[str, str]:
    df = query("districts", la_code=home_authority.current().code)
    return dict(zip(df["district_code"], df["district_name"], strict=True))


def sources() -> pd.DataFrame:
    return query("sources")


def published_figures() -> pd.DataFrame:
    return query("published_figures")


@st.cache_data(max_entries=128, show_spinner=False)
def _headlines(version: str, selection: Selection) -> pd.DataFrame:
    return comparators.headlines(fetch, selection)


@st.cache_data(max_entries=32, show_spinner=False)
def _phase_grid(version: str, year_code: int) -> pd.DataFrame:
    return comparators.phase_grid(fetch, year_code)


def phase_grid(year_code: int) -> pd.DataFrame:
    """Every measure × phase for the whole authority, beside England (the landing grid)."""
    return _phase_grid(version(), year_code)


def headlines(selection: Selection) -> pd.DataFrame:
    return _headlines(version(), selection)


def selection_summary(selection: Selection) -> dict:
    df = query("selection_summary", **selection.params())
    return {"settings": int(df["settings"].iloc[0]), "pupils": int(df["pupils"].iloc[0])}


@st.cache_data(max_entries=64, show_spinner=False)
def _comparison(version: str, measure_id: str, selection: Selection, level: str, group,
                flag_conf: float | None, pooled: bool, groups: Groups | None = None):  # fmt: skip
    return comparison.compare(
        fetch, catalogue.get(measure_id), selection, level, group=group,
        flag_conf=flag_conf, pooled=pooled, available_years=years(), groups=groups,
    )  # fmt: skip


def compare(measure_id: str, selection: Selection, level: str, group: str | None,
            flag_conf: float | None, pooled: bool,
            groups: Groups | None = None) -> comparison.Comparison:  # fmt: skip
    """A comparison, cached per database version and arguments (groups included: a group
    list is hashed by value, so two sessions with the same groups share the result)."""
    return _comparison(version(), measure_id, selection, level, group, flag_conf, pooled,
                       groups if level == "groups" else None)  # fmt: skip


def home_urns() -> set[int]:
    """Every setting of the home authority: the URNs a group file may name."""
    return set(int(u) for u in settings_list()["urn"])


def settings_list() -> pd.DataFrame:
    return query("settings_list", la_code=home_authority.current().code)


def setting_detail(urn: int) -> dict:
    df = query("setting_detail", urn=urn)
    return df.iloc[0].to_dict()


def setting_awards(urn: int) -> pd.DataFrame:
    return query("setting_awards", urn=urn)


def group_key_for(phase: str, admissions_policy: str) -> str:
    return comparison.group_key(phase, admissions_policy)


@st.cache_data(max_entries=32, show_spinner=False)
def _profile_inputs(version: str, urn: int):
    d = setting_detail(urn)
    key = comparison.group_key(d["phase"], d["admissions_policy"])
    district = d["district_code"] if isinstance(d["district_code"], str) else None
    return profile.series_inputs(fetch, urn, key, district)


@st.cache_data(max_entries=256, show_spinner=False)
def _group_overdispersion(version: str, measure_id: str, key: str, span: tuple[int, ...]):
    return profile.area_overdispersion(fetch, catalogue.get(measure_id), key, list(span))


@st.cache_data(max_entries=256, show_spinner=False)
def _profile_series(version: str, urn: int, measure_id: str) -> pd.DataFrame:
    m = catalogue.get(measure_id)
    d = setting_detail(urn)
    key = comparison.group_key(d["phase"], d["admissions_policy"])
    span = year_span()
    # every setting of a phase group shares these estimates: made once per group, not per
    # setting opened
    area_od = _group_overdispersion(version, measure_id, key, tuple(span))
    return profile.measure_series(m, _profile_inputs(version, urn), span, area_od)


def profile_series(urn: int, measure_id: str) -> pd.DataFrame:
    return _profile_series(version(), urn, measure_id)


def _inspections(urn: int) -> pd.DataFrame:
    return query("setting_inspections", urn=urn)


def inspection_tables(urn: int) -> dict[str, pd.DataFrame]:
    return inspections.history_tables(_inspections(urn))


def next_inspection(urn: int) -> inspections.Estimate:
    ins = _inspections(urn).drop_duplicates("inspection_id")
    d = setting_detail(urn)
    open_date = d["open_date"] if pd.notna(d["open_date"]) else None
    return inspections.next_inspection(ins, open_date)


@st.cache_data(max_entries=64, show_spinner=False)
def _similar(version: str, measure_id: str, urn: int, key: str, year: int, pupils: float):
    return comparison.similar_settings(fetch, catalogue.get(measure_id), urn, key, year, pupils)


def similar(measure_id: str, urn: int, key: str, year: int, pupils: float):
    return _similar(version(), measure_id, urn, key, year, pupils)


@st.cache_data(max_entries=8, show_spinner=False)
def _boundaries(version: str) -> dict | None:
    df = query("district_boundaries", la_code=home_authority.current().code)
    if df.empty:
        return None
    return geography.boundaries_geojson(df.itertuples(index=False, name=None))


def boundaries() -> dict | None:
    """Loaded district boundaries as GeoJSON, or None when none are loaded."""
    return _boundaries(version())


def district_centres() -> dict[str, tuple[float, float]]:
    """Each home district's mean setting position, for a generated hex layout."""
    df = query("district_centres", la_code=home_authority.current().code)
    return {r.district_code: (r.latitude, r.longitude) for r in df.itertuples(index=False)}


def setting_points() -> pd.DataFrame:
    return query("setting_points", la_code=home_authority.current().code)


@st.cache_data(max_entries=64, show_spinner=False)
def _trend(version: str, measure_id: str, phases: tuple, districts: tuple, all_districts: bool):
    return trends.series(fetch, catalogue.get(measure_id), list(phases), list(districts),
                         year_span(), all_districts)  # fmt: skip


def trend(measure_id: str, phases: list[str], districts: list[str], all_districts=False):
    return _trend(version(), measure_id, tuple(phases), tuple(districts), all_districts)


@st.cache_data(max_entries=32, show_spinner=False)
def _group_trend(version: str, measure_id: str, phases: tuple, groups: Groups, names: tuple):
    return trends.group_rows(fetch, catalogue.get(measure_id), list(phases), year_span(),
                             groups, list(names))  # fmt: skip


def group_trend(measure_id: str, phases: list[str], groups: Groups, names: list[str]):
    """The chosen groups' series (trends.group_rows), cached like every figure."""
    return _group_trend(version(), measure_id, tuple(phases), groups, tuple(names))


# Figures are cached as plain dicts: plotly's object validation costs tens of milliseconds a
# figure, a cached dict almost nothing, and st.plotly_chart draws either.


@st.cache_data(max_entries=256, show_spinner=False)
def _profile_figure(version: str, urn: int, measure_id: str, subtitle: str, demo: bool) -> dict:
    m = catalogue.get(measure_id)
    series = _profile_series(version, urn, measure_id)
    return charts.series_figure(series, m, subtitle, demo, m.year_notes).to_plotly_json()


def profile_figure(urn: int, measure_id: str, subtitle: str, demo: bool) -> dict:
    return _profile_figure(version(), urn, measure_id, subtitle, demo)


@st.cache_data(max_entries=64, show_spinner=False)
def _similar_figure(version: str, measure_id: str, urn: int, key: str, year: int, pupils: float,
                    demo: bool) -> dict:  # fmt: skip
    comp = _similar(version, measure_id, urn, key, year, pupils)
    fig = charts.funnel_figure(comp, presentation.chart_subtitle(comp), demo)
    charts.highlight(fig, comp.units, urn, comp.measure, "This setting")
    return fig.to_plotly_json()


def similar_figure(measure_id, urn, key, year, pupils, demo) -> dict:
    return _similar_figure(version(), measure_id, urn, key, year, pupils, demo)


def selection_query(name: str, selection: Selection, as_of=None) -> pd.DataFrame:
    """A selection query taking $as_of (by default the end of the academic year)."""
    params = {k: v for k, v in selection.params().items() if k != "year_code"}
    params["as_of"] = as_of or selection.year_end
    return query(name, **params)


def pilot_register() -> pd.DataFrame:
    return query("pilot_register")


@st.cache_data(max_entries=64, show_spinner=False)
def _holders_vs_others(version: str, measure_id: str, selection: Selection):
    return quality_marks.holders_vs_others(fetch, catalogue.get(measure_id), selection)


def holders_vs_others(measure_id: str, selection: Selection):
    return _holders_vs_others(version(), measure_id, selection)


@st.cache_data(max_entries=64, show_spinner=False)
def _around_award(version: str, measure_id: str, selection: Selection):
    return quality_marks.around_award(fetch, catalogue.get(measure_id), selection, year_span())


def around_award(measure_id: str, selection: Selection):
    return _around_award(version(), measure_id, selection)


def population() -> pd.DataFrame:
    """People aged 0–25 by area and mid-year (empty until ONS estimates are loaded)."""
    return query("population_0_25")


def authority_figures(dataset: str, topic: str, indicators: list[str]) -> pd.DataFrame:
    return query("authority_figures", dataset=dataset, breakdown_topic=topic,
                 indicators=indicators)  # fmt: skip


CASELOAD = ("caseload", "All EHC plans", ["ehcplans", *ehcp.PLACEMENTS])


@st.cache_data(max_entries=8, show_spinner=False)
def _ehcp_caseload(version: str) -> pd.DataFrame:
    return ehcp.caseload(authority_figures(*CASELOAD))


def ehcp_caseload() -> pd.DataFrame:
    """The authority's, region's and England's caseload, wide (ehcp.caseload): the same for
    every selection, so made once per database version."""
    return _ehcp_caseload(version())


@st.cache_data(max_entries=16, show_spinner=False)
def _ehcp_all_authorities(version: str, measure: str) -> pd.DataFrame:
    return ehcp.all_authorities(authority_figures(*CASELOAD), measure)


def ehcp_all_authorities(measure: str) -> pd.DataFrame:
    """Every authority's latest value of a caseload measure (ehcp.all_authorities)."""
    return _ehcp_all_authorities(version(), measure)


@st.cache_data(max_entries=256, show_spinner=False)
def _figure(name: str, args: tuple, kwargs: tuple) -> dict:
    return getattr(charts, name)(*args, **dict(kwargs)).to_plotly_json()


def figure(name: str, *args, **kwargs) -> dict:
    """The figure `dashboard.views.charts.<name>(*args, **kwargs)` makes, as Plotly's dict, built
    once for the same inputs (frames are hashed by content): building a Plotly figure takes
    tens of milliseconds, and a page rerun asks for the same figures again."""
    return _figure(name, args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=256, show_spinner=False)
def _comparison_figure(version: str, measure_id: str, selection: Selection, level: str, group,
                       flag_conf: float | None, pooled: bool, kind: str,
                       demo: bool, groups: Groups | None = None) -> dict:  # fmt: skip
    comp = _comparison(version, measure_id, selection, level, group, flag_conf, pooled, groups)
    build = charts.funnel_figure if kind == "funnel" else charts.interval_figure
    return build(comp, presentation.chart_subtitle(comp), demo).to_plotly_json()


def comparison_figure(measure_id, selection, level, group, flag_conf, pooled, kind, demo,
                      groups: Groups | None = None) -> dict:  # fmt: skip
    """A comparison chart as a cached plotly dict (see the note above on figure caching)."""
    return _comparison_figure(version(), measure_id, selection, level, group, flag_conf, pooled,
                              kind, demo, groups if level == "groups" else None)  # fmt: skip


def context_items() -> list[context.Item]:
    """The published authority-level items the Kent in context page can show."""
    return context.items(query("context_items"))


def context_series(item: str) -> pd.DataFrame:
    """One item for the authority, its statistical neighbours, its region and England."""
    return query("context_series", la_code=home_authority.current().code, item=item)


@st.cache_data(max_entries=64, show_spinner=False)
def _context_glance(version: str, item: str) -> context.Glance | None:
    return context.glance(context_series(item))


def context_glance(item: str) -> context.Glance | None:
    """An item's newest published year (the Overview's strip), worked out once per database
    version rather than on every new session's Overview."""
    return _context_glance(version(), item)


def statistical_neighbours() -> pd.DataFrame:
    return query("statistical_neighbours", la_code=home_authority.current().code)


@st.cache_data(max_entries=64, show_spinner=False)
def _quality_mark_share_figure(table: pd.DataFrame, by: str, label: str, demo: bool) -> dict:
    title = "Settings holding a current quality mark"
    return charts.bar_share_figure(table, by, title, label, demo).to_plotly_json()


def quality_mark_share_figure(table: pd.DataFrame, by: str, label: str, demo: bool) -> dict:
    return _quality_mark_share_figure(table, by, label, demo)


@st.cache_data(max_entries=128, show_spinner=False)
def _groups_figure(units, measure_id, title, subtitle, demo, x_title) -> dict:
    m = catalogue.get(measure_id)
    return charts.groups_figure(units, m, title, subtitle, demo, x_title=x_title).to_plotly_json()


def groups_figure(units, measure_id, title, subtitle, demo, x_title) -> dict:
    """Award holders beside other settings, or holders by year around their award."""
    return _groups_figure(units, measure_id, title, subtitle, demo, x_title)


@st.cache_data(max_entries=32, show_spinner=False)
def _inspection_summaries(version: str, selection: Selection, as_of):
    rows = selection_query("selection_inspections", selection, as_of)
    kent = selection_query("selection_inspections", selection.authority(), as_of)
    return (
        rows,
        inspections.latest_distributions(rows),
        inspections.latest_distributions(kent),
        inspections.time_since(rows, as_of),
        inspections.estimates(rows),
    )


def inspection_summaries(selection: Selection, as_of):
    """Latest grades in the selection and in Kent, time since inspection, and estimates."""
    return _inspection_summaries(version(), selection, as_of)


@st.cache_data(max_entries=256, show_spinner=False)
def _distribution_figure(data, title: str, label: str, demo: bool, order: tuple) -> dict:
    return charts.distribution_figure(data, title, label, demo, list(order)).to_plotly_json()


def distribution_figure(data, title: str, label: str, demo: bool, order: tuple) -> dict:
    return _distribution_figure(data, title, label, demo, order)


@st.cache_data(max_entries=64, show_spinner=False)
def _since_inspection_figure(labels: tuple, values: tuple) -> dict:
    return charts.since_inspection_figure(list(labels), list(values)).to_plotly_json()


def since_inspection_figure(labels: tuple, values: tuple) -> dict:
    return _since_inspection_figure(labels, values)


def setting_lineage(urn: int) -> pd.DataFrame:
    """The setting and the settings it replaced (GIAS links), newest first."""
    return query("setting_lineage", urn=urn)


@st.cache_data(max_entries=32, show_spinner=False)
def _expected(version: str, measure_id: str, year_code: int) -> Expected:
    return expected.national(fetch, catalogue.get(measure_id), year_code)


def expected_national(measure_id: str, year_code: int) -> Expected:
    """The measure's model for the year, fitted once on every loaded setting."""
    return _expected(version(), measure_id, year_code)


def expected_years(measure_id: str) -> list[int]:
    return expected.years(fetch, catalogue.get(measure_id))


@st.cache_data(max_entries=64, show_spinner=False)
def _expected_selection(version: str, measure_id: str, selection: Selection) -> pd.DataFrame:
    fitted = _expected(version, measure_id, selection.year_code)
    return expected.for_selection(fetch, catalogue.get(measure_id), selection, fitted)


def expected_selection(measure_id: str, selection: Selection) -> pd.DataFrame:
    """The selection's settings with the national model's expected values (name order)."""
    return _expected_selection(version(), measure_id, selection)


@st.cache_data(max_entries=64, show_spinner=False)
def _expected_group(version: str, measure_id: str, selection: Selection,
                    urns: tuple[int, ...]) -> pd.DataFrame:  # fmt: skip
    fitted = _expected(version, measure_id, selection.year_code)
    return expected.for_group(fetch, catalogue.get(measure_id), selection, fitted, urns)


def expected_group(measure_id: str, selection: Selection, urns: tuple[int, ...]) -> pd.DataFrame:
    """One of the user's groups' settings with the national model's expected values."""
    return _expected_group(version(), measure_id, selection, urns)
