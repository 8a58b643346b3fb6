"""Intake from the school census (free school meals, EAL): read from the real column layout,
checked like every other count, and put through disclosure control. Expected values are
computed by hand from the file's own columns here, not by the reader under test."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from dashboard.ingest.files import LoadError
from dashboard.ingest.load import load_files
from dashboard.ingest.perftables import read_census
from tests.conftest import REAL

FIX = Path(__file__).resolve().parents[1] / "fixtures"
KENT_2019 = REAL / "perf-tables-census-2019" / "england_census_kent.csv"


def _facts(path: Path, la: str):
    _, facts = read_census(path, 201819, la)
    return facts.set_index(["urn", "input"])


def test_free_school_meals_are_over_pupils_on_roll_and_eal_over_pupils_with_a_language():
    facts = _facts(FIX / "census_england_fixture.csv", "all")
    with (FIX / "census_england_fixture.csv").open(encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["URN"] != "NAT"]
    assert len(rows) > 100
    for r in rows:
        urn = int(r["URN"])
        fsm, eal = facts.loc[(urn, "fsm")], facts.loc[(urn, "eal")]
        assert (fsm["numerator"], fsm["denominator"]) == (int(r["NUMFSM"]), int(r["NOR"]))
        recorded = int(r["NUMEAL"]) + int(r["NUMENGFL"]) + int(r["NUMUNCFL"])
        assert (eal["numerator"], eal["denominator"]) == (int(r["NUMEAL"]), recorded)


@pytest.mark.skipif(not KENT_2019.exists(), reason="../shared/realdata is not present")
def test_the_real_kent_census_gives_its_intake_and_keeps_the_reason_where_none_is_published():
    facts = _facts(KENT_2019, "886").reset_index()
    with KENT_2019.open(encoding="utf-8-sig") as fh:
        rows = [r for r in csv.DictReader(fh) if r["LA"] == "886"]
    published = [r for r in rows if r["NUMFSM"] != "NA"]
    fsm = facts[facts["input"] == "fsm"]
    assert fsm["numerator"].sum() == sum(int(r["NUMFSM"]) for r in published)
    assert fsm["denominator"].sum() == sum(int(r["NOR"]) for r in published)
    # independent schools publish no intake: a reason, never a zero
    withheld = fsm[fsm["missing_reason"].notna()]
    assert len(withheld) == len(rows) - len(published) > 0
    assert set(withheld["missing_reason"]) == {"NA"}
    assert withheld["numerator"].isna().all()


def _broken(tmp_path: Path, column: str, value: str) -> Path:
    src = (FIX / "census_england_fixture.csv").read_text(encoding="utf-8-sig").splitlines()
    header = src[0].split(",")
    cells = src[3].split(",")
    cells[header.index(column)] = value
    out = tmp_path / "census_broken_intake.csv"
    out.write_text("\n".join([src[0], src[1], src[2], ",".join(cells)]) + "\n", encoding="utf-8")
    return out


@pytest.mark.parametrize(("column", "value", "why"), [
    ("NUMFSM", "5000", r"line 4, column NUMFSM: '5000' is more than pupils on roll"),
    ("NUMEAL", "4000", r"line 4, column NUMEAL: '4000' plus NUMENGFL and NUMUNCFL makes"),
    ("NUMFSM", "lots", r"line 4, column NUMFSM: 'lots'"),
])  # fmt: skip
def test_an_impossible_intake_is_refused_naming_line_and_column(tmp_path, column, value, why):
    db = tmp_path / "x.duckdb"
    with pytest.raises(LoadError, match=why):
        load_files(db, [_broken(tmp_path, column, value)], la="all", year="2018/19")
    assert not db.exists()


def test_intake_counts_go_through_disclosure_control(tmp_path):
    """A free-school-meal count of 1 or 2 is hidden like any other small count of pupils."""
    path = _broken(tmp_path, "NUMFSM", "2")
    db = tmp_path / "x.duckdb"
    load_files(db, [path], la="all", year="2018/19")
    con = duckdb.connect(str(db), read_only=True)
    try:
        shown = con.execute("select urn, numerator, missing_reason from published_facts "
                            "where input = 'fsm' order by urn").fetchall()  # fmt: skip
    finally:
        con.close()
    small = [r for r in shown if r[2] == "c"]
    assert small and all(r[1] is None for r in small)
    assert all(r[1] is None or r[1] >= 3 or r[1] == 0 for r in shown)
