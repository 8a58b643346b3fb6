"""Loading DfE's EHC plan release files: by column name, validated, atomic, idempotent."""

import duckdb
import pytest

from dashboard import db, ehcp
from dashboard.ingest.ees import IngestError, read_ehcp_file
from dashboard.ingest.ehcp import load_ehcp_files
from tests.conftest import SHARED

FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures"
REAL = SHARED / "realdata" / "dfe-ehcp-la-2025"


@pytest.fixture()
def copy_db(demo_db, tmp_path):
    path = tmp_path / "db.duckdb"
    path.write_bytes(demo_db.read_bytes())
    return path


def _value(path, dataset, area, period, indicator, topic="All EHC plans"):
    con = duckdb.connect(str(path), read_only=True)
    rows = con.execute(
        "select value, missing_reason from authority_figures where dataset = ? and "
        "area_name = ? and period_code = ? and indicator = ? and breakdown_topic = ?",
        [dataset, area, period, indicator, topic],
    ).fetchall()
    con.close()
    return rows


def test_older_column_order_and_case_are_read_by_name(copy_db):
    dataset, rows = read_ehcp_file(FIXTURES / "ehcp_caseload_2022_order.csv", la="886")
    assert dataset == "caseload"
    assert set(rows.area_name) == {"England", "South East", "Kent"}  # Medway left out
    kent = rows[rows.area_name == "Kent"].set_index("indicator")
    assert kent.loc["ehcplans", "value"] == 50 and kent.loc["mainstream_total_pc", "value"] == 34
    assert kent.loc["special_total_pc", "value"] == 40  # upper-case header, lower-case name
    assert kent.loc["ap_pru_total", "missing_reason"] == "c"
    assert kent.loc["ehcplans", "area_code"] == "E10000016"
    assert kent.loc["ehcplans", "la_code"] == "886"


def test_bad_value_names_file_line_and_column_and_changes_nothing(copy_db):
    before = copy_db.read_bytes()
    with pytest.raises(IngestError, match=r"ehcp_timeliness_broken.csv, line 3, column "
                                          r"plans_issued_within_20_weeks: 'twelve'"):  # fmt: skip
        load_ehcp_files(copy_db, [FIXTURES / "ehcp_caseload_2022_order.csv",
                                  FIXTURES / "ehcp_timeliness_broken.csv"])  # fmt: skip
    assert copy_db.read_bytes() == before


def test_wrong_kind_of_file(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(IngestError, match="line 1: missing column"):
        read_ehcp_file(f)
    f.write_text("")
    with pytest.raises(IngestError, match="empty"):
        read_ehcp_file(f)


def _loads(path) -> int:
    con = db.connect(path)
    n = con.execute("select count(*) from sources where dataset like 'DfE Education%'")
    n = n.fetchall()[0][0]
    con.close()
    return n


def test_loading_twice_changes_nothing(copy_db):
    f = FIXTURES / "ehcp_caseload_2022_order.csv"
    shipped = _loads(copy_db)  # the embedded build's published series
    load_ehcp_files(copy_db, [f], la="all")
    con = db.connect(copy_db)
    n1 = con.execute("select count(*) from authority_figures").fetchall()[0][0]
    con.close()
    load_ehcp_files(copy_db, [f], la="all")
    con = db.connect(copy_db)
    n2 = con.execute("select count(*) from authority_figures").fetchall()[0][0]
    con.close()
    assert n1 == n2 and _loads(copy_db) == shipped + 2  # each load is recorded
    assert _value(copy_db, "caseload", "Medway", 202122, "ehcplans") == [(30.0, None)]


def test_the_embedded_build_holds_the_published_release(copy_db):
    """data/reference/ehcp ships the June 2025 release; the demo loads it as published."""
    assert _value(copy_db, "caseload", "Kent", 202425, "ehcplans") == [(20635.0, None)]
    assert _value(copy_db, "caseload", "Kent", 201819, "ehcplans") == [(11763.0, None)]
    assert _value(copy_db, "caseload", "England", 202324, "ehcplans") == [(576474.0, None)]
    con = db.connect(copy_db)
    params = {"dataset": "caseload", "breakdown_topic": "All EHC plans",
              "indicators": ["ehcplans", "mainstream_total"]}  # fmt: skip
    case = db.run(con, "authority_figures", params)
    con.close()
    assert not ehcp.prefer_real(case).is_fictional.any()


def test_a_loaded_release_replaces_the_shipped_figures_for_its_keys(copy_db):
    load_ehcp_files(copy_db, [FIXTURES / "ehcp_caseload_2022_order.csv"], la="886")
    assert _value(copy_db, "caseload", "Kent", 202122, "ehcplans") == [(50.0, None)]
    assert _value(copy_db, "caseload", "Kent", 202425, "ehcplans") == [(20635.0, None)]


@pytest.mark.skipif(not REAL.exists(), reason="shared real data not present")
def test_real_release_values(copy_db):
    files = sorted(REAL.glob("*.csv"))
    load_ehcp_files(copy_db, files, la="886")
    assert _value(copy_db, "caseload", "Kent", 202425, "ehcplans") == [(20635.0, None)]
    assert _value(copy_db, "caseload", "Kent", 202425, "mainstream_total_pc") == [(36.1, None)]
    assert _value(copy_db, "caseload", "Kent", 201819, "ehcplans") == [(11763.0, None)]
    assert _value(copy_db, "caseload", "England", 202324, "ehcplans") == [(576474.0, None)]
    assert _value(copy_db, "caseload", "England", 202425, "special_total_pc") == [(30.4, None)]
    assert _value(copy_db, "timeliness", "Kent", 2019, "pc_plans_issued_within_20_weeks",
                  "All EHC plans issued") == [(28.9, None)]  # fmt: skip
    assert _value(copy_db, "timeliness", "England", 2023, "pc_plans_issued_within_20_weeks",
                  "All EHC plans issued") == [(49.1, None)]  # fmt: skip
    gone = _value(copy_db, "caseload", "Kent", 201819, "ukrlp_provider")
    assert gone == [(None, "x")]  # DfE's symbol kept as the reason
