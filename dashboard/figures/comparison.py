"""Caveated comparisons of units (settings, districts or phases) with a like-for-like comparator.

Returns plain data: per-unit values with intervals and disclosure flags, the comparator, funnel
control limits and the comparison result for each unit. Charts and pages only draw it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.core import home
from dashboard.core.catalogue import Measure, verdict_rule
from dashboard.core.filters import PHASE_OPTIONS, PHASES_BY_KEY, Selection, year_label
from dashboard.figures import comparators, indicators
from dashboard.figures.groups import Groups
from dashboard.statistics import disclosure, engine, stats
from dashboard.store.fetch import Fetch

LEVELS = ("settings", "districts", "phases", "authorities", "groups")


def level_labels() -> dict[str, str]:
    """What each comparison level is called, naming the home authority (dashboard/core/home.py)."""
    name = home.current().name
    return {
        "settings": "Settings in the selection",
        "districts": f"Districts of {name}",
        "phases": "Phases",
        "authorities": f"{name} and its statistical neighbours",
        "groups": "Your groups of settings",
    }


def authority_name(fetch: Fetch, la_code: str) -> str:
    """An authority's name as the database holds it (the home authority's from home.py)."""
    mine = home.current()
    if la_code == mine.code:
        return mine.name
    known = fetch("authorities")
    names = known.loc[known["la_code"].astype(str) == str(la_code), "la_name"]
    return str(names.iloc[0]) if not names.empty else f"authority {la_code}"


# Phase options that hold one comparison group each: the only valid comparators for settings.
SINGLE_GROUPS = tuple(
    p.key for p in PHASE_OPTIONS if p.key not in ("all", "secondary") and len(p.phases) == 1
)
CONFIDENCE_LABELS = engine.CONFIDENCE_LABELS
UNIT_COLUMNS = [
    "unit",
    "label",
    "numerator",
    "denominator",
    "numerator_b",
    "denominator_b",
    "value",
    "lower",
    "upper",
    "flag",
    "result",
    "beyond",
    "comparator",
    "years_pooled",
]


@dataclass
class Comparison:
    measure: Measure
    level: str
    selection: Selection
    group: str  # phase option key the comparison is made within
    units: pd.DataFrame
    comparator: float
    comparator_name: str
    flag_conf: float
    funnel: pd.DataFrame | None = None
    overdispersion: stats.Overdispersion | None = None
    pooled_years: tuple[int, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def shown(self) -> pd.DataFrame:
        return self.units[self.units["flag"].isin(["", disclosure.LOW_RELIABILITY])
                          & self.units["value"].notna()]  # fmt: skip

    @property
    def method(self) -> str:
        """The method actually used for this comparison's intervals, limits and widening."""
        return engine.method_text(self.measure, self.overdispersion, funnel=self.funnel is not None)

    @property
    def compared(self) -> int:
        return int((self.units["result"] != "").sum())

    @property
    def suppressed(self) -> int:
        return len(self.units) - len(self.shown)

    @property
    def mostly_suppressed(self) -> bool:
        """More than half the units have no value shown (said to the user as such)."""
        return len(self.shown) < len(self.units) / 2


def measure_applies(measure: Measure, level: str) -> bool:
    """Area-level measures (grades, awards, placement) exist only for groups of settings, and
    are computed for Kent's own areas only (not for other authorities)."""
    return not (level in ("settings", "authorities") and measure.grain == "area")


def settings_group(selection: Selection, chosen: str | None = None) -> str:
    """The single comparison group for a settings-level comparison: the selection's own phase
    if it is one group, otherwise the group the user chose (default primary)."""
    if selection.phase in SINGLE_GROUPS:
        return selection.phase
    if chosen in SINGLE_GROUPS and (
        selection.phase == "all" or PHASES_BY_KEY[chosen].phases == selection.phase_option.phases
    ):
        return chosen
    return "secondary-non-selective" if selection.phase == "secondary" else "primary"


def unit_values(
    measure: Measure, units: pd.DataFrame, area_od: stats.Overdispersion | None = None
) -> pd.DataFrame:
    """Value, 95% interval and flag for each unit (engine.figures). Units that are areas pass
    the authority's over-dispersion estimate, as the Overview does for the same area."""
    return engine.figures(units, measure, overdispersion=area_od)


def _pooled_years(year_code: int, available: list[int]) -> tuple[int, ...]:
    years = sorted(y for y in available if y <= year_code)[-3:]
    return tuple(years)


def compare(
    fetch: Fetch,
    measure: Measure,
    selection: Selection,
    level: str,
    *,
    group: str | None = None,
    flag_conf: float | None = None,
    pooled: bool = False,
    available_years: list[int] | None = None,
    groups: Groups | None = None,
) -> Comparison:
    """Compare units at one level with the authority's figure for the same phase. Verdicts
    follow the catalogue's rule for the level (catalogue.verdict_rule); `flag_conf` gives
    another level where the page offers one. Level "groups" compares `groups` (groups.py)."""
    if level not in LEVELS:
        raise ValueError(f"unknown comparison level {level!r}")
    if not measure_applies(measure, level):
        raise ValueError(f"{measure.id} is defined only for groups of settings")
    if flag_conf is None:
        flag_conf = verdict_rule(level).conf
    if flag_conf not in CONFIDENCE_LABELS:
        raise ValueError("flag level must be 0.95 or 0.998")
    if level == "phases":
        return _compare_phases(fetch, measure, selection, flag_conf)
    if level == "authorities":
        return _compare_authorities(fetch, measure, selection, flag_conf)
    if level == "groups":
        if groups is None or not len(groups):
            raise ValueError("comparing groups needs groups (dashboard/figures/groups.py)")
        return _compare_groups(fetch, measure, selection, groups, group, flag_conf)

    notes: list[str] = []
    group_key = settings_group(selection, group) if level == "settings" else selection.phase
    scope = Selection(
        selection.year_code,
        selection.district,
        group_key,
        selection.district_name,
        selection.la_code,
    )
    own_name = authority_name(fetch, selection.la_code)
    authority = scope.authority()
    bench_fig = indicators.area_figures(fetch, authority, [measure])[measure.id]
    comparator = bench_fig.value if bench_fig.shown else math.nan
    comparator_name = f"{own_name} {PHASES_BY_KEY[group_key].label.lower()}"
    if level == "settings" and group_key != selection.phase:
        notes.append(
            f"Settings of different phases are never compared with one figure: showing "
            f"{PHASES_BY_KEY[group_key].label.lower()} settings only."
        )
    pooled_years: tuple[int, ...] = ()

    if level == "settings":
        if pooled:
            pooled_years = _pooled_years(selection.year_code, available_years or [])
            rows = fetch("setting_inputs_pooled",
                          {**_without_year(scope.params()), "years": list(pooled_years),
                           "input": measure.input})  # fmt: skip
            notes.append(
                "Pooled over "
                + ", ".join(year_label(y) for y in pooled_years)
                + f": each setting's events and pupils are summed over the years; the {own_name} "
                f"comparator is for {selection.year_label} only."
            )
        else:
            rows = fetch("setting_inputs", {**scope.params(), "input": measure.input})
        labels = rows.drop_duplicates("urn").set_index("urn")["name"]
        units = engine.units_from_rows(rows, measure, "urn")
        units["label"] = units["unit"].map(labels)
        if pooled:
            years = rows.groupby("urn")["years_pooled"].max()
            units["years_pooled"] = units["unit"].map(years)
    else:  # districts
        if measure.grain == "area":
            units = _area_units(fetch, measure, selection)
        else:
            rows = fetch("district_series", _without_district(scope.params()))
            rows = rows[rows["input"] == measure.input]
            rows = rows.assign(missing_reason=indicators.group_reasons(rows))
            labels = rows.drop_duplicates("district_code").set_index("district_code")
            units = engine.units_from_rows(rows, measure, "district_code")
            units["label"] = units["unit"].map(labels["district_name"])
        if selection.phase in ("all", "secondary"):
            notes.append(
                "The mix of phases differs between districts; choose a single phase in the "
                "sidebar to compare like with like."
            )

    funnel_ok = engine.has_funnel(measure)
    # One over-dispersion estimate per measure, year and phase: the authority's settings about
    # the authority's figure. It widens district intervals (as on the Overview) and the funnel.
    od = indicators.area_overdispersion(fetch, measure, authority)
    if measure.grain != "area":
        units = unit_values(measure, units, area_od=od if level == "districts" else None)
    units = engine.rule_verdicts(units, measure, comparator, od, level, flag_conf)
    units["comparator"] = comparator
    if "years_pooled" not in units:
        units["years_pooled"] = np.nan
    units = units[UNIT_COLUMNS].sort_values("value", na_position="last").reset_index(drop=True)
    funnel = engine.funnel(measure, comparator, units, od) if funnel_ok else None
    return Comparison(measure, level, selection, group_key, units, comparator, comparator_name,
                      flag_conf, funnel, od, pooled_years, notes)  # fmt: skip


def _without_year(params: dict) -> dict:
    return {k: v for k, v in params.items() if k != "year_code"}


def _without_district(params: dict) -> dict:
    return {k: v for k, v in params.items() if k not in ("districts", "any_district")}


def _area_units(fetch, measure: Measure, selection: Selection) -> pd.DataFrame:
    districts = fetch("districts", {"la_code": selection.la_code})
    prefetched = indicators.prefetch_area_rows(fetch, measure, selection.authority())
    rows = []
    for d in districts.itertuples(index=False):
        sel = Selection(
            selection.year_code,
            d.district_code,
            selection.phase,
            d.district_name,
            selection.la_code,
        )
        fig = indicators.area_level_figure(fetch, measure, sel, rows=prefetched)
        rows.append(_figure_row(d.district_code, d.district_name, fig))
    return pd.DataFrame(rows)


def _figure_row(unit: str, label: str, fig: indicators.AreaFigure) -> dict:
    shown = fig.flag in ("", disclosure.LOW_RELIABILITY)
    return {
        "unit": unit,
        "label": label,
        "numerator": fig.numerator if shown else np.nan,
        "denominator": fig.denominator if shown else np.nan,
        "numerator_b": fig.numerator_b if shown else np.nan,
        "denominator_b": fig.denominator_b if shown else np.nan,
        "value": fig.value if shown else np.nan,
        "lower": fig.lower if shown else np.nan,
        "upper": fig.upper if shown else np.nan,
        "flag": fig.flag,
    }


def _compare_phases(fetch, measure: Measure, selection: Selection, flag_conf: float) -> Comparison:
    """Each phase beside the authority's figure for the same phase: no single comparator line."""
    rows = []
    for key in SINGLE_GROUPS:
        sel = Selection(
            selection.year_code, selection.district, key, selection.district_name, selection.la_code
        )
        fig = indicators.area_figures(fetch, sel, [measure])[measure.id]
        if fig.settings == 0 and fig.flag in ("x", "z"):
            continue
        auth = fig if selection.is_whole_authority else indicators.area_figures(
            fetch, sel.authority(), [measure])[measure.id]  # fmt: skip
        row = _figure_row(key, PHASES_BY_KEY[key].label, fig)
        row["comparator"] = auth.value if auth.shown else np.nan
        row["result"], row["beyond"] = "", ""
        if not selection.is_whole_authority and fig.flag == "" and auth.shown:
            od = indicators.area_overdispersion(fetch, measure, sel.authority())
            got = engine.rule_verdicts(pd.DataFrame([row]), measure, row["comparator"], od,
                                       "phases", flag_conf).iloc[0]  # fmt: skip
            row["result"] = got["result"]
            row["beyond"] = (
                CONFIDENCE_LABELS[flag_conf] if got["result"] in ("higher", "lower") else ""
            )
        row["years_pooled"] = np.nan
        rows.append(row)
    units = pd.DataFrame(rows, columns=UNIT_COLUMNS)
    own_name = authority_name(fetch, selection.la_code)
    notes = [
        "Each phase is compared with "
        + (f"{own_name}'s figure for the same phase" if not selection.is_whole_authority
           else f"nothing: these are {own_name}'s own figures by phase")
        + "; phases are never set against one all-phase figure."
    ]  # fmt: skip
    return Comparison(measure, "phases", selection, "all", units, math.nan,
                      f"{own_name}, same phase", flag_conf, None, None, (), notes)  # fmt: skip


GroupUnits = tuple[pd.DataFrame, list[str], stats.Overdispersion | None]


def group_units(fetch: Fetch, measure: Measure, scope: Selection, groups: Groups) -> GroupUnits:
    """Each group's figure for one year and phase choice (`scope`, a whole authority): the one
    computation Compare and Trends both show. Only members of the scope's phases count, the
    interval is widened as a district's is, and the figure sums members' published values
    only: a group with any member whose value is suppressed has none, so it can reveal nothing
    hidden. Returns (units, notes for the user, the over-dispersion estimate used)."""
    phase = PHASES_BY_KEY[scope.phase].label.lower()
    pairs = pd.DataFrame(groups.urn_groups(), columns=["urn", "group"])
    rows = fetch("setting_inputs", {**scope.params(), "input": measure.input})
    rows = rows.merge(pairs, on="urn", how="inner")
    notes = []
    outside = set(pairs["urn"]) - set(rows["urn"])
    if outside:
        notes.append(f"{len(outside)} setting(s) in your groups are not {phase} settings with "
                     f"figures for {scope.year_label} and are left out: groups are compared "
                     f"with {scope.district_name}'s {phase} figure, like with like.")  # fmt: skip
    # a value not published at all ('x' not collected, 'z' does not apply) is no secret: the
    # member is left out; a suppressed one ('c') blanks its group (engine.units_from_rows)
    absent = rows[["numerator", "denominator"]].isna().any(axis=1) & (
        rows["missing_reason"].fillna("") != disclosure.CONFIDENTIAL
    )
    if absent.any():
        notes.append(f"{rows.loc[absent, 'urn'].nunique()} member(s) have no {measure.short_title}"
                     " figure at source and are left out of their group.")  # fmt: skip
    rows = rows[~absent]
    sizes = rows.groupby("group")["urn"].nunique()
    units = engine.units_from_rows(rows, measure, "group")
    od = indicators.area_overdispersion(fetch, measure, scope)
    units = unit_values(measure, units, area_od=od)
    hidden = units["flag"] == disclosure.CONFIDENTIAL
    if hidden.any():
        notes.append(f"{int(hidden.sum())} group(s) have no figure: a member's value is "
                     "suppressed (c), and a group's figure must not let anyone work it "
                     "out.")  # fmt: skip
    empty = [n for n in groups.names if n not in set(units["unit"])]
    if empty:
        notes.append(f"{len(empty)} group(s) have no {phase} settings with figures in "
                     f"{scope.year_label}: {', '.join(empty[:4])}"
                     f"{' …' if len(empty) > 4 else ''}.")  # fmt: skip
    units["label"] = [f"{u} ({n} setting{'' if n == 1 else 's'})"
                      for u, n in ((u, int(sizes.get(u, 0))) for u in units["unit"])]  # fmt: skip
    return units, notes, od


def _compare_groups(fetch, measure: Measure, selection: Selection, groups: Groups,
                    chosen: str | None, flag_conf: float) -> Comparison:  # fmt: skip
    """Each group of settings (groups.py) beside the authority's figure for the same phase,
    like a district, judged by the rule for areas (figures: group_units)."""
    key = settings_group(selection, chosen)
    scope = Selection(selection.year_code, "all", key, authority_name(fetch, selection.la_code),
                      selection.la_code)  # fmt: skip
    bench_fig = indicators.area_figures(fetch, scope, [measure])[measure.id]
    comparator = bench_fig.value if bench_fig.shown else math.nan
    units, notes, od = group_units(fetch, measure, scope, groups)
    units = engine.rule_verdicts(units, measure, comparator, od, "groups", flag_conf)
    units["comparator"] = comparator
    units["years_pooled"] = np.nan
    units = units[UNIT_COLUMNS].sort_values("value", na_position="last").reset_index(drop=True)
    funnel = engine.funnel(measure, comparator, units, od) if engine.has_funnel(measure) else None
    name = f"{scope.district_name} {PHASES_BY_KEY[key].label.lower()}"
    return Comparison(measure, "groups", scope, key, units, comparator, name, flag_conf, funnel,
                      od, (), notes)  # fmt: skip


def _compare_authorities(fetch, measure: Measure, selection: Selection,
                         flag_conf: float) -> Comparison:  # fmt: skip
    """The authority beside its ten statistical neighbours (DfE's list), the region and England,
    each computed from the loaded school-level rows for the same phases and year, each with
    its own interval (widened, where the measure is over-dispersed, by its own settings'
    estimate, exactly as the Overview widens Kent's), each against England. Authorities whose
    settings are not loaded are left out and named; nothing is ranked."""
    year, phase = selection.year_code, selection.phase
    own_name = authority_name(fetch, selection.la_code)
    neighbours = fetch("statistical_neighbours", {"la_code": selection.la_code})
    members = [
        (selection.la_code, own_name),
        *zip(neighbours["neighbour_la_code"], neighbours["neighbour_name"], strict=True),
    ]
    comps = comparators.figures_for_year(comparators.rows(fetch, selection), year, [measure])
    england = next((c for c in comps[measure.id] if c.area_level == "national"), None)
    comparator = england.figure.value if england and england.figure.shown else math.nan
    rows, missing = [], []
    for code, name in members:
        sel = Selection(year, "all", phase, str(name), str(code))
        fig = indicators.area_figures(fetch, sel, [measure])[measure.id]
        if fig.settings == 0 and fig.flag in ("x", "z"):
            missing.append(str(name))
            continue
        row = _figure_row(str(code), str(name), fig)
        row["result"], row["beyond"] = "", ""
        if fig.flag == "" and not math.isnan(comparator):
            od = indicators.area_overdispersion(fetch, measure, sel)
            got = engine.rule_verdicts(pd.DataFrame([row]), measure, comparator, od,
                                       "authorities", flag_conf).iloc[0]  # fmt: skip
            row["result"] = got["result"]
            row["beyond"] = (
                CONFIDENCE_LABELS[flag_conf] if got["result"] in ("higher", "lower") else ""
            )
        rows.append(row)
    for c in comps[measure.id]:
        row = _figure_row(c.area_code, f"{c.area_name} (computed)", c.figure)
        row["result"], row["beyond"] = "", ""
        rows.append(row)
    units = pd.DataFrame(rows, columns=UNIT_COLUMNS)
    units["comparator"] = comparator
    units["years_pooled"] = np.nan
    units = units[UNIT_COLUMNS].sort_values("value", na_position="last").reset_index(drop=True)
    vintage = str(neighbours["vintage"].iloc[0]) if not neighbours.empty else "not loaded"
    notes = [
        f"Statistical neighbours: DfE's ten nearest authorities to {own_name} ({vintage}), "
        "chosen by similarity of context (deprivation, population and similar), not by "
        "performance. Each figure sums the authority's settings of the same phases."
    ]
    if missing:
        notes.append(
            f"{len(missing)} of {len(members)} authorities have no settings loaded and are left "
            f"out ({', '.join(missing[:4])}{' …' if len(missing) > 4 else ''}): load the "
            "national school-level files with `ingest … --la all`. Their published figures are "
            f"on the {own_name} in context page."
        )
    if england is None:
        notes.append(
            "England is not computed: the loaded rows do not cover England, so no authority "
            "is compared with it (load the national school-level files with --la all)."
        )
    else:
        notes.append(f"England and {comps[measure.id][-1].area_name}: {england.basis}.")
    if selection.phase in ("all", "secondary"):
        notes.append("The mix of phases differs between authorities; choose a single phase in "
                     "the sidebar to compare like with like.")  # fmt: skip
    name = f"England {PHASES_BY_KEY[phase].label.lower()} (computed)"
    return Comparison(measure, "authorities", selection.authority(), phase, units, comparator,
                      name, flag_conf, None, None, (), notes)  # fmt: skip


def group_key(phase: str, admissions_policy: str) -> str:
    """The phase option a setting is compared within (grammar schools apart)."""
    if phase == "Secondary":
        return (
            "secondary-selective" if admissions_policy == "Selective" else "secondary-non-selective"
        )
    for key in SINGLE_GROUPS:
        if PHASES_BY_KEY[key].phases == (phase,):
            return key
    return "all"


SIZE_BAND = (2 / 3, 3 / 2)


def similar_settings(
    fetch: Fetch,
    measure: Measure,
    urn: int,
    key: str,
    year_code: int,
    pupils: float,
    flag_conf: float | None = None,
) -> Comparison:
    """Settings of the same phase (and selective status) across the authority whose pupil
    numbers are within a band around this setting's, with this setting among them."""
    flag_conf = verdict_rule("settings").conf if flag_conf is None else flag_conf
    scope = Selection(year_code, "all", key)
    size = fetch("setting_inputs", {**scope.params(), "input": "ehcp"})
    size = size[size["breakdown"] == "all"].set_index("urn")["denominator"]
    lo, hi = pupils * SIZE_BAND[0], pupils * SIZE_BAND[1]
    keep = set(size[(size >= lo) & (size <= hi)].index) | {urn}
    rows = fetch("setting_inputs", {**scope.params(), "input": measure.input})
    rows = rows[rows["urn"].isin(keep)]
    labels = rows.drop_duplicates("urn").set_index("urn")["name"]
    units = engine.units_from_rows(rows, measure, "urn")
    units["label"] = units["unit"].map(labels)
    units = unit_values(measure, units)
    bench_fig = indicators.area_figures(fetch, scope, [measure])[measure.id]
    comparator = bench_fig.value if bench_fig.shown else math.nan
    funnel_ok = engine.has_funnel(measure)
    od = indicators.area_overdispersion(fetch, measure, scope)
    units = engine.rule_verdicts(units, measure, comparator, od, "settings", flag_conf)
    units["comparator"] = comparator
    units["years_pooled"] = np.nan
    units = units[UNIT_COLUMNS].sort_values("value", na_position="last").reset_index(drop=True)
    name, phase = home.current().name, PHASES_BY_KEY[key].label.lower()
    notes = [
        f"Similar settings: {phase} settings across {name} with "
        f"{lo:,.0f} to {hi:,.0f} pupils on roll ({len(units)} including this one)."
    ]
    return Comparison(measure, "settings", Selection(year_code, "all", key), key, units,
                      comparator, f"{name} {phase}", flag_conf,
                      engine.funnel(measure, comparator, units, od) if funnel_ok else None, od, (),
                      notes)  # fmt: skip
