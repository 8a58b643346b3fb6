"""Intervals, comparator comparisons, funnel limits and over-dispersion: pure, vectorised functions.

Formulas follow their published sources: Wilson (1927) score interval; Byar's approximation to
the exact Poisson interval (Breslow and Day 1987), exact below 10 events; Newcombe (1998)
method 10 for differences of proportions; the log-scale interval for a ratio of Poisson rates;
Spiegelhalter (2005) for funnel limits and over-dispersion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats as sps

Z95 = sps.norm.ppf(0.975)


@lru_cache(maxsize=64)
def z_for(conf: float) -> float:
    """Two-sided normal quantile, e.g. 0.95 → 1.96, 0.998 → 3.09. Remembered: scipy's ppf
    costs ~0.1 ms a call and a page asks for the same few levels hundreds of times."""
    if not 0 < conf < 1:
        raise ValueError(f"confidence level must be between 0 and 1, got {conf}")
    return float(sps.norm.ppf(1 - (1 - conf) / 2))


def _arr(x) -> np.ndarray:
    return np.asarray(x, dtype=float)


def wilson(x, n, conf: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for x successes in n trials; NaN where n is 0 or missing."""
    x, n = _arr(x), _arr(n)
    z = z_for(conf)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        lo = np.clip(centre - half, 0, 1)
        hi = np.clip(centre + half, 0, 1)
    bad = ~(n > 0) | ~np.isfinite(x) | (x < 0) | (x > n)
    lo = np.where(bad, np.nan, lo)
    hi = np.where(bad, np.nan, hi)
    # Exact ends: no rounding error may push the interval off 0 or 1 when x is 0 or n.
    lo = np.where(~bad & (x == 0), 0.0, lo)
    hi = np.where(~bad & (x == n), 1.0, hi)
    return lo, hi


def poisson_count_interval(x, conf: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Interval for a Poisson count: exact (chi-squared) below 10 events, Byar's above."""
    x = _arr(x)
    z = z_for(conf)
    alpha = 1 - conf
    with np.errstate(divide="ignore", invalid="ignore"):
        exact_lo = np.where(x > 0, sps.chi2.ppf(alpha / 2, 2 * x) / 2, 0.0)
        exact_hi = sps.chi2.ppf(1 - alpha / 2, 2 * (x + 1)) / 2
        byar_lo = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
        byar_hi = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    small = x < 10
    lo = np.where(small, exact_lo, byar_lo)
    hi = np.where(small, exact_hi, byar_hi)
    bad = ~np.isfinite(x) | (x < 0)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)


def poisson_rate(x, n, conf: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Interval for a rate x / n (events per unit of denominator)."""
    n = _arr(n)
    lo, hi = poisson_count_interval(x, conf)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, lo / n, np.nan), np.where(n > 0, hi / n, np.nan)


def newcombe_difference(x1, n1, x2, n2, conf: float = 0.95):
    """Newcombe's hybrid score interval (method 10) for p1 − p2.

    Returns (difference, lower, upper)."""
    x1, n1, x2, n2 = map(_arr, (x1, n1, x2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, conf)
    l2, u2 = wilson(x2, n2, conf)
    d = p1 - p2
    lo = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    bad = np.isnan(l1) | np.isnan(l2)
    return (np.where(bad, np.nan, d), np.where(bad, np.nan, lo), np.where(bad, np.nan, hi))


def rate_ratio(x1, n1, x2, n2, conf: float = 0.95):
    """Ratio of two Poisson rates (x1/n1) ÷ (x2/n2) with its interval on the log scale.

    Undefined (NaN) when either group has no events. Returns (ratio, lower, upper)."""
    x1, n1, x2, n2 = map(_arr, (x1, n1, x2, n2))
    z = z_for(conf)
    ok = (x1 > 0) & (x2 > 0) & (n1 > 0) & (n2 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rr = (x1 / n1) / (x2 / n2)
        se = np.sqrt(1 / x1 + 1 / x2)
        lo = np.exp(np.log(rr) - z * se)
        hi = np.exp(np.log(rr) + z * se)
    return (np.where(ok, rr, np.nan), np.where(ok, lo, np.nan), np.where(ok, hi, np.nan))


def compare_with_comparator(lower, upper, comparator) -> np.ndarray:
    """'higher' or 'lower' when the interval excludes the comparator, else 'similar'.

    Missing intervals or comparators give '' (no comparison made)."""
    lower, upper, comparator = _arr(lower), _arr(upper), _arr(comparator)
    out = np.full(np.broadcast(lower, upper, comparator).shape, "similar", dtype=object)
    out[np.broadcast_to(lower > comparator, out.shape)] = "higher"
    out[np.broadcast_to(upper < comparator, out.shape)] = "lower"
    missing = np.isnan(lower) | np.isnan(upper) | np.isnan(comparator)
    out[np.broadcast_to(missing, out.shape)] = ""
    return out


# ---------------------------------------------------------------- funnel plots (Spiegelhalter)


def funnel_limits_binomial(theta: float, n, conf: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact binomial control limits around theta for denominators n, with the interpolation
    of Spiegelhalter (2005, appendix A.1.1) so the limits are smooth in n."""
    n = _arr(n)
    p = 1 - (1 - conf) / 2

    def one_side(prob):
        r = sps.binom.ppf(prob, n, theta)
        f_r = sps.binom.cdf(r, n, theta)
        f_r1 = sps.binom.cdf(r - 1, n, theta)
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = np.where(f_r > f_r1, (f_r - prob) / (f_r - f_r1), 0.0)
            return np.clip((r - alpha) / n, 0, 1)

    return one_side(1 - p), one_side(p)


def funnel_limits_poisson(theta: float, n, conf: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson control limits for a rate theta (events per unit) at denominators n."""
    n = _arr(n)
    p = 1 - (1 - conf) / 2
    mu = theta * n

    def one_side(prob):
        r = sps.poisson.ppf(prob, mu)
        f_r = sps.poisson.cdf(r, mu)
        f_r1 = sps.poisson.cdf(r - 1, mu)
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = np.where(f_r > f_r1, (f_r - prob) / (f_r - f_r1), 0.0)
            return np.maximum((r - alpha) / n, 0)

    return one_side(1 - p), one_side(p)


def standard_error(theta: float, n, model: str) -> np.ndarray:
    """Standard error of a unit's estimate under the null, for z-scores and normal limits."""
    n = _arr(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        if model == "poisson":
            return np.sqrt(theta / n)
        return np.sqrt(theta * (1 - theta) / n)


@dataclass(frozen=True)
class Overdispersion:
    """Spiegelhalter's over-dispersion estimate from winsorised z-scores."""

    phi: float  # multiplicative factor; 1 means no over-dispersion
    tau2: float  # additive random-effects variance (proportion scale)
    units: int
    method: str  # "additive", "multiplicative" or "none"

    @property
    def applies(self) -> bool:
        return self.method != "none"


def estimate_overdispersion(
    y, n, theta: float, model: str = "binomial", method: str = "additive", winsor: float = 0.1
) -> Overdispersion:
    """phi = mean of squared z-scores winsorised at the 10th and 90th centiles; if the spread is
    no more than chance (I·phi ≤ I − 1), no adjustment is made."""
    y, n = _arr(y), _arr(n)
    keep = np.isfinite(y) & (n > 0)
    y, n = y[keep], n[keep]
    k = len(y)
    if k < 3 or not 0 < theta < (1 if model != "poisson" else math.inf):
        return Overdispersion(1.0, 0.0, k, "none")
    s = standard_error(theta, n, model)
    z = (y - theta) / s
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    zw = np.clip(z, lo, hi)
    phi = float(np.mean(zw**2))
    if k * phi <= k - 1:
        return Overdispersion(phi, 0.0, k, "none")
    w = 1 / s**2
    tau2 = max(0.0, float((k * phi - (k - 1)) / (w.sum() - (w**2).sum() / w.sum())))
    return Overdispersion(phi, tau2, k, method)


def funnel_limits(
    theta: float,
    n,
    conf: float,
    model: str = "binomial",
    overdispersion: Overdispersion | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Control limits at confidence `conf` for each denominator in n; inflated when an
    over-dispersion estimate applies (additive: θ ± z·√(s² + τ²); multiplicative: θ ± z·√φ·s)."""
    n = _arr(n)
    od = overdispersion
    if od is not None and od.applies:
        z = z_for(conf)
        s = standard_error(theta, n, model)
        if od.method == "multiplicative":
            half = z * math.sqrt(od.phi) * s
        else:
            half = z * np.sqrt(s**2 + od.tau2)
        lo, hi = theta - half, theta + half
        upper_bound = 1 if model != "poisson" else np.inf
        return np.clip(lo, 0, upper_bound), np.clip(hi, 0, upper_bound)
    if model == "poisson":
        return funnel_limits_poisson(theta, n, conf)
    return funnel_limits_binomial(theta, n, conf)


def inflate_interval(value, lower, upper, overdispersion: Overdispersion | None):
    """Widen an interval by √φ about its value, for over-dispersed measures at area level."""
    value, lower, upper = _arr(value), _arr(lower), _arr(upper)
    if overdispersion is None or not overdispersion.applies or overdispersion.phi <= 1:
        return lower, upper
    f = math.sqrt(overdispersion.phi)
    return np.clip(value - (value - lower) * f, 0, 1), np.clip(value + (upper - value) * f, 0, 1)


def _percentile_interval(values: np.ndarray, conf: float) -> tuple[float, float]:
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return math.nan, math.nan
    a = (1 - conf) / 2
    lo, hi = np.quantile(values, [a, 1 - a])
    return float(lo), float(hi)


def top_fifth_share(counts) -> float:
    """Share of all counts held by the fifth of units with the largest counts (at least one)."""
    counts = np.sort(np.asarray(counts, dtype=float))[::-1]
    total = counts.sum()
    if len(counts) == 0 or total <= 0:
        return math.nan
    k = max(1, math.ceil(len(counts) / 5))
    return float(counts[:k].sum() / total)


def bootstrap_top_fifth_share(
    counts, conf: float = 0.95, resamples: int = 1000, seed: int = 20260101
) -> tuple[float, float]:
    """Percentile bootstrap of top_fifth_share over units (resampling settings with
    replacement), vectorised and reproducible through a fixed seed."""
    data = np.asarray(counts, dtype=float)
    n = len(data)
    if n < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    samples = data[rng.integers(0, n, size=(resamples, n))]
    k = max(1, math.ceil(n / 5))
    top = -np.sort(-samples, axis=1)[:, :k].sum(axis=1)
    total = samples.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = top / total
    return _percentile_interval(values, conf)


def rounded(values, decimals: int):
    """Values rounded to `decimals` places the one way every page, CSV and slide rounds them:
    Python's correctly rounded `round` on each float. (pandas and numpy scale by 10**decimals
    first, which can put a tie on the other side: 0.4625 became 0.463 on one page and 0.462 on
    another.) Takes a number, or a Series, array or list of numbers; NaN stays NaN."""
    if isinstance(values, pd.Series):
        return values.astype(float).map(lambda v: v if math.isnan(v) else round(v, decimals))
    if np.ndim(values) == 0:
        v = float(values)
        return v if math.isnan(v) else round(v, decimals)
    return np.array([rounded(v, decimals) for v in np.asarray(values, dtype=float)])
