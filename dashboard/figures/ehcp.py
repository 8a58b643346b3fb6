"""Authority-level EHC plan figures: caseload, placement mix, age, 20-week timeliness, and the
authority among all English authorities. Plain data for the EHCP and sufficiency page."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.core import home
from dashboard.statistics import stats

PLACEMENTS = {
    "mainstream_total": "Mainstream schools",
    "special_total": "Special schools",
    "ap_pru_total": "Alternative provision / PRU",
    "fe_total": "Further education",
}


# Statements of SEN were converted to EHC plans from September 2014 to April 2018: the January
# counts of 2015 to 2018 hold both, and those before only statements (academic-year codes).
TRANSITION = (201415, 201718)
TRANSITION_NOTE = (
    "Until January 2018 the counts combine statements of SEN and EHC plans: statements were "
    "converted to EHC plans between September 2014 and April 2018 (shaded). The series is "
    "DfE's own count of both, carried across the change."
)


def transition_periods(wide: pd.DataFrame) -> tuple[str, str] | None:
    """The first and last period labels of the transition that the caseload holds, if any."""
    held = wide[wide["period_code"].between(*TRANSITION)].sort_values("period_code")
    if held.empty:
        return None
    return str(held["period"].iloc[0]), str(held["period"].iloc[-1])


def prefer_real(df: pd.DataFrame) -> pd.DataFrame:
    """Real published figures replace the fictional demo series once any are loaded."""
    if df.empty or df["is_fictional"].all():
        return df
    return df[~df["is_fictional"]]


def period_label(code: int, period_type: str) -> str:
    s = str(code)
    if period_type == "Academic year" and len(s) == 6:
        return f"January {int(s[:4]) + 1}"
    return s


def _wide(df: pd.DataFrame) -> pd.DataFrame:
    keys = ["area_code", "area_name", "area_level", "region_code", "la_code", "period_code",
            "period_type"]  # fmt: skip
    df = df.assign(region_code=df["region_code"].fillna(""), la_code=df["la_code"].fillna(""))
    if df.empty:
        return pd.DataFrame(columns=keys)
    wide = df.drop_duplicates([*keys, "indicator"]).set_index([*keys, "indicator"])["value"]
    return wide.unstack("indicator").reset_index()


def comparators(df: pd.DataFrame) -> pd.DataFrame:
    """The authority, its region and England, labelled for charts."""
    df = prefer_real(df)
    auth = df[(df["area_level"] == "authority") & (df["la_code"] == home.current().code)]
    region = auth["region_code"].dropna().iloc[0] if not auth.empty else None
    keep = df[(df["area_level"] == "national")
              | ((df["area_level"] == "regional") & (df["area_code"] == region))]  # fmt: skip
    return pd.concat([auth, keep], ignore_index=True)


def caseload(df: pd.DataFrame) -> pd.DataFrame:
    """Plans and placement shares per area and January, with the denominator."""
    wide = _wide(comparators(df))
    if wide.empty:
        return wide
    for col in PLACEMENTS:
        if col in wide:
            wide[f"{col}_share"] = wide[col] / wide["ehcplans"]
    wide["period"] = [period_label(c, t) for c, t in zip(wide.period_code, wide.period_type,
                                                          strict=True)]  # fmt: skip
    first = wide.sort_values("period_code").groupby("area_code")["ehcplans"].transform("first")
    wide["index"] = 100 * wide["ehcplans"] / first
    return wide.sort_values(["area_level", "period_code"])


def placement_long(wide: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in wide.itertuples(index=False):
        for col, label in PLACEMENTS.items():
            share = getattr(r, f"{col}_share", np.nan)
            rows.append({"area": r.area_name, "area_level": r.area_level, "period": r.period,
                         "period_code": r.period_code, "placement": label, "share": share,
                         "plans": getattr(r, col, np.nan), "all_plans": r.ehcplans})  # fmt: skip
    out = pd.DataFrame(rows)
    # years before placement was published (releases to 2022 hold the total only) are left out
    return out.dropna(subset=["share"]) if not out.empty else out


def gap_text(long: pd.DataFrame) -> str:
    """The authority's gap from England in the latest year, in percentage points."""
    latest = long[long["period_code"] == long["period_code"].max()]
    auth = latest[latest["area_level"] == "authority"].set_index("placement")["share"]
    eng = latest[latest["area_level"] == "national"].set_index("placement")["share"]
    parts = [f"{p.lower()} {100 * (auth[p] - eng[p]):+.1f} pp" for p in auth.index
             if p in eng.index and pd.notna(auth[p]) and pd.notna(eng[p])]  # fmt: skip
    period = latest["period"].iloc[0] if not latest.empty else ""
    return f"{period}: authority minus England — " + "; ".join(parts) if parts else ""


def timeliness(df: pd.DataFrame) -> pd.DataFrame:
    """Share of new plans issued within 20 weeks, with plans issued as the denominator and a
    Wilson interval (treating each year's plans as the outcome of the same process)."""
    wide = _wide(comparators(df))
    if wide.empty or "plans_issued_den" not in wide:
        return pd.DataFrame()
    wide["share"] = wide["plans_issued_within_20_weeks"] / wide["plans_issued_den"]
    wide["lower"], wide["upper"] = stats.wilson(wide["plans_issued_within_20_weeks"],
                                                wide["plans_issued_den"])  # fmt: skip
    wide["period"] = wide["period_code"].astype(str)
    return wide.sort_values(["area_level", "period_code"])


def all_authorities(df: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Every authority's latest value of a caseload measure, for the dot plot. Needs the
    all-authorities file (or the demo's fictional authorities)."""
    df = prefer_real(df)
    wide = _wide(df)
    if wide.empty:
        return wide
    wide = wide[wide["period_code"] == wide["period_code"].max()].copy()
    if measure == "ehcplans":
        wide["value"] = wide["ehcplans"]
    else:
        wide["value"] = wide[measure] / wide["ehcplans"]
    auth = wide[(wide["area_level"] == "authority") & (wide["la_code"] == home.current().code)]
    region = auth["region_code"].iloc[0] if not auth.empty else None
    # the home authority's own region only: the file holds every region, and the first of
    # them (the North East) is not a reference for anyone else
    regional = wide["area_level"] == "regional"
    wide["group"] = np.select(
        [wide["la_code"] == home.current().code, wide["area_level"] == "national",
         regional & (wide["region_code"] == region), regional,
         wide["region_code"] == region],
        ["This authority", "England", "Region", "Other regions", "Same region"],
        "Other authorities",
    )  # fmt: skip
    return wide


def age_shares(ages: pd.DataFrame) -> pd.DataFrame:
    """The latest year's plans by age as each area's share of its own plans, youngest first."""
    ages = ages[ages["period_code"] == ages["period_code"].max()].copy()
    ages["age"] = ages["breakdown"].str.extract(r"(\d+)").astype(float)[0]
    ages["share"] = ages["value"] / ages.groupby("area_code")["value"].transform("sum")
    return ages.sort_values("age")


def per_thousand(wide: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Plans maintained per 1,000 people aged 0–25, for each area and January that has its
    population estimate: the January count is set against the ONS mid-year estimate of the
    June before it (January 2025 → mid-2024), never a nearer or later one. A January whose
    estimate is not loaded gets no rate. The 95% interval is exact Poisson, treating each
    year's plans as the outcome of a process (as Fingertips does for complete counts); the
    estimate's own uncertainty is not published, so it is not in the interval."""
    cols = ["area_code", "area_name", "area_level", "period", "period_code", "ehcplans",
            "mid_year", "persons", "built_from", "rate", "lower", "upper", "hover"]  # fmt: skip
    if wide.empty or population.empty:
        return pd.DataFrame(columns=cols)
    out = wide[wide["period_type"] == "Academic year"].copy()
    out["mid_year"] = out["period_code"].astype(int) // 100  # January Y+1 → mid-Y
    out = out.merge(population, on=["area_code", "mid_year"], how="inner")
    out = out[out["persons"] > 0]
    if out.empty:
        return pd.DataFrame(columns=cols)
    out["rate"] = 1000 * out["ehcplans"] / out["persons"]
    lower, upper = stats.poisson_rate(out["ehcplans"], out["persons"])
    out["lower"], out["upper"] = 1000 * lower, 1000 * upper
    cells = zip(out.area_name, out.period, out.rate, out.ehcplans, out.persons, out.mid_year,
                strict=True)  # fmt: skip
    out["hover"] = [
        f"{a}, {p}: {r:.1f} per 1,000 ({n:,.0f} plans; {d:,.0f} aged 0–25, mid-{y})"
        for a, p, r, n, d, y in cells
    ]
    return out[cols].sort_values(["area_level", "period_code"])


def per_thousand_text(rates: pd.DataFrame) -> str:
    """One sentence for the latest year: each area's rate, its count and population, and
    which estimate it used."""
    latest = rates[rates["period_code"] == rates["period_code"].max()]
    parts = [f"{r.area_name} {r.rate:.1f} ({r.ehcplans:,.0f} plans; {r.persons:,.0f} aged 0–25)"
             for r in latest.itertuples()]  # fmt: skip
    r0 = latest.iloc[0]
    return f"{r0.period}, per 1,000 aged 0–25 (ONS mid-{r0.mid_year} estimate): " + "; ".join(parts)


def population_note(rates: pd.DataFrame, wide: pd.DataFrame) -> str:
    """Which estimates the rates use, how an authority's was built, and the Januaries left
    without a rate because their estimate is not loaded."""
    years = sorted(rates["mid_year"].unique())
    span = f"mid-{years[0]}" + (f" to mid-{years[-1]}" if len(years) > 1 else "")
    built = sorted({f"{r.area_name}: {r.built_from}" for r in rates.itertuples()
                    if r.built_from != "as published"})  # fmt: skip
    text = (f"Population: ONS mid-year estimates of people aged 0–25, {span}; each January's "
            "count is set against the estimate of the June before it.")  # fmt: skip
    if built:
        text += " " + "; ".join(built) + "."
    missing = sorted(set(wide.loc[wide["area_level"] == "authority", "period"])
                     - set(rates.loc[rates["area_level"] == "authority", "period"]),
                     key=lambda p: str(p))  # fmt: skip
    if missing and len(missing) <= 4:
        text += f" No rate for {', '.join(map(str, missing))}: its estimate is not loaded."
    elif missing:
        text += f" No rate for {len(missing)} Januaries whose estimate is not loaded."
    return text
