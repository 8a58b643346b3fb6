"""match-pilot (reviewable, only confirmed matches load) and refresh (download from configured
addresses, served here by a local HTTP server, then one atomic load)."""

import csv
import datetime as dt
import functools
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from dashboard.ingest.__main__ import main as cli
from dashboard.ingest.files import LoadError
from dashboard.ingest.load import load_files
from dashboard.ingest.pilot_match import load_confirmed, normalise, write_match_file
from dashboard.ingest.refresh import read_config, refresh
from tests.conftest import query_rows as rows

FIX = Path(__file__).resolve().parents[1] / "fixtures"


def test_names_are_normalised_as_the_register_writes_them():
    assert (
        normalise("Kingsnorth CEP School")
        == normalise("Kingsnorth CE Primary School")
        == normalise("Kingsnorth Church of England Primary School")
    )
    assert normalise("Invicta Girls' Grammar School") == normalise("Invicta Girls Grammar School")
    assert normalise("The Malling School") == normalise("Malling School")
    assert normalise("Paddock Wood Primary") == normalise("Paddock Wood Primary School")
    assert normalise("Abbey School") != normalise("Oakley School")


@pytest.fixture()
def named_db(tmp_path):
    """A school list only (names, no figures), with names as GIAS writes them."""
    names = {
        "Fixture Primary School": "Kingsnorth Church of England Primary School",
        "Fixture Grammar School": "Invicta Grammar School",
    }
    text = (FIX / "gias_kent_fixture.csv").read_text(encoding="cp1252")
    for old, new in names.items():
        text = text.replace(old, new)
    gias = tmp_path / "edubasealldata.csv"
    gias.write_text(text, encoding="cp1252")
    path = tmp_path / "kent.duckdb"
    load_files(path, [gias])
    return path


def _confirm(match_file: Path, picks: set[tuple[str, str]]) -> None:
    frame = pd.read_csv(match_file, dtype=str, keep_default_na=False)
    frame["confirmed"] = [
        "yes" if (r.register_row, r.candidate_urn) in picks else r.confirmed
        for r in frame.itertuples()
    ]
    frame.to_csv(match_file, index=False)


def test_match_file_is_reviewed_and_only_confirmed_rows_load(named_db, tmp_path):
    out = tmp_path / "pilot_matches.csv"
    proposed = write_match_file(named_db, out)
    by_line = {r: g for r, g in proposed.groupby("register_row")}
    kings = by_line[8]  # "Kingsnorth CEP School"
    assert kings.iloc[0][["candidate_urn", "match"]].tolist() == [118245, "exact"]
    assert by_line[25].iloc[0]["candidate_urn"] == 118245  # "Kingsnorth CE Primary School"
    invicta = by_line[14]  # "Invicta Girls Grammar School": similar, not the same name
    assert invicta.iloc[0][["candidate_urn", "match"]].tolist() == [999901, "possible"]
    assert rows(named_db, "select count(*) from pilot_awards where urn is not null") == [(0,)]

    _confirm(out, {("8", "118245"), ("14", "999901")})
    assert load_confirmed(named_db, out) == 2
    got = dict(rows(named_db, "select register_row, urn from pilot_awards where urn is not null"))
    assert got == {8: 118245, 14: 999901}  # line 25 was proposed but not confirmed
    assert load_confirmed(named_db, out) == 2  # idempotent
    write_match_file(named_db, out)  # re-proposing keeps the reviewer's decisions
    kept = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(kept.loc[kept.confirmed == "yes", "register_row"]) == {"8", "14"}


def test_bad_confirmations_are_reported_and_nothing_changes(named_db, tmp_path):
    out = tmp_path / "pilot_matches.csv"
    write_match_file(named_db, out)
    with out.open(encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    header = lines[0]
    extra = [
        ["8", "Kingsnorth CEP School", "Primary", "999902", "x", "", "", "possible", "", "yes"],
        ["8", "Kingsnorth CEP School", "Primary", "118245", "x", "", "", "exact", "", "yes"],
        ["9", "Somewhere Else", "Secondary", "118245", "x", "", "", "exact", "", "yes"],
        ["2", "Cliftonville Primary School", "Primary", "123456", "", "", "", "none", "", "yes"],
    ]
    with out.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *extra])
    before = named_db.read_bytes()
    with pytest.raises(LoadError) as err:
        load_confirmed(named_db, out)
    text = str(err.value)
    assert "line 3, column confirmed: 'yes' confirms a second URN for register line 8" in text
    assert "line 4, column setting_name_as_published: 'Somewhere Else' is not the name" in text
    assert "line 5, column candidate_urn: '123456' is not a loaded setting" in text
    assert named_db.read_bytes() == before


def test_demo_database_is_never_matched_to_real_names(demo_db, tmp_path):
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, copy)
    with pytest.raises(LoadError, match="settings are fictional"):
        write_match_file(copy, tmp_path / "m.csv")


@pytest.fixture()
def server(tmp_path):
    """A local HTTP server publishing a folder, as GIAS, EES and Ofsted publish theirs."""
    root = tmp_path / "published"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


# The day the fixture server's GIAS extract is dated: refresh is always told this date, never
# the clock, so the tests pass on any day.
PUBLISHED_ON = dt.date(2026, 11, 23)


def _publish(root: Path) -> None:
    shutil.copy(FIX / "gias_kent_fixture.csv", root / f"edubasealldata{PUBLISHED_ON:%Y%m%d}.csv")
    shutil.copy(FIX / "census_kent_fixture.csv", root / "england_census.csv")
    with zipfile.ZipFile(root / "exclusions.zip", "w") as z:
        z.write(FIX / "exclusions_school_fixture.csv", "data/exclusions_school.csv")
        z.write(FIX / "exclusions_school_fixture.meta.csv", "data/exclusions_school.meta.csv")


def _config(tmp_path: Path, base: str, extra: str = "") -> Path:
    config = tmp_path / "sources.toml"
    config.write_text(f"""
[[download]]
name = "gias"
url = "{base}/edubasealldata{{today:%Y%m%d}}.csv"
file = "edubasealldata{{today:%Y%m%d}}.csv"

[[download]]
name = "census"
url = "{base}/england_census.csv"
file = "england_census.csv"
year = "2018/19"

[[download]]
name = "exclusions"
url = "{base}/exclusions.zip"
file = "exclusions.zip"
members = ["data/exclusions_school.csv", "data/exclusions_school.meta.csv"]
{extra}""")
    return config


def test_refresh_downloads_then_loads_everything(server, tmp_path, monkeypatch, capsys):
    root, base = server
    _publish(root)
    config = _config(tmp_path, base)
    assert next(d.file for d in read_config(config, PUBLISHED_ON)) == ("edubasealldata20261123.csv")
    # the command line reads its date from the one clock, fixed here as a user would fix it
    monkeypatch.setenv("KENT_DASHBOARD_TODAY", PUBLISHED_ON.isoformat())
    path, downloads = tmp_path / "kent.duckdb", tmp_path / "downloads"
    assert (
        cli(["refresh", "--db", str(path), "--config", str(config), "--downloads", str(downloads)])
        == 0
    )
    out = capsys.readouterr().out
    assert "gias_kent_fixture" not in out and "edubasealldata20261123.csv" in out
    assert rows(path, "select count(*) from settings") == [(5,)]
    assert rows(path, "select count(*) from setting_facts where input = 'suspensions'") != [(0,)]
    files = {r[0] for r in rows(path, "select file_name from sources")}
    assert {"edubasealldata20261123.csv", "england_census.csv", "exclusions_school.csv"} <= files
    assert (downloads / "exclusions_school.meta.csv").exists()


def test_a_failed_download_loads_nothing(server, tmp_path):
    root, base = server
    _publish(root)
    path = tmp_path / "kent.duckdb"
    load_files(path, [FIX / "gias_kent_fixture.csv"])
    before = path.read_bytes()
    missing = '[[download]]\nname = "ofsted"\nurl = "' + base + '/gone.csv"\nfile = "mi.csv"\n'
    config = _config(tmp_path, base, missing)
    with pytest.raises(LoadError, match=r"ofsted: .*/gone.csv: the server answered HTTP 404"):
        refresh(path, config, tmp_path / "downloads", today=PUBLISHED_ON)
    assert path.read_bytes() == before
    assert not (tmp_path / "downloads" / "mi.csv.part").exists()
    with pytest.raises(LoadError, match="no download named nothing"):
        refresh(path, config, tmp_path / "downloads", only=["nothing"], today=PUBLISHED_ON)
    refresh(path, config, tmp_path / "downloads", only=["census"], today=PUBLISHED_ON)
    assert rows(path, "select count(*) from setting_facts") != [(0,)]


def test_shipped_sources_file_is_valid():
    from dashboard.ingest.refresh import DEFAULT_CONFIG

    entries = read_config(DEFAULT_CONFIG)
    names = {"gias", "gias-links", "ehcp", "sen", "absence", "exclusions", "ofsted", "boundaries",
             "population"}  # fmt: skip
    assert {d.name for d in entries} == names
    assert all((d.url or d.api).startswith("https://") for d in entries)
    assert all(d.discover != "url" for d in entries)  # the newest file is found, never fixed


def test_a_zip_bomb_is_refused_and_nothing_is_loaded(server, tmp_path):
    """A 20 MB member of zeros compresses to ~20 KB (1000:1): refused before it fills the disk,
    by its declared size and again while copying if the declared size lies."""
    root, base = server
    _publish(root)
    with zipfile.ZipFile(root / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data/big.csv", b"0" * 20_000_000)
    path = tmp_path / "kent.duckdb"
    load_files(path, [FIX / "gias_kent_fixture.csv"])
    before = path.read_bytes()
    bomb = ('[[download]]\nname = "bomb"\nurl = "' + base + '/bomb.zip"\nfile = "bomb.zip"\n'
            'members = ["data/big.csv"]\n')  # fmt: skip
    config = _config(tmp_path, base, bomb)
    with pytest.raises(LoadError, match=r"bomb: bomb.zip member 'data/big.csv' unpacks to more"):
        refresh(path, config, tmp_path / "downloads", only=["bomb"], today=PUBLISHED_ON)
    assert path.read_bytes() == before
    assert not (tmp_path / "downloads" / "big.csv").exists()

    # a member whose header understates its size is refused as damaged, not unpacked
    from dashboard.ingest import refresh as refresh_module

    with zipfile.ZipFile(root / "bomb.zip") as z:
        info = z.getinfo("data/big.csv")
        info.file_size = 10
        download = refresh_module.Plan("bomb", "", "bomb.zip")
        with pytest.raises(LoadError, match=r"member 'data/big\.csv' is damaged"):
            refresh_module._extract(z, info, tmp_path / "lying.csv", download)
    assert not (tmp_path / "lying.csv").exists()
