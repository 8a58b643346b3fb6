"""Expected given intake, for the measures the catalogue marks `expected = true`: the model is
fitted once per measure and year on every loaded setting (dashboard/statistics/expected.py),
and a selection's settings are read from that one result, so a setting's ratio is the same
whichever district or phase it is seen under.

Disclosure: only published values go in. A setting whose figure is suppressed has no ratio
(the ratio times its expected count would give the hidden figure back), and a setting whose
free-school-meal or EAL count is suppressed has no expected value (its expected value, with the
model's published terms, would give the hidden intake back). The model itself is fitted on
published values only, so its terms carry nothing that is hidden.
"""

from __future__ import annotations

import pandas as pd

from dashboard.core.catalogue import Measure
from dashboard.core.filters import ALL_DISTRICTS, DEFAULT_PHASE, PHASES_BY_KEY, Selection
from dashboard.figures.comparison import group_key
from dashboard.statistics import expected as model
from dashboard.store.fetch import Fetch


def group_label(phase: str, admissions_policy: str) -> str:
    """The phase group a setting's expected value is modelled within (grammar schools apart)."""
    key = group_key(phase, admissions_policy)
    return PHASES_BY_KEY[key].label if key != "all" else phase


def national(fetch: Fetch, measure: Measure, year_code: int) -> model.Expected:
    """The measure's model for the year, fitted on every loaded setting, with every setting's
    expected value, ratio and position."""
    rows = fetch("expected_inputs", {"year_code": year_code, "input": measure.input})
    pairs = zip(rows["phase"], rows["admissions_policy"], strict=True)
    rows = rows.assign(group=[group_label(p, a) for p, a in pairs])
    return model.fit_expected(rows, measure.model)  # binomial or poisson (catalogue-checked)


def for_selection(fetch: Fetch, measure: Measure, selection: Selection,
                  fitted: model.Expected) -> pd.DataFrame:  # fmt: skip
    """The selection's settings (in name order, never by value) with their published figure and
    the national model's expected value, ratio, interval and position."""
    mine = fetch("setting_inputs", {**selection.params(), "input": measure.input})
    mine = mine[mine["breakdown"] == "all"]
    table = mine[["urn", "name", "phase", "admissions_policy", "district_name", "numerator",
                  "denominator", "missing_reason"]].merge(
        fitted.settings, on="urn", how="left")  # fmt: skip
    table["not_modelled"] = table["not_modelled"].where(
        table["urn"].isin(fitted.settings["urn"]), "withheld"
    )
    table["why"] = [model.not_modelled_text(r) for r in table["not_modelled"]]
    table["group"] = [group_label(p, a) for p, a in
                      zip(table["phase"], table["admissions_policy"], strict=True)]  # fmt: skip
    return table.sort_values(["name", "urn"], kind="stable").reset_index(drop=True)


def for_group(fetch: Fetch, measure: Measure, selection: Selection, fitted: model.Expected,
              urns: tuple[int, ...]) -> pd.DataFrame:  # fmt: skip
    """A group's settings, as for_selection gives them: every member in the home authority,
    whichever district or phase the sidebar holds (the group is the selection), for the
    selection's year."""
    whole = Selection(selection.year_code, ALL_DISTRICTS, DEFAULT_PHASE, la_code=selection.la_code)
    table = for_selection(fetch, measure, whole, fitted)
    return table[table["urn"].isin(urns)].reset_index(drop=True)


def years(fetch: Fetch, measure: Measure) -> list[int]:
    """Academic years with both the measure's figure and an intake published for some setting:
    the years a model can be fitted for."""
    return [int(y) for y in fetch("expected_years", {"input": measure.input})["year_code"]]
