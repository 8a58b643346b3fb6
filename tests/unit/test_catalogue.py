"""The measure catalogue holds the reference's thirteen measures, complete and valid."""

import dataclasses

import pandas as pd
import pytest

from dashboard.core import catalogue

REFERENCE_IDS = {
    "sen_support_pct", "ehcp_pct", "overall_absence_pct", "persistent_absence_pct",
    "suspension_rate", "suspended_pupils_pct", "perm_exclusion_rate", "good_or_better_pct",
    "quality_mark_pct", "sen_pa_gap_pp", "sen_suspension_ratio", "ehcp_concentration",
    "ehcp_mainstream_pct",
}  # fmt: skip


def test_every_reference_measure_is_defined():
    assert set(catalogue.ids()) == REFERENCE_IDS


@pytest.mark.parametrize("measure", catalogue.load(), ids=lambda m: m.id)
def test_measure_is_complete(measure):
    assert measure.title and measure.definition and measure.source and measure.caveats
    assert measure.min_denominator > 0
    if measure.is_pilot:
        assert any("Pilot measure" in c for c in measure.caveats)


def test_polarity_and_status_follow_the_reference():
    by = {m.id: m for m in catalogue.load()}
    assert {i for i, m in by.items() if m.polarity == "context"} == {
        "sen_support_pct", "ehcp_pct", "quality_mark_pct", "ehcp_concentration",
        "ehcp_mainstream_pct",
    }  # fmt: skip
    assert {i for i, m in by.items() if m.is_pilot} == {
        "quality_mark_pct", "sen_pa_gap_pp", "sen_suspension_ratio", "ehcp_concentration",
        "ehcp_mainstream_pct",
    }  # fmt: skip
    assert by["overall_absence_pct"].overdispersed and by["persistent_absence_pct"].overdispersed
    assert by["suspension_rate"].model == "poisson" and by["sen_pa_gap_pp"].model == "difference"


def test_format_value():
    m = catalogue.get("suspension_rate")
    assert m.format_value(0.0974) == "9.74 per 100 pupils"
    assert catalogue.get("sen_pa_gap_pp").format_value(-0.012) == "-1.2 pp"
    assert catalogue.get("ehcp_pct").format_value(None) == "–"


def test_bad_catalogue_names_the_entry(tmp_path):
    bad = tmp_path / "measures.toml"
    bad.write_text('[[measure]]\nid = "x"\ntitle = "X"\n')
    with pytest.raises(catalogue.CatalogueError, match=r"measure #1 \(x\): missing field"):
        catalogue.load(bad)
    text = (catalogue.CATALOGUE_PATH.read_text()).replace(
        'polarity = "context"', 'polarity = "good"', 1
    )
    bad.write_text(text)
    with pytest.raises(catalogue.CatalogueError, match="polarity 'good'"):
        catalogue.load(bad)


def test_an_area_measure_says_what_it_is_built_from_and_each_source_is_computed(tmp_path):
    """Area-level measures are dispatched on the catalogue's `area_source`, never on their id:
    a new measure of an existing source needs the catalogue alone."""
    from dashboard.figures import indicators

    assert set(indicators.AREA_COMPUTATIONS) == catalogue.AREA_SOURCES
    text = catalogue.CATALOGUE_PATH.read_text().replace('area_source = "grades"\n', "", 1)
    bad = tmp_path / "measures.toml"
    bad.write_text(text)
    with pytest.raises(catalogue.CatalogueError, match=r"good_or_better_pct.*area_source"):
        catalogue.load(bad)
    # a second measure of the grades source, under another id, is computed like the first
    from dashboard.core.filters import Selection

    grades = catalogue.get("good_or_better_pct")
    twin = dataclasses.replace(grades, id="good_or_better_twin")
    rows = pd.DataFrame({"district_code": ["E07000105"] * 4,
                         "overall_effectiveness": [1, 2, 3, None]})  # fmt: skip
    sel = Selection(202324, "all", "all")

    def no_database(name, params=None):
        raise AssertionError(f"the rows were given; {name} should not be fetched")

    a = indicators.area_level_figure(no_database, grades, sel, rows=rows)
    b = indicators.area_level_figure(no_database, twin, sel, rows=rows)
    assert (a.numerator, a.denominator, a.value) == (b.numerator, b.denominator, b.value)
    assert (b.numerator, b.denominator) == (2.0, 3.0)
