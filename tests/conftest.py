"""Shared fixtures: databases built from code into temporary folders, never the user's file."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from dashboard.ingest.writer import Build, build_database
from dashboard.store import db
from data import generate_demo

SHARED = Path(__file__).resolve().parents[2] / "shared"
# The day every test takes as today (dashboard.core.clock reads KENT_DASHBOARD_TODAY), so no test
# depends on the day it runs. A run that sets the variable keeps its own value; set it empty to
# let the system clock through, as `make test`'s faketime step and `make test-clock` do.
PINNED_TODAY = "2026-11-23"


def pytest_configure(config):
    # os.environ, not monkeypatch: servers the browser tests start inherit it
    os.environ.setdefault("KENT_DASHBOARD_TODAY", PINNED_TODAY)


@pytest.fixture(autouse=True)
def _kent_is_home_again():
    """A test that ran the app over another authority's database leaves that authority as the
    process's home (dashboard/core/home.py); every test starts from Kent, the default."""
    from dashboard.core import home

    home.use(home.KENT)
    yield
    home.use(home.KENT)


@pytest.fixture(scope="session")
def demo_tables() -> dict[str, pd.DataFrame]:
    return generate_demo.generate()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    return generate_demo.build(tmp_path_factory.mktemp("demo") / "demo.duckdb")


@pytest.fixture()
def demo_con(demo_db):
    con = db.connect(demo_db)
    yield con
    con.close()


@pytest.fixture()
def demo_fetch(demo_con):
    """Rows by query name from the demo database, as the domain modules take them."""
    return db.fetcher(demo_con)


def tiny_fill(settings: list[dict], facts: list[dict]):
    """A fill function for build_database holding a handful of hand-written settings."""

    def fill(b: Build) -> None:
        b.load_reference_tables(generate_demo.YEAR_CODES)
        sid = b.add_source("Test fixture", "tests", "now", len(facts), is_fictional=True)
        base = {
            "establishment_type": "Community school",
            "admissions_policy": "Not applicable",
            "la_code": "886",
            "latitude": 51.3,
            "longitude": 0.8,
            "open_date": pd.Timestamp("2000-09-01").date(),
            "close_date": None,
            "age_low": 4,
            "age_high": 11,
            "sector": "State-funded",
            "resourced_provision": False,
            "is_fictional": True,
            "source_id": sid,
        }
        b.append("settings", pd.DataFrame([{**base, **s} for s in settings]))
        f = pd.DataFrame([{"missing_reason": None, "source_id": sid, **r} for r in facts])
        f["numerator"] = f["numerator"].astype("Float64")
        f["denominator"] = f["denominator"].astype("Float64")
        b.append("setting_facts", f)

    return fill


@pytest.fixture()
def make_tiny_db(tmp_path):
    """Build a small database from explicit settings and fact rows."""

    def make(settings: list[dict], facts: list[dict], name: str = "tiny.duckdb") -> Path:
        return build_database(tmp_path / name, tiny_fill(settings, facts), is_demo="true")

    return make


def write_boundary_fixture(path: Path, codes: list[str] | None = None) -> Path:
    """A small GeoJSON in the ONS layout (LAD19CD, LAD19NM, WGS84): a square around each
    district's approximate centre. Invented shapes, real codes."""
    import json

    ref = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "reference" / "districts.csv")
    features = []
    for r in ref.itertuples():
        if codes is not None and r.district_code not in codes:
            continue
        lat, lon, d = r.centre_latitude, r.centre_longitude, 0.06
        ring = [
            [lon - d, lat - d],
            [lon + d, lat - d],
            [lon + d, lat + d],
            [lon - d, lat + d],
            [lon - d, lat - d],
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"LAD19CD": r.district_code, "LAD19NM": r.district_name},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.fixture(scope="session")
def demo_db_with_boundaries(demo_db, tmp_path_factory) -> Path:
    from dashboard.ingest.boundaries import load_boundaries

    folder = tmp_path_factory.mktemp("bounded")
    path = folder / "demo.duckdb"
    path.write_bytes(demo_db.read_bytes())
    load_boundaries(path, write_boundary_fixture(folder / "kent.geojson"))
    return path


FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def gias_only_db(tmp_path_factory) -> Path:
    """A real-data database holding only the GIAS fixture, built once per module; copy it
    (`kent` fixtures) before loading into it."""
    from dashboard.ingest.load import load_files

    path = tmp_path_factory.mktemp("gias_only") / "kent.duckdb"
    load_files(path, [FIXTURES / "gias_kent_fixture.csv"])
    return path


REAL = SHARED / "realdata"


def query_rows(path: Path, sql: str, *params) -> list[tuple]:
    """Rows of a query on a database file, opened read-only and closed again."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def load_real_samples(path: Path) -> list:
    """Every real public sample a Kent analyst could load, in the README's order: the 2017/18
    spine; the January 2019 census with 2018/19 absence; then the 2006/07–2016/17 exclusions
    file, the inspection history and the ONS district boundaries. Returns the last load's
    summaries."""
    from dashboard.ingest.load import load_files

    load_files(
        path, [REAL / "perf-tables-spine-2018/england_spine_2017-2018_kent.csv"], year="2017/18"
    )
    load_files(
        path,
        [
            REAL / "perf-tables-census-2019/england_census_kent.csv",
            REAL / "perf-tables-absence-2019/england_abs_kent.csv",
        ],
        year="2018/19",
    )
    return load_files(
        path,
        [
            REAL / "dfe-exclusions-school-2007-2017/exclusions_by_geographic_level_kent.csv",
            REAL / "ofsted-ratings/waiky8_ofsted_ratings_history_kent.csv",
            REAL / "ons-lad-boundaries/lad_dec2019_kent12_simplified.geojson",
        ],
    )


@pytest.fixture()
def services():
    """A fake of the official services on a free localhost port: (what it holds, its base)."""
    import http.server
    import threading

    from tests.fake_services import Published, handler

    pub = Published()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(pub))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield pub, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
