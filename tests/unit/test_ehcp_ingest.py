"""Loading DfE's EHC plan release files: by column name, validated, atomic, idempotent."""

import duckdb
import pytest

from dashboard.figures import ehcp
from dashboard.ingest.ees import IngestError, read_ehcp_file
from dashboard.ingest.ehcp import load_ehcp_files
from dashboard.store import db
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


def _sources_notes(path) -> str:
    con = db.connect(path)
    try:
        return " ".join(n for (n,) in con.execute("select coalesce(notes, '') from sources")
                        .fetchall())  # fmt: skip
    finally:
        con.close()


def _newer_release(tmp_path, periods=(202425, 202526)):
    """The fixture's rows as a release newer than the shipped one (June 2025)."""
    lines = (FIXTURES / "ehcp_caseload_2022_order.csv").read_text().splitlines()
    body = [line.replace("202122,", f"{p},", 1) for p in periods for line in lines[1:]]
    path = tmp_path / "ehcp_caseload_newer.csv"
    path.write_text("\n".join([lines[0], *body]) + "\n")
    return path


def test_loading_twice_changes_nothing(copy_db, tmp_path):
    f = _newer_release(tmp_path)
    shipped = _loads(copy_db)  # the embedded build's published series
    load_ehcp_files(copy_db, [f], la="all")
    con = db.connect(copy_db)
    n1 = con.execute("select count(*) from authority_figures").fetchall()[0][0]
    con.close()
    load_ehcp_files(copy_db, [f], la="all")
    con = db.connect(copy_db)
    n2 = con.execute("select count(*) from authority_figures").fetchall()[0][0]
    con.close()
    assert n1 == n2 and _loads(copy_db) == shipped + 1  # the same file keeps one sources row
    assert _value(copy_db, "caseload", "Medway", 202526, "ehcplans") == [(30.0, None)]


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


def test_the_newer_release_wins_whatever_the_order_and_the_source_says_so(copy_db, tmp_path):
    # an older release (its newest period January 2022) loaded after the June 2025 one
    load_ehcp_files(copy_db, [FIXTURES / "ehcp_caseload_2022_order.csv"], la="886")
    assert _value(copy_db, "caseload", "Kent", 202122, "ehcplans") == [(17733.0, None)]
    assert "left out: a newer release already loaded holds them" in _sources_notes(copy_db)
    # a newer release replaces the shipped figures for the keys it holds, and only those
    load_ehcp_files(copy_db, [_newer_release(tmp_path)], la="886")
    assert _value(copy_db, "caseload", "Kent", 202425, "ehcplans") == [(50.0, None)]
    assert _value(copy_db, "caseload", "Kent", 202324, "ehcplans") == [(19407.0, None)]
    assert "of an older release replaced by this one" in _sources_notes(copy_db)


def test_the_2022_release_carries_the_caseload_back_to_2010_unbroken(copy_db):
    """The embedded build ships both releases: January 2010 to 2025 without a gap, statements
    and plans together before 2018, the June 2025 release wherever both hold a year."""
    con = db.connect(copy_db)
    got = db.run(con, "authority_figures", {"dataset": "caseload",
                                             "breakdown_topic": "All EHC plans",
                                             "indicators": ["ehcplans"]})  # fmt: skip
    con.close()
    kent = got[got["area_name"] == "Kent"].set_index("period_code")["value"]
    assert list(kent.index) == [y * 100 + (y + 1) % 100 for y in range(2009, 2025)]
    assert kent[200910] == 6035 and kent[201718] == 9862 and kent[201819] == 11763
    assert kent[202122] == 17733 and kent[202425] == 20635
    england = got[got["area_level"] == "national"]
    assert england["period_code"].min() == 200910


def test_the_older_caseload_layout_is_read_from_its_total_rows(tmp_path):
    """Releases to 2022: sen2_age_caseload.csv, calendar years, statements and plans apart."""
    f = tmp_path / "sen2_age_caseload.csv"
    f.write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
        "region_name,old_la_code,new_la_code,la_name,characteristic_age,Total_st,Total_st_pc,"
        "Total_ehc,Total_ehc_pc,Total_all,Total_all_pc\n"
        '2016,Calendar year,National,E92000001,England,"","","","","",Total,98000,100,'
        "190000,100,288000,100\n"
        '2016,Calendar year,National,E92000001,England,"","","","","",Under 5,z,z,5,1,5,1\n'
        "2016,Calendar year,Local authority,E92000001,England,E12000008,South East,886,"
        "E10000016,Kent,Total,4648,100,2395,100,7043,100\n"
    )
    dataset, rows = read_ehcp_file(f, la="886")
    assert dataset == "caseload"
    kent = rows[rows["area_name"] == "Kent"].set_index("indicator")
    assert set(rows["period_code"]) == {201516}  # January 2016 is in 2015/16
    assert kent.loc["ehcplans", "value"] == 7043 and kent.loc["statements", "value"] == 4648
    assert kent.loc["ehc_plans", "value"] == 2395
    assert set(rows["breakdown_topic"]) == {"All EHC plans"}  # age bands are left out


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
