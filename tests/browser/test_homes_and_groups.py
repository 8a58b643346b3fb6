"""In Chromium: the dashboard serving another home authority (Essex, a county; Medway, a
unitary), and a user's own comparison groups uploaded as a CSV, shared by the page address
and reopened in a new session."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.ingest.load import load_files
from tests.browser.conftest import screenshot, streamlit_server

pytestmark = pytest.mark.browser

FIX = Path(__file__).resolve().parents[1] / "fixtures"


def _settled(page):
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')",
        timeout=60_000,
    )
    page.wait_for_timeout(800)


def _charts_drawn(page):
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".every(c => c.querySelector('.main-svg'))",
        timeout=60_000,
    )


def _upload_groups_and_compare_them(page, csv: Path) -> None:
    """On Compare, as a user does: open the groups' expander, upload the CSV, wait for the
    address to carry the groups, then choose them as the level compared."""
    page.get_by_text("Your groups of settings").first.click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(csv))
    page.wait_for_function("() => location.search.includes('groups=')", timeout=60_000)
    _settled(page)
    page.get_by_text("Your groups of settings", exact=True).last.click()  # the level
    _settled(page)
    _charts_drawn(page)


@pytest.mark.parametrize(("code", "name"), [("881", "Essex"), ("887", "Medway")])
def test_another_home_authority_in_the_browser(tmp_path, browser, code, name):
    db_path = tmp_path / f"{name.lower()}.duckdb"
    files = [FIX / f"gias_{name.lower()}_fixture.csv", FIX / f"census_{name.lower()}_fixture.csv"]
    load_files(db_path, files, la=code, year="2018/19")
    with streamlit_server(db_path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/overview?year=2018-19")
        _settled(page)
        assert page.get_by_text(f"{name} against England and its statistical neighbours").count()
        assert page.get_by_role("link", name=f"{name} and its neighbours").count()
        screenshot(page, f"home_{name.lower()}_overview")
        page.goto(f"{url}/map?year=2018-19&phase=primary")
        _settled(page)
        _charts_drawn(page)
        caption = (
            "a layout generated from the districts' centres"
            if code == "881"
            else "is one district (a unitary authority), so the map shows its settings"
        )
        assert page.get_by_text(caption, exact=False).count()
        hexes = page.locator('[data-testid="stPlotlyChart"] .main-svg').first
        assert hexes.is_visible()
        screenshot(page, f"home_{name.lower()}_map")
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "Kent" not in body
        # the authority's own groups, uploaded as a CSV and compared like districts
        first = int(code) * 10_000
        csv = tmp_path / "groups.csv"
        csv.write_text(f"urn,group\n{first + 1},North pair\n{first + 2},North pair\n"
                       f"{first + 3},South one\n")  # fmt: skip
        page.goto(f"{url}/compare?year=2018-19&phase=primary&measure=sen_support_pct")
        _settled(page)
        _upload_groups_and_compare_them(page, csv)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert f"Comparator: {name} primary" in main and "South one (1 setting)" in main
        assert "Kent" not in main
        screenshot(page, f"home_{name.lower()}_groups")
        page.close()


def _demo_primaries(db_path: Path, n: int) -> list[int]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(
            "select distinct f.urn from published_facts f join settings s using (urn) "
            "where s.la_code = '886' and s.phase = 'Primary' and f.year_code = 202425 "
            "and f.input = 'ehcp' and f.missing_reason is null order by f.urn limit ?",
            [n],
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def test_groups_uploaded_compared_and_reopened_from_the_address(
    server, browser, tmp_path, demo_db_with_boundaries
):
    urns = _demo_primaries(demo_db_with_boundaries, 18)
    csv = tmp_path / "triads.csv"
    lines = [f"{u},{'Triad North' if i < 9 else 'Triad South'}\n" for i, u in enumerate(urns)]
    csv.write_text("urn,group\n" + "".join(lines))
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{server}/compare?year=2024-25&phase=primary&measure=ehcp_pct")
    _settled(page)
    _upload_groups_and_compare_them(page, csv)
    main = page.locator('[data-testid="stMain"]')
    assert "Comparator: Kent primary" in main.inner_text()
    grid = page.locator('[data-testid="stDataFrame"]').last.inner_text()
    assert "Triad North (9 settings)" in grid or "Triad North" in main.inner_text()
    screenshot(page, "groups_compare")
    address = page.url
    context.close()
    # a colleague opens the copied address: the same groups, no upload
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = other.new_page()
    page.set_default_timeout(60_000)
    page.goto(address)
    _settled(page)
    assert page.get_by_text("Your groups of settings (2 loaded)").count()
    other.close()


@pytest.mark.parametrize(("code", "name"), [("881", "Essex"), ("887", "Medway")])
def test_expected_given_intake_for_another_home_authority(tmp_path, browser, monkeypatch, code,
                                                           name):  # fmt: skip
    """A national census (every authority's settings fit the model), served with Essex or
    Medway as home: the funnel shows that authority's settings, fitted on all six."""
    db_path = tmp_path / "england.duckdb"
    files = [FIX / "gias_essex_fixture.csv", FIX / "gias_medway_fixture.csv",
             FIX / "census_england_fixture.csv"]  # fmt: skip
    load_files(db_path, files, la="all", year="2018/19")
    monkeypatch.setenv("KENT_DASHBOARD_LA", code)
    with streamlit_server(db_path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/expected?year=2018-19&measure=sen_support_pct")
        _settled(page)
        _charts_drawn(page)
        text = page.locator("body").inner_text()
        assert "6 authorities" in text and "Context, not a judgement" in text
        assert "Kent" not in text.replace("Kent Association of Headteachers", "")
        assert page.get_by_text("Fixture", exact=False).count()
        screenshot(page, f"expected_{name.lower()}")
        page.close()


def test_a_group_on_expected_given_intake(server, browser, demo_db_with_boundaries):
    """A shared link that carries groups and names one opens Expected given intake on that
    group's members alone, with their totals in words."""
    from urllib.parse import quote

    from dashboard.figures import groups

    urns = _demo_primaries(demo_db_with_boundaries, 18)
    token = groups.encode(groups.Groups("link", (("Triad North", tuple(urns[:9])),
                                                 ("Triad South", tuple(urns[9:])))))  # fmt: skip
    assert token
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.set_default_timeout(60_000)
    page.goto(f"{server}/expected?year=2024-25&measure=ehcp_pct&groups={token}"
              f"&settings={quote('Triad North')}")  # fmt: skip
    _settled(page)
    _charts_drawn(page)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "Triad North · 2024/25 · model fitted on every loaded setting" in main  # subtitle
    assert "settings of Triad North with an expected value" in main
    grid = page.locator('[data-testid="stDataFrame"]').first.inner_text()
    assert grid.count("Fixture") == 0  # demo names only
    screenshot(page, "expected_group")
    page.close()
