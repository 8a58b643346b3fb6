"""The one statistics engine: every figure the app shows is computed here.

A figure is a value, its interval, the method that made the interval, a verdict against a
comparator and a disclosure flag. Whatever asks for one (the Overview card, a Compare row, a
Trends point, a setting's profile, a CSV cell, a slide), it comes from `figures` and `verdicts`
below, applied to a frame with one row per unit: a setting, a district, a year, a group of
settings. The caller brings summed numerators and denominators, as PHEindicatormethods'
`phe_rate(data, x, n, type, confidence)` takes them; the measure's catalogue entry chooses the
model from MODELS and the over-dispersion method. So one figure cannot have two intervals, and
a page cannot quietly use another formula.

Which values are confidential is not decided here: that was decided once, over every view,
when the database was built (dashboard/statistics/suppression.py), and such values arrive null with
reason 'c'. The engine sets only the low-reliability flag 'u' (denominator below the measure's
minimum) and 'x' (no value can be formed).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from dashboard.core.catalogue import Measure, verdict_rule
from dashboard.core.config import DisclosureRules, disclosure_rules
from dashboard.statistics import disclosure, stats

COUNTS = ("numerator", "denominator", "numerator_b", "denominator_b")
CONFIDENCE_LABELS = {0.998: "99.8%", 0.95: "95%"}
NOT_AVAILABLE = "x"


@dataclass(frozen=True)
class Counts:
    """One column per unit: events and population, and a second group's for two-group models.
    `lower` and `upper` carry an interval made elsewhere (bootstrap) for models that have one."""

    x: np.ndarray
    n: np.ndarray
    x2: np.ndarray
    n2: np.ndarray
    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


Interval = tuple[np.ndarray, np.ndarray]


class Figure(NamedTuple):
    """One unit's value, 95% interval and flag (blanked where the flag withholds it)."""

    value: float
    lower: float
    upper: float
    flag: str


@dataclass(frozen=True)
class Model:
    """How one kind of measure turns counts into a value and an interval."""

    value: Callable[[Counts], np.ndarray]
    interval: Callable[[Counts, float], Interval]
    null: str | None  # distribution of funnel control limits around a comparator, if any
    bounds: tuple[float, float]  # the values the measure can take


def _proportion(c: Counts) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(c.n > 0, c.x / c.n, np.nan)


def _difference(c: Counts) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return c.x / c.n - c.x2 / c.n2


def _ratio(c: Counts) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((c.x > 0) & (c.x2 > 0), (c.x / c.n) / (c.x2 / c.n2), np.nan)


def _given_interval(c: Counts, conf: float) -> Interval:
    """A bootstrap interval is made at 95%; at another level its half-widths are rescaled by
    the ratio of normal quantiles (an approximation, stated on Data and methods)."""
    k = stats.z_for(conf) / stats.z_for(0.95)
    return c.value - (c.value - c.lower) * k, c.value + (c.upper - c.value) * k


MODELS: dict[str, Model] = {
    "binomial": Model(
        _proportion, lambda c, conf: stats.wilson(c.x, c.n, conf), "binomial", (0.0, 1.0)
    ),
    "settings_binomial": Model(
        _proportion, lambda c, conf: stats.wilson(c.x, c.n, conf), "binomial", (0.0, 1.0)
    ),
    "poisson": Model(
        _proportion, lambda c, conf: stats.poisson_rate(c.x, c.n, conf), "poisson", (0.0, math.inf)
    ),
    "difference": Model(
        _difference,
        lambda c, conf: stats.newcombe_difference(c.x, c.n, c.x2, c.n2, conf)[1:],
        None,
        (-1.0, 1.0),
    ),
    "ratio": Model(
        _ratio,
        lambda c, conf: stats.rate_ratio(c.x, c.n, c.x2, c.n2, conf)[1:],
        None,
        (0.0, math.inf),
    ),
    "concentration": Model(lambda c: c.value, _given_interval, None, (0.0, 1.0)),
}


SEN = ("sen_support", "ehcp")  # pupils with SEN: SEN support plus those with an EHC plan


def breakdown_rows(rows: pd.DataFrame, breakdown: str) -> pd.DataFrame:
    """The rows of one breakdown; 'sen' is the one breakdown made of two stored ones."""
    if breakdown == "sen":
        return rows[rows["breakdown"].isin(SEN)]
    return rows[rows["breakdown"] == breakdown]


def units_from_rows(rows: pd.DataFrame, measure: Measure, key: str) -> pd.DataFrame:
    """Long input rows (one per unit × breakdown) as one row per unit with the numerators and
    denominators the measure's model needs; a unit with any missing part stays missing."""

    def pick(breakdown: str) -> pd.DataFrame:
        part = breakdown_rows(rows, breakdown)
        sums = part[["numerator", "denominator"]].apply(pd.to_numeric, errors="coerce")
        by = part[key]
        # built-in reductions, not a Python lambda per group: this runs for every setting of
        # the authority whenever an over-dispersion estimate is made
        out = sums.groupby(by, sort=False).sum()
        out = out.where(~sums.isna().groupby(by, sort=False).any())  # one part missing: missing
        out["missing_reason"] = part["missing_reason"].groupby(by, sort=False).first()
        return out

    if measure.two_groups:
        a, b = (pick(x) for x in measure.compare_breakdowns)
        out = a.join(b[["numerator", "denominator"]].add_suffix("_b"), how="outer")
    else:
        out = pick(measure.breakdown)
        out["numerator_b"] = np.nan
        out["denominator_b"] = np.nan
    return out.reset_index().rename(columns={key: "unit"})


def model(measure: Measure) -> Model:
    return MODELS[measure.model]


def has_funnel(measure: Measure) -> bool:
    """Funnel plots need a null distribution and units that are settings' own figures."""
    return model(measure).null is not None and measure.grain == "setting"


def widen(
    measure: Measure, value, lower, upper, od: stats.Overdispersion | None, conf: float = 0.95
) -> Interval:
    """An interval widened for over-dispersion by the measure's one method, the same one the
    funnel limits use (stats.funnel_limits): multiplicative scales each half-width by √φ;
    additive adds the random-effects variance τ² to each half-width's variance."""
    value, lower, upper = (np.asarray(a, dtype=float) for a in (value, lower, upper))
    if od is None or not od.applies or not measure.overdispersed:
        return lower, upper
    if measure.overdispersion == "multiplicative":
        f = math.sqrt(max(od.phi, 1.0))
        lo, hi = value - (value - lower) * f, value + (upper - value) * f
    else:
        extra = (stats.z_for(conf) ** 2) * od.tau2
        lo = value - np.sqrt((value - lower) ** 2 + extra)
        hi = value + np.sqrt((upper - value) ** 2 + extra)
    low, high = model(measure).bounds
    return np.clip(lo, low, high), np.clip(hi, low, high)


def compute(
    counts: Mapping[str, ArrayLike],
    measure: Measure,
    *,
    conf: float = 0.95,
    overdispersion: stats.Overdispersion | None = None,
    rules: DisclosureRules | None = None,
    missing_reason: ArrayLike | None = None,
) -> dict[str, np.ndarray]:
    """The engine itself, on arrays (one element per unit): counts, value, interval and flag,
    confidential values blanked. `counts` holds any of COUNTS (and `value`, `lower`, `upper`
    for a concentration, whose interval is made elsewhere); a missing one is NaN."""
    rules = rules or disclosure_rules()
    m = model(measure)
    size = np.asarray(next(iter(counts.values()))).size if counts else 0

    def col(name: str) -> np.ndarray:
        got = counts.get(name)
        if got is None:
            return np.full(size, np.nan)
        arr = np.asarray(got)
        if arr.dtype.kind in "fiub":
            return arr.astype(float)
        return pd.to_numeric(pd.Series(arr), errors="coerce").to_numpy(float)

    c = Counts(*(col(x) for x in (*COUNTS, "value", "lower", "upper")))
    value = np.asarray(m.value(c), dtype=float)
    c = Counts(c.x, c.n, c.x2, c.n2, value, c.lower, c.upper)
    lo, hi = m.interval(c, conf)
    lower, upper = widen(measure, value, lo, hi, overdispersion, conf)
    two_groups = measure.two_groups
    dens = [c.n, c.n2] if two_groups else [c.n]
    flag = disclosure.flags([], dens, measure.min_denominator, rules, missing_reason)
    # A value the model cannot give from counts that are there (a ratio with no events in one
    # group) is undefined, not withheld: its counts are shown, on every page alike. Only a
    # figure without counts or pupils to divide by is 'x'.
    counted = np.ones(size, dtype=bool)
    for arr in [c.x, c.x2] if two_groups else [c.x]:
        counted &= ~np.isnan(arr)
    for arr in dens:
        with np.errstate(invalid="ignore"):
            counted &= arr > 0
    flag = np.where(np.isnan(value) & (flag == "") & ~counted, NOT_AVAILABLE, flag)
    hidden = disclosure.withheld(flag)
    out = dict(zip(COUNTS, (c.x, c.n, c.x2, c.n2), strict=True))
    out |= {"value": value, "lower": np.asarray(lower, float), "upper": np.asarray(upper, float)}
    return {k: np.where(hidden, np.nan, v) for k, v in out.items()} | {"flag": flag}


def figure(
    measure: Measure,
    numerator: float,
    denominator: float,
    numerator_b: float = math.nan,
    denominator_b: float = math.nan,
    *,
    overdispersion: stats.Overdispersion | None = None,
    rules: DisclosureRules | None = None,
) -> Figure:
    """One unit's `compute`, as scalars: an area's figure from its summed counts."""
    got = compute({"numerator": [numerator], "denominator": [denominator],
                   "numerator_b": [numerator_b], "denominator_b": [denominator_b]},
                  measure, overdispersion=overdispersion, rules=rules)  # fmt: skip
    return Figure(float(got["value"][0]), float(got["lower"][0]), float(got["upper"][0]),
                  str(got["flag"][0]))  # fmt: skip


def figures(
    units: pd.DataFrame,
    measure: Measure,
    *,
    conf: float = 0.95,
    overdispersion: stats.Overdispersion | None = None,
    rules: DisclosureRules | None = None,
) -> pd.DataFrame:
    """Value, interval and flag for each unit (`compute`); confidential values blanked.

    `units` has `numerator` and `denominator` (and `numerator_b`, `denominator_b` for
    difference and ratio models; `value`, `lower`, `upper` for a concentration), optionally
    `missing_reason`. Areas pass `overdispersion` (see `estimate_overdispersion`); a setting's
    own interval is never widened."""
    given = {k: units[k].to_numpy() for k in (*COUNTS, "value", "lower", "upper") if k in units}
    reasons = units["missing_reason"].to_numpy(object) if "missing_reason" in units else None
    got = compute(given, measure, conf=conf, overdispersion=overdispersion, rules=rules,
                  missing_reason=reasons)  # fmt: skip
    out = units.assign(**{k: v for k, v in got.items() if k != "flag"})
    if "missing_reason" not in out:
        out["missing_reason"] = None
    out["flag"] = got["flag"]
    if "value_b" in out:  # a disclosive column the engine does not make: blanked all the same
        out["value_b"] = out["value_b"].astype(float).where(~disclosure.withheld(got["flag"]))
    return out


def estimate_overdispersion(
    measure: Measure, settings: pd.DataFrame, comparator: float
) -> stats.Overdispersion | None:
    """Spiegelhalter's over-dispersion of settings' values about the comparator, by the
    measure's method. `settings` holds each setting's `value` and `denominator`: the
    authority's settings of the same phase, the one estimate every area interval and funnel
    of the measure uses for that year and phase."""
    if not measure.overdispersed or not math.isfinite(comparator) or comparator <= 0:
        return None
    keep = settings["value"].notna() & (settings["denominator"] > 0)
    if keep.sum() < 3:
        return None
    null = model(measure).null or "binomial"
    if null == "binomial" and comparator >= 1:
        return None
    return stats.estimate_overdispersion(
        settings.loc[keep, "value"], settings.loc[keep, "denominator"], comparator, null,
        method=measure.overdispersion,
    )  # fmt: skip


def limits(
    measure: Measure, comparator: float, n, conf: float, od: stats.Overdispersion | None
) -> Interval:
    """Funnel control limits around the comparator for denominators n."""
    null = model(measure).null or "binomial"
    return stats.funnel_limits(comparator, n, conf, null, od if measure.overdispersed else None)


def verdicts(
    units: pd.DataFrame,
    measure: Measure,
    comparator: float,
    conf: float,
    od: stats.Overdispersion | None = None,
    *,
    funnel: bool | None = None,
    widen_units: bool = False,
) -> pd.DataFrame:
    """Each unit's verdict against the comparator: 'higher', 'lower' or 'similar' at `conf`
    ('' where no comparison is made: flagged, missing or no comparator), and `beyond`, the
    strictest of 95% and 99.8% it lies outside.

    With a funnel (the measure has a null distribution and units are settings or areas
    built from them), a unit differs when its value lies outside the control limits at its
    denominator; otherwise when its interval at `conf` excludes the comparator."""
    u = units.assign(result="", beyond="")
    comparable = ((u["flag"] == "") & u["value"].notna()).to_numpy()
    if math.isnan(comparator) or not comparable.any():
        return u
    use_funnel = has_funnel(measure) if funnel is None else funnel
    outside = {}
    for level in CONFIDENCE_LABELS:
        if use_funnel:
            lo, hi = limits(measure, comparator, u["denominator"], level, od)
            value = u["value"].to_numpy(float)
            higher, lower = value > np.asarray(hi), value < np.asarray(lo)
        else:
            given = {k: u[k].to_numpy() for k in (*COUNTS, "value", "lower", "upper") if k in u}
            at = compute(given, measure, conf=level, overdispersion=od if widen_units else None)
            with np.errstate(invalid="ignore"):
                higher, lower = at["lower"] > comparator, at["upper"] < comparator
        outside[level] = (comparable & higher, comparable & lower)
    strict, loose = (outside[x][0] | outside[x][1] for x in (0.998, 0.95))
    u["beyond"] = np.select(
        [strict, loose], [CONFIDENCE_LABELS[0.998], CONFIDENCE_LABELS[0.95]], ""
    )
    higher, lower = outside[conf]
    u["result"] = np.select([lower, higher, comparable], ["lower", "higher", "similar"], "")
    return u


def rule_verdicts(
    units: pd.DataFrame,
    measure: Measure,
    comparator: float,
    od: stats.Overdispersion | None,
    level: str,
    conf: float | None = None,
) -> pd.DataFrame:
    """Verdicts by the catalogue's rule for the comparison level (catalogue.verdict_rule): the
    one way every page decides a figure's verdict. `conf` only where a page offers another
    level (and says so beside its verdicts)."""
    rule = verdict_rule(level)
    conf = rule.conf if conf is None else conf
    if rule.method == "interval":
        return verdicts(units, measure, comparator, conf, od, funnel=False, widen_units=True)
    return verdicts(units, measure, comparator, conf, od, funnel=has_funnel(measure))


def funnel(
    measure: Measure, comparator: float, units: pd.DataFrame, od: stats.Overdispersion | None
) -> pd.DataFrame | None:
    """Control limits at 95% and 99.8% over the range of the units' denominators, to draw."""
    dens = units.loc[units["value"].notna(), "denominator"].dropna()
    dens = dens[dens > 0]
    if dens.empty or math.isnan(comparator):
        return None
    grid = np.unique(np.geomspace(max(1.0, dens.min() * 0.8), dens.max() * 1.15, 160).round())
    out = pd.DataFrame({"denominator": grid})
    for level, name in ((0.95, "95"), (0.998, "998")):
        out[f"lower_{name}"], out[f"upper_{name}"] = limits(measure, comparator, grid, level, od)
    return out


def method_text(measure: Measure, od: stats.Overdispersion | None, *, funnel: bool) -> str:
    """The method actually used for a chart, in words: the interval's, the limits' and any
    widening with the estimate it used."""
    parts = []
    if funnel:
        if od is not None and od.applies and measure.overdispersed:
            parts.append(
                "Control limits: normal approximation around the comparator, widened for "
                + _widening(measure, od)
            )
        else:
            exact = "exact Poisson" if model(measure).null == "poisson" else "exact binomial"
            parts.append(f"Control limits: {exact} around the comparator, at 95% and 99.8%.")
    interval = measure.model_label.split(",")[0]
    parts.append(f"Intervals: {interval}.")
    if not funnel and od is not None and od.applies and measure.overdispersed:
        parts.append("Area intervals widened for " + _widening(measure, od))
    return " ".join(parts)


def _widening(measure: Measure, od: stats.Overdispersion) -> str:
    if measure.overdispersion == "multiplicative":
        how = f"by √φ = {math.sqrt(od.phi):.2f}"
    else:
        tau = math.sqrt(od.tau2) * measure.multiplier
        how = f"by τ = {tau:.2g}{' percentage points' if measure.unit == '%' else ''}"
    return (
        f"over-dispersion between settings {how} (Spiegelhalter 2005, {measure.overdispersion}; "
        f"φ = {od.phi:.1f} from winsorised z-scores of {od.units} settings)."
    )
