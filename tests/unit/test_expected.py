"""Expected given intake (dashboard/statistics/expected.py): the model recovers what the data
were made from, a setting far from its expected value is said to be so (and nothing else is),
every setting without a ratio says why, and the intervals and limits are the textbook ones,
computed here from scipy directly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from dashboard.statistics import expected as model

TRUE_FSM, TRUE_EAL, TRUE_SIZE = 1.25, 0.9, 0.95  # multipliers per 10 points / per doubling


def _settings(n: int, seed: int, family: str, phi: float = 1.0) -> pd.DataFrame:
    """Settings whose figures are drawn from a known model (no fitting code involved)."""
    rng = np.random.default_rng(seed)
    group = np.where(rng.random(n) < 0.8, "Primary", "Secondary")
    pupils = np.where(group == "Primary", rng.integers(80, 700, n), rng.integers(500, 1800, n))
    fsm_share, eal_share = rng.beta(2, 8, n), rng.beta(1, 6, n)
    fsm, eal = rng.binomial(pupils, fsm_share), rng.binomial(pupils, eal_share)
    lin = (np.log(0.12) + np.where(group == "Secondary", np.log(0.8), 0.0)
           + np.log(TRUE_FSM) * 10 * fsm / pupils + np.log(TRUE_EAL) * 10 * eal / pupils
           + np.log(TRUE_SIZE) * (np.log2(pupils) - 8))  # fmt: skip
    if family == "binomial":
        odds = np.exp(lin)
        p = odds / (1 + odds)
        if phi > 1:  # beta-binomial spread for over-dispersion
            p = rng.beta(p * 20, (1 - p) * 20)
        observed = rng.binomial(pupils, p)
    else:
        mean = np.exp(lin) * pupils
        # variance phi × mean (negative binomial): the multiplicative over-dispersion assumed
        observed = (rng.negative_binomial(mean / (phi - 1), 1 / phi) if phi > 1
                    else rng.poisson(mean))  # fmt: skip
    return pd.DataFrame({
        "urn": np.arange(100000, 100000 + n), "la_code": rng.choice(["881", "887", "882"], n),
        "group": group, "observed": observed.astype(float), "pupils": pupils.astype(float),
        "fsm": fsm.astype(float), "fsm_pupils": pupils.astype(float), "eal": eal.astype(float),
        "eal_pupils": pupils.astype(float),
    })  # fmt: skip


@pytest.mark.parametrize("family", ["binomial", "poisson"])
def test_the_model_recovers_the_intake_effects_the_data_were_made_with(family):
    got = model.fit_expected(_settings(4000, 1, family), family)
    assert got.fit is not None
    terms = {t.label.split(" (")[0].split(",")[0]: t for t in got.fit.terms}
    for label, truth in (("Free-school-meal share", TRUE_FSM), ("EAL share", TRUE_EAL),
                         ("Twice the pupils on roll", TRUE_SIZE)):  # fmt: skip
        t = terms[label]
        assert t.lower < truth < t.upper, (label, t)
    assert got.fit.settings == 4000 and got.fit.authorities == 3
    assert got.fit.reference_group == "Primary"  # the largest group


@pytest.mark.parametrize("family", ["binomial", "poisson"])
def test_without_over_dispersion_almost_no_setting_is_called_out(family):
    got = model.fit_expected(_settings(4000, 2, family), family)
    outside = got.settings["position"].isin([model.ABOVE, model.BELOW]).sum()
    assert outside <= 4000 * 0.002 * 4  # chance gives ~8 at 99.8%; allow for the expected
    # values being estimated (binomial variance is below Poisson's, so fewer still)


def test_a_setting_far_from_its_expected_value_is_said_to_be_and_neutrally():
    rows = _settings(3000, 3, "poisson")
    rows.loc[0, "observed"] = 0.0
    rows.loc[0, "pupils"] = 1500.0
    rows.loc[0, ["fsm_pupils", "eal_pupils"]] = 1500.0
    rows.loc[1, "observed"] = rows.loc[1, "pupils"] * 0.6  # five times the usual rate
    got = model.fit_expected(rows, "poisson").settings.set_index("urn")
    assert got.loc[100000, "position"] == model.BELOW
    assert got.loc[100001, "position"] == model.ABOVE
    words = " ".join(model.POSITION_TEXT.values()).lower()
    assert "better" not in words and "worse" not in words


def test_over_dispersion_widens_the_limits_and_is_reported():
    calm = model.fit_expected(_settings(3000, 4, "poisson"), "poisson")
    wild = model.fit_expected(_settings(3000, 4, "poisson", phi=3.0), "poisson")
    assert calm.fit is not None and wild.fit is not None
    assert wild.fit.overdispersion.applies and wild.fit.overdispersion.phi > 1.5
    # (winsorising the z-scores shrinks φ below its true 3: Spiegelhalter's robust estimate)
    assert wild.fit.scale > 2 * calm.fit.scale
    # without the widening, far more settings would be called out than chance gives
    outside = wild.settings["position"].isin([model.ABOVE, model.BELOW]).mean()
    assert outside < 0.03


def test_interval_and_limits_are_the_exact_poisson_ones():
    rows = _settings(500, 5, "poisson")
    rows.loc[:, "observed"] = np.round(rows["observed"])
    got = model.fit_expected(rows, "poisson")
    assert got.fit is not None and not got.fit.overdispersion.applies
    s = got.settings.dropna(subset=["ratio"])
    small = s[rows.loc[s.index, "observed"].between(1, 9)].iloc[0]
    o, e = rows.loc[small.name, "observed"], small["expected"]
    assert small["lower"] == pytest.approx(sps.chi2.ppf(0.025, 2 * o) / 2 / e)
    assert small["upper"] == pytest.approx(sps.chi2.ppf(0.975, 2 * (o + 1)) / 2 / e)
    # the 99.8% limits lie between the Poisson quantiles either side (Spiegelhalter's
    # interpolation makes them smooth in E)
    for r in s.itertuples():
        q = sps.poisson.ppf(0.999, r.expected)
        assert (q - 1) / r.expected - 1e-9 <= r.limit_upper <= q / r.expected + 1e-9


def test_every_setting_without_a_ratio_says_why():
    rows = _settings(200, 6, "binomial")
    rows.loc[0, "observed"] = np.nan  # suppressed
    rows.loc[1, "fsm"] = np.nan  # intake suppressed
    rows.loc[2, ["pupils", "fsm_pupils", "eal_pupils"]] = 0.0
    extra = rows.iloc[10:13].assign(urn=[1, 2, 3], group="Nursery")  # a phase too small to model
    full = (rows["pupils"].iloc[20:35] * 0.97).round()
    ceiling = rows.iloc[20:35].assign(urn=range(10, 25), group="Special", observed=full)
    got = model.fit_expected(pd.concat([rows, extra, ceiling], ignore_index=True), "binomial")
    why = got.settings.set_index("urn")["not_modelled"]
    assert why[100000] == "withheld"
    assert why[100001] == "intake"
    assert why[100002] == "no_pupils"
    assert set(why[[1, 2, 3]]) == {"small_group"}
    assert set(why[list(range(10, 25))]) == {"ceiling"}
    assert got.fit is not None and got.fit.groups_left_out == ("Nursery",)
    no_ratio = got.settings[got.settings["ratio"].isna()]
    assert all(model.not_modelled_text(r) for r in no_ratio["not_modelled"])
    with_ratio = got.settings[got.settings["ratio"].notna()]
    assert with_ratio["not_modelled"].isna().all()


def test_too_few_settings_give_no_model_and_say_so():
    got = model.fit_expected(_settings(20, 7, "binomial"), "binomial")
    assert got.fit is None and got.why_no_model and "a model needs 30" in got.why_no_model
    assert got.settings["not_modelled"].isin(["no_model", "small_group"]).all()
    assert got.settings["ratio"].isna().all()


def test_the_funnel_lines_are_the_settings_own_limits():
    got = model.fit_expected(_settings(1000, 8, "poisson", phi=2.5), "poisson")
    lines = model.funnel_lines(got, model.RULE.conf)
    s = got.settings.dropna(subset=["ratio"])
    for r in s.sample(20, random_state=1).itertuples():
        assert np.interp(r.expected, lines["expected"], lines["upper"]) == pytest.approx(
            r.limit_upper, rel=0.02)  # fmt: skip


def test_settings_taken_together_are_their_summed_counts_with_the_textbook_interval():
    """A group's ratio is ΣO/ΣE over its settings with a ratio; the 95% interval is the exact
    Poisson (chi-squared) interval of ΣO over ΣE; a withheld member is left out and counted."""
    rows = _settings(600, 5, "poisson")
    rows.loc[3, "observed"] = np.nan  # a withheld figure
    got = model.fit_expected(rows, "poisson")
    members = got.settings.iloc[:8].merge(rows[["urn", "observed"]], on="urn")
    members = members.rename(columns={"observed": "numerator"})
    together = model.pooled(members, got)
    have = members[members["ratio"].notna()]
    assert (together.settings, together.summed) == (8, 7)
    o, e = have["numerator"].sum(), have["expected"].sum()
    assert together.observed == o and together.expected == pytest.approx(e)
    assert together.ratio == pytest.approx(o / e)
    exact_lo, exact_hi = sps.chi2.ppf(0.025, 2 * o) / 2, sps.chi2.ppf(0.975, 2 * o + 2) / 2
    # Byar's approximation above 10 events agrees with the exact interval to well under 1%
    assert together.lower == pytest.approx(exact_lo / e, rel=0.01)
    assert together.upper == pytest.approx(exact_hi / e, rel=0.01)
    assert together.position == model.WITHIN  # drawn from the model itself


def test_settings_taken_together_far_above_their_expected_total_are_said_to_be():
    rows = _settings(600, 6, "poisson")
    rows.loc[:9, "observed"] = rows.loc[:9, "observed"] * 3 + 5
    got = model.fit_expected(rows, "poisson")
    members = got.settings.iloc[:10].merge(rows[["urn", "observed"]], on="urn")
    together = model.pooled(members.rename(columns={"observed": "numerator"}), got)
    assert together.position == model.ABOVE
    assert together.lower is not None and together.lower > 1


def test_no_setting_with_a_ratio_gives_no_total():
    rows = _settings(600, 7, "poisson")
    got = model.fit_expected(rows, "poisson")
    none = got.settings.iloc[:3].assign(ratio=np.nan, numerator=1.0)
    together = model.pooled(none, got)
    assert together.ratio is None and together.summed == 0 and together.settings == 3
