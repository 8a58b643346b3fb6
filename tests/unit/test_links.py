"""Academy conversions: a setting's trend joins the years of the setting it replaced (GIAS
links file), with a marked break, and nothing is counted twice."""

from datetime import date
from pathlib import Path

import pytest

from dashboard.core import catalogue
from dashboard.figures import profile
from dashboard.ingest.files import LoadError
from dashboard.ingest.links import read_links
from dashboard.ingest.load import LINKS, detect_kind, load_files
from dashboard.ingest.writer import build_database
from dashboard.store import db
from dashboard.views import charts
from tests.conftest import tiny_fill

FIX = Path(__file__).resolve().parents[1] / "fixtures"
OLD, NEW = 999910, 999920
SWALE = "E07000113"


def test_both_sides_of_a_link_are_one_pair_and_other_links_are_left_out():
    assert detect_kind(FIX / "gias_links_fixture.csv") == LINKS
    links, other = read_links(FIX / "gias_links_fixture.csv")
    pairs = set(zip(links["urn"], links["predecessor_urn"], strict=True))
    assert pairs == {(NEW, OLD), (100001, 100002)}
    assert other == 1  # the sixth-form centre link does not make one setting of two
    row = links[links["urn"] == NEW].iloc[0]
    assert row["link_type"] == "Predecessor" and str(row["link_date"]) == "2019-09-01"


@pytest.fixture()
def converted(tmp_path):
    return build_converted(tmp_path)


def build_converted(tmp_path: Path) -> Path:
    """A primary that closed in August 2019 and the academy that replaced it."""
    settings = [
        {"urn": OLD, "name": "Fixture Old Primary School", "phase": "Primary",
         "district_code": SWALE, "laestab": 8862001,
         "close_date": date(2019, 8, 31)},
        {"urn": NEW, "name": "Fixture Academy", "phase": "Primary", "district_code": SWALE,
         "laestab": 8862001, "open_date": date(2019, 9, 1),
         "establishment_type": "Academy converter"},
    ]  # fmt: skip
    facts = [
        {"urn": urn, "year_code": year, "input": "ehcp", "breakdown": "all",
         "numerator": plans, "denominator": 200.0}
        for urn, year, plans in [(OLD, 201718, 8.0), (OLD, 201819, 10.0),
                                 (NEW, 201920, 12.0), (NEW, 202021, 14.0)]
    ]  # fmt: skip
    return build_database(tmp_path / "real.duckdb", tiny_fill(settings, facts), is_demo="false")


def _own_series(path: Path):
    con = db.connect(path)
    try:
        fetch = db.fetcher(con)
        m = catalogue.get("ehcp_pct")
        inputs = profile.series_inputs(fetch, NEW, "primary", SWALE)
        years = [201718, 201819, 201920, 202021]
        series = profile.measure_series(m, inputs, years)
        return series, profile.lineage_note(fetch("setting_lineage", {"urn": NEW}))
    finally:
        con.close()


def test_a_converted_academy_shows_its_predecessors_years_with_a_break(converted):
    before, note = _own_series(converted)
    own = before[before["series"] == "This setting"].set_index("year_code")
    assert own["value"].notna().tolist() == [False, False, True, True] and note == ""

    load_files(converted, [FIX / "gias_links_fixture.csv"])
    after, note = _own_series(converted)
    own = after[after["series"] == "This setting"].set_index("year_code")
    assert own["value"].tolist() == pytest.approx([8 / 200, 10 / 200, 12 / 200, 14 / 200])
    assert own["predecessor"].tolist() == [True, True, False, False]
    assert "Fixture Old Primary School (URN 999910; predecessor on 01 September 2019)" in note
    fig = charts.series_figure(after, catalogue.get("ehcp_pct"), "", False)
    breaks = [s for s in fig.layout.shapes if s.type == "line"]
    assert [b.x0 for b in breaks] == [1.5]  # between 2018/19 (predecessor) and 2019/20
    assert "(predecessor setting)" in fig.data[0].customdata[0]
    # the district line counts each pupil once: the old school's years are its own
    district = after[after["series"] == profile.DISTRICT].set_index("year_code")
    assert district["denominator"].tolist() == [200, 200, 200, 200]


def test_loading_links_twice_changes_nothing_and_a_bad_file_loads_nothing(converted):
    load_files(converted, [FIX / "gias_links_fixture.csv"])
    load_files(converted, [FIX / "gias_links_fixture.csv"])
    con = db.connect(converted)
    held = con.execute("select urn, predecessor_urn from setting_links").fetchall()
    con.close()
    assert held == [(NEW, OLD)]  # a link for a school not loaded is left out
    before = converted.read_bytes()
    with pytest.raises(LoadError) as err:
        load_files(converted, [FIX / "gias_links_broken.csv"])
    message = str(err.value)
    assert "gias_links_broken.csv, line 3, column URN" in message
    assert converted.read_bytes() == before
