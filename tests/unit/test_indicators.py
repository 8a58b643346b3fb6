"""Area figures compare like with like and carry the right comparators."""

import math

import pytest

from dashboard.core.catalogue import get
from dashboard.core.filters import Selection
from dashboard.figures import indicators
from dashboard.views import presentation


def _pooled(con, year, phases, admissions=None, district=None, input_="ehcp"):
    f = con.table("setting_facts").df().merge(con.table("settings").df(), on="urn")
    f = f[
        (f.year_code == year) & (f.input == input_) & (f.breakdown == "all") & f.phase.isin(phases)
    ]
    if admissions:
        f = f[f.admissions_policy.isin(admissions)]
    if district:
        f = f[f.district_code == district]
    return f.numerator.sum() / f.denominator.sum()


def test_special_schools_are_compared_with_special_schools(demo_con, demo_fetch):
    sel = Selection(202425, "E07000113", "special", "Swale")
    t = indicators.headline_table(demo_fetch, sel).set_index("measure_id")
    row = t.loc["ehcp_pct"]
    assert row.value == pytest.approx(_pooled(demo_con, 202425, ["Special"], district="E07000113"))
    assert row.authority_value == pytest.approx(_pooled(demo_con, 202425, ["Special"]))
    assert row.authority_value > 0.9  # never the all-schools figure of a few per cent
    assert "special" in row.authority_name.lower()
    assert row.published_text == ""  # no published special-school figure for 2024/25


def test_grammar_schools_are_compared_with_grammar_schools(demo_con, demo_fetch):
    sel = Selection(202324, "E07000110", "secondary-selective", "Maidstone")
    row = indicators.headline_table(demo_fetch, sel).set_index("measure_id").loc["sen_support_pct"]
    assert row.authority_value == pytest.approx(
        _pooled(demo_con, 202324, ["Secondary"], ["Selective"], input_="sen_support")
    )


def test_published_comparators_only_for_the_same_phase_and_year(demo_con, demo_fetch):
    t = indicators.headline_table(demo_fetch, Selection(201819, "all", "primary"))
    text = t.set_index("measure_id").loc["ehcp_pct", "published_text"]
    assert "England (primary): 1.6%" in text and "School census January 2019" in text
    t = indicators.headline_table(demo_fetch, Selection(201819, "all", "special"))
    text = t.set_index("measure_id").loc["ehcp_pct", "published_text"]
    assert "England (special): 98.3%" in text and "primary" not in text
    t = indicators.headline_table(demo_fetch, Selection(202324, "all", "primary"))
    assert (t.published_text == "").all()


def test_whole_authority_is_not_compared_with_itself(demo_con, demo_fetch):
    t = indicators.headline_table(demo_fetch, Selection(202425))
    assert (t.comparison == "").all()
    assert t.set_index("measure_id").loc["ehcp_pct", "value"] == pytest.approx(
        _pooled(
            demo_con,
            202425,
            [
                "Nursery",
                "Primary",
                "Secondary",
                "All-through",
                "Special",
                "Alternative provision",
                "Post-16",
            ],
        )
    )


def test_covid_year_absence_is_not_available_with_reason(demo_con, demo_fetch):
    t = indicators.headline_table(demo_fetch, Selection(201920, "all", "primary")).set_index(
        "measure_id"
    )
    row = t.loc["overall_absence_pct"]
    assert row.flag == "x" and math.isnan(row.value)
    text = presentation.card_text(get("overall_absence_pct"), row)
    assert text.value == "x" and "COVID-19" in text.flag


def test_context_measures_never_say_better_or_worse(demo_con, demo_fetch):
    for district in ("E07000114", "E07000116", "E07000113"):
        t = indicators.headline_table(demo_fetch, Selection(202425, district, "primary", "X"))
        for row in t.itertuples():
            if row.polarity == "context":
                assert "better" not in row.comparison_text and "worse" not in row.comparison_text
            if row.comparison == "similar":
                assert row.comparison_text.startswith("Not significantly different")
    # Thanet's fictional primaries identify more SEN support than Kent's: said as "Above".
    t = indicators.headline_table(demo_fetch, Selection(202425, "E07000114", "primary", "Thanet"))
    assert t.set_index("measure_id").loc["sen_support_pct", "comparison_text"].startswith("Above")


def test_overdispersed_intervals_are_widened(demo_con, demo_fetch):
    t = indicators.headline_table(demo_fetch, Selection(202324, "E07000113", "primary", "Swale"))
    row = t.set_index("measure_id").loc["overall_absence_pct"]
    assert "over-dispersion" in row.note
    from dashboard.statistics import stats

    lo, hi = stats.wilson(row.numerator, row.denominator)
    assert (row.upper - row.lower) > 3 * (hi - lo)


def test_card_text_shows_denominator_and_interval(demo_con, demo_fetch):
    t = indicators.headline_table(demo_fetch, Selection(202324, "E07000113", "primary", "Swale"))
    row = next(r for r in t.itertuples() if r.measure_id == "sen_pa_gap_pp")
    text = presentation.card_text(get("sen_pa_gap_pp"), row)
    assert text.value.endswith(" pp") and text.value.startswith("+")
    assert "With SEN" in text.counts and "without SEN" in text.counts
    assert text.interval.startswith("95% interval")
    row = next(r for r in t.itertuples() if r.measure_id == "suspension_rate")
    assert "among" in presentation.card_text(get("suspension_rate"), row).counts


def test_headline_csv_is_in_display_units(demo_con, demo_fetch):
    sel = Selection(202324, "E07000113", "primary", "Swale")
    t = indicators.headline_table(demo_fetch, sel)
    csv = indicators.headline_csv(t, sel, is_demo=False).set_index("measure_id")
    raw = t.set_index("measure_id")
    assert csv.loc["ehcp_pct", "value"] == pytest.approx(
        raw.loc["ehcp_pct", "value"] * 100, abs=0.01
    )
    assert (csv.data_status == "").all()
