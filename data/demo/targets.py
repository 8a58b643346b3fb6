"""What the fictional demo aims at: Kent's published series (DfE LAIT, shipped in
data/reference/lait), by measure, phase and academic year.

The demo's settings and figures are invented, but its Kent-wide totals should look like Kent:
an officer who knows that Kent's primary absence was about 5.8% in 2023/24 should not see 4%.
So the makers draw each setting's figure at random around a phase-and-year level and then
scale the levels until the authority's total lands on the published figure. A year with no
published figure (absence in 2019/20, suspensions in 2024/25) is filled by the rule in
`calibration.py`; a phase LAIT does not publish follows its ratio to secondary.
"""

from __future__ import annotations

import re

import pandas as pd

from data.demo.calibration import PUBLISHED_TARGETS, YEAR_CODES
from data.demo.paths import REFERENCE

# The phases each "all schools" LAIT item covers in the demo: state-funded primary, secondary,
# special and all-through schools for absence and exclusions; every setting for the census.
ALL_SCHOOLS = ("Primary", "Secondary", "Special", "All-through")
CENSUS = ("Primary", "Secondary", "Special", "All-through", "Alternative provision", "Nursery",
          "Post-16")  # fmt: skip

Target = dict[int, float]  # year code → proportion (0.058 for 5.8%)


def year_code(label: str) -> int | None:
    """LAIT labels an academic year either '2015/16' or by the calendar year it ends, '2016'."""
    label = str(label).strip()
    if m := re.fullmatch(r"(\d{4})/(\d{2})", label):
        return int(f"{m[1]}{m[2]}")
    if re.fullmatch(r"\d{4}", label):
        y = int(label) - 1
        return int(f"{y}{(y + 1) % 100:02d}")
    return None


def published_targets(la_code: str = "886") -> dict[tuple[str, str], Target]:
    """(input, phase or 'all') → {year code: published proportion} for the demo's years."""
    series = pd.read_csv(REFERENCE / "lait" / "series.csv", dtype=str)
    own = series[(series["la_code"] == la_code) & series["value"].notna()]
    out: dict[tuple[str, str], Target] = {}
    for item, key in PUBLISHED_TARGETS.items():
        rows = own[own["item"] == item]
        years = {year_code(r.year_label): float(r.value) / 100 for r in rows.itertuples()}
        out[key] = {y: v for y, v in years.items() if y in YEAR_CODES}
    return out
