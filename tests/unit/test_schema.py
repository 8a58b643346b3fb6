"""The data model's constraints hold in the built demo database and reject bad rows."""

import duckdb
import pytest

from dashboard.store import db


def _rows(con, sql):
    # Test-only SQL: checks the data model itself, not the app's queries.
    return con.execute(sql).fetchall()


def test_kents_twelve_real_districts(demo_con):
    rows = _rows(demo_con, "select district_code, district_name from districts order by 1")
    assert len(rows) == 12
    assert rows[0] == ("E07000105", "Ashford") and rows[-1] == ("E07000116", "Tunbridge Wells")


def test_no_orphans_and_unique_keys(demo_con):
    for sql in (
        "select count(*) from setting_facts f anti join settings s using (urn)",
        "select count(*) from inspections i anti join settings s using (urn)",
        "select count(*) from inspection_judgements j "
        "anti join inspections i using (inspection_id)",
        "select count(*) from awards a anti join settings s using (urn)",
        "select count(*) from settings s anti join districts d using (district_code)",
        "select count(*) from (select urn, year_code, input, breakdown, count(*) c "
        "from setting_facts group by all having c > 1)",
    ):
        assert _rows(demo_con, sql) == [(0,)], sql


def test_numerator_never_exceeds_denominator_except_event_counts(demo_con):
    bad = _rows(
        demo_con,
        "select f.input, count(*) from setting_facts f join measure_inputs m using (input) "
        "where not m.counts_events and f.numerator > f.denominator group by 1",
    )
    assert bad == []


def test_breakdowns_add_up_to_all_pupils(demo_con):
    bad = _rows(
        demo_con,
        "select urn, year_code, input from setting_facts where numerator is not null "
        "group by all having count(*) = 4 and "
        "sum(numerator) filter (where breakdown <> 'all') "
        "<> sum(numerator) filter (where breakdown = 'all')",
    )
    assert bad == []


def test_secondary_grammar_schools_are_told_apart(demo_con):
    rows = dict(
        _rows(
            demo_con,
            "select admissions_policy, count(*) from settings where phase = 'Secondary' group by 1",
        )
    )
    assert rows["Selective"] > 0 and rows["Non-selective"] > 0


def test_metadata_and_sources(demo_con):
    meta = dict(_rows(demo_con, "select key, value from metadata"))
    assert meta["is_demo"] == "true" and meta["schema_version"]
    src = _rows(demo_con, "select dataset, is_fictional, sha256 from sources order by source_id")
    assert any(fict for _, fict, _ in src) and any(not fict and sha for _, fict, sha in src)


def test_pilot_register_is_reference_only(demo_con):
    rows = _rows(demo_con, "select count(*), count(urn) from pilot_awards")
    assert rows == [(37, 0)]  # every published row, none matched to a URN in the demo


@pytest.mark.parametrize(
    "sql",
    [
        # a selective primary school
        "update settings set admissions_policy = 'Selective' where phase = 'Primary'",
        # an IQM award at a CPLD level
        "update awards set level = 'Gold' where scheme = 'IQM'",
        # overall effectiveness outside the 2024 framework
        "update inspections set overall_effectiveness = 2 where framework = 'report_card'",
        # a value with no numerator and no reason
        "update setting_facts set numerator = null, missing_reason = null where urn = "
        "(select min(urn) from settings)",
    ],
)
def test_constraints_reject_bad_rows(demo_db, tmp_path, sql):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(demo_db.read_bytes())
    con = duckdb.connect(str(copy))
    with pytest.raises(duckdb.ConstraintException):
        con.execute(sql)
    con.close()


def test_app_connection_is_read_only(demo_db):
    con = db.connect(demo_db)
    with pytest.raises(duckdb.Error):
        con.execute("delete from settings")
    con.close()
