"""Broken and hostile files: every one gets a message naming file, line and column (or a
correct load with a note), never a stack trace and never a silently wrong value; the database
is left byte for byte as it was. The reproductions are the adversarial pass's (issue 13)."""

from __future__ import annotations

import csv
import hashlib
import logging
import re
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dashboard.ingest.__main__ import main as cli
from dashboard.ingest.files import BadValue, count, decimal, identifier, read_table, whole
from dashboard.ingest.load import LoadError, load_files
from dashboard.ingest.writer import exclusive
from dashboard.store import db
from tests.conftest import FIXTURES as FIX
from tests.conftest import query_rows as rows

GIAS, CENSUS = FIX / "gias_kent_fixture.csv", FIX / "census_kent_fixture.csv"
EXCL, MI = FIX / "exclusions_school_fixture.csv", FIX / "ofsted_mi_fixture.csv"
ROOT = Path(__file__).resolve().parents[2]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.reader(fh))


def write(path: Path, data: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(data)
    return path


def with_cell(src: Path, out: Path, line: int, column: str, value: str, enc="utf-8-sig") -> Path:
    data = table(src, enc)
    data[line - 1][data[0].index(column)] = value
    return write(out, data, "cp1252" if enc == "cp1252" else "utf-8")


@pytest.fixture()
def kent(gias_only_db, tmp_path) -> Path:
    path = tmp_path / "kent.duckdb"
    path.write_bytes(gias_only_db.read_bytes())
    return path


# ----------------------------------------------------------------- the reproductions


def refused(db_path: Path, files: list[Path], pattern: str, **kw) -> str:
    """Load must fail with a message matching `pattern`, leaving the file byte-identical."""
    before = sha(db_path) if db_path.exists() else None
    with pytest.raises(LoadError, match=pattern) as err:
        load_files(db_path, files, **kw)
    assert (sha(db_path) if db_path.exists() else None) == before
    return str(err.value)


def test_a_census_with_only_its_header_is_refused_plainly(kent, tmp_path):
    f = write(tmp_path / "census.csv", table(CENSUS)[:1])
    refused(kent, [f], r"census.csv: no school rows for LA 886", year="2018/19")


def test_a_census_row_cut_short_names_its_line(kent, tmp_path):
    data = table(CENSUS)
    data[2] = data[2][:4]
    f = write(tmp_path / "census.csv", data)
    refused(kent, [f], r"census.csv, line 3, column \(row\): '4 fields' the header has 22",
            year="2018/19")  # fmt: skip


def test_a_last_row_one_field_short_is_not_loaded_silently(kent, tmp_path):
    data = table(CENSUS)
    data[-1] = data[-1][:-1]
    f = write(tmp_path / "census.csv", data)
    refused(kent, [f], rf"line {len(data)}, column \(row\): '21 fields'", year="2018/19")


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("inf", "is not a number"),
        ("1e400", "is not a number"),
        ("-5", "is not a number"),
        ("1,2,3,4", "has a comma"),
        ("120.7", "is not a whole number"),
        ("٢٠٠", "is not a number"),  # Arabic-Indic digits
        ("２００", "is not a number"),  # fullwidth digits
        ("9" * 30, "more than 12 digits"),
    ],
)
def test_pupil_counts_must_be_plain_whole_numbers(kent, tmp_path, value, why):
    f = with_cell(CENSUS, tmp_path / "census.csv", 2, "NOR", value)
    msg = refused(kent, [f], r"census.csv, line 2, column NOR", year="2018/19")
    assert why in msg


def test_a_utf8_gias_file_with_a_bom_keeps_its_accents(tmp_path):
    data = table(GIAS, "cp1252")
    data[1][data[0].index("EstablishmentName")] = "Primàry École £"
    f = tmp_path / "edubasealldata20261101.csv"
    f.write_bytes(b"\xef\xbb\xbf" + _csv_text(data).encode("utf-8"))
    path = tmp_path / "k.duckdb"
    load_files(path, [f])
    assert ("Primàry École £",) in rows(path, "select name from settings")


def test_a_windows_1252_gias_file_still_reads_as_published(tmp_path):
    data = table(GIAS, "cp1252")
    data[1][data[0].index("EstablishmentName")] = "St Mary’s CE Primary – Kent"
    f = write(tmp_path / "edubasealldata20261101.csv", data, "cp1252")
    path = tmp_path / "k.duckdb"
    load_files(path, [f])
    assert ("St Mary’s CE Primary – Kent",) in rows(path, "select name from settings")


def _csv_text(data: list[list[str]]) -> str:
    import io

    out = io.StringIO()
    csv.writer(out).writerows(data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("easting", "northing", "why"),
    [
        ("abc", "155800", "is not a number"),
        ("1e308", "1e308", "is not a number"),
        ("9999999", "155800", "outside the British National Grid"),
        ("325000", "673000", "outside Kent"),  # Edinburgh
        ("576000", "", "only one of Easting and Northing"),
    ],
)
def test_gias_positions_are_numbers_inside_the_authority(tmp_path, easting, northing, why):
    data = table(GIAS, "cp1252")
    data[1][data[0].index("Easting")] = easting
    data[1][data[0].index("Northing")] = northing
    f = write(tmp_path / "gias.csv", data, "cp1252")
    msg = refused(tmp_path / "new.duckdb", [f], r"gias.csv, line 2, column Easting/Northing")
    assert why in msg
    assert not (tmp_path / "new.duckdb").exists()


def test_a_23_digit_urn_is_refused(tmp_path):
    f = with_cell(GIAS, tmp_path / "gias.csv", 2, "URN", "1" * 23, "cp1252")
    refused(tmp_path / "new.duckdb", [f], r"line 2, column URN: '1{23}' has more than 9 digits")


def test_a_field_longer_than_csv_allows_is_refused_by_line(tmp_path):
    f = with_cell(GIAS, tmp_path / "gias.csv", 3, "EstablishmentName", "x" * 131_073, "cp1252")
    refused(tmp_path / "new.duckdb", [f], r"gias.csv, line 3: a field is longer than 131,072")


def test_a_year_from_the_future_is_refused(kent, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_TODAY", "2026-12-01")  # academic year 2026/27
    refused(kent, [CENSUS], r"--year 2045/46 is in the future \(the latest possible is 2027/28\)",
            year="2045/46")  # fmt: skip
    load_files(kent, [CENSUS], year="2027/28")  # the year after the current one is allowed
    monkeypatch.setenv("KENT_DASHBOARD_TODAY", "2028-09-01")
    load_files(kent, [CENSUS], year="2029/30")


def test_an_ees_file_with_a_future_year_is_refused_by_line(kent, tmp_path, monkeypatch):
    monkeypatch.setenv("KENT_DASHBOARD_TODAY", "2026-12-01")
    f = with_cell(EXCL, tmp_path / "exclusions_school_fixture.csv", 2, "time_period", "204546")
    (tmp_path / "exclusions_school_fixture.meta.csv").write_bytes(
        (FIX / "exclusions_school_fixture.meta.csv").read_bytes()
    )
    refused(kent, [f], r"line 2, column time_period: '204546' is in the future")


def test_grossed_up_exclusion_counts_load_with_a_note(kent, tmp_path):
    f = with_cell(EXCL, tmp_path / "exclusions_school_fixture.csv", 2, "perm_excl", "1.11818")
    (tmp_path / "exclusions_school_fixture.meta.csv").write_bytes(
        (FIX / "exclusions_school_fixture.meta.csv").read_bytes()
    )
    staged = load_files(kent, [f])
    assert any("published as fractions" in n for s in staged for n in s.notes)
    got = rows(kent, "select urn, numerator from setting_facts where input = 'perm_exclusions' "
                     "and year_code = 201718 and numerator is not null")  # fmt: skip
    assert got == [(118245, 1.11818)]
    bad = with_cell(EXCL, tmp_path / "exclusions_school_fixture.csv", 2, "headcount", "200.5")
    refused(kent, [bad], r"line 2, column headcount: '200.5' is not a whole number")


# ------------------------------------------------------------- databases that are not ours


def _random(p: Path) -> None:
    p.write_bytes(bytes(range(256)) * 40)


def _sqlite(p: Path) -> None:
    con = sqlite3.connect(p)
    con.execute("create table settings (urn int)")
    con.commit()
    con.close()


def _truncated(p: Path, base: Path) -> None:
    p.write_bytes(base.read_bytes()[:300_000])


def _no_metadata(p: Path, base: Path) -> None:
    p.write_bytes(base.read_bytes())
    con = duckdb.connect(str(p))
    con.execute("drop table metadata")
    con.close()


def _old_schema(p: Path, base: Path) -> None:
    p.write_bytes(base.read_bytes())
    con = duckdb.connect(str(p))
    con.execute("update metadata set value = '4' where key = 'schema_version'")
    con.close()


def _missing_table(p: Path, base: Path) -> None:
    p.write_bytes(base.read_bytes())
    con = duckdb.connect(str(p))
    con.execute("drop table authority_figures")
    con.close()


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda p, b: _random(p), "cannot be opened as DuckDB"),
        (lambda p, b: _sqlite(p), "cannot be opened as DuckDB"),
        (_truncated, "cannot be opened as DuckDB|has no dashboard metadata table"),
        (_no_metadata, "has no dashboard metadata table"),
        (_old_schema, "has schema version 4; this version of the dashboard needs"),
        (_missing_table, "lacks the table\\(s\\) authority_figures"),
    ],
    ids=["random-bytes", "sqlite", "truncated", "no-metadata", "old-schema", "missing-table"],
)
def test_a_database_that_is_not_a_current_dashboard_is_never_written(
    gias_only_db, tmp_path, capsys, make, why
):
    path = tmp_path / "target.duckdb"
    make(path, gias_only_db)
    before = sha(path)
    assert cli(["ingest", str(CENSUS), "--db", str(path), "--year", "2018/19"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Nothing was written" in err
    assert re.search(why, err)
    assert sha(path) == before


def test_the_command_line_never_prints_a_stack_for_an_unexpected_failure(kent, capsys,
                                                                         monkeypatch):  # fmt: skip
    def boom(*a, **k):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("dashboard.ingest.__main__.load_files", boom)
    assert cli(["ingest", str(CENSUS), "--db", str(kent), "--year", "2018/19"]) == 3
    err = capsys.readouterr().err
    assert "an unexpected problem (ZeroDivisionError: a bug)" in err and "Traceback" not in err


# ------------------------------------------------------------------------- concurrency


def test_a_killed_loads_leftover_copy_is_removed_with_a_note(kent, caplog):
    stale = kent.with_name(kent.name + ".tmp")
    stale.write_bytes(b"\0" * 2_000_000)
    with caplog.at_level(logging.INFO, logger="dashboard.ingest"):
        load_files(kent, [CENSUS], year="2018/19")
    assert not stale.exists()
    assert "removed kent.duckdb.tmp (2.0 MB), left by an earlier load" in caplog.text


def test_a_second_load_waits_for_the_first_and_says_so(kent, caplog, monkeypatch):
    monkeypatch.setattr("dashboard.ingest.writer.LOCK_WAIT", 0.3)
    release = threading.Event()
    held = threading.Event()

    def holder():
        with exclusive(kent):
            held.set()
            release.wait(10)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(5)
    try:
        with caplog.at_level(logging.INFO, logger="dashboard.ingest"):
            refused(kent, [CENSUS], r"another load of this database .* still running after 0.3 s",
                    year="2018/19")  # fmt: skip
        assert "is running; waiting for it to finish" in caplog.text
    finally:
        release.set()
        t.join()


def test_two_loads_started_together_both_report_truthfully(kent, tmp_path):
    """Two processes load different files into one database at once: each says what it
    loaded, both exit 0, and the database holds both loads."""
    census = tmp_path / "census.csv"
    census.write_bytes(CENSUS.read_bytes())
    mi = tmp_path / "mi.csv"
    mi.write_bytes(MI.read_bytes())
    cmd = [sys.executable, "-m", "dashboard.ingest", "ingest", "--db", str(kent)]
    runs = [
        subprocess.Popen([*cmd, str(census), "--year", "2018/19"], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        subprocess.Popen([*cmd, str(mi)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True),
    ]  # fmt: skip
    outs = [(p.wait(120), *p.communicate()) for p in runs]
    assert [code for code, _, _ in outs] == [0, 0], outs
    assert "loaded census.csv" in outs[0][1] and "loaded mi.csv" in outs[1][1]
    assert rows(kent, "select count(*) from setting_facts where year_code = 201819") != [(0,)]
    assert rows(kent, "select count(*) from inspections") != [(0,)]
    assert not kent.with_name(kent.name + ".tmp").exists()


# ------------------------------------------------------------------ one number reader

GOOD_COUNTS = st.integers(min_value=0, max_value=10**12 - 1)
BAD_TEXT = st.one_of(
    st.sampled_from(["inf", "-inf", "nan", "1e3", "1E400", "-1", "+1", "1,234", "12.5", "0x10",
                     "²", "٣", "１２", "1 000", "1_000", "", "..", "1.2.3"]),
    st.text(min_size=1, max_size=12).filter(lambda t: not t.strip().isascii()
                                            or not t.strip().replace(".", "", 1).isdigit()),
)  # fmt: skip


@given(GOOD_COUNTS)
def test_whole_reads_every_plain_count_exactly(n):
    assert whole(str(n)) == n and count(str(n)) == (float(n), None)
    assert whole(f"{n}.0") == n


@given(BAD_TEXT)
@example("1,234")
def test_whole_refuses_everything_else_with_a_reason(text):
    if text.strip() in ("", "x", "c", "z", "u", "low", ":", "~", "SUPP", "NE", "NA", "..", "."):
        return  # blanks and DfE symbols are reasons for a missing value, not numbers
    with pytest.raises(BadValue):
        whole(text)
    with pytest.raises(BadValue):
        count(text)


@given(st.text(max_size=30))
def test_identifier_and_decimal_raise_nothing_but_bad_value(text):
    for read in (identifier, decimal, whole):
        try:
            v = read(text)
        except BadValue:
            continue
        assert v >= 0 and v == v and v != float("inf")


# ------------------------------------------------- property: malformed rows from a fixture

COLUMNS: dict[str, tuple[Path, str, str, dict[str, Any]]] = {
    # kind: (fixture, encoding, column to damage, extra load arguments)
    "census": (CENSUS, "utf-8-sig", "NOR", {"year": "2018/19"}),
    "gias": (GIAS, "cp1252", "StatutoryHighAge", {}),
    "mi": (MI, "utf-8-sig", "URN", {}),
    "exclusions": (EXCL, "utf-8-sig", "headcount", {}),
    "awards": (FIX / "awards_fixture.csv", "utf-8-sig", "urn", {}),
}


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    kind=st.sampled_from(sorted(COLUMNS)),
    line=st.integers(min_value=2, max_value=4),
    damage=st.one_of(
        st.tuples(st.just("cell"), BAD_TEXT),
        st.tuples(st.just("cut"), st.integers(min_value=1, max_value=10)),
    ),
)
def test_a_damaged_row_is_named_or_the_load_is_exact(
    gias_only_db, tmp_path_factory, kind, line, damage
):
    """Damage one row of a valid fixture (a bad cell, or the row cut short): the load either
    fails with one message naming the file and that line, or (a cell that is still valid)
    loads; it never raises anything else and never changes the database on failure."""
    folder = tmp_path_factory.mktemp("damaged")
    db_path = folder / "kent.duckdb"
    db_path.write_bytes(gias_only_db.read_bytes())
    src, enc, column, kw = COLUMNS[kind]
    data = table(src, enc)
    line = min(line, len(data))  # the smallest fixture has two rows
    how, what = damage
    if how == "cell":
        data[line - 1][data[0].index(column)] = what
    else:
        data[line - 1] = data[line - 1][: max(1, len(data[line - 1]) - what)]
    f = write(folder / f"{kind}_damaged.csv", data)  # UTF-8 holds any damage; it is sniffed
    if kind == "exclusions":  # an EES file travels with its metadata
        meta = (FIX / "exclusions_school_fixture.meta.csv").read_bytes()
        (folder / f"{kind}_damaged.meta.csv").write_bytes(meta)
    before = sha(db_path)
    try:
        load_files(db_path, [f], **kw)
    except LoadError as exc:
        assert f"{kind}_damaged.csv" in str(exc)
        assert f"line {line}" in str(exc) or "no school rows" in str(exc)
        assert sha(db_path) == before
        return
    # it loaded: only possible when the damaged cell is a blank or a DfE symbol for a count
    # (a missing value), or a blank age, never a number that was not written
    assert how == "cell" and what.strip() in {"", "x", "c", "z", "u", "low", ":", "~", "SUPP",
                                              "NE", "NA", "..", "."}  # fmt: skip


def test_read_table_knows_each_rows_true_line(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text('a,b\n1,2\n\n"multi\nline",3\n4,5\n')
    header, body = read_table(f)
    assert header == ["a", "b"] and [r.line for r in body] == [2, 4, 6]


def test_database_check_names_a_missing_table(gias_only_db, tmp_path):
    path = tmp_path / "x.duckdb"
    _missing_table(path, gias_only_db)
    status = db.check(path)
    assert not status.ok and "authority_figures" in status.problem


# ------------------------------------------------------------- every authority (issue 15)


def _national_gias(out: Path) -> Path:
    """The Kent fixture plus a London school, as a national extract holds every authority."""
    data = table(GIAS, "cp1252")
    head = data[0]
    london = list(data[2])
    for col, value in {"URN": "100001", "LA (code)": "207", "LA (name)": "Kensington and Chelsea",
                       "EstablishmentNumber": "2001", "EstablishmentName": "Fixture London School",
                       "DistrictAdministrative (code)": "E09000020", "Easting": "526000",
                       "Northing": "179000"}.items():  # fmt: skip
        london[head.index(col)] = value
    if "DistrictAdministrative (name)" in head:
        london[head.index("DistrictAdministrative (name)")] = "Kensington and Chelsea"
    data.append(london)
    return write(out, data, "cp1252")


def test_a_national_extract_loads_every_authority_with_its_own_districts(tmp_path):
    f = _national_gias(tmp_path / "edubasealldata20261101.csv")
    path = tmp_path / "national.duckdb"
    staged = load_files(path, [f], la="all")
    assert any(
        "1 district(s) not in data/reference (Kent's) added" in n for s in staged for n in s.notes
    )
    assert rows(
        path, "select district_name, la_code from districts where district_code = 'E09000020'"
    ) == [("Kensington and Chelsea", "207")]
    assert rows(path, "select count(*) from districts where la_code = '886'") == [(12,)]
    assert rows(path, "select district_code from settings where urn = 100001") == [("E09000020",)]
    # Kent alone, and another authority alone, from the same national file
    kent = tmp_path / "kent.duckdb"
    load_files(kent, [f])
    assert rows(kent, "select count(*) from settings where la_code = '207'") == [(0,)]
    other = tmp_path / "rbkc.duckdb"
    load_files(other, [f], la="207")
    assert rows(other, "select urn from settings") == [(100001,)]
    # loading it again changes nothing
    before = rows(path, "select * from districts order by district_code")
    load_files(path, [f], la="all")
    assert rows(path, "select * from districts order by district_code") == before
