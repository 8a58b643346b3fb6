"""An intruder attacks everything the app publishes and tries to recover a hidden figure.

The intruder (tests/intruder.py) reads every figure of every measure for the whole authority,
every district and every setting under every phase choice, pilot measures' SEN and no-SEN
denominators included, and bounds each hidden figure with integer programming. These tests fail
on any hidden figure whose least and greatest possible values agree, whatever its value.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from dashboard.core import catalogue
from dashboard.core.filters import Selection
from dashboard.figures import comparison
from dashboard.ingest.load import load_files
from dashboard.store import db
from tests import intruder
from tests.conftest import FIXTURES, REAL, load_real_samples

DEMO_YEARS = [201516, 201617, 201718, 201819, 201920, 202021, 202122, 202223, 202324, 202425]


@pytest.fixture(scope="module")
def con(demo_db):
    c = db.connect(demo_db)
    yield c
    c.close()


@pytest.mark.parametrize("year", DEMO_YEARS)
def test_no_hidden_figure_can_be_recovered_from_everything_published(con, year):
    got = intruder.attack_year(con, year)
    assert got.hidden, "the year must hold hidden figures, or it tests nothing"
    assert not got.recovered, got.summary()


def test_the_demo_years_are_every_year_the_demo_holds(con):
    years = [y for (y,) in con.execute(
        "select distinct year_code from setting_facts order by 1").fetchall()]  # fmt: skip
    assert years == DEMO_YEARS


def test_no_pooled_figure_is_shown_beside_a_hidden_year(con):
    assert intruder.pooled_leaks(con, DEMO_YEARS[-3:]) == []


def test_the_intruder_recovers_figures_when_only_small_ones_are_hidden(demo_db, tmp_path):
    """The attack can fail: keep only the primary decisions (as a per-view rule would) and the
    intruder recovers hidden counts by subtraction."""
    weak = tmp_path / "weak.duckdb"
    shutil.copyfile(demo_db, weak)
    c = duckdb.connect(str(weak))
    c.execute("delete from suppressed_cells where not is_primary")
    c.execute("delete from suppressed_groups where not is_primary")
    c.close()
    c = db.connect(weak)
    try:
        got = intruder.attack_year(c, 202324)
    finally:
        c.close()
    assert len(got.recovered) > 20
    assert any(0 < v < 3 for _, v in got.recovered)


def _settings_units(con, measure_id: str, year: int, phase: str):
    m = catalogue.get(measure_id)
    units = comparison.compare(db.fetcher(con), m, Selection(year, "all", phase), "settings")
    return units.units.set_index("unit")


def test_a_pilot_denominator_does_not_give_a_hidden_ehc_plan_count(con):
    """Issue 29's first reproduction: 990402 in 2023/24 showed EHC plans c, SEN support 36 and
    a persistent-absence-gap SEN denominator of 37, so EHC plans = 1."""
    ehcp = _settings_units(con, "ehcp_pct", 202324, "primary")
    support = _settings_units(con, "sen_support_pct", 202324, "primary")
    gap = _settings_units(con, "sen_pa_gap_pp", 202324, "primary")
    assert ehcp.at[990402, "flag"] == "c"
    shown_gap = gap.at[990402, "flag"] in ("", "u")
    shown_support = support.at[990402, "flag"] in ("", "u")
    assert not (shown_gap and shown_support)
    # and nowhere: no setting shows both its SEN denominator and its SEN support beside a
    # hidden EHC plan count
    for urn in ehcp.index[ehcp["flag"] == "c"]:
        if urn in gap.index and urn in support.index:
            assert not (gap.at[urn, "flag"] in ("", "u") and support.at[urn, "flag"] in ("", "u"))


def test_one_group_under_two_phase_choices_is_decided_once(con):
    """Issue 29: Ashford's permanent exclusions 2021/22 were c under Secondary (all) and 0 under
    Secondary — non-selective, the same settings (Ashford has no grammar school)."""
    m = catalogue.get("perm_exclusion_rate")
    flags = {}
    for phase in ("secondary", "secondary-non-selective"):
        units = comparison.compare(db.fetcher(con), m, Selection(202122, "all", phase),
                                   "districts").units.set_index("unit")  # fmt: skip
        flags[phase] = units.loc["E07000105", ["flag", "numerator"]].tolist()
    assert flags["secondary"][0] == flags["secondary-non-selective"][0]


@pytest.fixture(scope="module")
def real_format_db(tmp_path_factory):
    """Real Kent files (the January 2019 school census with its small EHC plan counts), with
    GIAS districts for the fixture schools: the shapes a user loads, not the generator's."""
    if not REAL.exists():
        pytest.skip("shared real data not present")
    path = tmp_path_factory.mktemp("intruder") / "kent.duckdb"
    load_real_samples(path)
    load_files(path, [FIXTURES / "gias_kent_fixture.csv"])
    return path


def test_nothing_hidden_can_be_recovered_from_real_census_counts(real_format_db):
    c = db.connect(real_format_db)
    try:
        query = "select distinct year_code from setting_facts where input = 'ehcp'"
        years = [y for (y,) in c.execute(query).fetchall()]
        assert years
        for year in years:
            got = intruder.attack_year(c, year)
            small = [f for f in got.hidden if "ehcp_pct numerator" in f.where]
            assert len(small) > 20  # the census publishes many schools with 1 or 2 plans
            assert not got.recovered, got.summary()
    finally:
        c.close()


@pytest.fixture(scope="module")
def world_db(tmp_path_factory):
    """A demo world of several authorities at national density (the national build's scale):
    small fictional authorities with few settings per district and phase, where complementary
    suppression has the least room."""
    from data import generate_demo

    return generate_demo.build(tmp_path_factory.mktemp("world") / "world.duckdb", scale=0.27,
                               authorities=4)  # fmt: skip


@pytest.mark.parametrize(("la_code", "year"), [("9001", 201920), ("9002", 202223),
                                                ("9003", 202425)])  # fmt: skip
def test_nothing_hidden_can_be_recovered_in_a_small_authority(world_db, la_code, year):
    c = db.connect(world_db)
    try:
        got = intruder.attack_year(c, year, la_code)
    finally:
        c.close()
    assert got.hidden, "the authority must hold hidden figures, or it tests nothing"
    # it reads the authority's own districts and settings (Compare once showed the home
    # authority's whatever the authority asked for, and the intruder then read nothing there)
    read = {f.where.split(" ")[0] for f in got.shown}
    assert {"district", "setting"} <= read, sorted(read)
    assert not got.recovered, got.summary()
