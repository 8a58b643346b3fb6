"""Hostile input, broken databases, sign-in, and disclosure on every output path."""

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.app.conftest import PAGES, texts

HOSTILE = st.one_of(
    st.sampled_from(["'; drop table settings; --", "<script>alert(1)</script>", "../../etc",
                     "2023-24' or '1'='1", "E07000113%00", "\u202e", "9" * 40, "", " "]),
    st.text(max_size=40),
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(year=HOSTILE, district=HOSTILE, phase=HOSTILE, measure=HOSTILE, extra=HOSTILE,
       page=st.sampled_from(PAGES))  # fmt: skip
def test_hostile_url_parameters_never_reach_the_user_as_errors(
    app, demo_db, page, year, district, phase, measure, extra
):
    at = app(year=year, district=district, phase=phase, measure=measure, level=extra,
             view=extra, urn=extra)  # fmt: skip
    at.run()
    if page != "overview.py":
        at.switch_page(f"../pages/{page}").run()
    assert not at.exception
    sel = [s.value for s in at.sidebar.selectbox]
    assert len(sel) == 3 and isinstance(sel[0], int)
    con = duckdb.connect(str(demo_db), read_only=True)
    assert con.execute("select count(*) from settings").fetchall()[0][0] > 500
    con.close()


@pytest.mark.parametrize("problem", ["missing", "empty", "corrupt", "old", "missing-table"])
def test_broken_database_gets_a_clear_page(app, monkeypatch, tmp_path, demo_db, problem):
    path = tmp_path / "db.duckdb"
    if problem == "empty":
        path.write_bytes(b"")
    elif problem == "corrupt":
        path.write_bytes(b"\x00garbage" * 1000)
    elif problem == "old":
        path.write_bytes(demo_db.read_bytes())
        con = duckdb.connect(str(path))
        con.execute("update metadata set value = '1' where key = 'schema_version'")
        con.close()
    elif problem == "missing-table":  # F8: stamped with the current schema, a table gone
        path.write_bytes(demo_db.read_bytes())
        con = duckdb.connect(str(path))
        con.execute("drop table authority_figures")
        con.close()
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    at = app()
    at.run()
    assert not at.exception
    assert "cannot open its database" in at.error[0].value
    assert "make demo-db" in at.code[0].value
    assert not at.sidebar.selectbox  # no page ran
    if problem == "missing-table":
        assert "lacks the table(s) authority\\_figures" in at.error[0].value


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}


@pytest.mark.parametrize("page", PAGES)
def test_configured_sign_in_guards_every_page(app, page):
    at = app()
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert "Please sign in" in texts(at)
    assert not at.sidebar.selectbox and not at.metric and not at.dataframe


def test_signed_in_user_sees_the_dashboard(app):
    at = app()
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "name": "A. Officer", "email": "a@kent.example"}
    at.run()
    assert not at.exception
    assert at.metric and "Signed in as A. Officer" in texts(at)


def test_a_signed_in_name_is_shown_as_the_characters_it_holds(app):
    """The name comes from the identity provider: Markdown in it is shown, never rendered."""
    at = app()
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "name": "**Boss** [admin](https://evil.example)"}
    at.run()
    assert not at.exception
    caption = next(c.value for c in at.sidebar.caption if "Signed in as" in c.value)
    # emphasis and link brackets escaped, the address broken by a word joiner so no autolink
    assert caption == "Signed in as \\*\\*Boss\\*\\* \\[admin\\](https\u2060://evil.example)"


BROKEN_SECRETS = {
    # the README's block with one unterminated quote
    "typo": '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback\ncookie_secret = "x"\n',
    "empty": "[auth]\n",
    "provider-only": '[auth.microsoft]\nclient_id = "id"\nclient_secret = "s"\n'
    'server_metadata_url = "https://login.example.org/.well-known/openid-configuration"\n',
    "no-provider": '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n'
    'cookie_secret = "xxxxxxxxxxxxxxxx"\n',
}


@pytest.fixture()
def secrets_file(tmp_path):
    """Point Streamlit at a secrets file of the test's making, as a deployment's would be."""
    import streamlit as st
    from streamlit import config

    saved = config.get_option("secrets.files")

    def write(text: str) -> None:
        path = tmp_path / "secrets.toml"
        path.write_text(text)
        config.set_option("secrets.files", [str(path)])
        st.secrets._reset()

    yield write
    config.set_option("secrets.files", saved)
    st.secrets._reset()


@pytest.mark.parametrize("case", sorted(BROKEN_SECRETS))
@pytest.mark.parametrize("page", ["overview.py", "compare.py", "setting.py"])
def test_a_broken_sign_in_configuration_serves_no_data(app, secrets_file, case, page):
    secrets_file(BROKEN_SECRETS[case])
    at = app()
    at.run()
    if page != "overview.py":
        at.switch_page(f"../pages/{page}").run()
    assert not at.exception
    shown = texts(at)
    assert "sign-in configuration cannot be used" in shown
    assert "unauthenticated" not in shown and "Please sign in" not in shown
    assert not at.sidebar.selectbox and not at.metric and not at.dataframe and not at.button
    assert "secrets.toml" not in shown  # no server path in the browser


def test_a_named_provider_gets_its_own_sign_in_button(app):
    at = app()
    at.secrets["auth"] = {
        "redirect_uri": AUTH["redirect_uri"],
        "cookie_secret": AUTH["cookie_secret"],
        "microsoft": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")},
    }
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in with microsoft"]
    assert not at.metric and not at.dataframe


def _run_with_option(app, name: str, value):
    """The app run once with one Streamlit option as a deployment might set it."""
    from streamlit import config

    saved = config.get_option(name)
    config.set_option(name, value)
    try:
        return app().run()
    finally:
        config.set_option(name, saved)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("server.address", "0.0.0.0", "sign-in configuration cannot be used"),
        ("client.disableDataExport", False, "table downloads that bypass"),
    ],
    ids=["network address without sign-in", "table toolbar downloads on"],
)
def test_an_unsafe_deployment_serves_no_data(app, name, value, message):
    at = _run_with_option(app, name, value)
    assert message in texts(at)
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox


def test_without_sign_in_the_app_says_it_is_unauthenticated(app):
    at = app()
    at.run()
    assert "unauthenticated" in texts(at)


SMALL = [
    {"year": "2024-25", "district": "E07000108", "phase": "special"},
    {"year": "2022-23", "district": "E07000114", "phase": "alternative-provision"},
    {"year": "2023-24", "district": "E07000116", "phase": "secondary-selective"},
]


def _numbers_shown(at) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe if isinstance(df.value, pd.DataFrame)]


@pytest.mark.parametrize("query", SMALL)
@pytest.mark.parametrize(
    "page,extra",
    [("overview.py", {}), ("compare.py", {"level": "settings"}),
     ("compare.py", {"level": "districts"}), ("map.py", {"view": "settings"}),
     ("trends.py", {})],
)  # fmt: skip
def test_no_page_shows_a_suppressed_count(app, demo_con, query, page, extra):
    from dashboard.core import catalogue

    for m in catalogue.load():
        at = app(**query, **extra, measure=m.id)
        at.run()
        if page != "overview.py":
            at.switch_page(f"../pages/{page}").run()
        assert not at.exception
        if page == "overview.py" and at.get("segmented_control"):
            at.segmented_control(key="overview_view").set_value("Table").run()
        public = {x.id for x in catalogue.load() if x.model == "settings_binomial"}
        for df in _numbers_shown(at):
            if m.model == "settings_binomial" or "flag" not in df:
                continue  # counts of settings by published grade or award are public
            if "measure_id" in df:
                df = df[~df["measure_id"].isin(public)]
            counts = [
                c
                for c in df.columns
                if c in ("numerator", "denominator", "numerator_no_sen", "denominator_no_sen")
            ]
            flagged = df["flag"] == "c"
            if m.input != "overall_absence":
                small = df[counts].isin([1, 2]).any(axis=1)
                assert not small.any(), (page, m.id, df[small])
            assert df.loc[flagged, counts].isna().all().all()
            if "value" in df:
                assert df.loc[flagged, "value"].isna().all()
        if page == "overview.py":
            break  # the overview table already holds every measure


@pytest.fixture(scope="module")
def census_only_db(tmp_path_factory):
    """A database holding one census file and nothing else: no inspections, no awards."""
    from pathlib import Path

    from dashboard.ingest.load import load_files

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    path = tmp_path_factory.mktemp("census") / "kent.duckdb"
    load_files(path, [fixtures / "census_kent_fixture.csv"], year="2018/19")
    return path


@pytest.mark.parametrize("page", PAGES)
def test_every_page_handles_a_selection_with_no_settings(census_only_db, monkeypatch, page):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import ENTRY

    monkeypatch.setenv("KENT_DASHBOARD_DB", str(census_only_db))
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.query_params["district"] = "E07000108"  # Dover: no setting in the census fixture
    at.run()
    at.switch_page(f"../pages/{page}").run()
    assert not at.exception, page
    if page == "inspections.py":
        assert "There are no settings open" in texts(at)
