"""`refresh` finds the newest official files through the publishers' APIs, downloads them
politely and verifiably, and loads them in one atomic step — tested against a local server
whose answers are shaped like the real ones (official-sources.md): EES publication and
version-summary JSON and a release zip with data/…csv, data/….meta.csv and data-guidance/;
a GOV.UK content item with attachments; GIAS daily extracts named by date."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

from dashboard.ingest import refresh as refresh_module
from dashboard.ingest.__main__ import main as cli
from dashboard.ingest.files import LoadError
from dashboard.ingest.http import Client, retry_after
from dashboard.ingest.refresh import plan, refresh
from tests.conftest import FIXTURES, query_rows
from tests.fake_services import Published

TODAY = dt.date(2026, 11, 23)  # the clock is never read: every call is told this day
REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference" / "ehcp"
RELEASE = "f0e1d2c3-0000-4000-8000-000000002025"


def _release_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(REFERENCE / "caseload_kent_and_national.csv", "data/ehcp_caseload_2025.csv")
        z.writestr("data/ehcp_caseload_2025.meta.csv", "col_name,col_type,label\n")
        z.write(REFERENCE / "timeliness_20_week_kent_and_national.csv",
                "data/ehcp_timeliness_2025.csv")  # fmt: skip
        z.writestr("data-guidance/data-guidance.txt", "Education, health and care plans\n")
        z.writestr("supporting-files/notes.pdf", b"%PDF-1.4")
    return buf.getvalue()


def _publish(pub: Published, gias_day: dt.date = TODAY - dt.timedelta(days=3)) -> None:
    pub.add(f"/edubase/edubasealldata{gias_day:%Y%m%d}.csv",
            (FIXTURES / "gias_kent_fixture.csv").read_bytes())  # fmt: skip
    pub.add(f"/edubase/links_edubasealldata{gias_day:%Y%m%d}.csv",
            (FIXTURES / "gias_links_fixture.csv").read_bytes())  # fmt: skip
    pub.add("/api/publications/education-health-and-care-plans", {
        "id": "pub-guid", "slug": "education-health-and-care-plans",
        "title": "Education, health and care plans",
        "latestRelease": {"id": "rel-2025", "slug": "2025", "title": "Reporting year 2025"},
    })  # fmt: skip
    pub.add("/api/publications/education-health-and-care-plans/releases/2025/version-summary", {
        "id": RELEASE, "releaseId": "rel-2025", "isLatestRelease": True, "slug": "2025",
        "title": "Reporting year 2025", "published": "2025-06-26T09:30:00Z",
    })  # fmt: skip
    pub.add(f"/api/releases/{RELEASE}/files?fromPage=ReleaseDownloads", _release_zip())
    mi = (FIXTURES / "ofsted_mi_fixture.csv").read_bytes()
    pub.add("/media/aaa/Management_information_-_state-funded_schools_-_latest_inspections_as_at_31_"
            "Oct_2026.csv", mi)  # fmt: skip
    pub.add("/media/bbb/Management_information_-_state-funded_schools_-_latest_inspections_as_at_30_"
            "September_2026.csv", b"old")  # fmt: skip
    pub.add("/api/content/ofsted-mi", {
        "title": "Monthly management information: Ofsted's school inspections outcomes",
        "details": {"attachments": [
            {"title": "Management information - state-funded schools - latest inspections as at "
                      "30 September 2026", "url": "{base}/media/bbb/Management_information_-_"
                      "state-funded_schools_-_latest_inspections_as_at_30_September_2026.csv"},
            {"title": "Management information - state-funded schools - latest inspections as at "
                      "31 Oct 2026", "url": "{base}/media/aaa/Management_information_-_"
                      "state-funded_schools_-_latest_inspections_as_at_31_Oct_2026.csv"},
            {"title": "Management information - further education - latest inspections as at "
                      "31 October 2026", "url": "{base}/media/ccc/fe.csv"},
            {"title": "Management information - state-funded schools - latest inspections as at "
                      "31 October 2026 (ODS)", "url": "{base}/media/ddd/mi.ods"},
        ]},
    })  # fmt: skip


def _fill_base(pub: Published, base: str) -> None:
    item = pub.routes["/api/content/ofsted-mi"]
    for a in item["details"]["attachments"]:
        a["url"] = a["url"].replace("{base}", base)


def _config(tmp_path: Path, base: str, only_gias_days: int = 10) -> Path:
    config = tmp_path / "sources.toml"
    config.write_text(f"""
[[download]]
name = "gias"
discover = "gias"
url = "{base}/edubase/edubasealldata{{today:%Y%m%d}}.csv"
file = "edubasealldata{{today:%Y%m%d}}.csv"
days_back = {only_gias_days}

[[download]]
name = "gias-links"
discover = "gias"
url = "{base}/edubase/links_edubasealldata{{today:%Y%m%d}}.csv"
file = "links_edubasealldata{{today:%Y%m%d}}.csv"
days_back = {only_gias_days}

[[download]]
name = "ehcp"
discover = "ees"
api = "{base}/api"
publication = "education-health-and-care-plans"
members = ["data/ehcp_caseload*.csv", "data/ehcp_timeliness*.csv"]

[[download]]
name = "ofsted"
discover = "govuk"
api = "{base}/api/content/ofsted-mi"
title = "state-funded schools - latest inspections as at"
""")
    return config


def _client() -> Client:
    # waits are recorded, never slept: a test needing them makes its own client
    return Client(timeout=5, retries=3, sleep=lambda seconds: None, progress=False)


def test_plan_finds_the_newest_of_each_kind_and_downloads_nothing(services, tmp_path, capsys,
                                                                  monkeypatch):  # fmt: skip
    pub, base = services
    _publish(pub)
    _fill_base(pub, base)
    config = _config(tmp_path, base)
    plans = {p.name: p for p in plan(config, today=TODAY, client=_client())}
    # GIAS: today's and the two days before are missing; the newest day that exists is taken
    assert plans["gias"].file == f"edubasealldata{TODAY - dt.timedelta(days=3):%Y%m%d}.csv"
    links = f"links_edubasealldata{TODAY - dt.timedelta(days=3):%Y%m%d}.csv"
    assert plans["gias-links"].file == links
    assert plans["ehcp"].release == "Reporting year 2025"
    assert plans["ehcp"].url.endswith(f"/api/releases/{RELEASE}/files?fromPage=ReleaseDownloads")
    # Ofsted: the newest state-funded schools CSV, whichever way its month is spelt
    assert plans["ofsted"].url.endswith("latest_inspections_as_at_31_Oct_2026.csv")
    assert not any(method == "GET" and ("/media/" in path or "/files" in path)
                   for method, path, _ in pub.seen)  # fmt: skip
    assert all(h.get("User-Agent", "").startswith("kent-inclusion-dashboard") for *_, h in pub.seen)
    monkeypatch.setenv("KENT_DASHBOARD_TODAY", TODAY.isoformat())
    assert cli(["refresh", "--plan", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "ehcp: Education, health and care plans; release Reporting year 2025" in out
    assert "nothing was downloaded or loaded" in out


def test_refresh_loads_every_kind_in_one_step_and_records_provenance(services, tmp_path):
    pub, base = services
    _publish(pub)
    _fill_base(pub, base)
    db = tmp_path / "kent.duckdb"
    staged = refresh(db, _config(tmp_path, base), tmp_path / "downloads", today=TODAY,
                     client=_client())  # fmt: skip
    kinds = {s.kind for s in staged}
    assert len(kinds) == 4  # GIAS, its links file, EHC plans release, Ofsted MI
    assert query_rows(db, "select count(*) from settings") == [(4,)]  # the GIAS fixture
    assert query_rows(db, "select count(*) from inspections")[0][0] > 0
    assert query_rows(db, "select count(*) from authority_figures")[0][0] > 0
    notes = " ".join(n for (n,) in query_rows(db, "select coalesce(notes, '') from sources"))
    assert "release Reporting year 2025" in notes and f"/api/releases/{RELEASE}/files" in notes
    assert "retrieved 20" in notes and "sha256 " in notes
    # a second run finds the same files whole and fetches none of them again
    pub.seen.clear()
    refresh(db, _config(tmp_path, base), tmp_path / "downloads", today=TODAY, client=_client())
    assert not [p for m, p, _ in pub.seen if m == "GET" and ("/media/" in p or "/files" in p
                                                             or "edubasealldata" in p)]  # fmt: skip


def test_busy_and_failing_servers_are_retried_with_their_retry_after(services, tmp_path):
    pub, base = services
    _publish(pub)
    _fill_base(pub, base)
    path = f"/api/releases/{RELEASE}/files?fromPage=ReleaseDownloads"
    body = pub.routes[path]
    pub.add(path, [(429, {"Retry-After": "7"}, b""), (500, {}, b""), (200, {}, body)])
    waits: list[float] = []
    client = Client(timeout=5, retries=3, sleep=waits.append, progress=False)
    files = refresh_module.fetch(
        refresh_module.Plan("ehcp", base + path, "release.zip", members=("data/ehcp_caseload*",)),
        tmp_path / "downloads",
        client,
    )
    assert waits == [7.0, 2.0]  # Retry-After honoured, then backoff
    assert [f.name for f in files] == ["ehcp_caseload_2025.csv", "ehcp_caseload_2025.meta.csv"]


def test_a_truncated_download_is_refused_then_resumed(services, tmp_path):
    pub, base = services
    body = (FIXTURES / "gias_kent_fixture.csv").read_bytes()
    half = len(body) // 2
    pub.add("/big.csv", [(200, {"X-Announce": str(len(body))}, body[:half]), (200, {}, body)])
    dest = tmp_path / "big.csv"
    with pytest.raises(LoadError, match=r"got [\d,]+ of the [\d,]+ bytes the server announced"):
        _client().download(f"{base}/big.csv", dest)
    assert (tmp_path / "big.csv.part").stat().st_size == half and not dest.exists()
    _client().download(f"{base}/big.csv", dest)
    assert dest.read_bytes() == body
    assert pub.seen[-1][2].get("Range") == f"bytes={half}-"  # resumed, not started again


def test_every_failure_names_the_kind_the_address_and_what_came_back(services, tmp_path):
    pub, base = services
    _publish(pub, gias_day=TODAY - dt.timedelta(days=30))  # older than days_back
    _fill_base(pub, base)
    db = tmp_path / "kent.duckdb"
    with pytest.raises(
        LoadError,
        match=r"gias: no extract at .*edubasealldata\{today:%Y%m%d\}"
        r"\.csv for any day from 2026-11-13 to 2026-11-23",
    ):
        refresh(db, _config(tmp_path, base), tmp_path / "dl", today=TODAY, client=_client())
    assert not db.exists()  # nothing was loaded
    pub.routes.pop("/api/publications/education-health-and-care-plans")
    with pytest.raises(
        LoadError,
        match=r"ehcp: .*/api/publications/education-health-and-care-"
        r"plans: the server answered HTTP 404.*check `ehcp`",
    ):
        refresh(db, _config(tmp_path, base), tmp_path / "dl", today=TODAY, client=_client(),
                only=["ehcp"])  # fmt: skip
    _publish(pub)
    with pytest.raises(
        LoadError,
        match=r"ehcp: .*has no member matching 'data/nothing\*\.csv' "
        r"\(it has data-guidance/data-guidance.txt",
    ):
        config = _config(tmp_path, base).read_text().replace("data/ehcp_timeliness*",
                                                             "data/nothing*")  # fmt: skip
        (tmp_path / "renamed.toml").write_text(config)
        refresh(db, tmp_path / "renamed.toml", tmp_path / "dl", today=TODAY, client=_client(),
                only=["ehcp"])  # fmt: skip
    assert not db.exists()


def test_from_dir_loads_files_downloaded_by_hand(tmp_path):
    hand = tmp_path / "by-hand"
    hand.mkdir()
    (hand / "edubasealldata20261120.csv").write_bytes(
        (FIXTURES / "gias_kent_fixture.csv").read_bytes())  # fmt: skip
    (hand / "links_edubasealldata20261120.csv").write_bytes(
        (FIXTURES / "gias_links_fixture.csv").read_bytes())  # fmt: skip
    (hand / "education-health-and-care-plans-2025.zip").write_bytes(_release_zip())
    (hand / "Management_information_-_state-funded_schools_-_latest_inspections_as_at_31_Oct_2026"
             ".csv").write_bytes((FIXTURES / "ofsted_mi_fixture.csv").read_bytes())  # fmt: skip
    db = tmp_path / "kent.duckdb"
    config = _config(tmp_path, "https://unreachable.invalid")
    staged = refresh(db, config, tmp_path / "dl", today=TODAY, from_dir=hand, client=_client())
    assert len({s.kind for s in staged}) == 4
    assert query_rows(db, "select count(*) from settings") == [(4,)]  # the GIAS fixture


def test_retry_after_reads_seconds_and_dates():
    assert retry_after("120") == 120.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_boundaries_come_from_the_newest_ons_service_page_by_page(services, tmp_path):
    pub, base = services
    shipped = json.loads(
        (REFERENCE.parent / "kent_districts_dec2019.geojson").read_text(encoding="utf-8")
    )
    features = []
    for f in shipped["features"]:  # as the December 2024 service names its columns
        props = {"LAD24CD": f["properties"]["LAD19CD"], "LAD24NM": f["properties"]["LAD19NM"]}
        features.append({**f, "properties": props})
    pub.add("/arcgis/rest/services?f=json", {"currentVersion": 11.3, "services": [
        {"name": "Local_Authority_Districts_December_2023_Boundaries_UK_BGC",
         "type": "FeatureServer", "url": f"{base}/x"},
        {"name": "Local_Authority_Districts_December_2024_Boundaries_UK_BGC",
         "type": "FeatureServer", "url": f"{base}/y"},
        {"name": "Local_Authority_Districts_December_2024_Boundaries_UK_BGC",
         "type": "MapServer", "url": f"{base}/z"},
    ]})  # fmt: skip
    query = ("/arcgis/rest/services/Local_Authority_Districts_December_2024_Boundaries_UK_BGC/"
             "FeatureServer/0/query?where=1%3D1&outFields=*&outSR=4326&f=geojson"
             "&resultRecordCount=1000")  # fmt: skip
    pub.add(query + "&resultOffset=0", {"type": "FeatureCollection", "features": features[:7],
                                        "properties": {"exceededTransferLimit": True}})  # fmt: skip
    pub.add(query + "&resultOffset=7", {"type": "FeatureCollection", "features": features[7:]})
    config = tmp_path / "boundaries.toml"
    config.write_text(f"""
[[download]]
name = "boundaries"
discover = "arcgis"
api = "{base}/arcgis/rest/services"
service = "Local_Authority_Districts_*_Boundaries_UK_BGC"
""")
    db = tmp_path / "kent.duckdb"
    refresh(db, FIXTURES_CONFIG_GIAS(tmp_path, base, pub), tmp_path / "dl", today=TODAY,
            client=_client(), only=["gias"])  # fmt: skip
    refresh(db, config, tmp_path / "dl", today=TODAY, client=_client())
    assert query_rows(db, "select count(*) from district_boundaries") == [(12,)]
    assert [p for m, p, _ in pub.seen if "resultOffset" in p] == [
        query + "&resultOffset=0", query + "&resultOffset=7"]  # fmt: skip
    notes = " ".join(n for (n,) in query_rows(db, "select coalesce(notes, '') from sources"))
    assert "Local_Authority_Districts_December_2024_Boundaries_UK_BGC" in notes


def FIXTURES_CONFIG_GIAS(tmp_path: Path, base: str, pub: Published) -> Path:
    """A GIAS-only sources file, so the database has Kent's settings and districts first."""
    _publish(pub)
    return _config(tmp_path, base)


def test_a_server_that_never_answers_times_out_with_a_named_failure(services, tmp_path):
    pub, base = services
    pub.add("/slow.csv", [(200, {"X-Sleep": "3"}, b"URN\n1\n")])
    waits: list[float] = []
    client = Client(timeout=0.5, retries=1, sleep=waits.append, progress=False)
    with pytest.raises(LoadError, match=r"/slow.csv: no answer \(.*timed out"):
        client.download(f"{base}/slow.csv", tmp_path / "slow.csv")
    assert waits == [1.0]  # tried twice, backing off between
    assert not (tmp_path / "slow.csv").exists()
