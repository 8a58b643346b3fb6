"""Names and types from a loaded file are shown as text: no link, image or markup from data
reaches the page a user sees, and nothing is fetched from an address a file named."""

import csv
from pathlib import Path

import pytest

from dashboard.ingest.load import load_files
from tests.browser.conftest import screenshot, streamlit_server

pytestmark = pytest.mark.browser

FIX = Path(__file__).resolve().parents[1] / "fixtures"
TRAP = "trap.invalid"  # a name that never resolves; any link or request to it came from data
NAME_LINK = f"[Re-login here](http://{TRAP}/login)"
NAME_HTML = f'<a href="http://{TRAP}/a">Click</a> Primary'
TYPE_IMAGE = f"![t](http://{TRAP}/x.png)"


def _hostile_gias(out: Path) -> Path:
    with (FIX / "gias_kent_fixture.csv").open(encoding="cp1252", newline="") as fh:
        data = list(csv.reader(fh))
    head = data[0]
    by_urn = {r[head.index("URN")]: r for r in data[1:]}
    by_urn["118245"][head.index("EstablishmentName")] = NAME_LINK
    by_urn["118245"][head.index("TypeOfEstablishment (name)")] = TYPE_IMAGE
    by_urn["118229"][head.index("EstablishmentName")] = NAME_HTML
    with out.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(data)
    return out


def _settled(page):
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_timeout(500)


def _from_data(page) -> list[str]:
    """Links and images in the page (including inside charts' SVG) that point at the trap."""
    return page.evaluate(
        """(trap) => [...document.querySelectorAll('a, img, image')]
            .map(e => e.getAttribute('href') || e.getAttribute('src')
                      || e.getAttribute('xlink:href') || '')
            .filter(h => h.includes(trap))""",
        TRAP,
    )


def test_hostile_names_render_as_text_everywhere(tmp_path, browser):
    db_path = tmp_path / "kent.duckdb"
    load_files(db_path, [_hostile_gias(tmp_path / "gias.csv"), FIX / "census_kent_fixture.csv"],
               year="2018/19")  # fmt: skip
    with streamlit_server(db_path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url) if TRAP in r.url else None)

        page.goto(f"{url}/setting?urn=118245")
        page.get_by_text("Pupils on roll").first.wait_for()
        _settled(page)
        # the type is shown as the characters it holds (less invisible word joiners)
        shown = page.evaluate("() => document.body.innerText").replace("\u2060", "")
        assert TYPE_IMAGE in shown
        screenshot(page, "hostile-names-profile")
        assert _from_data(page) == []

        page.goto(f"{url}/compare?year=2018-19&phase=primary&level=settings&measure=ehcp_pct")
        page.get_by_text("Compare").first.wait_for()
        _settled(page)
        screenshot(page, "hostile-names-compare")
        assert _from_data(page) == []

        page.goto(f"{url}/setting?urn=118229")
        _settled(page)
        assert _from_data(page) == []
        assert fetched == []
        page.close()
