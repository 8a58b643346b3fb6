"""`refresh --la` for an authority other than Kent, against a local server shaped like the
official services: a county (Essex, 881) and a unitary authority (Medway, 887). Only Kent's
districts ship in data/reference, so the population query must name the districts the
national GIAS extract gives the authority, and the authority's own region: asking Nomis for
Kent's districts or the South East would leave the EHC plans page with no rate, or the wrong
region's. The fake server answers only the right query, so a wrong one fails the refresh."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dashboard.ingest.files import LoadError
from dashboard.ingest.refresh import DEFAULT_CONFIG, plan, refresh
from tests.app.conftest import texts
from tests.conftest import query_rows
from tests.fake_services import Published
from tests.unit.test_population import write_nomis
from tests.unit.test_refresh_discovery import TODAY, _client

FIX = Path(__file__).resolve().parents[1] / "fixtures"
EHCP = Path(__file__).resolve().parents[2] / "data" / "reference" / "ehcp"
GIAS_DAY = TODAY.replace(day=TODAY.day - 1)
ONLY = ["gias", "ehcp", "boundaries", "population"]
QUERY = ("gender=0&c_age=101...126&measures=20100&select=date_name,geography_code,"
         "geography_name,c_age_name,obs_value")  # fmt: skip
# code: name, its region (ONS), its districts in the fixture extract (ONS), their names
AUTHORITIES = {
    "881": ("Essex", "E12000006", "East of England",
            {"E07000066": "Basildon", "E07000067": "Braintree", "E07000068": "Brentwood"}),
    "887": ("Medway", "E12000008", "South East", {"E06000035": "Medway"}),
}  # fmt: skip


def national_extract() -> bytes:
    """One extract for all England, as GIAS publishes it: the three fixture authorities'
    schools under one header."""
    parts = [(FIX / f"gias_{n}_fixture.csv").read_bytes().splitlines(keepends=True)
             for n in ("kent", "essex", "medway")]  # fmt: skip
    assert parts[0][0] == parts[1][0] == parts[2][0]
    return b"".join([parts[0][0], *(line for p in parts for line in p[1:])])


def square(code: str, name: str, lon: float, lat: float) -> dict:
    ring = [[lon - 0.1, lat - 0.1], [lon + 0.1, lat - 0.1], [lon + 0.1, lat + 0.1],
            [lon - 0.1, lat + 0.1], [lon - 0.1, lat - 0.1]]  # fmt: skip
    return {"type": "Feature", "properties": {"LAD24CD": code, "LAD24NM": name},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip


def publish(pub: Published, base: str, tmp_path: Path, code: str) -> str:
    """Every kind the test asks for; returns the one population address that is answered."""
    from tests.app.test_refresh_end_to_end import _ees, _zip

    day = f"{GIAS_DAY:%Y%m%d}"
    pub.add(f"/edubase/downloads/public/edubasealldata{day}.csv", national_extract())
    _ees(pub, "education-health-and-care-plans", "Education, health and care plans",
         _zip({"data/ehcp_caseload_2025.csv":
               (EHCP / "caseload_headline_all_areas.csv").read_bytes(),
               "data/ehcp_caseload_2025.meta.csv": b"col_name,col_type,label\n",
               # the release's timeliness file (Kent and England only here: no rows for this
               # authority, which the page must say rather than fail)
               "data/ehcp_timeliness_2025.csv":
               (EHCP / "timeliness_20_week_kent_and_national.csv").read_bytes()}))  # fmt: skip
    service = "Local_Authority_Districts_December_2024_Boundaries_UK_BGC"
    pub.add("/ESMARspQHYMw9BZ9/arcgis/rest/services?f=json",
            {"services": [{"name": service, "type": "FeatureServer"}]})  # fmt: skip
    features = [square("E07000066", "Basildon", 0.46, 51.58),
                square("E07000067", "Braintree", 0.55, 51.88),
                square("E07000068", "Brentwood", 0.30, 51.62),
                square("E06000035", "Medway", 0.55, 51.40),
                square("E07000105", "Ashford", 0.84, 51.13)]  # fmt: skip
    pub.add(f"/ESMARspQHYMw9BZ9/arcgis/rest/services/{service}/FeatureServer/0/query?where=1%3D1"
            "&outFields=*&outSR=4326&f=geojson&resultRecordCount=1000&resultOffset=0",
            {"type": "FeatureCollection", "features": features})  # fmt: skip
    _, region, _, districts = AUTHORITIES[code]
    areas = [*sorted(districts), region, "E92000001"]
    served = write_nomis(tmp_path / "served_population.csv", codes=areas)
    path = (f"/api/v01/dataset/NM_2002_1.data.csv?geography={','.join(areas)}"
            f"&date=latestMINUS15-latest&{QUERY}")  # fmt: skip
    pub.add(path, served.read_bytes())
    return path


def config_for(base: str, tmp_path: Path) -> Path:
    config = tmp_path / "sources.toml"
    shipped = DEFAULT_CONFIG.read_text(encoding="utf-8")
    config.write_text(re.sub(r"https://[A-Za-z0-9.-]+", base, shipped), encoding="utf-8")
    return config


@pytest.mark.parametrize("code", AUTHORITIES)
def test_refresh_asks_for_the_authoritys_own_districts_and_region(services, tmp_path, code):
    pub, base = services
    answered = publish(pub, base, tmp_path, code)
    path = tmp_path / "home.duckdb"
    refresh(path, config_for(base, tmp_path), tmp_path / "downloads", la=code, only=ONLY,
            today=TODAY, client=_client())  # fmt: skip
    asked = [p for _, p, _ in pub.seen if "NM_2002_1" in p]
    assert asked == [answered]
    _, region, _, districts = AUTHORITIES[code]
    loaded = {r[0] for r in query_rows(path, "select distinct area_code from population")}
    assert loaded == {*districts, region, "E92000001"}
    assert query_rows(path, "select value from metadata where key = 'la_code'") == [(code,)]
    boundaries = query_rows(path, "select district_code from district_boundaries order by 1")
    assert [r[0] for r in boundaries] == sorted(districts)  # Kent's Ashford is not kept


@pytest.mark.parametrize("code", AUTHORITIES)
def test_the_pages_give_the_authority_its_rate_per_1000_and_its_own_boundaries(
    app, services, tmp_path, monkeypatch, code
):
    pub, base = services
    publish(pub, base, tmp_path, code)
    path = tmp_path / "home.duckdb"
    refresh(path, config_for(base, tmp_path), tmp_path / "downloads", la=code, only=ONLY,
            today=TODAY, client=_client())  # fmt: skip
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    at = app()
    at.run()
    at.switch_page("../pages/ehcp.py").run()
    assert not at.exception, at.exception
    body = texts(at)
    name, _, region_name, districts = AUTHORITIES[code]
    sentence = next(line for line in body.splitlines() if "per 1,000 aged 0–25 (ONS mid-" in line)
    assert f"{name} " in sentence and f"{region_name} " in sentence and "England " in sentence
    assert "Kent" not in sentence
    if region_name != "South East":
        assert "South East" not in sentence  # Kent's region, which Nomis used to be asked for
    cited = "Kent County Council headteacher briefings"  # a source's title in the footer
    assert "Kent" not in body.replace(cited, "")
    if len(districts) > 1:
        assert f"{name}: sum of its {len(districts)} districts" in body
    # among all authorities, the reference region is the authority's own and no other
    dots = next(line for line in body.splitlines()
                if line.startswith(f"In words: {name}:") and "Local policies" in line)  # fmt: skip
    assert f"; {region_name} " in dots and "North East" not in dots, dots
    specs = json.dumps([json.loads(c.proto.spec) for c in at.get("plotly_chart")])
    assert name in specs
    if len(districts) > 1:  # a county's true boundaries, as the boundaries service gave them
        at.switch_page("../pages/map.py").run()
        at.radio(key="map_view").set_value("boundaries").run()
        assert not at.exception, at.exception
        maps = json.dumps([json.loads(c.proto.spec) for c in at.get("plotly_chart")])
        assert all(d in maps for d in districts.values()) and "Ashford" not in maps


def test_the_plan_says_where_another_authoritys_districts_will_come_from(services, tmp_path):
    pub, base = services
    [p] = plan(config_for(base, tmp_path), ["population"], TODAY, _client(), la="881")
    assert "geography={the districts of LA 881 in the GIAS extract},E12000006,E92000001" in p.url
    assert not pub.seen  # a plan downloads nothing


def test_population_without_the_extract_is_refused_by_name(services, tmp_path):
    pub, base = services
    with pytest.raises(LoadError, match=r"no districts are known for LA 881.*run `gias`"):
        refresh(tmp_path / "x.duckdb", config_for(base, tmp_path), tmp_path / "dl", la="881",
                only=["population"], today=TODAY, client=_client())  # fmt: skip
    assert not (tmp_path / "x.duckdb").exists()
    assert not pub.seen


def test_only_a_gias_extract_is_read_for_districts(tmp_path):
    from dashboard.ingest.schools import is_extract

    assert is_extract(FIX / "gias_essex_fixture.csv")
    assert not is_extract(FIX / "gias_links_fixture.csv")
    archive = tmp_path / "release.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    assert not is_extract(archive)  # a fixed-address download may bring any kind of file


@pytest.mark.parametrize("typo", ["{regoin}", "E1200008", "south east"])
def test_a_geography_typo_is_refused_before_anything_is_asked(services, tmp_path, typo):
    pub, base = services
    config = config_for(base, tmp_path)
    config.write_text(config.read_text().replace('"{region}"', f'"{typo}"'))
    with pytest.raises(LoadError, match=f"geography '{re.escape(typo)}' in the sources file"):
        plan(config, ["population"], TODAY, _client(), la="881")
    assert not pub.seen
