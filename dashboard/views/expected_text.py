"""Words and tables for expected given intake: the settings table (and its CSV), the sentence
that summarises a funnel, and what the model was fitted on and how well it fits. Every sentence
here says "context"; none says better or worse."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard.core.catalogue import Measure
from dashboard.core.config import DEMO_NOTICE
from dashboard.core.safe_text import md
from dashboard.statistics import stats
from dashboard.statistics.expected import (
    ABOVE,
    BELOW,
    MIN_GROUP,
    POSITION_TEXT,
    RULE,
    Expected,
    Fit,
    Pooled,
)
from dashboard.views.presentation import flag_text, lower_first

CONTEXT_NOTE = (
    "Context, not a judgement: a setting with more or fewer than expected given its intake is "
    "neither doing better nor worse. The model knows only phase, size and the shares of pupils "
    "eligible for free school meals and with English as an additional language; everything "
    "else about a setting — its local provision, its history, what its pupils need — is in "
    "the difference."
)


def _rounded(x: float, decimals: int) -> float:
    return float(stats.rounded(x, decimals)) if pd.notna(x) else np.nan


def settings_table(measure: Measure, table: pd.DataFrame, is_demo: bool) -> pd.DataFrame:
    """One row per setting of the selection, in name order, for the page and its CSV."""
    scale = measure.multiplier
    rows = []
    for r in table.itertuples(index=False):
        has = pd.notna(r.ratio)
        withheld = pd.isna(r.numerator)
        rows.append({
            "setting": r.name,
            "district": r.district_name,
            "compared_within": r.group,
            "observed": np.nan if withheld else r.numerator,
            "denominator": np.nan if withheld else r.denominator,
            "observed_value": np.nan if withheld or not r.denominator
            else _rounded(r.numerator / r.denominator * scale, measure.decimals + 1),
            "expected": _rounded(r.expected, 1) if has else np.nan,
            "expected_value": _rounded(r.expected_share * scale, measure.decimals + 1)
            if has else np.nan,
            "unit_of_value": measure.unit,
            "observed_over_expected": _rounded(r.ratio, 2) if has else np.nan,
            "lower_95": _rounded(r.lower, 2) if has else np.nan,
            "upper_95": _rounded(r.upper, 2) if has else np.nan,
            "given_intake": POSITION_TEXT[r.position] if has else f"Not modelled: {r.why}",
            "flag": r.missing_reason if withheld and isinstance(r.missing_reason, str) else "",
            "data_status": DEMO_NOTICE if is_demo else "",
        })  # fmt: skip
    out = pd.DataFrame(rows)
    for i, r in enumerate(rows):
        if r["flag"]:
            out.loc[i, "given_intake"] = f"Not modelled: {flag_text(r['flag'], measure)}"
    return out


def summary(table: pd.DataFrame) -> str:
    """The funnel in words: how many settings are outside the rule's limits, and how many
    chance alone would put there."""
    shown = table[table["ratio"].notna()]
    n = len(shown)
    if n == 0:
        return "No setting in this selection has an expected value to compare with."
    above = int((shown["position"] == ABOVE).sum())
    below = int((shown["position"] == BELOW).sum())
    expected_by_chance = n * (1 - RULE.conf)
    chance = f"about {expected_by_chance:.1f}" if expected_by_chance >= 0.05 else "almost none"
    within = n - above - below
    level = f"{RULE.conf:.1%}"
    return (
        f"Of {n} settings with an expected value, {above} had more than expected given their "
        f"intake and {below} fewer (outside the {level} control limits); the other {within} "
        f"were within the range chance allows. Chance alone would put {chance} outside "
        "those limits. Context only: neither more nor fewer is better or worse."
    )


def pooled_text(p: Pooled, measure: Measure, what: str) -> str:
    """The settings of `what` (a plain-text name: "this selection", "Triad A") taken together,
    in words: their totals, the ratio with its interval and where it falls, and how many
    settings the totals leave out and why they must."""
    counted = lower_first(measure.numerator)
    if p.ratio is None:
        return (f"No setting of {what} has an expected value, so there is no total to set "
                "against one.")  # fmt: skip
    limits = f"(outside the {RULE.conf:.1%} control limits)"
    position = {
        ABOVE: f"more than expected given their intake {limits}",
        BELOW: f"fewer than expected given their intake {limits}",
    }.get(p.position or "", "within the range chance allows")
    text = (
        f"Taken together, the {p.summed} settings of {what} with an expected value had "
        f"{p.observed:,.0f} {counted} against {p.expected:,.1f} expected given their intake: "
        f"{p.ratio:.2f} times as many (95% interval {p.lower:.2f} to {p.upper:.2f}), "
        f"{position}."
    )
    left = p.settings - p.summed
    if left:
        has, are = ("has", "is") if left == 1 else ("have", "are")
        text += (f" The other {left} of its {p.settings} settings {has} no expected value (the "
                 f"table says why) and {are} not in these totals.")  # fmt: skip
    return text


def fit_text(fit: Fit, measure: Measure, year_label: str, home_name: str) -> list[str]:
    """What the model was fitted on, how well it fits and how the funnel allows for the rest,
    as Markdown lines (the authority's name escaped)."""
    home_name = md(home_name)
    family = ("a binomial model (logit link) of the share" if fit.family == "binomial"
              else "a Poisson model (with pupils on roll as exposure) of the rate")  # fmt: skip
    where = (f"{fit.authorities} authorities" if fit.authorities > 1
             else "one authority")  # fmt: skip
    lines = [
        f"Fitted for {year_label} on {fit.settings:,} settings in {where} whose figure and "
        f"intake are both published: {family} of {lower_first(measure.numerator)}, with the phase "
        "group (grammar schools apart), pupils on roll (log scale), and the free-school-meal and "
        "EAL shares as terms.",
        f"The model accounts for {fit.deviance_explained:.0%} of the deviance between settings; "
        "the rest is what it does not know.",
    ]
    od = fit.overdispersion
    if od.applies:
        lines.append(
            "Settings vary more around their expected values than chance alone gives (φ = "
            f"{od.phi:.2f}, from winsorised z-scores), so the control limits are widened by "
            f"√φ = {math.sqrt(od.phi):.2f}."
        )
    else:
        lines.append("Settings vary around their expected values no more than chance gives, so "
                     "the control limits are not widened.")  # fmt: skip
    if fit.authorities < 2:
        lines.append(
            f'The loaded data hold only {home_name}\'s settings, so "expected" means usual for '
            f"{home_name}, not for England. Load the national school census (ingest with "
            "`--la all`) to fit on every authority."
        )
    if fit.groups_left_out:
        lines.append(
            f"Phases with fewer than {MIN_GROUP} such settings are not modelled: "
            f"{', '.join(fit.groups_left_out)}."
        )
    return lines


def terms_table(fit: Fit) -> pd.DataFrame:
    """The model's terms as multipliers of the odds or the rate, with 95% intervals."""
    name = fit.multiplier_name
    return pd.DataFrame([
        {"term": t.label, name: round(t.estimate, 3), "lower_95": round(t.lower, 3),
         "upper_95": round(t.upper, 3)}
        for t in fit.terms
    ])  # fmt: skip


def no_model_text(expected: Expected, year_label: str) -> str:
    return (f"No expected values for {year_label}: {expected.why_no_model}. Load a school census "
            "with free-school-meal and EAL counts (england_census) for more settings.")  # fmt: skip
