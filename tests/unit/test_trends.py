"""Trend series and their one-sentence summaries."""

import math

import pandas as pd

from dashboard.core import catalogue
from dashboard.figures import trends

YEARS = [201516, 201617, 201718, 201819, 201920, 202021, 202122, 202223, 202324, 202425]


def test_series_and_sentence(demo_con, demo_fetch):
    m = catalogue.get("ehcp_pct")
    data = trends.series(demo_fetch, m, ["primary"], ["E07000113"], YEARS)
    assert set(data.series) == {"Kent (primary)", "Swale (primary)"}
    sentence = trends.summary_sentence(m, data)
    swale = data[data.series == "Swale (primary)"].sort_values("year_code")
    first, last = m.format_value(swale.value.iloc[0]), m.format_value(swale.value.iloc[-1])
    assert f"Swale (primary) rose from {first} to {last} between 2015/16 and 2024/25" in sentence
    assert sentence.index("Swale") < sentence.index("Kent (primary)")


def test_missing_years_stay_missing(demo_con, demo_fetch):
    m = catalogue.get("overall_absence_pct")
    data = trends.series(demo_fetch, m, ["primary"], [], YEARS)
    row = data[data.year_code == 201920].iloc[0]
    assert math.isnan(row.value) and row.flag == "x"


def test_sentence_wording_for_flat_and_sparse_series():
    m = catalogue.get("ehcp_pct")
    flat = pd.DataFrame({"series": ["A"] * 2, "year_code": [201516, 201617],
                         "year": ["2015/16", "2016/17"], "value": [0.02, 0.0201]})  # fmt: skip
    assert "was 2.0% in both" in trends.summary_sentence(m, flat)
    sparse = flat.assign(value=[0.02, math.nan])
    assert "too few years" in trends.summary_sentence(m, sparse)


def test_published_comparators_are_phase_matched(demo_con):
    bench = demo_con.table("published_figures").df()
    m = catalogue.get("ehcp_pct")
    special = trends.published(bench, m, ["special"])
    assert set(special.phase) == {"Special"}
    assert trends.published(bench, m, ["secondary-selective"]).empty
