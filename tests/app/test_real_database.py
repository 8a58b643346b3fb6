"""The app on a real-data database built from loaded files: no demo notice, every page works."""

from pathlib import Path

import pytest

from dashboard.core.config import DEMO_NOTICE
from dashboard.ingest.load import load_files
from tests.app.conftest import PAGES, texts
from tests.conftest import REAL, load_real_samples

FIX = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("real") / "kent.duckdb"
    load_files(
        path, [FIX / "gias_kent_fixture.csv", FIX / "census_kent_fixture.csv"], year="2018/19"
    )
    return path


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_real_data(app, real_db, monkeypatch, page):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(real_db))
    at = app(year="2018-19")
    at.run()
    if page != "overview.py":
        at.switch_page(f"../pages/{page}").run()
    assert not at.exception
    assert DEMO_NOTICE not in texts(at)


def test_overview_figures_from_loaded_census(app, real_db, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(real_db))
    at = app(year="2018-19", phase="primary")
    at.run()
    body = texts(at)
    # Fixture primaries: 4 + 1 plans among 200 + 150 pupils; 30 + 20 on SEN support.
    assert "50 of 350: pupils on SEN support ÷ pupils on roll" in body
    # The primary with 1 plan has no district, and Swale's only primary shows 4: Kent's 5
    # would give the hidden 1 away, so Kent's primary figure for EHC plans is hidden too.
    assert "5 of 350" not in body and "of 350: pupils with an EHC plan" not in body


@pytest.fixture(scope="module")
def real_samples_db(tmp_path_factory):
    if not REAL.exists():
        pytest.skip("shared real data not present")
    path = tmp_path_factory.mktemp("samples") / "kent.duckdb"
    load_real_samples(path)
    return path


@pytest.mark.parametrize("year", ["2018-19", "2016-17"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_the_real_samples(app, real_samples_db, monkeypatch, page, year):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(real_samples_db))
    at = app(year=year)
    at.run()
    if page != "overview.py":
        at.switch_page(f"../pages/{page}").run()
    assert not at.exception, at.exception
    assert DEMO_NOTICE not in texts(at)


def test_inspection_records_that_stop_in_2020_are_called_out(app, real_samples_db, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(real_samples_db))
    at = app(year="2018-19")
    at.run()
    at.switch_page("../pages/inspections.py").run()
    assert "The newest inspection held for these settings is dated 11 February 2020" in texts(at)
    assert "Satisfactory (grade 3 before September 2012)" in texts(at)


def test_settings_without_a_district_are_said_to_count_in_kent_only(app, real_db, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(real_db))
    at = app(year="2018-19")
    at.run()
    sidebar = " ".join(str(c.value) for c in at.sidebar.caption)
    # the census-only fixture school (URN 999903) has no district until a GIAS extract has it
    assert "1 open settings have no district recorded yet" in sidebar
    assert not any("no district recorded" in str(i.value) for i in at.info)  # whole authority
    at = app(year="2018-19", district="E07000113")
    at.run()
    assert any("Swale: 1 open settings have no district" in str(i.value) for i in at.info)


def test_district_views_say_no_setting_has_a_district_before_a_gias_extract(
    app, tmp_path, monkeypatch
):
    """Spine and census only: the map and the district comparison say why they are empty and
    name the load that fixes it, never codes for names or 'nan%' (issue 15)."""
    path = tmp_path / "no_gias.duckdb"
    load_files(path, [FIX / "spine_kent_fixture.csv", FIX / "census_kent_fixture.csv"],
               year="2018/19")  # fmt: skip
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    for page, query in (("map.py", {}), ("compare.py", {"level": "districts"})):
        at = app(year="2018-19", **query)
        at.run()
        at.switch_page(f"../pages/{page}").run()
        assert not at.exception
        assert any("No setting has a district yet" in w.value for w in at.warning), page
        assert "edubasealldata" in " ".join(w.value for w in at.warning)
        assert not at.get("plotly_chart"), page
        assert "nan%" not in texts(at)


def test_confirmed_pilot_matches_show_on_the_pilot_page(app, tmp_path, monkeypatch):
    from dashboard.ingest.pilot_match import load_confirmed, write_match_file

    text = (FIX / "gias_kent_fixture.csv").read_text(encoding="cp1252")
    gias = tmp_path / "edubasealldata.csv"
    gias.write_text(
        text.replace("Fixture Primary School", "Kingsnorth CE Primary School"), encoding="cp1252"
    )
    path = tmp_path / "kent.duckdb"
    load_files(path, [gias])
    matches = tmp_path / "matches.csv"
    frame = write_match_file(path, matches).astype(str)
    frame.loc[(frame.register_row == "8") & (frame.candidate_urn == "118245"), "confirmed"] = "yes"
    frame.to_csv(matches, index=False)
    assert load_confirmed(path, matches) == 1
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    at = app()
    at.run()
    at.switch_page("../pages/pilot.py").run()
    assert "(1 confirmed so far)" in texts(at)
    register = next(d.value for d in at.dataframe if "Setting (as published)" in d.value.columns)
    row = register[register["Setting (as published)"] == "Kingsnorth CEP School"].iloc[0]
    assert row["URN"] == "118245" and row["profile"] == "setting?urn=118245"


def test_data_and_methods_says_what_each_measure_still_needs(app, real_db, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(real_db))
    at = app()
    at.run()
    at.switch_page("../pages/data_and_methods.py").run()
    table = next(d.value for d in at.dataframe if "Still needed" in d.value.columns)
    rows = table.set_index("Measure")
    assert rows.loc["Pupils with an EHC plan", "Years with figures"] == "2018/19"
    assert rows.loc["Overall absence", "Still needed"].startswith("load england_abs")


def test_no_award_register_means_not_known_not_none_held(app, real_db, tmp_path, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(real_db))
    at = app(year="2018-19", phase="primary")
    at.run()
    body = texts(at)
    assert "settings holding a current IQM or CPLD award ÷ open settings" not in body
    assert "No quality-mark award register is loaded." in body
    with_register = tmp_path / "kent.duckdb"
    with_register.write_bytes(real_db.read_bytes())
    load_files(with_register, [FIX / "awards_fixture.csv"])
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(with_register))
    at = app(year="2018-19", phase="primary")
    at.run()
    # with a register loaded, no award on 31 August 2019 (the fixture's awards start in 2023)
    # is a real zero
    assert "0 of 2: settings holding a current IQM or CPLD award ÷ open settings" in texts(at)


def test_absence_rebuilt_from_percentages_is_called_approximate(app, tmp_path, monkeypatch):
    path = tmp_path / "kent.duckdb"
    load_files(
        path,
        [
            FIX / "gias_kent_fixture.csv",
            FIX / "census_kent_fixture.csv",
            FIX / "abs_kent_fixture.csv",
        ],
        year="2018/19",
    )
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    at = app(year="2018-19")
    at.run()
    assert any("rebuilt from those percentages" in str(i.value) for i in at.info)
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(_real_db_without_absence(tmp_path)))
    at = app(year="2018-19")
    at.run()
    assert not any("rebuilt from those percentages" in str(i.value) for i in at.info)


def _real_db_without_absence(tmp_path):
    path = tmp_path / "census_only.duckdb"
    load_files(
        path, [FIX / "gias_kent_fixture.csv", FIX / "census_kent_fixture.csv"], year="2018/19"
    )
    return path
