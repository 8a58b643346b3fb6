"""The Expected given intake page, as an officer uses it: on the demo (Kent), and on a national
census fixture (tests/fixtures/census_england_fixture.csv: the Essex and Medway fixture settings
with an intake, beside four more authorities' invented settings, in england_census.csv's
layout) served with Essex, a county, and Medway, a unitary, as home."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.ingest.load import load_files
from tests.app.conftest import group_link, texts, values

FIX = Path(__file__).resolve().parents[1] / "fixtures"
PAGE = "../pages/expected.py"


def _open(at, measure: str | None = None):
    at.run()
    at.switch_page(PAGE).run()
    if measure:
        at.selectbox(key="exp_measure").set_value(measure).run()
    assert not at.exception, at.exception
    return at


def _table(at):
    return next(d.value for d in at.dataframe if "observed_over_expected" in d.value.columns)


@pytest.mark.parametrize("measure", ["sen_support_pct", "ehcp_pct", "suspension_rate"])
def test_the_demo_shows_each_setting_against_its_expected_value_as_context(app, measure):
    at = _open(app(year="2024-25"), measure)
    body = texts(at)
    assert "Context, not a judgement" in body
    assert "Demo data — fictional settings and figures" in body
    assert "better than" not in body.lower() and "worse than" not in body.lower()
    assert "one authority" in body and "usual for Kent, not for England" in body
    table = _table(at)
    # listed by name, never ranked by value
    assert list(table["setting"]) == sorted(table["setting"], key=str)
    shown = table[table["observed_over_expected"].notna()]
    assert len(shown) > 100
    # the ratio is the observed figure over the expected one, to its rounding
    ratio = shown["observed"] / shown["expected"]
    slack = 0.006 + ratio * 0.06 / shown["expected"]  # expected is rounded to 0.1
    assert ((ratio - shown["observed_over_expected"]).abs() <= slack).all()
    assert (shown["lower_95"] <= shown["observed_over_expected"]).all()
    assert (shown["observed_over_expected"] <= shown["upper_95"]).all()
    # a withheld figure has no ratio and no expected value, and says why
    hidden = table[table["observed"].isna()]
    assert not hidden.empty
    assert hidden["observed_over_expected"].isna().all() and hidden["expected"].isna().all()
    assert hidden["given_intake"].str.startswith("Not modelled:").all()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = {t.get("name") for t in spec["data"]}
    assert "99.8% control limits" in names and "As expected given intake (ratio 1)" in names
    settings = [t for t in spec["data"] if t.get("mode", "").startswith("markers")
                and not t["name"].startswith("Taken together")]  # fmt: skip
    assert sum(len(values(t["y"])) for t in settings) == len(shown)
    assert any(t["name"] == f"Taken together ({len(shown)} settings)" for t in spec["data"])


def test_a_district_shows_only_its_settings_with_the_same_ratios(app):
    whole = _table(_open(app(year="2024-25"), "sen_support_pct"))
    district = _table(_open(app(year="2024-25", district="E07000112"), "sen_support_pct"))
    assert 0 < len(district) < len(whole)
    assert set(district["district"]) == {"Folkestone and Hythe"}
    merged = district.merge(whole, on="setting", suffixes=("", "_whole"))
    same = merged["observed_over_expected"].fillna(-1) == merged[
        "observed_over_expected_whole"
    ].fillna(-1)
    assert same.all()  # one model, one ratio per setting, whatever the selection


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    """A national school census for 2018/19 with two home authorities' GIAS extracts."""
    path = tmp_path_factory.mktemp("england") / "england.duckdb"
    files = [FIX / "gias_essex_fixture.csv", FIX / "gias_medway_fixture.csv",
             FIX / "census_england_fixture.csv"]  # fmt: skip
    load_files(path, files, la="all", year="2018/19")
    return path


@pytest.mark.parametrize(("code", "name"), [("881", "Essex"), ("887", "Medway")])
def test_another_home_authority_sees_its_own_settings_against_a_model_of_all(
    app, monkeypatch, national, code, name
):
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(national))
    monkeypatch.setenv("KENT_DASHBOARD_LA", code)
    at = _open(app(year="2018-19"), "sen_support_pct")
    body = texts(at)
    assert "Kent" not in body.replace("Kent Association of Headteachers", "")
    assert "6 authorities" in body  # fitted on every loaded authority, not the home one only
    assert "not for England" not in body
    table = _table(at)
    assert len(table) == 6 and table["setting"].str.startswith("Fixture").all()
    primaries = table[table["compared_within"] == "Primary"]
    assert primaries["observed_over_expected"].notna().all()
    # special schools: too few across the loaded authorities to model, and it says so
    special = table[table["compared_within"] == "Special"]
    assert special["given_intake"].str.contains("too few settings of its phase").all()
    assert "Special" in body


def test_a_census_without_intake_says_which_years_have_one(app, monkeypatch, tmp_path):
    path = tmp_path / "essex.duckdb"
    load_files(path, [FIX / "gias_essex_fixture.csv", FIX / "census_essex_fixture.csv"],
               la="881", year="2018/19")  # fmt: skip
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    at = _open(app(year="2018-19"))
    body = texts(at)
    assert "No expected values for 2018/19" in body and "Years with both: none" in body
    assert not at.get("plotly_chart")


def test_a_setting_whose_intake_is_hidden_gets_no_expected_value(app, demo_db):
    """An expected value with the model's published terms would give a hidden FSM or EAL
    count back, so a setting whose intake is suppressed shows its figure and no expectation."""
    import duckdb

    con = duckdb.connect(str(demo_db), read_only=True)
    hidden = {r[0] for r in con.execute(
        "select distinct s.name from published_facts f join settings s using (urn) "
        "where f.year_code = 202425 and f.input in ('fsm', 'eal') and f.suppressed "
        "and s.la_code = '886'").fetchall()}  # fmt: skip
    con.close()
    assert hidden
    table = _table(_open(app(year="2024-25"), "sen_support_pct"))
    mine = table[table["setting"].isin(hidden)]
    assert len(mine) == len(hidden)
    assert mine["expected"].isna().all() and mine["observed_over_expected"].isna().all()
    assert mine["given_intake"].str.startswith("Not modelled:").all()


def _together(body: str) -> str:
    return next(line for line in body.splitlines() if line.startswith("Taken together"))


def test_a_group_shows_its_own_members_whatever_the_sidebar_and_their_totals(app, demo_db):
    """A group uploaded on Compare (here carried by the link) is chosen on this page: its twelve
    primaries, whatever district the sidebar holds, with their totals in words."""
    import duckdb

    from dashboard.figures import groups

    token = group_link(demo_db)
    con = duckdb.connect(str(demo_db), read_only=True)
    every = {r[0] for r in con.execute("select urn from settings").fetchall()}
    held, _ = groups.decode(token, every)
    urns = dict(held.members)["Triad <b>North</b>"]
    names = {r[0] for r in con.execute(
        f"select name from settings where urn in ({','.join('?' * len(urns))})", list(urns)
    ).fetchall()}  # fmt: skip
    con.close()
    at = _open(app(year="2024-25", district="E07000112", groups=token), "ehcp_pct")
    assert at.selectbox(key="exp_scope").options[1] == "Your group: Triad <b>North</b>"
    at.selectbox(key="exp_scope").set_value("Triad <b>North</b>").run()
    assert not at.exception, at.exception
    table = _table(at)
    assert set(table["setting"]) == names and len(table) == 12
    assert len(set(table["district"])) > 1  # not only the sidebar's district
    body = texts(at)
    sentence = _together(body).replace("\\", "")
    have = table[table["observed_over_expected"].notna()]
    assert f"the {len(have)} settings of Triad <b>North</b> with an expected value" in sentence
    assert f"had {have['observed'].sum():,.0f} pupils with an EHC plan" in sentence
    expected = float(sentence.split(" against ")[1].split(" expected")[0].replace(",", ""))
    assert abs(expected - have["expected"].sum()) <= 0.05 * len(have) + 0.05
    ratio = float(sentence.split(": ")[1].split(" times")[0])
    assert abs(ratio - have["observed"].sum() / expected) < 0.006
    # on the funnel, the group as a whole: an open diamond at its expected total and ratio
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    [whole] = [t for t in spec["data"] if str(t.get("name", "")).startswith("Taken together")]
    assert whole["name"] == f"Taken together ({len(have)} settings)"
    assert abs(whole["y"][0] - ratio) < 0.006 and abs(whole["x"][0] - expected) < 0.06
    limits = next(t for t in spec["data"] if t.get("name") == "99.8% control limits")
    assert max(values(limits["x"])) >= whole["x"][0]  # the limits reach it
    assert "groups" in at.query_params and at.query_params["settings"] in (
        "Triad <b>North</b>", ["Triad <b>North</b>"])  # fmt: skip


def test_a_district_taken_together_leaves_out_and_counts_its_settings_without_a_ratio(app):
    at = _open(app(year="2024-25", district="E07000112"), "sen_support_pct")
    table = _table(at)
    have = table[table["observed_over_expected"].notna()]
    sentence = _together(texts(at))
    assert f"Taken together, the {len(have)} settings of this selection" in sentence
    assert f"had {have['observed'].sum():,.0f} pupils on SEN support" in sentence
    left = len(table) - len(have)
    has = "has" if left == 1 else "have"
    assert left > 0 and f"The other {left} of its {len(table)} settings {has} no" in sentence
