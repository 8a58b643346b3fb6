"""Quality-mark holdings, holders beside non-holders, and holders' measures around the award.

Settings choose to seek these awards and pay for them, so every comparison here describes
selection, not the effect of an award."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.core.catalogue import Measure
from dashboard.core.filters import Selection
from dashboard.statistics import engine, stats
from dashboard.store.fetch import Fetch

IQM_LEVELS = ["Standard", "Centre of Excellence", "Flagship"]
CPLD_LEVELS = ["Bronze", "Silver", "Gold", "Single level"]


def holdings(holders: pd.DataFrame, by: str) -> pd.DataFrame:
    """Settings holding each award, by district or phase, as counts and shares with intervals.
    Counts of settings are public (award registers are published), so none is suppressed."""
    h = holders.assign(
        any_award=holders["iqm_level"].notna() | holders["cpld_level"].notna(),
        iqm=holders["iqm_level"].notna(),
        cpld=holders["cpld_level"].notna(),
    )
    out = h.groupby(by).agg(settings=("urn", "count"), iqm=("iqm", "sum"), cpld=("cpld", "sum"),
                            any_award=("any_award", "sum"))  # fmt: skip
    for level in IQM_LEVELS:
        out[f"IQM {level}"] = h[h["iqm_level"] == level].groupby(by)["urn"].count()
    for level in CPLD_LEVELS:
        out[f"CPLD {level}"] = h[h["cpld_level"] == level].groupby(by)["urn"].count()
    out = out.fillna(0)
    out["share"] = out["any_award"] / out["settings"]
    out["lower"], out["upper"] = stats.wilson(out["any_award"], out["settings"])
    return out.reset_index()


def _group_units(measure: Measure, rows: pd.DataFrame, key: str) -> pd.DataFrame:
    units = engine.units_from_rows(rows, measure, key)
    units["label"] = units["unit"]
    return engine.figures(units, measure)


def holders_vs_others(
    fetch: Fetch, measure: Measure, selection: Selection
) -> tuple[pd.DataFrame, str]:
    """The measure pooled over award holders and over other settings, and a sentence saying
    whether they differ significantly (Newcombe difference or rate-ratio interval)."""
    rows = fetch("setting_inputs", {**selection.params(), "input": measure.input})
    params = {k: v for k, v in selection.params().items() if k != "year_code"}
    holders = fetch("award_holders", {**params, "as_of": selection.year_end})
    held = set(holders.loc[holders["iqm_level"].notna() | holders["cpld_level"].notna(), "urn"])
    rows = rows.assign(group=np.where(rows["urn"].isin(held), "Award holders", "Other settings"))
    rows = rows.groupby(["group", "breakdown"], as_index=False).agg(
        numerator=("numerator", "sum"), denominator=("denominator", "sum"),
        missing_reason=("missing_reason", "first"),
    )  # fmt: skip
    units = _group_units(measure, rows, "group")
    units["settings"] = [len(held) if u == "Award holders" else len(holders) - len(held)
                         for u in units["unit"]]  # fmt: skip
    sentence = "Too few award holders in this selection to compare."
    if set(units["unit"]) == {"Award holders", "Other settings"} and units["flag"].eq("").all():
        a = units.set_index("unit").loc["Award holders"]
        b = units.set_index("unit").loc["Other settings"]
        if measure.model == "poisson":
            _, lo, hi = stats.rate_ratio(a.numerator, a.denominator, b.numerator, b.denominator)
            differs = not (lo <= 1 <= hi)
        elif measure.model == "binomial":
            _, lo, hi = stats.newcombe_difference(a.numerator, a.denominator, b.numerator,
                                                  b.denominator)  # fmt: skip
            differs = not (lo <= 0 <= hi)
        else:
            differs = a.upper < b.lower or b.upper < a.lower  # conservative: no overlap
        sentence = (
            f"Award holders {measure.format_value(a.value)} against "
            f"{measure.format_value(b.value)} for other settings: "
            + ("a significant difference" if differs else "not significantly different")
            + ". Settings chose to seek an award, so this shows who holds awards, not what "
            "awards do."
        )
    return units, sentence


def around_award(
    fetch: Fetch, measure: Measure, selection: Selection, years: list[int]
) -> pd.DataFrame:
    """Holders' measure pooled by year relative to their first award (0 = the award year)."""
    first = fetch("first_awards", {"la_code": selection.params()["la_code"]})
    first["award_year"] = [d.year if d.month >= 9 else d.year - 1
                           for d in pd.to_datetime(first["first_award_date"])]  # fmt: skip
    award_year = dict(zip(first["urn"], first["award_year"], strict=True))
    frames = []
    for y in years:
        rows = fetch("setting_inputs", {**selection.with_year(y).params(),
                                              "input": measure.input})  # fmt: skip
        rows = rows[rows["urn"].isin(award_year)]
        rows = rows.assign(relative=int(str(y)[:4]) - rows["urn"].map(award_year))
        frames.append(rows)
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if rows.empty:
        return pd.DataFrame(columns=["unit", "value", "lower", "upper", "flag"])
    rows = rows[rows["relative"].between(-3, 3)]
    rows = rows.groupby(["relative", "breakdown"], as_index=False).agg(
        numerator=("numerator", "sum"), denominator=("denominator", "sum"),
        missing_reason=("missing_reason", "first"), settings=("urn", "nunique"),
    )  # fmt: skip
    settings = rows.groupby("relative")["settings"].max()
    units = _group_units(measure, rows, "relative").sort_values("unit")
    units["settings"] = units["unit"].map(settings)
    return units


def share_text(row) -> str:
    if row.settings == 0:
        return "–"
    return (f"{row.any_award:.0f} of {row.settings:.0f} ({row.share:.0%}; 95% interval "
            f"{row.lower:.0%} to {row.upper:.0%})")  # fmt: skip
