"""A running app sees a load on its next rerun, without a restart, and drops the demo notice
once real data replaces the demo."""

import shutil
from pathlib import Path

import pytest

from dashboard.ingest.load import load_files
from tests.browser.conftest import screenshot, streamlit_server

pytestmark = pytest.mark.browser

DEMO = "Demo data — fictional settings and figures"
FIX = Path(__file__).resolve().parents[1] / "fixtures"


def _settled(page):
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )


def test_running_app_sees_loads_and_drops_the_demo_notice(demo_db, tmp_path, browser):
    live = tmp_path / "live.duckdb"
    shutil.copy(demo_db, live)
    with streamlit_server(live) as url:
        page = browser.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{url}/?year=2018-19&phase=primary")
        page.get_by_text(DEMO).first.wait_for()

        # An analyst builds a real database and swaps it in, as every load does.
        real = tmp_path / "kent.duckdb"
        load_files(real, [FIX / "gias_kent_fixture.csv", FIX / "census_kent_fixture.csv"],
                   year="2018/19")  # fmt: skip
        shutil.copy(real, tmp_path / "staging.duckdb")
        (tmp_path / "staging.duckdb").replace(live)
        page.reload()
        page.get_by_text("50 of 350: pupils on SEN support ÷ pupils on roll").wait_for()
        _settled(page)
        assert page.get_by_text(DEMO).count() == 0
        screenshot(page, "live-reload-real-data")

        # A further load into the database the app is reading shows on the next rerun.
        load_files(live, [FIX / "abs_kent_fixture.csv"], year="2018/19")
        # reruns in the same session (no reload): switch the view to a table and back
        page.get_by_text("Table", exact=True).click()
        _settled(page)
        page.get_by_text("Cards", exact=True).click()
        # persistent absence: 10% of 118245's 200 on roll; the other primary is NA (withheld)
        page.get_by_text("20 of 200").first.wait_for()
        _settled(page)
        assert page.get_by_text(DEMO).count() == 0
        page.close()
