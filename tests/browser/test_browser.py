"""Real-browser checks: pages open, filters change figures and the URL, links reopen views."""

import re
from pathlib import Path

import pytest

from dashboard.core import catalogue
from dashboard.core.filters import Selection
from dashboard.figures import indicators
from dashboard.store import db
from dashboard.views import presentation
from tests.browser.conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser

DEMO = "Demo data — fictional settings and figures"


def _wait_ready(page):
    page.get_by_text(DEMO).first.wait_for()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )


def _choose(page, label: str, option: str):
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text=label
    )
    box.click()
    # type to narrow the list, as a user does with a long one: with every page listed in the
    # navigation the filters sit low in the sidebar, and the open list is cut short there
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()


def _expected_values(path, selection):
    """What the data layer says the cards must show, computed independently of the browser."""
    con = db.connect(path)
    table = indicators.headline_table(db.fetcher(con), selection)
    con.close()
    measures = {m.id: m for m in catalogue.load()}
    return [presentation.card_text(measures[r.measure_id], r).value for r in table.itertuples()]


def _wait_for_values(page, expected):
    """Fails by timeout unless the cards show exactly the expected values."""
    page.wait_for_function(
        """(expected) => {
            const now = [...document.querySelectorAll('[data-testid="stMetricValue"]')]
                .filter(e => !e.closest('[data-stale="true"]'))
                .filter(e => !e.closest('.st-key-kent_in_context')).map(e => e.innerText);
            return JSON.stringify(now) === JSON.stringify(expected);
        }""",
        arg=expected,
        timeout=90_000,
    )


def test_overview_opens_and_filters_change_figures_and_url(server, page, demo_db):
    page.goto(f"{server}/?year=2023-24&phase=primary")
    _wait_ready(page)
    page.get_by_text("Kent · Primary · 2023/24").wait_for()
    before = _expected_values(demo_db, Selection(202324, "all", "primary"))
    _wait_for_values(page, before)
    screenshot(page, "overview-kent-primary")

    _choose(page, "District", "Swale")
    page.get_by_text("Swale · Primary · 2023/24").wait_for()
    _wait_ready(page)
    page.wait_for_url(re.compile(r"district=E07000113"))
    after = _expected_values(demo_db, Selection(202324, "E07000113", "primary", "Swale"))
    assert after != before
    _wait_for_values(page, after)
    page.get_by_text("Not significantly different from Kent (primary)").first.wait_for()
    screenshot(page, "overview-swale-primary")

    # A copied link opens the same view in a fresh browser context.
    link = page.url
    other = page.context.browser.new_context()
    fresh = other.new_page()
    fresh.set_default_timeout(30_000)
    fresh.goto(link)
    fresh.get_by_text("Swale · Primary · 2023/24").wait_for()
    _wait_for_values(fresh, after)
    other.close()


def test_data_and_methods_page(server, page):
    page.goto(f"{server}/data-and-methods")
    _wait_ready(page)
    page.get_by_role("heading", name="Provenance of this database").wait_for()
    page.get_by_text(
        "Concentration of pupils with EHC plans in mainstream settings (pilot)"
    ).wait_for()
    screenshot(page, "data-and-methods")


def test_overview_csv_download(server, page):
    page.goto(f"{server}/?year=2022-23&district=E07000114&phase=secondary")
    _wait_ready(page)
    page.get_by_text("Thanet · Secondary (all) · 2022/23").wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download these figures (CSV)").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("selection,measure_id,")
    assert "Thanet · Secondary (all) · 2022/23" in text
    assert DEMO in text
    assert text.count("\n") == 14  # header and the thirteen measures


@pytest.mark.parametrize(
    "query,name",
    [
        ("measure=suspension_rate&level=settings&district=E07000113&phase=primary", "funnel"),
        (
            "measure=persistent_absence_pct&level=districts&phase=secondary-non-selective",
            "districts",
        ),
        ("measure=sen_pa_gap_pp&level=phases&district=E07000114", "phases"),
    ],
)
def test_compare_page_draws_charts(server, page, query, name):
    page.goto(f"{server}/compare?year=2023-24&{query}")
    _wait_ready(page)
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    page.get_by_text("The figures behind the charts").wait_for()
    assert "Not significantly different" in page.content()
    screenshot(page, f"compare-{name}")
    page.locator('[data-testid="stPlotlyChart"]').first.screenshot(
        path=str(ARTIFACTS / f"compare-{name}-chart.png")
    )


def test_setting_profile_from_url(server, page, demo_con):
    settings = demo_con.table("settings").df()
    row = settings[(settings.phase == "Secondary") & settings.close_date.isna()].iloc[0]
    page.goto(f"{server}/setting?urn={row.urn}")
    _wait_ready(page)
    page.get_by_role("heading", name="Measures over time").wait_for()
    page.get_by_text("Likely next inspection (estimate)").wait_for()
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    assert row["name"] in page.content()
    screenshot(page, "setting-profile")
    page.locator('[data-testid="stPlotlyChart"]').nth(2).screenshot(
        path=str(ARTIFACTS / "setting-trend-chart.png")
    )
    page.locator('[data-testid="stPlotlyChart"]').last.screenshot(
        path=str(ARTIFACTS / "setting-similar-chart.png")
    )


@pytest.mark.parametrize(
    "query,name",
    [
        ("measure=ehcp_pct&view=hex&phase=primary", "map-hex"),
        ("measure=suspension_rate&view=boundaries&phase=secondary", "map-boundaries"),
        ("measure=persistent_absence_pct&view=settings&district=E07000114&phase=primary",
         "map-settings"),
    ],
)  # fmt: skip
def test_map_views_render_offline(server, page, query, name):
    page.goto(f"{server}/map?year=2023-24&{query}")
    _wait_ready(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.wait_for()
    if name == "map-boundaries":
        page.locator(".maplibregl-canvas, canvas").first.wait_for()
        page.wait_for_timeout(3000)  # let MapLibre draw the blank-background map
    else:
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
    assert "No district boundaries are loaded" not in page.content()
    chart.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_trend_chart(server, page):
    page.goto(f"{server}/trends?measure=persistent_absence_pct&district=E07000113&phase=primary")
    _wait_ready(page)
    page.get_by_text("In words:").wait_for()
    assert "Swale (primary)" in page.content()
    page.locator('[data-testid="stPlotlyChart"]').first.screenshot(
        path=str(ARTIFACTS / "trend-chart.png")
    )


def test_twenty_simultaneous_sessions_see_their_own_figures(server, browser, demo_db):
    """20 sessions with different filters at once: no errors and no cross-talk."""
    districts = ["E07000105", "E07000106", "E07000107", "E07000108", "E07000109",
                 "E07000110", "E07000111", "E07000112", "E07000113", "E07000114"]  # fmt: skip
    cases = [(d, p) for d in districts for p in ("primary", "secondary")]
    con = db.connect(demo_db)
    names = dict(db.run(con, "districts", {"la_code": "886"}).values)
    con.close()
    sessions = []
    for district, phase in cases:  # open every session before waiting on any
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(90_000)
        pg.goto(f"{server}/?year=2023-24&district={district}&phase={phase}",
                wait_until="commit")  # fmt: skip
        sessions.append((context, pg, district, phase))
    try:
        for _context, pg, district, phase in sessions:
            sel = Selection(202324, district, phase, names[district])
            _wait_for_values(pg, _expected_values(demo_db, sel))
            assert pg.locator('[data-testid="stException"]').count() == 0
            assert f"district={district}" in pg.url and f"phase={phase}" in pg.url
    finally:
        for context, *_ in sessions:
            context.close()


def test_exports_png_and_briefing_pack(server, page):
    from PIL import Image
    from pptx import Presentation

    page.goto(f"{server}/compare?year=2023-24&district=E07000113&phase=primary"
              "&measure=suspension_rate&level=settings")  # fmt: skip
    _wait_ready(page)
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("button", name="PNG", exact=True).first.click()
    png = Path(info.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    (ARTIFACTS / "export-funnel.png").write_bytes(png)
    assert Image.open(info.value.path()).size == (1600, 900)
    page.get_by_role("button", name="Add to briefing pack").first.click()
    page.get_by_role("button", name="Added to briefing pack ✓").first.wait_for()
    page.locator('[data-testid="stSidebarNav"] a', has_text="Briefing pack").click()
    page.get_by_role("heading", name="Briefing pack").wait_for()
    page.get_by_text("1. Suspension rate: funnel plot").wait_for()
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Download PowerPoint (1 charts)").click()
    deck = Presentation(info.value.path())
    assert len(deck.slides) == 3
    Path(ARTIFACTS / "briefing.pptx").write_bytes(Path(info.value.path()).read_bytes())
    text = " ".join(s.text_frame.text for sl in deck.slides for s in sl.shapes if s.has_text_frame)
    assert DEMO in text and "Suspension rate: funnel plot" in text


@pytest.mark.parametrize("path,name", [("pilot", "pilot"), ("inspections", "inspections"),
                                       ("user-guide", "user-guide"),
                                       ("context", "kent-in-context")])  # fmt: skip
def test_more_pages_render(server, page, path, name):
    page.goto(f"{server}/{path}?year=2023-24&phase=primary")
    _wait_ready(page)
    page.get_by_role("heading").first.wait_for()
    if name != "user-guide":
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, name)


def test_narrow_window_like_200_percent_zoom(server, browser):
    context = browser.new_context(viewport={"width": 640, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.goto(f"{server}/?year=2023-24&district=E07000113&phase=primary")
    pg.get_by_text(DEMO).first.wait_for()
    pg.locator('[data-testid="stMetricValue"]').first.wait_for()
    overflow = pg.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    screenshot(pg, "overview-narrow")
    context.close()
    assert overflow <= 1


def test_expected_given_intake_draws_its_funnel_as_context(server, page):
    page.goto(f"{server}/expected?year=2024-25&measure=suspension_rate")
    _wait_ready(page)
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    text = page.locator("body").inner_text()
    assert DEMO in text and "Context, not a judgement" in text
    assert "Suspension rate: observed against expected given intake" in page.content()
    assert "99.8% control limits" in page.content()
    assert "better than" not in text.lower() and "worse than" not in text.lower()
    screenshot(page, "expected")


ALL_PATHS = ["", "overview", "context", "compare", "map", "trends", "expected", "ehcp", "pilot",
             "inspections", "setting", "briefing-pack", "data-and-methods", "user-guide",
             "accessibility"]  # fmt: skip


@pytest.mark.parametrize("path", ALL_PATHS)
def test_every_page_opens_in_the_browser(server, page, path):
    page.goto(f"{server}/{path}?year=2023-24")
    _wait_ready(page)
    page.locator("h1").first.wait_for()
    assert "Page not found" not in page.content()
    assert page.locator('[data-testid="stException"]').count() == 0
    if path == "ehcp":
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
        screenshot(page, "ehcp")


def test_the_table_toolbar_offers_no_download_or_copy(server, page):
    """Streamlit's table toolbar would hand out the raw table (unescaped, real names); the
    shipped settings leave only the page's own CSV button, which goes through the export path."""
    page.goto(f"{server}/compare?year=2023-24&phase=primary&level=settings")
    _wait_ready(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    grid.hover()
    toolbar = page.locator('[data-testid="stElementToolbar"]').first
    toolbar.wait_for(state="attached")
    page.get_by_role("button", name="Search").first.wait_for()  # the toolbar is drawn…
    assert page.get_by_role("button", name="Download as CSV").count() == 0  # …with no download
    screenshot(page, "table-toolbar")
    assert page.get_by_text("Download the data behind these charts (CSV)").count() == 1


def test_a_typo_in_the_sign_in_configuration_serves_no_data(demo_db, browser, tmp_path):
    """The README's [auth] block with one unterminated quote: the served app shows a plain
    refusal, no figures and no navigation, and no server path or stack reaches the browser."""
    from tests.browser.conftest import streamlit_server

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback\ncookie_secret = "x"\n'
    )
    with streamlit_server(demo_db, "--secrets.files", str(secrets)) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/compare?year=2023-24")
        page.get_by_text("sign-in configuration cannot be used").wait_for()
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
        screenshot(page, "sign-in-refused")
        body = page.inner_text("body")
        assert page.locator('[data-testid="stMetric"], [data-testid="stDataFrame"]').count() == 0
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0
        assert DEMO not in body and "secrets.toml" not in body and "Traceback" not in body
        page.close()
