"""Comparisons: like-for-like comparators, honest flags, suppression that survives every path."""

import numpy as np
import pandas as pd
import pytest

from dashboard.core import catalogue
from dashboard.core.filters import Selection
from dashboard.figures import comparison
from dashboard.views import presentation

SWALE_PRIMARY = Selection(202324, "E07000113", "primary", "Swale")
YEARS = [201516, 201617, 201718, 201819, 201920, 202021, 202122, 202223, 202324, 202425]


@pytest.mark.parametrize(
    "measure_id",
    ["ehcp_pct", "suspension_rate", "overall_absence_pct", "sen_pa_gap_pp",
     "sen_suspension_ratio"],
)  # fmt: skip
@pytest.mark.parametrize("level", ["settings", "districts", "phases"])
def test_every_model_compares_without_error(demo_con, measure_id, level, demo_fetch):
    m = catalogue.get(measure_id)
    comp = comparison.compare(demo_fetch, m, SWALE_PRIMARY, level)
    assert len(comp.units)
    assert set(comp.units.result) <= {"higher", "lower", "similar", ""}
    caption = presentation.comparison_caption(comp)
    assert m.source in caption and str(len(comp.units)) in caption
    if m.is_pilot:
        assert "Pilot measure" in caption


def test_settings_comparator_is_the_same_phase_across_kent(demo_con, demo_fetch):
    m = catalogue.get("ehcp_pct")
    comp = comparison.compare(demo_fetch, m, Selection(202324, "E07000113", "all"), "settings")
    assert comp.group == "primary" and "primary settings only" in comp.notes[0]
    f = demo_con.table("setting_facts").df().merge(demo_con.table("settings").df(), on="urn")
    f = f[(f.year_code == 202324) & (f.input == "ehcp") & (f.phase == "Primary")]
    assert comp.comparator == pytest.approx(f.numerator.sum() / f.denominator.sum())
    sel = comparison.compare(demo_fetch, m, Selection(202324, "all", "secondary"), "settings",
                             group="secondary-selective")  # fmt: skip
    assert comp.comparator_name != sel.comparator_name
    assert "selective" in sel.comparator_name


def test_flags_are_the_funnel_plot_verdict(demo_con, demo_fetch):
    m = catalogue.get("suspension_rate")
    comp = comparison.compare(demo_fetch, m, SWALE_PRIMARY, "settings", flag_conf=0.998)
    from dashboard.statistics import stats

    u = comp.units[comp.units.result != ""]
    # suspensions are over-dispersed: the limits are the exact Poisson ones widened by the
    # authority's estimate, which must be in force here (the demo's spread is far beyond chance)
    assert comp.overdispersion is not None and comp.overdispersion.applies
    lo, hi = stats.funnel_limits(comp.comparator, u.denominator, 0.998, "poisson",
                                 comp.overdispersion)  # fmt: skip
    expect = np.where(u.value > hi, "higher", np.where(u.value < lo, "lower", "similar"))
    assert list(u.result) == list(expect)
    loose = comparison.compare(demo_fetch, m, SWALE_PRIMARY, "settings", flag_conf=0.95)
    assert (loose.units.result != "similar").sum() >= (comp.units.result != "similar").sum()


def test_units_are_ordered_by_value_never_ranked(demo_con, demo_fetch):
    comp = comparison.compare(demo_fetch, catalogue.get("ehcp_pct"), SWALE_PRIMARY, "settings")
    values = comp.units.value.dropna()
    assert list(values) == sorted(values)
    table = presentation.comparison_table(comp, is_demo=True)
    assert not {"rank", "position"} & set(table.columns)


def test_suppressed_units_never_show_a_value(demo_con, demo_fetch):
    m = catalogue.get("sen_suspension_ratio")
    comp = comparison.compare(demo_fetch, m, SWALE_PRIMARY, "settings")
    hidden = comp.units[comp.units.flag == "c"]
    assert len(hidden)
    assert hidden[["numerator", "denominator", "value", "lower", "upper"]].isna().all().all()
    table = presentation.comparison_table(comp, is_demo=True)
    assert table.loc[table.flag == "c", ["value", "numerator"]].isna().all().all()
    assert comp.mostly_suppressed  # most primary schools have too few suspensions


def test_a_setting_hidden_in_one_view_is_hidden_in_every_view(demo_con, demo_fetch):
    """The audit recovered a cell hidden in one district's table from the Kent-wide table.
    Decisions are made once, so a setting is hidden everywhere or nowhere."""
    m = catalogue.get("suspension_rate")
    kent_primary = Selection(SWALE_PRIMARY.year_code, "all", "primary")
    kent = comparison.compare(demo_fetch, m, kent_primary, "settings")
    swale = comparison.compare(demo_fetch, m, SWALE_PRIMARY, "settings")
    both = kent.units.merge(swale.units, on="unit", suffixes=("_kent", "_swale"))
    assert len(both) == len(swale.units) > 0
    assert (both.flag_kent == both.flag_swale).all()
    assert (both.flag_kent == "c").any()


def test_pooled_three_years_sum_each_settings_numbers(demo_con, demo_fetch):
    m = catalogue.get("perm_exclusion_rate")
    one = comparison.compare(demo_fetch, m, SWALE_PRIMARY, "settings")
    pooled = comparison.compare(demo_fetch, m, SWALE_PRIMARY, "settings", pooled=True,
                                available_years=YEARS)  # fmt: skip
    assert pooled.pooled_years == (202122, 202223, 202324)
    assert "Pooled over 2021/22, 2022/23, 2023/24" in pooled.notes[0]
    a = one.units.set_index("unit").denominator.dropna()
    b = pooled.units.set_index("unit").denominator.dropna()
    common = a.index.intersection(b.index)
    assert (b[common] > 2 * a[common]).all()


def test_context_measures_use_neutral_words_and_colours(demo_con, demo_fetch):
    from dashboard.views import charts

    m = catalogue.get("sen_support_pct")
    comp = comparison.compare(demo_fetch, m, Selection(202324, "E07000114", "primary", "Thanet"),
                              "settings", flag_conf=0.95)  # fmt: skip
    table = presentation.comparison_table(comp, is_demo=False)
    words = " ".join(table.comparison)
    assert "Above" in words and "better" not in words and "worse" not in words
    colours = {charts.result_style(m, r, "Kent")[0] for r in ("higher", "lower", "similar")}
    assert charts.BETTER not in colours and charts.WORSE not in colours
    fig = charts.funnel_figure(comp, "sub", demo=True)
    names = " ".join(t.name or "" for t in fig.data)
    assert "better" not in names and "worse" not in names
    assert "Demo data" in fig.layout.title.text


def test_performance_flags_differ_in_shape_not_only_colour(demo_con, demo_fetch):
    from dashboard.views import charts

    m = catalogue.get("suspension_rate")
    comp = comparison.compare(demo_fetch, m, SWALE_PRIMARY, "settings")
    fig = charts.funnel_figure(comp, "sub", demo=False)
    flagged = [t for t in fig.data if t.name and "than" in t.name]
    assert flagged and all(set(t.marker.symbol) <= {"triangle-up", "triangle-down",
                                                     "triangle-up-open", "triangle-down-open"}
                           for t in flagged)  # fmt: skip
    assert all(t.mode == "markers+text" for t in flagged)  # labelled by name


def test_area_measures_only_for_groups(demo_con, demo_fetch):
    m = catalogue.get("good_or_better_pct")
    assert not comparison.measure_applies(m, "settings")
    with pytest.raises(ValueError):
        comparison.compare(demo_fetch, m, SWALE_PRIMARY, "settings")
    comp = comparison.compare(demo_fetch, m, SWALE_PRIMARY, "districts")
    assert len(comp.units) == 12 and comp.funnel is None


def test_summary_names_the_lowest_and_highest_units_whatever_their_order(demo_con, demo_fetch):
    comp = comparison.compare(demo_fetch, catalogue.get("ehcp_pct"), SWALE_PRIMARY, "phases")
    shown = comp.shown.dropna(subset=["value"])
    lo, hi = shown.loc[shown.value.idxmin()], shown.loc[shown.value.idxmax()]
    text = presentation.comparison_summary(comp)
    m = comp.measure
    assert f"values from {m.format_value(lo.value)} ({lo.label}) to " \
           f"{m.format_value(hi.value)} ({hi.label})" in text  # fmt: skip


def test_the_caption_names_the_method_actually_used(demo_fetch):
    """Funnel limits are exact unless the measure is over-dispersed; then the caption names the
    catalogue's method and the estimate, and the district intervals carry the same widening."""
    plain = comparison.compare(demo_fetch, catalogue.get("ehcp_pct"), SWALE_PRIMARY, "settings")
    assert "exact binomial" in presentation.comparison_caption(plain)
    m = catalogue.get("persistent_absence_pct")
    widened = comparison.compare(demo_fetch, m, SWALE_PRIMARY, "settings")
    od = widened.overdispersion
    assert od is not None and od.applies and od.method == m.overdispersion == "multiplicative"
    caption = presentation.comparison_caption(widened)
    assert "exact" not in caption and f"√φ = {od.phi**0.5:.2f}" in caption
    kent = Selection(SWALE_PRIMARY.year_code, "all", "primary")
    districts = comparison.compare(demo_fetch, m, kent, "districts")
    assert districts.overdispersion == od  # one estimate for the intervals and the limits


def _area_rows(with_rows: int, hidden: int, summed: int, expected: int = 19) -> pd.DataFrame:
    """comparator_series rows for one region, one year, suspensions: `with_rows` authorities
    have such settings, `hidden` of them have their figure suppressed, `summed` are summed."""
    return pd.DataFrame([{
        "area_code": "E12000008", "area_name": "South East", "area_level": "regional",
        "year_code": 202324, "input": "perm_exclusions", "breakdown": "all",
        "numerator": 0.0, "denominator": 4000.0, "settings": 40, "settings_withheld": 0,
        "settings_not_applicable": 0, "missing_reasons": None, "authorities": with_rows,
        "authorities_hidden": hidden, "authorities_summed": summed,
        "authorities_loaded": expected, "authorities_expected": expected,
    }])  # fmt: skip


def test_a_comparator_that_leaves_many_authorities_out_is_not_used():
    """The audit's case: the South East's AP permanent exclusions summed 3 of 19 authorities
    (16 suppressed) and read 0.00 beside 0.38 for all 19, captioned "19 of 19 authorities"."""
    from dashboard.figures import comparators

    m = catalogue.get("perm_exclusion_rate")
    assert comparators.figures_for_year(_area_rows(19, 16, 3), 202324, [m])[m.id] == []
    kept = comparators.figures_for_year(_area_rows(19, 1, 18), 202324, [m])[m.id]
    assert [c.basis for c in kept] == [
        "computed from school-level data (18 of 19 authorities; 1 left out, their figure "
        "suppressed)"
    ]
    some = comparators.figures_for_year(_area_rows(12, 0, 11), 202324, [m])[m.id]
    assert some[0].basis == (
        "computed from school-level data (11 of the 12 authorities with such settings; 7 have "
        "none; 1 left out, no figure at source)"
    )
