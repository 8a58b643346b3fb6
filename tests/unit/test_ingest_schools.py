"""GIAS extracts and performance-tables census files: validated, atomic, idempotent."""

from pathlib import Path

import pytest

from dashboard.ingest.__main__ import main as cli
from dashboard.ingest.load import LoadError, detect_kind, load_files
from dashboard.ingest.schools import gias_phase
from dashboard.ingest.status import status_report
from dashboard.store import db
from tests.conftest import SHARED
from tests.conftest import query_rows as _rows

FIX = Path(__file__).resolve().parents[1] / "fixtures"
GIAS, CENSUS = FIX / "gias_kent_fixture.csv", FIX / "census_kent_fixture.csv"


def test_gias_settings_land_with_wgs84_positions_in_kent(tmp_path):
    path = tmp_path / "kent.duckdb"
    load_files(path, [GIAS])
    rows = _rows(path, "select urn, phase, admissions_policy, district_code, latitude, "
                       "longitude, la_code from settings order by urn")  # fmt: skip
    assert len(rows) == 4
    for _, _, _, _, lat, lon, la in rows:
        assert 50.85 < lat < 51.55 and 0.0 < lon < 1.5 and la == "886"
    by_urn = {r[0]: r for r in rows}
    assert by_urn[999901][1:3] == ("Secondary", "Selective")
    assert by_urn[999902][1] == "Special" and by_urn[118229][1] == "Nursery"
    assert _rows(path, "select value from metadata where key = 'is_demo'") == [("false",)]


def test_census_needs_a_year_and_loads_counts_with_symbols(tmp_path):
    path = tmp_path / "kent.duckdb"
    with pytest.raises(LoadError, match="does not state its academic year"):
        load_files(path, [CENSUS])
    load_files(path, [GIAS, CENSUS], year="2018/19")
    facts = dict(
        ((u, i), (n, d, r))
        for u, i, n, d, r in _rows(
            path, "select urn, input, numerator, denominator, missing_reason from setting_facts"
        )
    )
    assert facts[(118245, "ehcp")] == (4, 200, None)
    assert facts[(999902, "sen_support")] == (None, None, "SUPP")  # symbol kept as the reason
    assert (999904, "ehcp") not in facts  # another authority's school, filtered by --la
    names = dict(_rows(path, "select urn, name from settings"))
    assert names[118245] == "Fixture Primary School"  # GIAS name kept, not the placeholder
    assert "name not loaded" in names[999903]
    assert _rows(path, "select district_code from settings where urn = 999903") == [(None,)]


def test_bad_rows_are_reported_together_and_nothing_loads(tmp_path):
    path = tmp_path / "kent.duckdb"
    load_files(path, [GIAS])
    before = path.read_bytes()
    with pytest.raises(LoadError) as err:
        load_files(path, [CENSUS, FIX / "gias_kent_broken.csv"], year="2018/19")
    text = str(err.value)
    assert "gias_kent_broken.csv, line 3, column URN: '12A45' is not a number" in text
    assert "line 4, column DistrictAdministrative (code): 'E06000035'" in text
    assert path.read_bytes() == before  # the good census file was not loaded either
    with pytest.raises(LoadError, match=r"line 5, column TSENELK: '200.0' is more than pupils"):
        load_files(path, [FIX / "census_kent_broken.csv"], year="2018/19")
    assert path.read_bytes() == before


def test_unknown_header_names_the_closest_kind(tmp_path):
    f = tmp_path / "odd.csv"
    f.write_text("URN,LA,ESTAB,NOR,Colour\n1,886,1,10,red\n")
    with pytest.raises(LoadError, match=r"odd.csv, line 1: unknown header. Closest kind: "
                                        r"performance-tables census \(then .*\); missing "
                                        "columns SCHOOLTYPE, TSENELK, TSENELSE; unexpected "
                                        "columns Colour"):  # fmt: skip
        detect_kind(f)


def test_loading_twice_changes_nothing(tmp_path):
    path = tmp_path / "kent.duckdb"
    load_files(path, [GIAS, CENSUS], year="2018/19")
    first = _rows(path, "select * from setting_facts order by all")
    load_files(path, [GIAS, CENSUS], year="2018/19")
    # the same files keep their sources rows, so even the source of every value is unchanged
    assert _rows(path, "select * from setting_facts order by all") == first
    assert _rows(path, "select count(*) from settings") == [(5,)]  # 4 from GIAS, 1 census-only
    # one row for each of the two files however often they are loaded, plus the reference
    # files every database holds (published figures, pilot register, LAIT figures, statistical
    # neighbours, authorities and their regions)
    assert _rows(path, "select count(*) from sources where file_name is not null") == [(7,)]


def test_demo_database_is_refused(demo_db, tmp_path):
    copy = tmp_path / "demo.duckdb"
    copy.write_bytes(demo_db.read_bytes())
    with pytest.raises(LoadError, match="demo database of fictional settings"):
        load_files(copy, [GIAS])


def test_status_and_cli(tmp_path, capsys):
    path = tmp_path / "kent.duckdb"
    assert cli(["ingest", str(GIAS), str(CENSUS), "--db", str(path), "--year", "2018/19"]) == 0
    report = status_report(path)
    assert "real data" in report and "census_kent_fixture.csv" in report
    assert "ehcp: 2018/19 4/0" in report and "Pupils with an EHC plan: 2018/19" in report
    assert "Overall absence: MISSING — load england_abs or a school-level absence file" in report
    assert cli(["ingest", str(FIX / "gias_kent_broken.csv"), "--db", str(path)]) == 2
    assert "the database was not changed" in capsys.readouterr().err


def test_phase_mapping():
    assert gias_phase("Not applicable", "Pupil referral unit", 11, 16) == "Alternative provision"
    assert gias_phase("Not applicable", "Other independent school", 3, 11) == "Primary"
    assert gias_phase("16 plus", "Further education", 16, 99) == "Post-16"
    assert gias_phase("Middle deemed secondary", "Community school", 9, 13) == "Secondary"


REAL = SHARED / "realdata" / "perf-tables-census-2019" / "england_census_kent.csv"


@pytest.mark.skipif(not REAL.exists(), reason="shared real data not present")
def test_real_census_reproduces_published_kent_primary_figures(tmp_path):
    path = tmp_path / "kent.duckdb"
    load_files(path, [REAL], year="2018/19")
    con = db.connect(path)
    from dashboard.core.filters import Selection

    rows = db.run(con, "area_inputs", Selection(201819, "all", "primary").params())
    con.close()
    r = rows.set_index("input")
    assert r.loc["ehcp", "settings"] == 455
    assert r.loc["ehcp", "denominator"] == 127821
    assert round(r.loc["ehcp", "numerator"] / r.loc["ehcp", "denominator"] * 100, 1) == 1.5
    assert round(r.loc["sen_support", "numerator"] / r.loc["ehcp", "denominator"] * 100, 1) == 10.7


def test_quality_mark_template(tmp_path):
    path = tmp_path / "kent.duckdb"
    load_files(path, [GIAS, FIX / "awards_fixture.csv"])
    rows = _rows(path, "select urn, scheme, level, expiry_date from awards order by urn")
    assert [r[:3] for r in rows] == [(118245, "IQM", "Centre of Excellence"),
                                     (999901, "CPLD", "Silver")]  # fmt: skip
    load_files(path, [FIX / "awards_fixture.csv"])
    assert _rows(path, "select count(*) from awards") == [(2,)]  # idempotent
    before = path.read_bytes()
    with pytest.raises(LoadError) as err:
        load_files(path, [FIX / "awards_broken.csv"])
    text = str(err.value)
    assert "line 2, column level: 'Gold' is not a IQM level" in text
    assert "line 3, column urn: '123456' is not a loaded setting" in text
    assert "line 4, column award_date/expiry_date" in text
    assert path.read_bytes() == before
    header = (Path(__file__).resolve().parents[2] / "data" / "templates" /
              "quality_mark_awards.csv").read_text().strip()  # fmt: skip
    assert header == "urn,scheme,level,award_date,expiry_date"
