"""Measures over academic years for the authority, districts and phases, with 95% intervals,
published figures and a one-sentence summary for screen readers."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.core import home
from dashboard.core.catalogue import Measure
from dashboard.core.filters import ALL_PHASE_PUBLISHED, PHASES_BY_KEY, Selection, year_label
from dashboard.figures import comparators, indicators
from dashboard.figures.groups import Groups
from dashboard.store.fetch import Fetch

COLUMNS = ["series", "area", "phase", "year_code", "year", "value", "lower", "upper",
           "numerator", "denominator", "flag"]  # fmt: skip


def _row(series: str, area: str, phase: str, year: int, fig: indicators.AreaFigure) -> dict:
    shown = fig.shown
    nan = math.nan
    return {
        "series": series,
        "area": area,
        "phase": phase,
        "year_code": year,
        "year": year_label(year),
        "value": fig.value if shown else nan,
        "lower": fig.lower if shown else nan,
        "upper": fig.upper if shown else nan,
        "numerator": fig.numerator if fig.counts_shown else nan,
        "denominator": fig.denominator if fig.counts_shown else nan,
        "flag": fig.flag,
    }


def series(
    fetch: Fetch,
    measure: Measure,
    phases: list[str],
    districts: list[str],
    years: list[int],
    all_districts: bool = False,
) -> pd.DataFrame:
    """One row per series × year. Series: Kent and each chosen district, for each phase."""
    names = dict(fetch("districts", {"la_code": home.current().code}).values)
    rows = []
    for key in phases:
        opt = PHASES_BY_KEY[key]
        label = opt.label
        wanted = list(names) if all_districts else districts
        if measure.grain == "setting":
            group = {"la_code": home.current().code, "phases": list(opt.phases),
                     "admissions": list(opt.admissions), "phase_key": key}  # fmt: skip
            kent = fetch("group_series", {**group, "districts": [], "any_district": True})
            by_district = fetch("district_series", {**group, "year_code": None})
            frames = [(home.current().name, kent)] + [
                (names[d], by_district[by_district["district_code"] == d]) for d in wanted
            ]
            # the interval of each year's figure is widened as the Overview widens it
            od = {
                y: indicators.area_overdispersion(
                    fetch, measure, Selection(y, "all", key), kent[kent["year_code"] == y]
                )
                for y in years
            }
            for area, df in frames:
                for y in years:
                    fig = indicators.setting_measure_figure(
                        measure, df[df["year_code"] == y], od[y]
                    )
                    rows.append(_row(f"{area} ({label.lower()})", area, label, y, fig))
        else:
            for y in years:  # one query a year serves Kent and every district
                rows_y = indicators.prefetch_area_rows(fetch, measure, Selection(y, "all", key))
                for area, code in [(home.current().name, "all"), *[(names[d], d) for d in wanted]]:
                    sel = Selection(y, code, key, area)
                    fig = indicators.area_level_figure(fetch, measure, sel, rows=rows_y)
                    rows.append(_row(f"{area} ({label.lower()})", area, label, y, fig))
    if measure.grain == "setting" and not all_districts:  # panels are districts only
        rows += computed_rows(fetch, measure, phases, years)
    return pd.DataFrame(rows, columns=COLUMNS).sort_values(["series", "year_code"])


def group_rows(fetch: Fetch, measure: Measure, phases: list[str], years: list[int],
               groups: Groups, names: list[str]) -> pd.DataFrame:  # fmt: skip
    """The chosen groups of settings (groups.py) over the years, for each phase: each year's
    figure is the one Compare shows for the group (comparison.group_units), so a group with a
    suppressed member that year has a gap, never a number."""
    from dashboard.figures.comparison import group_units

    chosen = Groups(groups.source, tuple((n, u) for n, u in groups.members if n in names))
    rows = []
    for key in phases:
        label = PHASES_BY_KEY[key].label
        for y in years:
            units, _, _ = group_units(fetch, measure, Selection(y, "all", key), chosen)
            got = units.set_index("unit")
            for name in names:
                if name not in got.index:
                    continue
                r = got.loc[name]
                fig = indicators.AreaFigure(
                    measure.id, r["value"], r["lower"], r["upper"], r["numerator"],
                    r["denominator"], flag=r["flag"],
                )  # fmt: skip
                rows.append(_row(f"{name} ({label.lower()})", name, label, y, fig))
    return pd.DataFrame(rows, columns=COLUMNS)


def computed_rows(fetch: Fetch, measure: Measure, phases: list[str], years: list[int]) -> list:
    """England's and the region's figure for the same phases, computed from school-level rows
    in the years those rows cover the area (comparators.py); none when only Kent is loaded."""
    out = []
    for key in phases:
        opt = PHASES_BY_KEY[key]
        got = comparators.series_figures(
            comparators.rows(fetch, Selection(years[0], "all", key)), measure
        )
        for r in got.itertuples(index=False) if not got.empty else []:
            if r.year_code not in years:
                continue
            fig = indicators.AreaFigure(measure.id, r.value, r.lower, r.upper, r.numerator,
                                        r.denominator, flag=r.flag)  # fmt: skip
            series = f"{r.area_name} ({opt.label.lower()}, computed)"
            out.append(_row(series, r.area_name, opt.label, int(r.year_code), fig))
    return out


def published(bench: pd.DataFrame, measure: Measure, phases: list[str],
              computed: pd.DataFrame | None = None) -> pd.DataFrame:  # fmt: skip
    """Published England / South East figures for the measure and the same phases only; an
    area with a computed series in `computed` (trends.series) is left out: computed figures
    are preferred, having an interval and the same definition."""
    wanted = set()
    for key in phases:
        b = PHASES_BY_KEY[key].published_phase
        if b == "All schools":
            wanted |= set(ALL_PHASE_PUBLISHED)
        elif b:
            wanted.add(b)
    rows = bench[(bench["measure_id"] == measure.id) & bench["phase"].isin(wanted)
                 & (bench["area_level"] != "authority")]  # fmt: skip
    if computed is not None and not computed.empty:
        have = set(computed.loc[computed["series"].str.endswith(", computed)"), "area"])
        rows = rows[~rows["area_name"].isin(have)]
    return rows.assign(series=rows["area_name"] + " (" + rows["phase"].str.lower() + ", published)")


def movement(measure: Measure, first: float, last: float) -> str:
    a, b = measure.format_value(first), measure.format_value(last)
    if a == b:
        return f"was {a} in both"
    return f"{'rose' if last > first else 'fell'} from {a} to {b}"


def summary_sentence(measure: Measure, data: pd.DataFrame) -> str:
    """'EHC plan share in Swale (primary) rose from 1.8% to 3.0% between 2015/16 and 2024/25;
    Kent (primary) rose from …' — from the first and last years with a shown value."""
    parts = []
    ordered = sorted(
        data["series"].unique(), key=lambda s: s.startswith(home.current().name + " (")
    )
    for name in ordered:
        s = data[(data["series"] == name) & data["value"].notna()].sort_values("year_code")
        if len(s) < 2:
            parts.append(f"{name}: too few years with published values to describe a trend")
            continue
        first, last = s.iloc[0], s.iloc[-1]
        parts.append(
            f"{name} {movement(measure, first.value, last.value)} between {first.year} and "
            f"{last.year}"
        )
    if not parts:
        return f"No values of {measure.short_title.lower()} can be shown for this selection."
    return f"{measure.short_title}: " + "; ".join(parts) + "."
