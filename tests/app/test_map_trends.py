"""Map and Trends pages for every measure in the catalogue."""

import json

import pytest

from dashboard.core import catalogue
from tests.app.conftest import group_link, texts, values

IDS = catalogue.ids()


def _page(app, page, **query):
    at = app(**query)
    at.run()
    at.switch_page(f"../pages/{page}").run()
    return at


@pytest.mark.parametrize("measure", IDS)
def test_hex_map_for_every_measure(app, measure):
    at = _page(app, "map.py", measure=measure, view="hex", year="2023-24", phase="primary")
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    labels = next(t for t in spec["data"] if t.get("name") == "districts")["text"]
    assert len(labels) == 12


@pytest.mark.parametrize("measure", [m.id for m in catalogue.load() if m.grain == "setting"])
def test_setting_map_for_every_setting_measure(app, measure):
    at = _page(app, "map.py", measure=measure, view="settings", district="E07000106",
               phase="primary")  # fmt: skip
    assert not at.exception
    assert at.get("plotly_chart")


def test_area_measure_on_setting_view_falls_back_to_districts(app):
    at = _page(app, "map.py", measure="good_or_better_pct", view="settings")
    assert not at.exception
    assert any("exists only for groups" in i.value for i in at.info)


def test_boundaries_view_without_boundaries_says_how_to_load(app, demo_db, tmp_path, monkeypatch):
    import duckdb

    path = tmp_path / "unbounded.duckdb"
    path.write_bytes(demo_db.read_bytes())
    con = duckdb.connect(str(path))
    con.execute("delete from district_boundaries")
    con.close()
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    at = _page(app, "map.py", view="boundaries")
    assert any("python -m dashboard.ingest boundaries" in i.value for i in at.info)


def test_the_embedded_build_draws_kents_real_district_boundaries(app):
    at = _page(app, "map.py", view="boundaries", measure="suspension_rate")
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["type"] == "choroplethmap"
    codes = {f["properties"].get("district_code") or f.get("id")
             for f in spec["data"][0]["geojson"]["features"]}  # fmt: skip
    assert len(codes) == 12


def test_boundaries_view_with_loaded_boundaries(app, demo_db_with_boundaries, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(demo_db_with_boundaries))
    at = _page(app, "map.py", view="boundaries", measure="suspension_rate")
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["type"] == "choroplethmap"
    assert spec["layout"]["map"]["style"] == "white-bg"


@pytest.mark.parametrize("measure", IDS)
def test_trends_for_every_measure(app, measure):
    at = _page(app, "trends.py", measure=measure, district="E07000113", phase="primary")
    assert not at.exception
    assert "In words:" in texts(at)


def test_trend_gaps_are_not_interpolated(app):
    at = _page(app, "trends.py", measure="overall_absence_pct", phase="primary")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    line = next(t for t in spec["data"] if t.get("name") == "Kent (primary)")
    i = line["x"].index("2019/20")
    assert values(line["y"])[i] is None and line["connectgaps"] is False
    assert values(line["y"])[i + 2] is not None
    body = texts(at)
    assert "summer 2020 absence collection was cancelled" in body


def test_small_multiples_share_axes(app):
    at = _page(app, "trends.py", measure="ehcp_pct", phase="primary")
    at.toggle(key="trend_small_multiples").set_value(True).run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert len([t for t in titles if t in ("Swale", "Thanet", "Dover")]) == 3
    assert spec["layout"]["yaxis2"].get("matches") == "y"


def test_trends_draw_your_groups_with_gaps_where_a_member_is_suppressed(app, demo_db):
    """Groups carried by the link are offered on Trends; each year's point is the figure
    Compare shows for the group that year (comparison.group_units)."""
    from dashboard.core import catalogue
    from dashboard.core.filters import Selection
    from dashboard.figures import comparison, groups
    from dashboard.store import db

    token = group_link(demo_db)
    at = app(year="2024-25", phase="primary", measure="ehcp_pct", groups=token)
    at.run()
    at.switch_page("../pages/trends.py").run()
    assert not at.exception
    box = at.multiselect(key="trend_groups")
    assert "Triad <b>North</b>" in box.options
    box.set_value(["Triad <b>North</b>"]).run()
    assert not at.exception
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [t.get("name", "") for t in fig["data"]]
    assert any("Triad" in n and "North" in n for n in names), names
    con = db.connect(demo_db)
    known = {r[0] for r in con.execute("select urn from settings").fetchall()}
    g, _ = groups.decode(token, known)
    units, _, _ = comparison.group_units(db.fetcher(con), catalogue.get("ehcp_pct"),
                                         Selection(202425, "all", "primary"), g)  # fmt: skip
    con.close()
    value = units.set_index("unit").loc["Triad <b>North</b>", "value"]
    assert any(abs(y - value * 100) < 1e-6 or abs(y - value) < 1e-9
               for t in fig["data"] if "North" in t.get("name", "")
               for y in values(t.get("y", [])) if y is not None)  # fmt: skip
