"""`refresh` against services that change, lie, misshape their answers or trickle: each case a
tester reproduced (issue 27) gives a correct load or a clear message naming the setting to fix,
never a spliced or stale file, a file outside its folder, or a traceback."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from dashboard.ingest import refresh as refresh_module
from dashboard.ingest.files import LoadError
from dashboard.ingest.http import Client, retry_after
from dashboard.ingest.refresh import Plan, plan, read_config, unpack
from tests.unit.test_refresh_discovery import TODAY, _client, _config, _fill_base, _publish

V1 = b"URN,Name\n1,Old row one\n2,Old row two\n3,Old row three\n4,Old row four\n"
V2 = b"URN,Name\n1,New row one\n2,New row two\n3,New row three\n4,New row four\n"


def _sources(tmp_path: Path, **entry: object) -> Path:
    """A sources file of one [[download]], its values written as TOML."""
    config = tmp_path / "sources.toml"
    config.write_text("[[download]]\n" + "".join(f"{k} = {json.dumps(v)}\n"
                                                  for k, v in entry.items()))  # fmt: skip
    return config


def _ees_config(tmp_path: Path, base: str, members: tuple[str, ...] = ("data/*school*.csv",)):
    return _sources(tmp_path, name="absence", discover="ees", api=f"{base}/api",
                    publication="pupil-absence-in-schools-in-england",
                    members=list(members))  # fmt: skip


# ------------------------------------------------------------------ verified downloads


def test_a_part_of_an_older_version_is_not_spliced_onto_a_newer_one(services, tmp_path):
    pub, base = services
    dest = tmp_path / "absence.csv"
    half = len(V1) // 2
    pub.add("/f.csv", [(200, {"X-Announce": str(len(V1))}, V1[:half]), (200, {}, V2)])
    with pytest.raises(LoadError, match="the next refresh resumes it"):
        _client().download(f"{base}/f.csv", dest)
    assert (tmp_path / "absence.csv.part").read_bytes() == V1[:half]
    # the server now holds version 2, of the same size: If-Range carries version 1's ETag, the
    # server answers with the whole new file, and nothing of version 1 is kept
    _client().download(f"{base}/f.csv", dest)
    assert dest.read_bytes() == V2
    asked = pub.seen[-1][2]
    assert asked.get("Range") == f"bytes={half}-" and asked.get("If-Range")


def test_a_part_from_a_server_without_validators_is_started_again(services, tmp_path):
    pub, base = services
    dest = tmp_path / "f.csv"
    half = len(V1) // 2
    pub.add("/f.csv", [(200, {"X-Announce": str(len(V1)), "ETag": ""}, V1[:half]),
                       (200, {"ETag": ""}, V2)])  # fmt: skip
    with pytest.raises(LoadError):
        _client().download(f"{base}/f.csv", dest)
    _client().download(f"{base}/f.csv", dest)
    assert dest.read_bytes() == V2
    assert "Range" not in pub.seen[-1][2]  # no version to prove: fetched whole


def test_a_leftover_part_longer_than_the_file_is_discarded(services, tmp_path):
    pub, base = services
    dest = tmp_path / "f.csv"
    (tmp_path / "f.csv.part").write_bytes(V1 * 10)
    etag = '"old-version"'
    (tmp_path / "f.csv.part.json").write_text(json.dumps({"url": f"{base}/f.csv", "etag": etag}))
    pub.add("/f.csv", [(200, {"ETag": etag}, V1)])  # same version, but the part is too long
    _client().download(f"{base}/f.csv", dest)  # HTTP 416, then the whole file
    assert dest.read_bytes() == V1


@pytest.mark.parametrize(
    "change",
    ["no validators, same size", "new content, same size", "another address"],
)
def test_a_cached_download_is_reused_only_when_proved_unchanged(services, tmp_path, change):
    pub, base = services
    dest = tmp_path / "f.csv"
    first = {"ETag": ""} if change == "no validators, same size" else {}
    pub.add("/f.csv", [(200, first, V1)])
    _client().download(f"{base}/f.csv", dest)
    pub.add("/f.csv", [(200, first, V2)])
    pub.add("/g.csv", [(200, {}, V2)])
    url = f"{base}/g.csv" if change == "another address" else f"{base}/f.csv"
    _client().download(url, dest)
    assert dest.read_bytes() == V2


def test_an_unchanged_download_is_not_fetched_twice(services, tmp_path):
    pub, base = services
    pub.add("/f.csv", [(200, {}, V1)])
    _client().download(f"{base}/f.csv", tmp_path / "f.csv")
    _client().download(f"{base}/f.csv", tmp_path / "f.csv")
    assert [m for m, p, _ in pub.seen if p == "/f.csv"] == ["GET", "HEAD"]


def test_a_server_trickling_bytes_meets_an_overall_deadline(services, tmp_path):
    pub, base = services
    pub.add("/slow.csv", [(200, {"X-Trickle": "0.2"}, V1)])
    client = Client(timeout=5, retries=0, deadline=1.0, progress=False)
    with pytest.raises(LoadError, match=r"still unfinished after 1 s"):
        client.download(f"{base}/slow.csv", tmp_path / "slow.csv")
    assert not (tmp_path / "slow.csv").exists()


def test_an_oversized_json_answer_is_refused_unread(services):
    pub, base = services
    pub.add("/api/big", [(200, {}, b"[" + b"0," * 600_000 + b"0]")])
    client = Client(timeout=5, retries=0, max_json=100_000, progress=False)
    with pytest.raises(LoadError, match=r"larger than 0\.1 MB"):
        client.json(f"{base}/api/big")


def test_retry_after_in_other_scripts_digits_is_ignored():
    assert retry_after("²") is None and retry_after("١٢") is None
    assert retry_after("Mon, 99 Foo 9999 99:99:99 GMT") is None


# ------------------------------------------------------------- addresses and file names


def test_a_release_name_with_a_path_cannot_leave_the_downloads_folder(services, tmp_path):
    pub, base = services
    pub.add("/api/publications/pupil-absence-in-schools-in-england",
            {"latestRelease": {"slug": "../../../escape", "title": "x"}})  # fmt: skip
    with pytest.raises(LoadError, match="not a plain name"):
        plan(_ees_config(tmp_path, base), today=TODAY, client=_client())
    assert not list(tmp_path.parent.glob("escape*"))


@pytest.mark.parametrize(
    "address", ["file:///etc/passwd.csv", "https://elsewhere.example/x.csv", "{http}/x.csv"]
)
def test_an_attachment_outside_the_configured_services_is_refused(services, tmp_path, address):
    pub, base = services
    _publish(pub)
    _fill_base(pub, base)
    item = pub.routes["/api/content/ofsted-mi"]
    # http where the sources file says https is refused too: the configured base is made https
    url = address.replace("{http}", base.replace("http://", "https://"))
    item["details"]["attachments"].append(
        {"title": "state-funded schools - latest inspections as at 1 December 2026", "url": url}
    )
    with pytest.raises(LoadError, match=r"ofsted: .*(only http\(s\)|not one of the services)"):
        plan(_config(tmp_path, base), today=TODAY, client=_client(), only=["ofsted"])


def test_a_redirect_to_another_host_is_refused(services, tmp_path):
    pub, base = services
    pub.add("/moved.csv", [(302, {"Location": "http://elsewhere.invalid/x.csv"}, b"")])
    client = _client()
    client.origins = refresh_module.origins(read_config(_ees_config(tmp_path, base), TODAY))
    refused = r"^http://elsewhere\.invalid/x\.csv: not one of the services"
    with pytest.raises(LoadError, match=refused):
        client.download(f"{base}/moved.csv", tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_hosts_named_in_the_sources_file_may_be_fetched(tmp_path):
    config = _sources(tmp_path, name="ofsted", discover="govuk",
                      api="https://www.gov.uk/api/content/x", title="latest",
                      hosts=["https://assets.publishing.service.gov.uk"])  # fmt: skip
    found = refresh_module.origins(read_config(config, TODAY))
    assert found == {("https", "www.gov.uk"), ("https", "assets.publishing.service.gov.uk")}


# ------------------------------------------------------------------------- archives


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


def test_members_in_two_folders_with_one_name_are_refused(tmp_path):
    archive = tmp_path / "release.zip"
    archive.write_bytes(_zip({"data/absence_school.csv": V1, "old/absence_school.csv": V2}))
    p = Plan("absence", "", "release.zip", members=("*/absence_school.csv",))
    with pytest.raises(LoadError, match=r"more than one member .* same file name"):
        unpack(p, archive, tmp_path / "out")


def test_members_are_matched_whatever_their_case(tmp_path):
    archive = tmp_path / "release.zip"
    archive.write_bytes(_zip({"Data/Absence_School.CSV": V1, "Data/Absence_School.meta.csv": b""}))
    p = Plan("absence", "", "release.zip", members=("data/absence_school*.csv",))
    got = unpack(p, archive, tmp_path / "out")
    assert sorted(f.name for f in got) == ["Absence_School.CSV", "Absence_School.meta.csv"]


def test_an_encrypted_member_is_refused_with_a_message(tmp_path):
    data = bytearray(_zip({"data/absence_school.csv": V1}))
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the member says it is encrypted
    archive = tmp_path / "release.zip"
    archive.write_bytes(bytes(data))
    p = Plan("absence", "", "release.zip", members=("data/*.csv",))
    with pytest.raises(LoadError, match=r"not a zip archive this can read.*encrypted"):
        unpack(p, archive, tmp_path / "out")


def test_a_damaged_zip_in_a_hand_filled_folder_is_named(tmp_path):
    hand = tmp_path / "hand"
    hand.mkdir()
    (hand / "pupil-absence-in-schools-in-england-2024-25.zip").write_bytes(b"PK\x03\x04broken")
    config = _ees_config(tmp_path, "https://unreachable.invalid")
    (d,) = read_config(config, TODAY)
    with pytest.raises(LoadError, match=r"absence: .*2024-25.zip is not a zip archive"):
        refresh_module.from_folder(d, hand)


# --------------------------------------------------------------- misshapen answers


SHAPES = {
    "publication is a list": ("/api/publications/pupil-absence-in-schools-in-england", []),
    "latestRelease is text": (
        "/api/publications/pupil-absence-in-schools-in-england", {"latestRelease": "2024-25"}),
    "slug is a number": (
        "/api/publications/pupil-absence-in-schools-in-england",
        {"latestRelease": {"slug": 2024}}),
    "answer is not JSON": ("/api/publications/pupil-absence-in-schools-in-england", b"<html>"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(SHAPES))
def test_misshapen_ees_answers_are_named_not_tracebacks(services, tmp_path, case):
    pub, base = services
    path, body = SHAPES[case]
    pub.add(path, [(200, {}, body)] if isinstance(body, bytes) else body)
    if isinstance(body, list):
        pub.routes[path] = [(200, {}, json.dumps(body).encode())]
    with pytest.raises(LoadError, match="absence: "):
        plan(_ees_config(tmp_path, base), today=TODAY, client=_client())


def test_misshapen_version_summary_is_named(services, tmp_path):
    pub, base = services
    root = "/api/publications/pupil-absence-in-schools-in-england"
    pub.add(root, {"latestRelease": {"slug": "2024-25"}})
    pub.add(root + "/releases/2024-25/version-summary", {"id": ["not", "an", "id"]})
    with pytest.raises(LoadError, match=r"absence: .*release version"):
        plan(_ees_config(tmp_path, base), today=TODAY, client=_client())


@pytest.mark.parametrize(
    "details", [[], {"attachments": {"title": "x"}}, {"attachments": ["x", 3]}, "text"]
)
def test_misshapen_govuk_answers_are_named(services, tmp_path, details):
    pub, base = services
    _publish(pub)
    pub.add("/api/content/ofsted-mi", {"title": "MI", "details": details})
    with pytest.raises(LoadError, match="ofsted: no CSV attachment"):
        plan(_config(tmp_path, base), today=TODAY, client=_client(), only=["ofsted"])


def test_misshapen_arcgis_listing_is_named(services, tmp_path):
    pub, base = services
    pub.add("/arcgis/rest/services?f=json", {"services": "Local_Authority_Districts"})
    config = _sources(
        tmp_path,
        name="boundaries",
        discover="arcgis",
        api=f"{base}/arcgis/rest/services",
        service="Local_Authority_Districts_*",
    )
    with pytest.raises(LoadError, match="boundaries: no FeatureServer"):
        plan(config, today=TODAY, client=_client())


# ------------------------------------------------------------------ termly releases


def test_a_termly_latest_release_gives_way_to_the_newest_full_year(services, tmp_path):
    pub, base = services
    root = "/api/publications/pupil-absence-in-schools-in-england"
    pub.add(root, {"title": "Pupil absence in schools in England", "latestRelease": {
        "slug": "2024-25-autumn-term", "title": "2024/25 autumn term"}})  # fmt: skip
    pub.add(root + "/releases/2023-24/version-summary", {"id": "v2324", "title": "2023/24"})
    (p,) = plan(_ees_config(tmp_path, base), today=TODAY, client=_client())
    assert p.url.endswith("/api/releases/v2324/files?fromPage=ReleaseDownloads")
    assert p.release == (
        "2023/24 (the newest full-year release; the latest, 2024/25 autumn term, is termly)"
    )
    assert p.file == "pupil-absence-in-schools-in-england-2023-24.zip"


# ------------------------------------------------------------------ the sources file


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('days_back = "ten"', r"`days_back` must be a whole number"),
        ('members = "data/*.csv"', r"`members` must be a list of texts"),
        ('url = "https://x.example/{0}.csv"', r"`url` holds a placeholder other than"),
        ("year = 2024", r"`year` must be text in quotes"),
    ],
)
def test_bad_values_in_the_sources_file_name_the_setting(tmp_path, line, message):
    config = tmp_path / "s.toml"
    key = line.split(" ")[0]
    base = {"name": '"gias"', "discover": '"gias"', "url": '"https://x.example/a.csv"',
            "file": '"a.csv"'}  # fmt: skip
    base[key] = line.split(" = ", 1)[1]
    config.write_text("[[download]]\n" + "\n".join(f"{k} = {v}" for k, v in base.items()))
    with pytest.raises(LoadError, match=r"download 1 \(gias\): " + message):
        read_config(config, TODAY)


# ------------------------------------------------------------------ the kind asked for


def test_a_release_delivering_another_kind_of_file_is_refused(services, tmp_path):
    """A GIAS extract inside the EHC plans release must not overwrite school details."""
    from tests.conftest import FIXTURES, query_rows
    from tests.unit.test_refresh_discovery import RELEASE

    pub, base = services
    _publish(pub)
    _fill_base(pub, base)
    db = tmp_path / "kent.duckdb"
    refresh_module.refresh(db, _config(tmp_path, base), tmp_path / "dl", today=TODAY,
                           client=_client(), only=["gias"])  # fmt: skip
    before = db.read_bytes()
    gias = FIXTURES / "gias_kent_fixture.csv"
    renamed = gias.read_bytes().replace(b"St ", b"Renamed St ")
    pub.add(f"/api/releases/{RELEASE}/files?fromPage=ReleaseDownloads",
            _zip({"data/ehcp_caseload_2025.csv": renamed,
                  "data/ehcp_timeliness_2025.csv": renamed}))  # fmt: skip
    with pytest.raises(LoadError, match=r"came with the `ehcp` download, which delivers .* but it "
                       r"is a GIAS establishment extract"):  # fmt: skip
        refresh_module.refresh(db, _config(tmp_path, base), tmp_path / "dl", today=TODAY,
                               client=_client(), only=["ehcp"])  # fmt: skip
    assert db.read_bytes() == before
    assert not [n for (n,) in query_rows(db, "select name from settings") if "Renamed" in n]


def test_a_kind_setting_must_name_a_kind(tmp_path):
    config = tmp_path / "s.toml"
    config.write_text('[[download]]\nname = "x"\nurl = "https://a.example/x.csv"\n'
                      'file = "x.csv"\nkind = ["GIAS"]\n')  # fmt: skip
    with pytest.raises(LoadError, match=r"`kind` names 'GIAS'; kinds are"):
        read_config(config, TODAY)
