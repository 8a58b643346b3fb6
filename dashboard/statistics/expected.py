"""Expected given intake: each setting's expected figure from a model of every loaded setting,
and the ratio of what it observed to what was expected, judged on a funnel.

Why: a setting's share of pupils on SEN support, or its suspension rate, depends partly on who
it admits. The SEND Index idea is to set each figure beside what settings with a similar intake
show, so that a conversation starts from the part intake does not explain. It is context, never
a verdict: "more than expected given intake" is neither better nor worse, and the model knows
only four things about a setting (its phase, its size, and its free-school-meal and EAL shares).

The model (one per measure and year, fitted on every setting loaded, in every authority, whose
figure and intake are both published): a generalised linear model — binomial with a logit link
for shares of pupils, Poisson with log(pupils on roll) as offset for rates of events — with
terms for the phase group (phase, grammar schools apart), log2 pupils on roll, and the FSM and
EAL shares (per 10 percentage points). Scale is estimated from Pearson's χ² (quasi-likelihood),
so the terms' intervals allow for variation beyond chance.

A setting's expected count E is the model's fitted value; O/E is judged as standardised ratios
are (indirect standardisation, Spiegelhalter 2005): its interval is the exact (fewer than 10)
or Byar interval of the observed count divided by E, and the funnel's control limits around 1
are Poisson's at E, widened by √φ where the settings vary more than chance allows (φ from
winsorised z-scores, as every other funnel in the dashboard). A setting outside the 99.8%
limits — the rule for settings — is said to have more or fewer than expected.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

from dashboard.core.catalogue import verdict_rule
from dashboard.statistics import stats

MIN_GROUP = 10  # settings a phase group needs before the model gives it a term of its own
MIN_FIT = 30  # settings a model needs at all
CEILING = 0.5  # expected share of pupils above which a ratio says little (EHC plans in special
# schools); rates of events (suspensions per pupil) have no such ceiling
RULE = verdict_rule("settings")  # the funnel rule every setting is judged by
SHOWN_CONF = 0.95  # the interval shown beside each ratio, and the inner funnel limits

ABOVE, BELOW, WITHIN = "above", "below", "within"
POSITION_TEXT = {
    ABOVE: "More than expected given intake",
    BELOW: "Fewer than expected given intake",
    WITHIN: "Within the range expected given intake",
}

# Why a setting has no expected value: said beside it, never left blank.
NOT_MODELLED = {
    "withheld": "its figure is withheld or unavailable",
    "intake": "its free-school-meal or EAL figure is withheld or not published",
    "no_pupils": "no pupils on roll recorded",
    "small_group": "too few settings of its phase to model (fewer than {min_group})",
    "ceiling": "expected share above {ceiling:.0%}: nearly every pupil counts, so a ratio says "
    "little",
    "no_model": "no model could be fitted this year",
}

RESULT_COLUMNS = ["urn", "expected", "expected_share", "ratio", "lower", "upper",
                  "limit_lower", "limit_upper", "position", "not_modelled"]  # fmt: skip


@dataclass(frozen=True)
class Term:
    """One term of the fitted model, as a multiplier: an odds ratio (shares) or a rate ratio
    (events), with its 95% interval."""

    label: str
    estimate: float
    lower: float
    upper: float


@dataclass(frozen=True)
class Fit:
    """What the model was fitted on and how well it fits: said on the page beside every funnel."""

    family: str  # "binomial" or "poisson"
    settings: int
    authorities: int
    deviance_explained: float  # 1 − residual deviance ÷ null deviance
    scale: float  # Pearson χ² ÷ residual degrees of freedom
    overdispersion: stats.Overdispersion  # of the ratios about 1: widens the funnel
    reference_group: str
    terms: tuple[Term, ...]
    groups_left_out: tuple[str, ...]

    @property
    def multiplier_name(self) -> str:
        return "odds ratio" if self.family == "binomial" else "rate ratio"


@dataclass(frozen=True)
class Expected:
    """A measure's expected values for one year: the fit (None with the reason when none could
    be made) and one row per setting given (RESULT_COLUMNS)."""

    fit: Fit | None
    why_no_model: str | None
    settings: pd.DataFrame


def _reasons(rows: pd.DataFrame) -> pd.Series:
    reason = pd.Series(None, index=rows.index, dtype=object)
    reason[rows["observed"].isna()] = "withheld"
    reason[reason.isna() & ~(rows["pupils"] > 0)] = "no_pupils"
    intake_ok = (rows["fsm"].notna() & (rows["fsm_pupils"] > 0) & rows["eal"].notna()
                 & (rows["eal_pupils"] > 0))  # fmt: skip
    reason[reason.isna() & ~intake_ok] = "intake"
    return reason


def _design(rows: pd.DataFrame, groups: list[str], centre: float) -> np.ndarray:
    """Constant, one column per phase group but the first (the reference), log2 pupils about
    the centre, FSM and EAL shares per 10 percentage points."""
    cols = [np.ones(len(rows))]
    cols += [(rows["group"] == g).to_numpy(float) for g in groups[1:]]
    cols.append(np.log2(rows["pupils"].to_numpy(float)) - centre)
    cols.append(10 * rows["fsm"].to_numpy(float) / rows["fsm_pupils"].to_numpy(float))
    cols.append(10 * rows["eal"].to_numpy(float) / rows["eal_pupils"].to_numpy(float))
    return np.column_stack(cols)


def fit_expected(rows: pd.DataFrame, family: str) -> Expected:
    """Fit the model on `rows` (urn, la_code, group, observed, pupils, fsm, fsm_pupils, eal,
    eal_pupils; suppressed values null) and give every row its expected value and position."""
    rows = rows.reset_index(drop=True)
    reason = _reasons(rows)
    usable = reason.isna()
    sizes = rows.loc[usable, "group"].value_counts()
    groups = sorted(sizes[sizes >= MIN_GROUP].index, key=lambda g: (-sizes[g], g))
    left_out = tuple(sorted(sizes[sizes < MIN_GROUP].index))
    reason[usable & ~rows["group"].isin(groups)] = "small_group"
    fitted = reason.isna()
    out = pd.DataFrame({"urn": rows["urn"]}).assign(
        expected=np.nan, expected_share=np.nan, ratio=np.nan, lower=np.nan, upper=np.nan,
        limit_lower=np.nan, limit_upper=np.nan, position=None, not_modelled=reason,
    )  # fmt: skip
    if fitted.sum() < MIN_FIT:
        out.loc[fitted, "not_modelled"] = "no_model"
        why = (f"only {int(fitted.sum())} settings have a published figure and intake in a phase "
               f"with {MIN_GROUP} or more such settings; a model needs {MIN_FIT}")  # fmt: skip
        return Expected(None, why, out)
    data = rows[fitted]
    centre = float(np.median(np.log2(data["pupils"].to_numpy(float))))
    x = _design(data, groups, centre)
    observed = data["observed"].to_numpy(float)
    pupils = data["pupils"].to_numpy(float)
    if family == "binomial":
        # shares weighted by pupils: statsmodels 0.15 misreads the Pearson scale of a
        # two-column (successes, failures) response, and gives the same estimates this way
        model = sm.GLM(observed / pupils, x, family=sm.families.Binomial(), var_weights=pupils)
        result = model.fit(scale="X2")
        expected = np.asarray(result.fittedvalues, dtype=float) * pupils
    else:
        model = sm.GLM(observed, x, family=sm.families.Poisson(), offset=np.log(pupils))
        result = model.fit(scale="X2")
        expected = np.asarray(result.fittedvalues, dtype=float)
    share = expected / pupils
    # a share near 1 leaves a ratio little room; a rate of events has no such ceiling
    over = share > CEILING if family == "binomial" else np.zeros(len(share), dtype=bool)
    ratio = np.where(over, np.nan, observed / np.where(expected > 0, expected, np.nan))
    keep = np.isfinite(ratio)
    od = stats.estimate_overdispersion(ratio[keep], expected[keep], 1.0, "poisson",
                                       "multiplicative")  # fmt: skip
    lo, hi = stats.poisson_count_interval(observed, SHOWN_CONF)
    limit_lo, limit_hi = stats.funnel_limits(1.0, expected, RULE.conf, "poisson", od)
    position = np.where(ratio > limit_hi, ABOVE, np.where(ratio < limit_lo, BELOW, WITHIN))
    idx = data.index
    out.loc[idx, "expected"] = expected
    out.loc[idx, "expected_share"] = share
    out.loc[idx, "ratio"] = ratio
    out.loc[idx, "lower"] = np.where(keep, lo / expected, np.nan)
    out.loc[idx, "upper"] = np.where(keep, hi / expected, np.nan)
    out.loc[idx, "limit_lower"] = np.where(keep, limit_lo, np.nan)
    out.loc[idx, "limit_upper"] = np.where(keep, limit_hi, np.nan)
    out.loc[idx, "position"] = pd.Series(position).where(keep, None).to_numpy()
    out.loc[idx[over], "not_modelled"] = "ceiling"
    fit = Fit(
        family=family,
        settings=int(keep.sum()),
        authorities=int(data.loc[keep, "la_code"].nunique()),
        deviance_explained=float(1 - result.deviance / result.null_deviance),
        scale=float(result.scale),
        overdispersion=od,
        reference_group=groups[0],
        terms=_terms(result, groups, centre),
        groups_left_out=left_out,
    )
    return Expected(fit, None, out)


def _terms(result, groups: list[str], centre: float) -> tuple[Term, ...]:
    labels = [f"{g} (against {groups[0]})" for g in groups[1:]]
    labels += [f"Twice the pupils on roll (from {2**centre:,.0f})",
               "Free-school-meal share, +10 points", "EAL share, +10 points"]  # fmt: skip
    params = np.asarray(result.params)[1:]
    ci = np.asarray(result.conf_int(alpha=0.05))[1:]
    return tuple(
        Term(label, math.exp(p), math.exp(lo), math.exp(hi))
        for label, p, (lo, hi) in zip(labels, params, ci, strict=True)
    )


@dataclass(frozen=True)
class Pooled:
    """Settings taken together (a district, a phase, one of the user's groups): the sum of their
    observed counts against the sum of their expected counts, judged as one setting of that
    expected size would be. Only settings with a ratio of their own are summed, so the totals
    are sums of figures shown setting by setting and reveal nothing withheld; how many of the
    selection's settings that leaves out is said beside it."""

    settings: int  # in the selection
    summed: int  # with a ratio, and so in the totals
    observed: float
    expected: float
    ratio: float | None  # None when no setting has a ratio
    lower: float | None
    upper: float | None
    position: str | None


def pooled(table: pd.DataFrame, fitted: Expected) -> Pooled:
    """ΣO ÷ ΣE over the settings of `table` (rows of `fitted.settings` with `numerator`) that
    have a ratio; its interval is the observed total's exact or Byar interval over ΣE and its
    position is against the funnel's limits at ΣE, widened by the same φ as each setting's.
    Under indirect standardisation this is the selection's standardised ratio."""
    rows = table[table["ratio"].notna()]
    n, k = len(table), len(rows)
    if fitted.fit is None or k == 0:
        return Pooled(n, 0, math.nan, math.nan, None, None, None, None)
    o = float(rows["numerator"].sum())
    e = float(rows["expected"].sum())
    lo, hi = stats.poisson_count_interval(np.array([o]), SHOWN_CONF)
    limit_lo, limit_hi = stats.funnel_limits(1.0, np.array([e]), RULE.conf, "poisson",
                                             fitted.fit.overdispersion)  # fmt: skip
    ratio = o / e
    position = ABOVE if ratio > limit_hi[0] else BELOW if ratio < limit_lo[0] else WITHIN
    return Pooled(n, k, o, e, ratio, float(lo[0]) / e, float(hi[0]) / e, position)


def funnel_lines(expected: Expected, conf: float, points: int = 120,
                 upto: float | None = None) -> pd.DataFrame:  # fmt: skip
    """The funnel's limits at `conf` over the range of expected counts shown (and on to `upto`,
    a selection's expected total, when it is larger), widened exactly as each setting's own
    limits are (the same estimate of φ)."""
    shown = expected.settings["expected"][expected.settings["ratio"].notna()]
    if expected.fit is None or shown.empty:
        return pd.DataFrame(columns=["expected", "lower", "upper"])
    top = max(float(shown.max()), upto or 0.0)
    grid = np.geomspace(max(0.5, float(shown.min())), top, points)
    lo, hi = stats.funnel_limits(1.0, grid, conf, "poisson", expected.fit.overdispersion)
    return pd.DataFrame({"expected": grid, "lower": lo, "upper": hi})


def not_modelled_text(reason: object) -> str:
    """Why a setting has no ratio, in words ("" for a setting that has one)."""
    if not isinstance(reason, str):
        return ""
    return NOT_MODELLED[reason].format(min_group=MIN_GROUP, ceiling=CEILING)
