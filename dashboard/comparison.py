"""Caveated comparisons of units (settings, districts or phases) with a like-for-like benchmark.

Returns plain data: per-unit values with intervals and disclosure flags, the benchmark, funnel
control limits and the comparison result for each unit. Charts and pages only draw it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from dashboard import db, disclosure, indicators, stats
from dashboard.catalogue import Measure
from dashboard.config import LA_NAME, DisclosureRules, disclosure_rules
from dashboard.filters import PHASE_OPTIONS, PHASES_BY_KEY, Selection, year_label

LEVELS = {
    "settings": "Settings in the selection",
    "districts": f"Districts of {LA_NAME}",
    "phases": "Phases",
}
# Phase options that hold one comparison group each: the only valid benchmarks for settings.
SINGLE_GROUPS = tuple(
    p.key for p in PHASE_OPTIONS if p.key not in ("all", "secondary") and len(p.phases) == 1
)
FLAG_LEVELS = {0.998: "99.8%", 0.95: "95%"}
FUNNEL_MODELS = ("binomial", "poisson")
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
    "benchmark",
    "years_pooled",
]


@dataclass
class Comparison:
    measure: Measure
    level: str
    selection: Selection
    group: str  # phase option key the comparison is made within
    units: pd.DataFrame
    benchmark: float
    benchmark_name: str
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
    def compared(self) -> int:
        return int((self.units["result"] != "").sum())

    @property
    def suppressed(self) -> int:
        return len(self.units) - len(self.shown)

    @property
    def mostly_suppressed(self) -> bool:
        return len(self.shown) < max(3, len(self.units) / 2)


def measure_applies(measure: Measure, level: str) -> bool:
    """Area-level measures (grades, awards, placement) exist only for groups of settings."""
    return not (level == "settings" and measure.level == "area")


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


def per_unit_inputs(rows: pd.DataFrame, measure: Measure, key: str) -> pd.DataFrame:
    """Pivot long setting/district rows into one row per unit with the measure's numerators."""

    def pick(breakdown: str) -> pd.DataFrame:
        if breakdown == "sen":
            part = rows[rows["breakdown"].isin(["sen_support", "ehcp"])]
        else:
            part = rows[rows["breakdown"] == breakdown]
        agg = part.groupby(key, sort=False).agg(
            numerator=("numerator", lambda s: s.sum(min_count=len(s))),
            denominator=("denominator", lambda s: s.sum(min_count=len(s))),
            missing_reason=("missing_reason", "first"),
        )
        return agg

    if measure.model in ("difference", "ratio"):
        a, b = (pick(x) for x in measure.compare_breakdowns)
        out = a.join(b[["numerator", "denominator"]].add_suffix("_b"), how="outer")
    else:
        out = pick(measure.breakdown)
        out["numerator_b"] = np.nan
        out["denominator_b"] = np.nan
    return out.reset_index().rename(columns={key: "unit"})


def unit_values(
    measure: Measure,
    units: pd.DataFrame,
    rules: DisclosureRules | None = None,
    area_od: stats.Overdispersion | None = None,
) -> pd.DataFrame:
    """Value, 95% interval and disclosure flag for each unit, confidential values blanked.
    Units that are areas
    (districts) pass `area_od` (indicators.area_overdispersion) so their intervals are widened
    exactly as the Overview widens the same area's figure."""
    rules = rules or disclosure_rules()
    u = units.copy()
    for col in ("numerator", "denominator", "numerator_b", "denominator_b"):
        u[col] = pd.to_numeric(u[col], errors="coerce").astype(float)
    x, n, x2, n2 = (u[c].to_numpy(float) for c in ("numerator", "denominator", "numerator_b",
                                                  "denominator_b"))  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure.model == "difference":
            u["value"] = x / n - x2 / n2
        elif measure.model == "ratio":
            u["value"] = np.where((x > 0) & (x2 > 0), (x / n) / (x2 / n2), np.nan)
        else:
            u["value"] = np.where(n > 0, x / n, np.nan)
    u["lower"], u["upper"] = _interval(measure, u, 0.95)
    if area_od is not None and measure.overdispersed:
        u["lower"], u["upper"] = stats.inflate_interval(u["value"], u["lower"], u["upper"], area_od)
    if "missing_reason" not in u:
        u["missing_reason"] = None
    dens = (
        ["denominator", "denominator_b"]
        if measure.model in ("difference", "ratio")
        else ["denominator"]
    )
    # Which values are confidential was decided once, over every view, when the database was
    # built (dashboard/suppression.py): they arrive here null with reason 'c'. Only the
    # low-reliability flag is decided here, from the denominator.
    u["flag"] = disclosure.flag_rows(u, [], dens, measure.min_denominator, rules)
    undefined = u["value"].isna() & (u["flag"] == "")
    u.loc[undefined, "flag"] = "x"
    return disclosure.blank_confidential(u)


def _classify(
    units: pd.DataFrame,
    measure: Measure,
    benchmark: float,
    flag_conf: float,
    funnel_ok: bool,
    od: stats.Overdispersion | None,
) -> pd.DataFrame:
    u = units.copy()
    u["result"] = ""
    u["beyond"] = ""
    comparable = (u["flag"] == "") & u["value"].notna()
    if math.isnan(benchmark) or not comparable.any():
        return u
    model = "poisson" if measure.model == "poisson" else "binomial"
    outside = {}
    for conf in FLAG_LEVELS:
        if funnel_ok:
            lo, hi = stats.funnel_limits(benchmark, u["denominator"], conf, model, od)
            higher, lower = u["value"] > hi, u["value"] < lo
        else:
            lo, hi = _interval(measure, u, conf)
            higher, lower = lo > benchmark, hi < benchmark
        outside[conf] = (comparable & higher, comparable & lower)
    u.loc[outside[0.95][0] | outside[0.95][1], "beyond"] = FLAG_LEVELS[0.95]
    u.loc[outside[0.998][0] | outside[0.998][1], "beyond"] = FLAG_LEVELS[0.998]
    higher, lower = outside[flag_conf]
    u.loc[comparable, "result"] = "similar"
    u.loc[higher, "result"] = "higher"
    u.loc[lower, "result"] = "lower"
    return u


def _interval(measure: Measure, u: pd.DataFrame, conf: float):
    x, n, x2, n2 = (u[c].to_numpy(float) for c in ("numerator", "denominator", "numerator_b",
                                                  "denominator_b"))  # fmt: skip
    if measure.model == "poisson":
        return stats.poisson_rate(x, n, conf)
    if measure.model == "difference":
        return stats.newcombe_difference(x, n, x2, n2, conf)[1:]
    if measure.model == "ratio":
        return stats.rate_ratio(x, n, x2, n2, conf)[1:]
    if measure.model == "concentration":
        return u["lower"].to_numpy(float), u["upper"].to_numpy(float)
    return stats.wilson(x, n, conf)


def _funnel(measure: Measure, benchmark: float, units: pd.DataFrame, od) -> pd.DataFrame | None:
    dens = units.loc[units["value"].notna(), "denominator"].dropna()
    dens = dens[dens > 0]
    if dens.empty or math.isnan(benchmark):
        return None
    grid = np.unique(np.geomspace(max(1.0, dens.min() * 0.8), dens.max() * 1.15, 160).round())
    model = "poisson" if measure.model == "poisson" else "binomial"
    out = pd.DataFrame({"denominator": grid})
    for conf, name in ((0.95, "95"), (0.998, "998")):
        lo, hi = stats.funnel_limits(benchmark, grid, conf, model, od)
        out[f"lower_{name}"], out[f"upper_{name}"] = lo, hi
    return out


def _pooled_years(year_code: int, available: list[int]) -> tuple[int, ...]:
    years = sorted(y for y in available if y <= year_code)[-3:]
    return tuple(years)


def compare(
    con: duckdb.DuckDBPyConnection,
    measure: Measure,
    selection: Selection,
    level: str,
    *,
    group: str | None = None,
    flag_conf: float = 0.998,
    pooled: bool = False,
    available_years: list[int] | None = None,
) -> Comparison:
    """Compare units at one level with the authority's figure for the same phase."""
    if level not in LEVELS:
        raise ValueError(f"unknown comparison level {level!r}")
    if not measure_applies(measure, level):
        raise ValueError(f"{measure.id} is defined only for groups of settings")
    if flag_conf not in FLAG_LEVELS:
        raise ValueError("flag level must be 0.95 or 0.998")
    if level == "phases":
        return _compare_phases(con, measure, selection, flag_conf)

    notes: list[str] = []
    group_key = settings_group(selection, group) if level == "settings" else selection.phase
    scope = Selection(selection.year_code, selection.district, group_key, selection.district_name)
    authority = scope.authority()
    bench_fig = indicators.area_figures(con, authority, [measure])[measure.id]
    benchmark = bench_fig.value if bench_fig.shown else math.nan
    benchmark_name = f"{LA_NAME} {PHASES_BY_KEY[group_key].label.lower()}"
    if level == "settings" and group_key != selection.phase:
        notes.append(
            f"Settings of different phases are never compared with one figure: showing "
            f"{PHASES_BY_KEY[group_key].label.lower()} settings only."
        )
    pooled_years: tuple[int, ...] = ()

    if level == "settings":
        if pooled:
            pooled_years = _pooled_years(selection.year_code, available_years or [])
            rows = db.run(con, "setting_inputs_pooled",
                          {**_without_year(scope.params()), "years": list(pooled_years),
                           "input": measure.input})  # fmt: skip
            notes.append(
                "Pooled over "
                + ", ".join(year_label(y) for y in pooled_years)
                + f": each setting's events and pupils are summed over the years; the {LA_NAME} "
                f"benchmark is for {selection.year_label} only."
            )
        else:
            rows = db.run(con, "setting_inputs", {**scope.params(), "input": measure.input})
        labels = rows.drop_duplicates("urn").set_index("urn")["name"]
        units = per_unit_inputs(rows, measure, "urn")
        units["label"] = units["unit"].map(labels)
        if pooled:
            years = rows.groupby("urn")["years_pooled"].max()
            units["years_pooled"] = units["unit"].map(years)
    else:  # districts
        if measure.level == "area":
            units = _area_units(con, measure, selection)
        else:
            rows = db.run(con, "district_series", _without_district(scope.params()))
            rows = rows[rows["input"] == measure.input]
            rows = rows.assign(missing_reason=indicators.group_reasons(rows))
            labels = rows.drop_duplicates("district_code").set_index("district_code")
            units = per_unit_inputs(rows, measure, "district_code")
            units["label"] = units["unit"].map(labels["district_name"])
        if selection.phase in ("all", "secondary"):
            notes.append(
                "The mix of phases differs between districts; choose a single phase in the "
                "sidebar to compare like with like."
            )

    if measure.level != "area":
        area_od = (
            indicators.area_overdispersion(con, measure, scope.authority())
            if level == "districts"
            else None
        )
        units = unit_values(measure, units, area_od=area_od)
    funnel_ok = measure.model in FUNNEL_MODELS and measure.level == "setting"
    od = None
    if funnel_ok and measure.overdispersed and not math.isnan(benchmark):
        ref = units if level == "districts" else _authority_setting_values(con, measure, authority)
        ref = ref[ref["value"].notna() & (ref["denominator"] > 0)]
        model = "poisson" if measure.model == "poisson" else "binomial"
        od = stats.estimate_overdispersion(ref["value"], ref["denominator"], benchmark, model)
        if od.applies:
            notes.append(
                f"Control limits widened for over-dispersion (additive random effects, "
                f"τ = {math.sqrt(od.tau2) * measure.multiplier:.2g} {_pp(measure)}, from "
                f"winsorised z-scores of {od.units} units)."
            )
    units = _classify(units, measure, benchmark, flag_conf, funnel_ok, od)
    units["benchmark"] = benchmark
    if "years_pooled" not in units:
        units["years_pooled"] = np.nan
    units = units[UNIT_COLUMNS].sort_values("value", na_position="last").reset_index(drop=True)
    funnel = _funnel(measure, benchmark, units, od) if funnel_ok else None
    return Comparison(measure, level, selection, group_key, units, benchmark, benchmark_name,
                      flag_conf, funnel, od, pooled_years, notes)  # fmt: skip


def _pp(measure: Measure) -> str:
    return "percentage points" if measure.unit == "%" else measure.unit


def _without_year(params: dict) -> dict:
    return {k: v for k, v in params.items() if k != "year_code"}


def _without_district(params: dict) -> dict:
    return {k: v for k, v in params.items() if k not in ("districts", "any_district")}


def _authority_setting_values(con, measure: Measure, authority: Selection) -> pd.DataFrame:
    rows = db.run(con, "setting_inputs", {**authority.params(), "input": measure.input})
    return unit_values(measure, per_unit_inputs(rows, measure, "urn"))


def _area_units(con, measure: Measure, selection: Selection) -> pd.DataFrame:
    districts = db.run(con, "districts", {"la_code": "886"})
    prefetched = indicators.prefetch_area_rows(con, measure, selection.authority())
    rows = []
    for d in districts.itertuples(index=False):
        sel = Selection(selection.year_code, d.district_code, selection.phase, d.district_name)
        fig = indicators.area_level_figure(con, measure, sel, rows=prefetched)
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


def _compare_phases(con, measure: Measure, selection: Selection, flag_conf: float) -> Comparison:
    """Each phase beside the authority's figure for the same phase: no single benchmark line."""
    rows = []
    for key in SINGLE_GROUPS:
        sel = Selection(selection.year_code, selection.district, key, selection.district_name)
        fig = indicators.area_figures(con, sel, [measure])[measure.id]
        if fig.settings == 0 and fig.flag in ("x", "z"):
            continue
        auth = fig if selection.is_whole_authority else indicators.area_figures(
            con, sel.authority(), [measure])[measure.id]  # fmt: skip
        row = _figure_row(key, PHASES_BY_KEY[key].label, fig)
        row["benchmark"] = auth.value if auth.shown else np.nan
        row["result"], row["beyond"] = "", ""
        if not selection.is_whole_authority and fig.flag == "" and auth.shown:
            if measure.level == "area" or measure.overdispersed:
                # Keep the area interval's own widening; rescale it to the flag level.
                k = stats.z_for(flag_conf) / stats.z_for(0.95)
                lo = np.array([fig.value - (fig.value - fig.lower) * k])
                hi = np.array([fig.value + (fig.upper - fig.value) * k])
            else:
                lo, hi = _interval(measure, pd.DataFrame([row]), flag_conf)
            res = stats.compare_with_benchmark(lo, hi, row["benchmark"])[0]
            row["result"] = res
            row["beyond"] = FLAG_LEVELS[flag_conf] if res in ("higher", "lower") else ""
        row["years_pooled"] = np.nan
        rows.append(row)
    units = pd.DataFrame(rows, columns=UNIT_COLUMNS)
    notes = [
        "Each phase is compared with "
        + (f"{LA_NAME}'s figure for the same phase" if not selection.is_whole_authority
           else "nothing: these are Kent's own figures by phase")
        + "; phases are never set against one all-phase figure."
    ]  # fmt: skip
    return Comparison(measure, "phases", selection, "all", units, math.nan,
                      f"{LA_NAME}, same phase", flag_conf, None, None, (), notes)  # fmt: skip


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
    con: duckdb.DuckDBPyConnection,
    measure: Measure,
    urn: int,
    key: str,
    year_code: int,
    pupils: float,
    flag_conf: float = 0.998,
) -> Comparison:
    """Settings of the same phase (and selective status) across the authority whose pupil
    numbers are within a band around this setting's, with this setting among them."""
    scope = Selection(year_code, "all", key)
    size = db.run(con, "setting_inputs", {**scope.params(), "input": "ehcp"})
    size = size[size["breakdown"] == "all"].set_index("urn")["denominator"]
    lo, hi = pupils * SIZE_BAND[0], pupils * SIZE_BAND[1]
    keep = set(size[(size >= lo) & (size <= hi)].index) | {urn}
    rows = db.run(con, "setting_inputs", {**scope.params(), "input": measure.input})
    rows = rows[rows["urn"].isin(keep)]
    labels = rows.drop_duplicates("urn").set_index("urn")["name"]
    units = per_unit_inputs(rows, measure, "urn")
    units["label"] = units["unit"].map(labels)
    units = unit_values(measure, units)
    bench_fig = indicators.area_figures(con, scope, [measure])[measure.id]
    benchmark = bench_fig.value if bench_fig.shown else math.nan
    funnel_ok = measure.model in FUNNEL_MODELS
    od = None
    if funnel_ok and measure.overdispersed and not math.isnan(benchmark):
        ref = _authority_setting_values(con, measure, scope)
        ref = ref[ref["value"].notna() & (ref["denominator"] > 0)]
        model = "poisson" if measure.model == "poisson" else "binomial"
        od = stats.estimate_overdispersion(ref["value"], ref["denominator"], benchmark, model)
    units = _classify(units, measure, benchmark, flag_conf, funnel_ok, od)
    units["benchmark"] = benchmark
    units["years_pooled"] = np.nan
    units = units[UNIT_COLUMNS].sort_values("value", na_position="last").reset_index(drop=True)
    notes = [
        f"Similar settings: {PHASES_BY_KEY[key].label.lower()} settings across {LA_NAME} with "
        f"{lo:,.0f} to {hi:,.0f} pupils on roll ({len(units)} including this one)."
    ]
    return Comparison(measure, "settings", Selection(year_code, "all", key), key, units,
                      benchmark, f"{LA_NAME} {PHASES_BY_KEY[key].label.lower()}", flag_conf,
                      _funnel(measure, benchmark, units, od) if funnel_ok else None, od, (),
                      notes)  # fmt: skip
