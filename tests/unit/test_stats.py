"""Intervals and funnel limits against independent implementations and published examples."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.rates import confint_poisson, confint_poisson_2indep

from dashboard.statistics import stats


@pytest.mark.parametrize("x,n", [(0, 10), (1, 10), (3, 10), (10, 10), (81, 263), (1, 1), (0, 1)])
def test_wilson_matches_statsmodels(x, n):
    lo, hi = stats.wilson(x, n)
    ref = proportion_confint(x, n, method="wilson")
    assert lo == pytest.approx(ref[0], abs=1e-12)
    assert hi == pytest.approx(ref[1], abs=1e-12)


def test_wilson_edges_are_exact_and_missing_is_nan():
    lo, hi = stats.wilson([0, 5, 3, np.nan, 2], [5, 5, 0, 10, 1])
    assert lo[0] == 0 and hi[1] == 1
    assert np.isnan(lo[2]) and np.isnan(hi[2])  # n = 0
    assert np.isnan(lo[3])  # missing count
    assert np.isnan(lo[4])  # impossible: more successes than trials


def test_newcombe_reproduces_newcombe_1998_example():
    # Newcombe (1998) table II, example (a): 56/70 vs 48/80, method 10: 0.0524 to 0.3339.
    d, lo, hi = stats.newcombe_difference(56, 70, 48, 80)
    assert d == pytest.approx(0.2)
    assert lo == pytest.approx(0.0524, abs=5e-5)
    assert hi == pytest.approx(0.3339, abs=5e-5)


@pytest.mark.parametrize("a", [(0, 10, 0, 20), (9, 10, 3, 10), (5, 56, 0, 29), (10, 10, 0, 20)])
def test_newcombe_matches_statsmodels(a):
    _, lo, hi = stats.newcombe_difference(*a)
    ref = confint_proportions_2indep(*a, method="newcomb", compare="diff")
    assert lo == pytest.approx(ref[0], abs=1e-9)
    assert hi == pytest.approx(ref[1], abs=1e-9)


def test_byar_worked_example_and_exact_below_ten():
    # 20 events: Byar gives 12.21 to 30.89 (exact: 12.22 to 30.89).
    lo, hi = stats.poisson_count_interval(20)
    assert float(lo) == pytest.approx(12.211, abs=1e-3)
    assert float(hi) == pytest.approx(30.890, abs=1e-3)
    for x in range(0, 10):
        lo, hi = stats.poisson_count_interval(x)
        ref = confint_poisson(x, 1, method="exact-c")
        assert float(lo) == pytest.approx(ref[0], abs=1e-9)
        assert float(hi) == pytest.approx(ref[1], rel=1e-9)


@pytest.mark.parametrize("x", [10, 25, 100, 1000])
def test_byar_is_close_to_exact_above_ten(x):
    lo, hi = stats.poisson_count_interval(x)
    ref = confint_poisson(x, 1, method="exact-c")
    assert float(lo) == pytest.approx(ref[0], rel=0.01)
    assert float(hi) == pytest.approx(ref[1], rel=0.01)


def test_rate_interval_divides_by_denominator_and_handles_zero():
    lo, hi = stats.poisson_rate(0, 200)
    assert float(lo) == 0
    assert float(hi) == pytest.approx(3.6889 / 200, rel=1e-3)
    lo, hi = stats.poisson_rate(5, 0)
    assert np.isnan(lo) and np.isnan(hi)


def test_rate_ratio_matches_statsmodels_and_is_undefined_without_events():
    rr, lo, hi = stats.rate_ratio(30, 100, 10, 120)
    ref = confint_poisson_2indep(30, 100, 10, 120, method="wald-log", compare="ratio")
    assert rr == pytest.approx(3.6)
    assert lo == pytest.approx(ref[0]) and hi == pytest.approx(ref[1])
    assert all(np.isnan(v) for v in stats.rate_ratio(0, 100, 10, 120))
    assert all(np.isnan(v) for v in stats.rate_ratio(4, 100, 0, 120))


def test_compare_with_comparator_words():
    res = stats.compare_with_comparator([0.1, 0.3, 0.1, np.nan], [0.2, 0.4, 0.5, 0.2], 0.25)
    assert list(res) == ["lower", "higher", "similar", ""]


def test_z_for_998():
    assert stats.z_for(0.998) == pytest.approx(3.0902, abs=1e-4)
    with pytest.raises(ValueError):
        stats.z_for(1.2)


def test_binomial_funnel_limits_bracket_exact_quantiles():
    n = np.array([20, 50, 200, 1000])
    theta = 0.15
    for conf in (0.95, 0.998):
        lo, hi = stats.funnel_limits_binomial(theta, n, conf)
        p = 1 - (1 - conf) / 2
        upper_q = sps.binom.ppf(p, n, theta)
        lower_q = sps.binom.ppf(1 - p, n, theta)
        assert np.all(hi * n <= upper_q + 1e-9) and np.all(hi * n >= upper_q - 1 - 1e-9)
        assert np.all(lo * n <= lower_q + 1e-9) and np.all(lo * n >= lower_q - 1 - 1e-9)
    lo95, hi95 = stats.funnel_limits_binomial(theta, n, 0.95)
    lo998, hi998 = stats.funnel_limits_binomial(theta, n, 0.998)
    assert np.all(hi998 > hi95) and np.all(lo998 <= lo95)
    assert np.all(np.diff(hi95) < 0)  # the funnel narrows as the denominator grows
    # Large n: close to the normal approximation.
    lo, hi = stats.funnel_limits_binomial(theta, 100000, 0.95)
    se = math.sqrt(theta * (1 - theta) / 100000)
    assert float(hi) == pytest.approx(theta + 1.96 * se, rel=1e-3)


def test_poisson_funnel_limits_bracket_exact_quantiles():
    n = np.array([100, 500, 5000])
    theta = 0.05
    lo, hi = stats.funnel_limits_poisson(theta, n, 0.998)
    upper_q = sps.poisson.ppf(0.999, theta * n)
    assert np.all(hi * n <= upper_q + 1e-9) and np.all(hi * n >= upper_q - 1 - 1e-9)
    assert np.all(lo >= 0)


def test_overdispersion_detects_extra_variation_and_not_chance():
    rng = np.random.default_rng(1)
    n = rng.integers(100, 1000, size=300)
    chance = rng.binomial(n, 0.1) / n
    assert not stats.estimate_overdispersion(chance, n, 0.1).applies
    true_p = np.clip(rng.normal(0.1, 0.03, size=300), 0.01, 0.9)
    spread = rng.binomial(n, true_p) / n
    od = stats.estimate_overdispersion(spread, n, 0.1)
    assert od.applies and od.phi > 2
    # tau is on the proportion scale; the simulated between-setting sd is 0.03.
    assert math.sqrt(od.tau2) == pytest.approx(0.03, rel=0.35)
    _lo, hi = stats.funnel_limits(0.1, n, 0.998, overdispersion=od)
    _lo0, hi0 = stats.funnel_limits(0.1, n, 0.998)
    assert np.all(hi > hi0)
    mult = stats.Overdispersion(od.phi, od.tau2, od.units, "multiplicative")
    _lo_m, hi_m = stats.funnel_limits(0.1, n, 0.998, overdispersion=mult)
    se = np.sqrt(0.1 * 0.9 / n)
    assert np.allclose(hi_m - 0.1, stats.z_for(0.998) * math.sqrt(od.phi) * se)


def test_overdispersion_needs_enough_units():
    assert stats.estimate_overdispersion([0.1, 0.2], [10, 10], 0.15).method == "none"


def _reference_bootstrap(statistic, data, conf=0.95, resamples=1000, seed=20260101):
    """A plain loop over resamples, written independently, to check the vectorised version."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(data), size=(resamples, len(data)))
    values = np.array([statistic(data[i]) for i in idx])
    values = values[np.isfinite(values)]
    return tuple(float(v) for v in np.quantile(values, [(1 - conf) / 2, 1 - (1 - conf) / 2]))


def test_top_fifth_share_and_bootstrap():
    assert stats.top_fifth_share([10, 0, 0, 0, 0]) == 1.0
    assert stats.top_fifth_share([1] * 10) == pytest.approx(0.2)
    assert math.isnan(stats.top_fifth_share([0, 0]))
    lo, hi = stats.bootstrap_top_fifth_share(np.arange(1, 51, dtype=float))
    assert lo < stats.top_fifth_share(np.arange(1, 51)) < hi
    again = stats.bootstrap_top_fifth_share(np.arange(1, 51, dtype=float))
    assert (lo, hi) == again  # reproducible


@given(st.integers(0, 5000), st.integers(1, 5000))
def test_wilson_properties(x, n):
    x = min(x, n)
    lo, hi = stats.wilson(x, n)
    assert 0 <= lo <= x / n <= hi <= 1


@given(st.integers(0, 100000))
def test_poisson_interval_contains_count(x):
    lo, hi = stats.poisson_count_interval(x)
    assert lo <= x <= hi


def test_vectorised_bootstrap_agrees_with_the_generic_one():
    counts = np.random.default_rng(3).poisson(4, size=60).astype(float)
    generic = _reference_bootstrap(stats.top_fifth_share, counts)
    fast = stats.bootstrap_top_fifth_share(counts)
    assert fast == pytest.approx(generic)
