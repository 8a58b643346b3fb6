"""Files that are not what they seem and databases that must keep their identity (issue 27):
each gets a clear message naming the file (and line and column where there is one) and leaves
the database byte for byte as it was, or loads correctly; never a hang, a traceback or a map
that goes blank without a word."""

from __future__ import annotations

import errno
import gzip
import json
import os
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest

from dashboard.ingest.boundaries import BoundaryError, load_boundaries
from dashboard.ingest.files import LoadError, parse_date
from dashboard.ingest.load import load_files
from tests.conftest import FIXTURES, query_rows, write_boundary_fixture

GIAS, CENSUS = FIXTURES / "gias_kent_fixture.csv", FIXTURES / "census_kent_fixture.csv"


@pytest.fixture()
def kent(gias_only_db, tmp_path) -> Path:
    path = tmp_path / "kent.duckdb"
    shutil.copy(gias_only_db, path)
    return path


# ------------------------------------------------------------------------- boundaries


def _boundaries(tmp_path: Path, change) -> Path:
    path = write_boundary_fixture(tmp_path / "b.geojson")
    data = json.loads(path.read_text())
    change(data["features"][0])
    path.write_text(json.dumps(data))
    return path


def _swap(feature):
    ring = feature["geometry"]["coordinates"][0]
    feature["geometry"]["coordinates"][0] = [[y, x] for x, y in ring]


CASES = {
    "latitude and longitude swapped": (_swap, "outside England"),
    "a point": (lambda f: f.update(geometry={"type": "Point", "coordinates": [0.8, 51.2]}),
                "is a Point, not an area"),
    "an empty polygon": (lambda f: f.update(geometry={"type": "Polygon", "coordinates": []}),
                         "has no geometry"),
    "no geometry": (lambda f: f.update(geometry=None), "has no geometry"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_boundaries_that_would_blank_the_map_are_refused(demo_db, tmp_path, case):
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    before = path.read_bytes()
    change, message = CASES[case]
    with pytest.raises(BoundaryError, match=message):
        load_boundaries(path, _boundaries(tmp_path, change))
    assert path.read_bytes() == before


# ------------------------------------------------------------------- what a file is


def test_a_utf16_file_loads_like_its_utf8_original(tmp_path):
    text = GIAS.read_bytes().decode("cp1252")
    utf16 = tmp_path / "edubasealldata20261101.csv"
    utf16.write_bytes(text.encode("utf-16"))  # with its byte-order mark, as Excel saves it
    load_files(tmp_path / "a.duckdb", [utf16])
    load_files(tmp_path / "b.duckdb", [GIAS])
    query = "select urn, name, district_code from settings order by urn"
    assert query_rows(tmp_path / "a.duckdb", query) == query_rows(tmp_path / "b.duckdb", query)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (gzip.compress(b"URN,NOR\n1,2\n", mtime=0), "gzip-compressed file"),
        (b"PK\x03\x04rest-of-a-zip", "zip archive"),
        (b"%PDF-1.7\n", "PDF document"),
    ],
    ids=["gzip", "zip", "pdf"],  # the same names on every xdist worker, whatever the clock
)
def test_a_file_that_is_not_text_is_named_for_what_it_is(kent, tmp_path, content, message):
    f = tmp_path / "census.csv"
    f.write_bytes(content)
    before = kent.read_bytes()
    with pytest.raises(LoadError, match=f"census.csv: is .*{message}"):
        load_files(kent, [f])
    assert kent.read_bytes() == before


def test_double_encoded_utf8_is_refused_by_line_and_field(tmp_path):
    text = GIAS.read_bytes().decode("cp1252").splitlines(keepends=True)
    fields = text[2].split(",")
    fields[4] = "St Mary\u00e2\u20ac\u2122s"  # "St Mary’s" saved twice: â€™
    text[2] = ",".join(fields)
    f = tmp_path / "edubasealldata20261101.csv"
    f.write_text("".join(text), encoding="utf-8")
    with pytest.raises(LoadError, match=r"line 3, field 5: .*double-encoded"):
        load_files(tmp_path / "k.duckdb", [f])
    assert not (tmp_path / "k.duckdb").exists()


def test_a_pipe_or_a_device_is_refused_not_read_forever(kent, tmp_path):
    fifo = tmp_path / "census.csv"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="not a regular file"):
        load_files(kent, [fifo])
    with pytest.raises(LoadError, match="not a regular file"):
        load_files(kent, [Path("/dev/zero")])


def test_a_gias_header_in_lower_case_is_named_as_gias(kent, tmp_path):
    lines = GIAS.read_bytes().decode("cp1252").splitlines(keepends=True)
    lines[0] = lines[0].lower()
    f = tmp_path / "edubasealldata20261101.csv"
    f.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(LoadError, match=r"GIAS establishment extract, but written in another case"):
        load_files(kent, [f])


@pytest.mark.parametrize("text", ["01-01-0001", "31-12-9999", "99999"])
def test_dates_outside_1800_to_2100_are_not_dates(text):
    with pytest.raises(ValueError, match="outside 1800–2100"):
        parse_date(text)
    assert parse_date("01-09-1870") == date(1870, 9, 1)


# ------------------------------------------------------------- the database's identity


def test_a_load_through_a_symlink_keeps_the_link_and_the_files_mode(kent, tmp_path):
    kent.chmod(0o640)
    link = tmp_path / "current.duckdb"
    link.symlink_to(kent)
    load_files(link, [CENSUS], year="2018/19")
    assert link.is_symlink() and link.resolve() == kent.resolve()
    assert stat.S_IMODE(kent.stat().st_mode) == 0o640
    assert query_rows(link, "select count(*) from setting_facts")[0][0] > 0


def test_a_read_only_database_is_refused(kent):
    kent.chmod(0o444)
    before = kent.read_bytes()
    with pytest.raises(LoadError, match="the database is read-only"):
        load_files(kent, [CENSUS], year="2018/19")
    assert kent.read_bytes() == before and stat.S_IMODE(kent.stat().st_mode) == 0o444


def test_a_full_disk_during_the_copy_is_reported_and_changes_nothing(kent, monkeypatch):
    before = kent.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("dashboard.ingest.writer.shutil.copyfile", full)
    with pytest.raises(LoadError, match=r"No space left on device.*left as it was"):
        load_files(kent, [CENSUS], year="2018/19")
    assert kent.read_bytes() == before
    assert not kent.with_name(kent.name + ".tmp").exists()


# ------------------------------------------------------------- files that disagree


SEN = FIXTURES / "sen_school_fixture.csv"


def test_two_files_giving_one_school_different_values_are_refused_naming_both(kent, tmp_path):
    shutil.copy(SEN.with_suffix(".meta.csv"), tmp_path / "sen_b.meta.csv")
    other = tmp_path / "sen_b.csv"
    lines = SEN.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    assert lines[1].endswith(",205,31,15.1,6,2.9\n")  # the fixture row this test changes
    lines[1] = lines[1].replace(",205,31,15.1,6,2.9", ",205,33,16.1,6,2.9")
    other.write_text("".join(lines), encoding="utf-8")
    before = kent.read_bytes()
    with pytest.raises(LoadError) as caught:
        load_files(kent, [SEN, other])
    message = str(caught.value)
    assert "differ between files" in message and "nothing was loaded" in message
    assert "sen_school_fixture.csv and sen_b.csv both give URN 118245, 2024/25" in message
    assert "31 of 205 against 33 of 205" in message
    assert kent.read_bytes() == before


def test_the_same_file_loaded_twice_keeps_one_source_row(kent):
    load_files(kent, [SEN])
    first = query_rows(kent, "select count(*) from sources")
    load_files(kent, [SEN])
    assert query_rows(kent, "select count(*) from sources") == first
    load_files(kent, [SEN, SEN])  # named twice in one load: the same figures, so no conflict
    assert query_rows(kent, "select count(*) from sources") == first


def test_the_same_file_given_another_year_is_a_source_of_its_own(kent):
    """A census first loaded under the wrong --year, then under the right one: each year's
    figures name the source that says their year, not the first row's vintage."""
    load_files(kent, [CENSUS], year="2018/19")
    load_files(kent, [CENSUS], year="2019/20")
    vintages = query_rows(kent, "select f.year_code, s.vintage from setting_facts f join sources "
                                "s using (source_id) group by all order by all")  # fmt: skip
    assert vintages == [(201819, "January 2019 census"), (201920, "January 2020 census")]


def _sen_with_sex(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    """The SEN fixture with a `sex` column its .meta.csv does not describe."""
    lines = SEN.read_text(encoding="utf-8-sig").splitlines()
    head, first = lines[0], lines[1]
    out = [head + ",sex"]
    for sex, pupils in rows:
        out.append(first.replace(",205,", f",{pupils},") + f",{sex}")
    out += [line + ",Total" for line in lines[2:]]
    path = tmp_path / "sen_by_sex.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    shutil.copy(SEN.with_suffix(".meta.csv"), tmp_path / "sen_by_sex.meta.csv")
    return path


def test_a_filter_column_missing_from_the_metadata_is_still_a_filter(kent, tmp_path):
    path = _sen_with_sex(tmp_path, [("Girls", "102"), ("Total", "205")])
    staged = load_files(kent, [path])
    pupils = query_rows(kent, "select denominator from setting_facts where urn = 118245 "
                              "and input = 'sen_support' and breakdown = 'all'")  # fmt: skip
    assert pupils == [(205.0,)]  # the whole school, not its girls
    assert any("sex are not described in the .meta.csv" in n for s in staged for n in s.notes)


def test_a_girls_only_file_without_metadata_for_sex_is_refused(kent, tmp_path):
    path = _sen_with_sex(tmp_path, [("Girls", "102")])
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[:2]) + "\n")  # the girls' row alone
    with pytest.raises(LoadError, match="school rows are for sex = Girls only"):
        load_files(kent, [path])


def test_a_file_far_larger_than_any_official_one_is_refused_unread(kent, tmp_path, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_MAX_FILE_MB", "0.001")  # 1 kB stands in for 1 GB
    big = tmp_path / "census.csv"
    big.write_bytes(CENSUS.read_bytes() * 3)
    with pytest.raises(LoadError, match=r"census.csv: .* MB is larger than any official"):
        load_files(kent, [big], year="2018/19")


# ------------------------------------------------- disclosure control only when it can change


def test_a_load_that_changes_no_facts_keeps_the_disclosure_decisions(demo_db, tmp_path,
                                                                     monkeypatch):  # fmt: skip
    from dashboard.statistics import suppression

    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    tables = ("suppressed_cells", "suppressed_groups", "authority_inputs")
    before = {t: query_rows(path, f"select * from {t} order by all") for t in tables}

    def must_not_run(*args, **kwargs):
        raise AssertionError("disclosure control ran again for a load that changed no facts")

    monkeypatch.setattr(suppression, "decide", must_not_run)
    load_boundaries(path, write_boundary_fixture(tmp_path / "b.geojson"))
    assert {t: query_rows(path, f"select * from {t} order by all") for t in tables} == before
    assert query_rows(path, "select count(*) from district_boundaries") == [(12,)]


def test_a_load_that_changes_facts_decides_again(kent, monkeypatch):
    from dashboard.statistics import suppression

    calls = []
    real = suppression.decide

    def counted(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(suppression, "decide", counted)
    load_files(kent, [CENSUS], year="2018/19")
    assert calls == [1]
    load_files(kent, [CENSUS], year="2018/19")  # the same figures again: nothing to decide
    assert calls == [1]
    monkeypatch.setenv("KENT_DASHBOARD_MIN_COUNT", "5")  # another rule: decided again
    load_files(kent, [CENSUS], year="2018/19")
    assert calls == [1, 1]


def test_a_load_that_changes_one_year_decides_that_year_alone(demo_db, tmp_path, monkeypatch):
    """Blocks are authority × year: changing one year's facts decides that block again, keeps
    the other nine, and ends with exactly the decisions a build from scratch makes."""
    import duckdb

    from dashboard.ingest.writer import update_database
    from dashboard.statistics import suppression

    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    con = duckdb.connect(str(path))
    con.execute("update setting_facts set numerator = 1 where urn = 990001 and year_code = 202324"
                " and input = 'perm_exclusions' and breakdown = 'all'")  # fmt: skip
    con.close()
    seen = []
    real = suppression.decide

    def recorded(facts, m):
        seen.append(sorted(set(facts["year_code"])))
        return real(facts, m)

    monkeypatch.setattr(suppression, "decide", recorded)
    update_database(path, lambda build: None)
    assert seen == [[202324]]
    tables = ("suppressed_cells", "suppressed_groups", "authority_inputs")
    kept = {t: query_rows(path, f"select * from {t} order by all") for t in tables}
    con = duckdb.connect(str(path))
    con.execute("delete from metadata where key like 'disclosure_%'")
    con.close()
    update_database(path, lambda build: None)
    assert seen[-1] == list(range(201516, 202526, 101))
    assert {t: query_rows(path, f"select * from {t} order by all") for t in tables} == kept
    assert (990001, 202324, "perm_exclusions", "all", True) in kept["suppressed_cells"]
