"""Every page renders for default and narrow selections; filters persist and live in the URL."""

import pytest

from dashboard.core import catalogue
from dashboard.core.config import DEMO_NOTICE
from tests.app.conftest import PAGES, texts


def _goto(at, page):
    at.run()
    if page != "overview.py":
        at.switch_page(f"../pages/{page}").run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_default_filters(app, page):
    at = _goto(app(), page)
    assert not at.exception
    assert DEMO_NOTICE in texts(at)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_for_one_district_one_phase_one_year(app, page):
    at = _goto(app(year="2019-20", district="E07000113", phase="special"), page)
    assert not at.exception
    assert [s.value for s in at.sidebar.selectbox] == [201920, "E07000113", "special"]


def test_url_round_trip_restores_filters(app):
    at = app()
    at.run()
    at.sidebar.selectbox(key="f_year").set_value(201819).run()
    at.sidebar.selectbox(key="f_district").set_value("E07000114").run()
    at.sidebar.selectbox(key="f_phase").set_value("secondary-selective").run()
    link = dict(at.query_params)
    assert link == {"year": "2018-19", "district": "E07000114", "phase": "secondary-selective"}
    # A new session opened from the copied link shows the same view.
    again = app(**link)
    again.run()
    assert [s.value for s in again.sidebar.selectbox] == [
        201819,
        "E07000114",
        "secondary-selective",
    ]
    assert "Thanet · Secondary — selective (grammar) · 2018/19" in texts(again)


def test_filters_persist_across_pages(app):
    at = app(district="E07000105", phase="primary")
    at.run()
    at.switch_page("../pages/data_and_methods.py").run()
    at.switch_page("../pages/overview.py").run()
    assert [s.value for s in at.sidebar.selectbox][1:] == ["E07000105", "primary"]
    assert "Ashford · Primary" in texts(at)


def test_overview_shows_every_measure_with_denominator_and_interval(app):
    at = app(year="2023-24", district="E07000113", phase="primary")
    at.run()
    body = texts(at)
    for m in catalogue.load():
        assert m.title in body
    assert body.count("95% interval") >= 10
    assert "Kent (primary)" in body
    assert "Not significantly different from Kent (primary)" in body


def test_overview_table_view_and_csv(app):
    at = app(year="2023-24", district="E07000113", phase="primary")
    at.run()
    at.segmented_control(key="overview_view").set_value("Table").run()
    assert not at.exception
    df = at.dataframe[0].value
    assert set(df.measure_id) == set(catalogue.ids())
    assert (df.data_status == DEMO_NOTICE).all()


def test_small_selection_shows_suppression_not_numbers(app, demo_con):
    settings = demo_con.table("settings").df()
    district = settings[settings.phase == "Alternative provision"].district_code.iloc[0]
    at = app(year="2024-25", district=district, phase="alternative-provision")
    at.run()
    body = texts(at)
    assert not at.exception
    assert "c — suppressed" in body or "u — low reliability" in body


def test_bad_url_values_fall_back_with_a_message(app):
    at = app(year="1066-67", phase="'; drop table settings; --")
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("not in the data" in w for w in warnings)
    assert any("not recognised" in w for w in warnings)
    assert [s.value for s in at.sidebar.selectbox][2] == "all"


def test_data_and_methods_lists_every_measure_and_provenance(app):
    at = _goto(app(), "data_and_methods.py")
    table = at.dataframe[0].value
    for m in catalogue.load():
        assert m.title in set(table["Measure"])
        assert m.definition in set(table["Definition"])
    body = texts(at)
    assert "embedded demo database" in body and "data/generate_demo.py" in body
    sources = at.dataframe[2].value
    assert "Kent SEND Workforce Reform Pilot award register" in set(sources["Dataset"])


def test_missing_database_shows_the_fix(app, monkeypatch, tmp_path):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(tmp_path / "missing.duckdb"))
    at = app()
    at.run()
    assert not at.exception
    assert "does not exist" in at.error[0].value
    assert "make demo-db" in at.code[0].value
