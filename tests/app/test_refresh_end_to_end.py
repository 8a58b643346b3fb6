"""A fresh machine that can reach only a local server shaped like the official services runs
`refresh` with the shipped sources file (its hosts pointed at that server, nothing else
changed), then opens the app: every page works on what was loaded, with districts named, a
boundaries map, the releases' years, inspections and EHC plans per 1,000."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from dashboard.core.config import DEMO_NOTICE
from dashboard.ingest.refresh import DEFAULT_CONFIG, districts_of, read_config, refresh
from tests.app.conftest import PAGES, texts
from tests.conftest import query_rows
from tests.fake_services import Published
from tests.unit.test_population import write_nomis
from tests.unit.test_refresh_discovery import FIXTURES, REFERENCE, TODAY, _client, _release_zip

GIAS_DAY = TODAY.replace(day=TODAY.day - 1)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
        z.writestr("data-guidance/data-guidance.txt", "Data guidance\n")
    return buf.getvalue()


def _ees(pub: Published, slug: str, title: str, archive: bytes) -> None:
    version = f"0000-{slug}"
    pub.add(f"/api/publications/{slug}", {
        "id": f"pub-{slug}", "slug": slug, "title": title,
        "latestRelease": {"id": f"rel-{slug}", "slug": "2024-25", "title": "2024/25"},
    })  # fmt: skip
    pub.add(f"/api/publications/{slug}/releases/2024-25/version-summary",
            {"id": version, "slug": "2024-25", "title": "Academic year 2024/25"})  # fmt: skip
    pub.add(f"/api/releases/{version}/files?fromPage=ReleaseDownloads", archive)


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def publish_everything(pub: Published, base: str, tmp_path) -> None:
    """Every kind in the shipped sources file, at the paths its entries lead to."""
    day = f"{GIAS_DAY:%Y%m%d}"
    pub.add(f"/edubase/downloads/public/edubasealldata{day}.csv", _fixture("gias_kent_fixture.csv"))
    pub.add(f"/edubase/downloads/public/links_edubasealldata{day}.csv",
            _fixture("gias_links_fixture.csv"))  # fmt: skip
    _ees(pub, "education-health-and-care-plans", "Education, health and care plans",
         _release_zip())  # fmt: skip
    _ees(
        pub,
        "special-educational-needs-in-england",
        "Special educational needs in England",
        _zip(
            {
                "data/sen_school_level_2425.csv": _fixture("sen_school_fixture.csv"),
                "data/sen_school_level_2425.meta.csv": _fixture("sen_school_fixture.meta.csv"),
            }
        ),
    )
    _ees(pub, "pupil-absence-in-schools-in-england", "Pupil absence in schools in England",
         _zip({"data/absence_school_2324.csv": _fixture("absence_school_sen_fixture.csv"),
               "data/absence_school_2324.meta.csv":
                   _fixture("absence_school_sen_fixture.meta.csv")}))  # fmt: skip
    _ees(
        pub,
        "suspensions-and-permanent-exclusions-in-england",
        "Suspensions and permanent exclusions in England",
        _zip(
            {
                "data/exc_school_2324.csv": _fixture("suspensions_school_fixture.csv"),
                "data/exc_school_2324.meta.csv": _fixture("suspensions_school_fixture.meta.csv"),
            }
        ),
    )
    media = "/media/abc123/Management_information_-_state-funded_schools_-_latest_inspections_as_at_31_October_2026.csv"  # noqa: E501
    pub.add(media, _fixture("ofsted_mi_fixture.csv"))
    pub.add("/api/content/government/statistical-data-sets/monthly-management-information-"
            "ofsteds-school-inspections-outcomes", {
                "title": "Monthly management information: Ofsted's school inspections outcomes",
                "details": {"attachments": [{
                    "title": "Management information - state-funded schools - latest "
                             "inspections as at 31 October 2026", "url": base + media}]},
            })  # fmt: skip
    service = "Local_Authority_Districts_December_2024_Boundaries_UK_BGC"
    pub.add("/ESMARspQHYMw9BZ9/arcgis/rest/services?f=json",
            {"services": [{"name": service, "type": "FeatureServer"}]})  # fmt: skip
    shipped = json.loads((REFERENCE.parent / "kent_districts_dec2019.geojson").read_text())
    features = [{**f, "properties": {"LAD24CD": f["properties"]["LAD19CD"],
                                     "LAD24NM": f["properties"]["LAD19NM"]}}
                for f in shipped["features"]]  # fmt: skip
    pub.add(f"/ESMARspQHYMw9BZ9/arcgis/rest/services/{service}/FeatureServer/0/query?where=1%3D1"
            "&outFields=*&outSR=4326&f=geojson&resultRecordCount=1000&resultOffset=0",
            {"type": "FeatureCollection", "features": features})  # fmt: skip
    codes = ",".join([*districts_of("886"), "E12000008", "E92000001"])
    nomis = write_nomis(tmp_path / "served_population.csv")
    pub.add(f"/api/v01/dataset/NM_2002_1.data.csv?geography={codes}&date=latestMINUS15-latest&"
            "gender=0&c_age=101...126&measures=20100&select=date_name,geography_code,"
            "geography_name,c_age_name,obs_value", nomis.read_bytes())  # fmt: skip


@pytest.fixture()
def refreshed(services, tmp_path):
    pub, base = services
    publish_everything(pub, base, tmp_path)
    shipped = DEFAULT_CONFIG.read_text(encoding="utf-8")
    config = tmp_path / "sources.toml"
    config.write_text(re.sub(r"https://[A-Za-z0-9.-]+", base, shipped), encoding="utf-8")
    assert len(read_config(config, TODAY)) == len(read_config(DEFAULT_CONFIG, TODAY))
    path = tmp_path / "kent.duckdb"
    staged = refresh(path, config, tmp_path / "downloads", today=TODAY, client=_client())
    return path, staged


def test_refresh_with_the_shipped_sources_loads_every_kind_and_every_page_works(
    app, refreshed, monkeypatch
):
    path, staged = refreshed
    kinds = {s.kind for s in staged}
    assert len(kinds) == 7, kinds  # GIAS, links, EES, Ofsted MI, EHC plans, boundaries, pop.
    assert query_rows(path, "select count(*) from district_boundaries") == [(12,)]
    inputs = {r[0] for r in query_rows(path, "select distinct input from setting_facts")}
    assert {"sen_support", "ehcp", "overall_absence", "suspensions"} <= inputs
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(path))
    for page in PAGES:
        at = app(year="2023-24", **({"view": "boundaries"} if page == "map.py" else {}))
        at.run()
        if page != "overview.py":
            at.switch_page(f"../pages/{page}").run()
        assert not at.exception, (page, at.exception)
        body = texts(at)
        assert DEMO_NOTICE not in body, page
        assert "E07000" not in body, page  # districts are named, never shown as codes
        if page == "ehcp.py":
            assert "per 1,000 aged 0–25 (ONS mid-2024 estimate)" in body
        if page == "map.py":
            specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
            assert any("Swale" in json.dumps(s) for s in specs)
        if page == "inspections.py":
            assert "No inspections" not in body
