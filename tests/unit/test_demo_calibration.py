"""The fictional demo looks like Kent: its Kent-wide totals by phase and year track Kent's
published series (DfE LAIT, shipped in data/reference/lait) within 10% relative.

The published figures are read here straight from the shipped CSV, and the demo's totals are
summed here from its setting-level rows, so the test shares no code with the generator's own
aim. LAIT rounds to a fixed number of decimals: where a published figure is so small that its
rounding is wider than 10% (permanent exclusions, 0.02%), the test allows half a unit of the
last published decimal instead.
"""

from __future__ import annotations

import pandas as pd
import pytest

SERIES = "data/reference/lait/series.csv"
ITEMS = "data/reference/lait/items.csv"
ALL_SCHOOLS = ["Primary", "Secondary", "Special", "All-through"]
EVERY_PHASE = None  # the census items cover every setting

# LAIT item → (demo input, phases summed, numerator scale to a percentage)
CHECKS = {
    "SEN_TotSENSuP": ("sen_support", EVERY_PHASE),
    "SEN_TotStat": ("ehcp", EVERY_PHASE),
    "PriTotAbs": ("overall_absence", ["Primary"]),
    "SecTotAbs": ("overall_absence", ["Secondary"]),
    "total_absence_special": ("overall_absence", ["Special"]),
    "SFPriPerAbNew": ("persistent_absence", ["Primary"]),
    "SFSecPerAbNew": ("persistent_absence", ["Secondary"]),
    "SpecPerAbNew": ("persistent_absence", ["Special"]),
    "TotFixedEx": ("suspensions", ALL_SCHOOLS),
    "Total_ Pup_FixedEx": ("suspended_pupils", ALL_SCHOOLS),
    "TotPermEx": ("perm_exclusions", ALL_SCHOOLS),
}


def _academic_year(label: str) -> int:
    """'2015/16' or '2016' (the year it ends) → 201516."""
    end = int(label[:4]) + 1 if "/" in label else int(label)
    return (end - 1) * 100 + end % 100


def _published() -> pd.DataFrame:
    s = pd.read_csv(SERIES, dtype=str)
    s = s[(s["la_code"] == "886") & s["item"].isin(list(CHECKS)) & s["value"].notna()].copy()
    decimals = pd.read_csv(ITEMS, dtype=str).set_index("item")["decimals"].astype(int)
    s["year_code"] = s["year_label"].map(_academic_year)
    s["value"] = s["value"].astype(float)
    s["decimals"] = s["item"].map(decimals)
    return s[["item", "year_code", "value", "decimals"]]


def _demo_percent(tables: dict, inp: str, phases: list[str] | None) -> pd.Series:
    f = tables["setting_facts"].merge(tables["settings"][["urn", "phase"]], on="urn")
    f = f[(f["input"] == inp) & (f["breakdown"] == "all") & f["numerator"].notna()]
    if phases is not None:
        f = f[f["phase"].isin(phases)]
    by = f.groupby("year_code")[["numerator", "denominator"]].sum()
    return 100 * by["numerator"] / by["denominator"]


def _comparisons(tables: dict) -> pd.DataFrame:
    rows = []
    for r in _published().itertuples(index=False):
        inp, phases = CHECKS[r.item]
        demo = _demo_percent(tables, inp, phases)
        if r.year_code not in demo.index:
            continue
        tolerance = max(0.10 * r.value, 0.5 * 10**-r.decimals)
        rows.append((r.item, r.year_code, r.value, float(demo[r.year_code]), tolerance))
    return pd.DataFrame(rows, columns=["item", "year_code", "published", "demo", "tolerance"])


def test_the_check_covers_every_measure_and_year(demo_tables):
    got = _comparisons(demo_tables)
    assert set(got["item"]) == set(CHECKS)
    # ten census years, eight of absence (none collected in 2019/20), eight of exclusions
    assert got.groupby("item").size().min() >= 8


@pytest.mark.parametrize("item", list(CHECKS))
def test_kent_totals_track_the_published_series(demo_tables, item):
    got = _comparisons(demo_tables)
    got = got[got["item"] == item]
    off = got[(got["demo"] - got["published"]).abs() > got["tolerance"]]
    assert off.empty, f"{item}: demo strays from Kent's published figure\n{off.to_string()}"


def test_the_demo_keeps_the_covid_shape(demo_tables):
    """Not only level but shape: no absence for 2019/20, and absence higher from 2021/22."""
    primary = _demo_percent(demo_tables, "overall_absence", ["Primary"])
    assert 201920 not in primary.index
    assert primary[202122] > 1.4 * primary[201819]
