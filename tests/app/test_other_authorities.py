"""Any English authority can be the home one (dashboard/core/home.py). Proved on fixture files
shaped like GIAS's extract and the school census for two authorities other than Kent: Essex
(881), a county with districts, and Medway (887), a unitary authority that is one district.
Every page runs, and what it says names that authority, never Kent."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.core import home
from dashboard.figures import geography
from dashboard.ingest.load import load_files
from tests.app.conftest import PAGES, texts

FIX = Path(__file__).resolve().parents[1] / "fixtures"
AUTHORITIES = {
    "881": ("Essex", "East of England", ["Basildon", "Braintree", "Brentwood"]),
    "887": ("Medway", "South East", ["Medway"]),
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict[str, Path]:
    """A database per authority, built as an officer would: `ingest … --la CODE`."""
    out = {}
    for code, (name, _, _) in AUTHORITIES.items():
        path = tmp_path_factory.mktemp(name.lower()) / f"{name.lower()}.duckdb"
        files = [
            FIX / f"gias_{name.lower()}_fixture.csv",
            FIX / f"census_{name.lower()}_fixture.csv",
        ]
        load_files(path, files, la=code, year="2018/19")
        out[code] = path
    return out


def meta(path: Path, key: str) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute("select value from metadata where key = ?", [key]).fetchone()
        assert row is not None, key
        return row[0]
    finally:
        con.close()


@pytest.mark.parametrize("code", AUTHORITIES)
def test_a_database_loaded_for_an_authority_records_it_as_home(loaded, code):
    assert meta(loaded[code], "la_code") == code


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("code", AUTHORITIES)
def test_every_page_names_the_home_authority_and_never_kent(app, loaded, monkeypatch, code,
                                                           page):  # fmt: skip
    name, _, _ = AUTHORITIES[code]
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(loaded[code]))
    at = app(year="2018-19")
    at.run()
    if page != "overview.py":
        at.switch_page(f"../pages/{page}").run()
    assert not at.exception, at.exception
    body = texts(at)
    for cited in ("Kent Association of Headteachers", "Kent County Council headteacher briefings"):
        body = body.replace(cited, "")  # an example of a user, and a source's title
    assert "Kent" not in body
    district_box = at.sidebar.selectbox[1]
    assert district_box.options[0] == f"All of {name}"


@pytest.mark.parametrize("code", AUTHORITIES)
def test_the_overview_shows_the_authority_and_its_own_districts(app, loaded, monkeypatch, code):
    name, region, districts = AUTHORITIES[code]
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(loaded[code]))
    at = app(year="2018-19", phase="primary")
    at.run()
    assert not at.exception
    assert home.current() == home.Home(code, name, region)
    assert at.sidebar.selectbox[1].options == [f"All of {name}", *districts]
    body = texts(at)
    assert f"{name} against England" in body or f"{name} by phase" in body


def test_a_unitary_authority_is_not_compared_with_itself_as_a_district(app, loaded, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(loaded["887"]))
    at = app(year="2018-19")
    at.run()
    at.switch_page("../pages/compare.py").run()
    assert not at.exception
    levels = at.radio(key="cmp_level").options
    assert "Districts of Medway" not in levels
    assert "Medway and its statistical neighbours" in levels


def test_a_county_compares_its_districts_against_its_own_figure(app, loaded, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(loaded["881"]))
    at = app(year="2018-19", phase="primary")
    at.run()
    at.switch_page("../pages/compare.py").run()
    at.radio(key="cmp_level").set_value("districts").run()
    assert not at.exception
    body = texts(at)
    assert "Essex figure for the same phase" in body
    table = next(
        d.value for d in at.dataframe if "Unit" in d.value.columns or "unit" in d.value.columns
    )
    units = set(table.iloc[:, 0]) if "Unit" not in table.columns else set(table["Unit"])
    assert {"Basildon", "Braintree", "Brentwood"} & units


def test_the_map_lays_out_a_county_it_has_no_hand_layout_for(app, loaded, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(loaded["881"]))
    at = app(year="2018-19", phase="primary")
    at.run()
    at.switch_page("../pages/map.py").run()
    assert not at.exception
    body = texts(at)
    assert "a layout generated from the districts' centres" in body
    assert "Medway" not in body  # Kent's gap belongs to Kent's layout only


def test_a_home_authority_the_database_does_not_hold_is_refused(app, loaded, monkeypatch):
    """KENT_DASHBOARD_LA naming an authority with no row fails closed with a message; it never
    shows Kent's or anyone else's pages under the wrong name."""
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(loaded["881"]))
    monkeypatch.setenv("KENT_DASHBOARD_LA", "999")
    at = app()
    at.run()
    assert not at.exception
    body = texts(at).replace("\\", "")  # Markdown escapes
    assert "KENT_DASHBOARD_LA=999 is not an authority in this database" in body
    assert not at.sidebar.selectbox  # no filters, no pages


def test_resolve_prefers_the_setting_then_the_database_then_kent():
    authorities = pd.DataFrame(
        {"la_code": ["886", "881", "887"], "la_name": ["Kent", "Essex", "Medway"],
         "region_name": ["South East", "East of England", "South East"]}
    )  # fmt: skip
    assert home.resolve({}, authorities, {}) == home.KENT
    assert home.resolve({"la_code": "881"}, authorities, {}).name == "Essex"
    assert home.resolve({"la_code": "881"}, authorities, {home.ENV: "887"}).name == "Medway"
    with pytest.raises(home.UnknownHome, match="the database's home authority 380"):
        home.resolve({"la_code": "380"}, authorities, {})


def test_a_generated_layout_keeps_where_districts_lie():
    """Essex's twelve districts and Basildon-like squares: every district gets its own cell,
    west stays west and north stays north, and one district gets one hexagon."""
    centres = {  # approximate centres (latitude, longitude) of Essex's districts
        "E07000066": (51.58, 0.46), "E07000067": (51.92, 0.58), "E07000068": (51.62, 0.30),
        "E07000069": (51.55, 0.60), "E07000070": (51.73, 0.47), "E07000071": (51.89, 0.90),
        "E07000072": (51.68, 0.12), "E07000073": (51.77, 0.10), "E07000074": (51.73, 0.72),
        "E07000075": (51.62, 0.72), "E07000076": (51.83, 1.12), "E07000077": (51.98, 0.27),
    }  # fmt: skip
    cells = geography.generated_layout(centres)
    assert len(set(cells.values())) == len(centres) == len(cells)
    x = {c: geography.hex_centre(*cell)[0] for c, cell in cells.items()}
    y = {c: geography.hex_centre(*cell)[1] for c, cell in cells.items()}
    west, east = "E07000073", "E07000076"  # Harlow, Tendring
    north, south = "E07000077", "E07000069"  # Uttlesford, Castle Point
    assert x[west] < x[east] and y[north] > y[south]
    assert geography.generated_layout({"E06000035": (51.4, 0.55)}) == {"E06000035": (0, 0)}
    # Kent keeps its hand layout
    kent = {c: (51.2, 0.8) for c in geography.HEX_LAYOUT}
    assert geography.layout_for(kent)[0] is geography.HEX_LAYOUT


def test_a_national_database_serves_the_authority_kent_dashboard_la_names(
    app, monkeypatch, tmp_path_factory
):
    """One national build, any home: KENT_DASHBOARD_LA picks a (fictional) authority of the
    four-authority demo world, and its pages name it, list its districts and compare within it."""
    from data import generate_demo

    path = generate_demo.build(tmp_path_factory.mktemp("world") / "world.duckdb", scale=0.1,
                               authorities=4)  # fmt: skip
    con = duckdb.connect(str(path), read_only=True)
    [(name,)] = con.execute("select la_name from authorities where la_code = '9002'").fetchall()
    own = {r[0] for r in con.execute(
        "select district_name from districts where la_code = '9002'").fetchall()}  # fmt: skip
    con.close()
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    monkeypatch.setenv("KENT_DASHBOARD_LA", "9002")
    at = app(year="2024-25", phase="primary")
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox[1].options[0] == f"All of {name}"
    assert set(at.sidebar.selectbox[1].options[1:]) == own
    at.switch_page("../pages/compare.py").run()
    at.radio(key="cmp_level").set_value("districts").run()
    assert not at.exception
    assert f"Comparator: {name} primary" in texts(at)


def _group_token(code: str) -> str:
    """Two groups of the authority's fixture primaries (URNs CODE0001–CODE0003)."""
    from dashboard.figures import groups

    first = int(code) * 10_000
    g = groups.Groups("test", (("North pair", (first + 1, first + 2)),
                               ("South one", (first + 3,))))  # fmt: skip
    token = groups.encode(g)
    assert token
    return token


def _census(code: str) -> dict[int, tuple[int, int, int]]:
    """URN → (pupils on roll, SEN support, EHC plans) read straight from the fixture file."""
    name = AUTHORITIES[code][0].lower()
    rows = pd.read_csv(FIX / f"census_{name}_fixture.csv", encoding="utf-8-sig", dtype=str)
    rows = rows[rows["URN"].str.isdigit()]  # the file's national total row is "NAT"
    return {int(r.URN): (int(r.NOR), int(r.TSENELK), int(r.TSENELSE)) for r in rows.itertuples()}


@pytest.mark.parametrize("code", AUTHORITIES)
def test_groups_are_compared_against_the_home_authority_like_districts(app, loaded, monkeypatch,
                                                                      code):  # fmt: skip
    name = AUTHORITIES[code][0]
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(loaded[code]))
    at = app(year="2018-19", phase="primary", measure="sen_support_pct", level="groups",
             groups=_group_token(code))  # fmt: skip
    at.run()
    at.switch_page("../pages/compare.py").run()
    assert not at.exception, at.exception
    assert at.radio(key="cmp_level").value == "groups"
    body = texts(at)
    assert f"Comparator: {name} primary" in body and "Kent" not in body.replace(
        "Kent Association of Headteachers", "")  # fmt: skip
    census = _census(code)
    first = int(code) * 10_000
    pupils = census[first + 1][0] + census[first + 2][0]
    sen = census[first + 1][1] + census[first + 2][1]
    table = next(d.value for d in at.dataframe if len(d.value) == 2)
    row = table[table.iloc[:, 0].astype(str).str.startswith("North pair")].iloc[0]
    assert (row["numerator"], row["denominator"]) == (sen, pupils)  # the members' sums
    assert abs(row.iloc[3] - 100 * sen / pupils) < 0.006, row.to_list()
    assert "Not significantly different" in row.to_list()  # 83 of 640 against Essex's or
    # Medway's own primaries, of which these are two of three: no verdict either way


@pytest.mark.parametrize("code", AUTHORITIES)
def test_a_groups_line_on_trends_and_its_row_on_the_overview(app, loaded, monkeypatch, code):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(loaded[code]))
    token = _group_token(code)
    at = app(year="2018-19", phase="primary", measure="sen_support_pct", groups=token)
    at.run()
    assert not at.exception, at.exception
    assert "Your groups of settings" in texts(at)
    overview = next(d.value for d in at.dataframe if "North pair" in d.value.to_string())
    assert "South one" in overview.to_string()
    at.switch_page("../pages/trends.py").run()
    at.multiselect(key="trend_groups").set_value(["North pair"]).run()
    assert not at.exception, at.exception
    spec = json.dumps([json.loads(c.proto.spec) for c in at.get("plotly_chart")])
    assert "North pair" in spec
