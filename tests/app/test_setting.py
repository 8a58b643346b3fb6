"""The Setting profile page: found by URN in the URL or by search; every measure over time."""

import json

from dashboard.core import catalogue
from tests.app.conftest import texts


def _profile(app, **query):
    at = app(**query)
    at.run()
    at.switch_page("../pages/setting.py").run()
    return at


def _urn(demo_con, phase, admissions=None):
    s = demo_con.table("settings").df()
    s = s[(s.phase == phase) & s.close_date.isna()]
    if admissions:
        s = s[s.admissions_policy == admissions]
    return int(s.urn.iloc[0])


def test_profile_from_url_shows_every_setting_level_measure(app, demo_con):
    """One theme's charts at a time (drawing all ten took seconds in the browser); choosing
    each theme in turn shows every setting-level measure, and the page names the others."""
    urn = _urn(demo_con, "Primary")
    at = _profile(app, urn=str(urn))
    assert not at.exception
    setting_measures = [m for m in catalogue.load() if m.grain == "setting"]
    themes = list(dict.fromkeys(m.theme for m in setting_measures))
    first_theme = [m for m in setting_measures if m.theme == themes[0]]
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(charts) == len(first_theme) + 1  # the theme's charts and the similar settings
    assert f"Also on this profile: {', '.join(themes[1:])}" in texts(at)
    first = charts[0]
    assert {t["name"] for t in first["data"]} >= {"This setting", "Kent, same phase"}
    titles = ""
    for theme in themes:
        at.segmented_control(key="profile_theme").set_value(theme).run()
        assert not at.exception
        titles += " ".join(json.loads(c.proto.spec)["layout"]["title"]["text"]
                           for c in at.get("plotly_chart"))  # fmt: skip
    for m in setting_measures:
        assert m.title in titles
    body = texts(at)
    assert "Likely next inspection (estimate)" in body
    assert at.query_params["urn"] == str(urn)


def test_grammar_school_is_compared_with_grammar_schools(app, demo_con):
    at = _profile(app, urn=str(_urn(demo_con, "Secondary", "Selective")))
    assert not at.exception
    assert "secondary — selective" in texts(at).lower()


def test_special_school_profile(app, demo_con):
    at = _profile(app, urn=str(_urn(demo_con, "Special")))
    assert not at.exception
    assert "Special" in texts(at)


def test_search_then_url(app, demo_con):
    at = _profile(app)
    assert any("Choose a setting" in i.value for i in at.info)
    urn = _urn(demo_con, "Alternative provision")
    at.selectbox(key="profile_urn").set_value(urn).run()
    assert not at.exception
    assert at.query_params["urn"] == str(urn)


def test_unknown_urn_is_explained(app):
    at = _profile(app, urn="123; drop table settings")
    assert not at.exception
    assert any("No setting with URN" in w.value for w in at.warning)


def test_a_converted_academy_says_its_trend_includes_its_predecessor(app, tmp_path, monkeypatch):
    from dashboard.ingest.load import load_files
    from tests.unit.test_links import FIX, NEW, build_converted

    path = build_converted(tmp_path)
    load_files(path, [FIX / "gias_links_fixture.csv"])
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    at = _profile(app, urn=str(NEW))
    assert not at.exception
    body = texts(at)
    assert "This setting replaced Fixture Old Primary School (URN 999910" in body
    chart = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                 if "EHC plan" in json.loads(c.proto.spec)["layout"]["title"]["text"])  # fmt: skip
    assert any(a.get("text") == "‖ change of URN" for a in chart["layout"]["annotations"])
