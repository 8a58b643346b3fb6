"""ONS population estimates (Nomis) turn the EHC plans caseload into a rate per 1,000 people
aged 0–25: read as Nomis writes them, refused when an age is missing, matched January to the
June before, and fetched by `refresh` for the newest N years."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from dashboard.figures import ehcp
from dashboard.ingest.files import LoadError
from dashboard.ingest.load import POPULATION, detect_kind, load_files, newest
from dashboard.ingest.population import read_population, single_age
from dashboard.ingest.refresh import districts_of, plan, refresh
from dashboard.store import db
from tests.conftest import query_rows
from tests.unit.test_refresh_discovery import TODAY, _client

KENT_DISTRICTS = [f"E070001{n:02d}" for n in range(5, 17)]
HEADER = ["DATE_NAME", "GEOGRAPHY_CODE", "GEOGRAPHY_NAME", "C_AGE_NAME", "OBS_VALUE"]


def persons(code: str, year: int, age: int) -> int:
    """Made-up test values (not ONS figures), distinct per area, year and age; a region holds
    about as many people as 60 districts and England as 300, as the real ones roughly do."""
    place = KENT_DISTRICTS.index(code) if code in KENT_DISTRICTS else int(code[-3:])
    scale = {"E12": 60, "E92": 300}.get(code[:3], 1)
    return scale * (900 + 10 * place + 3 * age + (year - 2020))


def write_nomis(path: Path, years=(2023, 2024), codes=KENT_DISTRICTS, ages=range(26),
                extra_rows=()) -> Path:  # fmt: skip
    """A CSV shaped as Nomis answers `NM_2002_1.data.csv?…&select=date_name,geography_code,
    geography_name,c_age_name,obs_value`: every field quoted, upper-case header, an
    "All Ages" row per area beside the single years."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL)
        w.writerow(HEADER)
        for year in years:
            for code in codes:
                w.writerow([year, code, f"District {code[-3:]}", "All Ages", 150000])
                for age in ages:
                    w.writerow([year, code, f"District {code[-3:]}", f"Age {age}",
                                persons(code, year, age)])  # fmt: skip
        for row in extra_rows:
            w.writerow(row)
    return path


def test_single_years_of_age_are_read_whichever_way_nomis_words_them():
    assert single_age("Age 0") == 0 and single_age("Aged 7") == 7
    assert single_age("Aged under 1 year") == 0 and single_age("Age  25") == 25
    assert single_age("All Ages") is None and single_age("Aged 16 - 64") is None
    assert single_age("Aged 90+") is None


def test_a_nomis_file_is_recognised_and_read(tmp_path):
    f = write_nomis(tmp_path / "nomis.csv", extra_rows=[[2024, "E07000105", "Ashford",
                                                         "Age 26", 1]])  # fmt: skip
    assert detect_kind(f) == POPULATION
    rows, other = read_population(f)
    assert len(rows) == 2 * 12 * 26
    assert other == 2 * 12 + 1  # the "All Ages" rows and age 26 are left out, and counted
    ashford = rows[(rows["area_code"] == "E07000105") & (rows["mid_year"] == 2024)]
    assert ashford["persons"].sum() == sum(persons("E07000105", 2024, a) for a in range(26))


def test_a_missing_age_or_a_bad_count_is_refused_with_line_and_column(tmp_path):
    short = write_nomis(tmp_path / "short.csv", years=(2024,), ages=range(25))
    with pytest.raises(LoadError, match=r"short.csv, line \d+, column C_AGE_NAME: "
                                        r"'E07000105 2024' lacks age\(s\) 25"):  # fmt: skip
        read_population(short)
    bad = write_nomis(
        tmp_path / "bad.csv",
        years=(2024,),
        extra_rows=[[2024, "E12000008", "South East", "Age 3", "12,000"]],
    )
    with pytest.raises(LoadError, match=r"bad.csv, line 326, column OBS_VALUE: '12,000' has a "
                                        "comma"):  # fmt: skip
        read_population(bad)
    twice = write_nomis(
        tmp_path / "twice.csv",
        years=(2024,),
        extra_rows=[[2024, "E07000105", "Ashford", "Age 3", 5]],
    )
    with pytest.raises(LoadError, match=r"repeats E07000105, 2024, age 3 \(first on line 6\)"):
        read_population(twice)


@pytest.fixture()
def with_population(demo_db, tmp_path) -> Path:
    path = tmp_path / "demo.duckdb"
    path.write_bytes(demo_db.read_bytes())
    load_files(path, [write_nomis(tmp_path / "nomis_population_0_25.csv")])
    return path


def test_kent_is_the_sum_of_its_districts_and_each_january_uses_the_june_before(
    with_population,
):
    con = db.connect(with_population)
    try:
        fetch = db.fetcher(con)
        pop = fetch("population_0_25")
        case = fetch("authority_figures", {"dataset": "caseload",
                                           "breakdown_topic": "All EHC plans",
                                           "indicators": ["ehcplans"]})  # fmt: skip
    finally:
        con.close()
    kent = pop[pop["area_code"] == "E10000016"].set_index("mid_year")
    expected = sum(persons(c, 2024, a) for c in KENT_DISTRICTS for a in range(26))
    assert kent.loc[2024, "persons"] == expected
    assert kent.loc[2024, "built_from"] == "sum of its 12 districts"
    rates = ehcp.per_thousand(ehcp.caseload(case), pop)
    # January 2025 is set against mid-2024, January 2024 against mid-2023, and no other
    assert sorted(rates["period"]) == ["January 2024", "January 2025"]
    jan25 = rates[rates["period"] == "January 2025"].iloc[0]
    assert jan25["mid_year"] == 2024
    plans = query_rows(
        with_population,
        "select value from authority_figures where "
        "dataset = 'caseload' and area_code = 'E10000016' and period_code = "
        "202425 and indicator = 'ehcplans' and breakdown = 'All EHC plans'",
    )[0][0]
    assert plans == 20635  # DfE's published January 2025 count, shipped in the build
    assert jan25["rate"] == pytest.approx(1000 * 20635 / expected)
    assert jan25["lower"] < jan25["rate"] < jan25["upper"]
    assert f"{expected:,.0f} aged 0–25, mid-2024" in jan25["hover"]
    note = ehcp.population_note(rates, ehcp.caseload(case))
    assert "mid-2023 to mid-2024" in note and "Kent: sum of its 12 districts" in note
    assert "No rate for 14 Januaries whose estimate is not loaded" in note


def test_an_authority_missing_a_district_gets_no_rate(demo_db, tmp_path):
    path = tmp_path / "demo.duckdb"
    path.write_bytes(demo_db.read_bytes())
    load_files(path, [write_nomis(tmp_path / "n.csv", codes=KENT_DISTRICTS[:-1])])
    got = query_rows(path, "select count(*) from population")[0][0]
    assert got == 2 * 11 * 26
    con = db.connect(path)
    try:
        pop = db.fetcher(con)("population_0_25")
    finally:
        con.close()
    assert "E10000016" not in set(pop["area_code"])  # 11 of 12 districts is not Kent


def test_newest_keeps_the_newest_years_only():
    frame = pd.DataFrame({"year_code": [201920, 202021, 202122, 202223, 202223]})
    assert list(newest(frame, "year_code", 2)["year_code"]) == [202122, 202223, 202223]
    assert len(newest(frame, "year_code", None)) == 5


def test_refresh_asks_nomis_for_the_districts_and_the_newest_years(services, tmp_path,
                                                                   demo_db):  # fmt: skip
    pub, base = services
    nomis = write_nomis(tmp_path / "served.csv", years=(2022, 2023, 2024))
    codes = ",".join([*districts_of("886"), "E12000008", "E92000001"])
    query = ("gender=0&c_age=101...126&measures=20100&select=date_name,geography_code,"
             "geography_name,c_age_name,obs_value")  # fmt: skip
    root = f"/api/v01/dataset/NM_2002_1.data.csv?geography={codes}"
    path = f"{root}&date=latestMINUS2-latest&{query}"
    # asked for two years, this server answers with three: the load keeps the newest two
    pub.add(f"{root}&date=latestMINUS1-latest&{query}", nomis.read_bytes())
    config = tmp_path / "sources.toml"
    config.write_text(f"""
[[download]]
name = "population"
discover = "nomis"
api = "{base}/api/v01/dataset/NM_2002_1.data.csv"
geography = ["{{districts}}", "E12000008", "E92000001"]
query = "{query}"
file = "nomis_population_0_25.csv"
""")
    assert districts_of("886") == KENT_DISTRICTS
    [p] = plan(config, today=TODAY, client=_client(), years=3)
    assert p.url == base + path and not pub.seen  # the plan fetches nothing
    db_path = tmp_path / "demo.duckdb"
    db_path.write_bytes(demo_db.read_bytes())
    refresh(db_path, config, tmp_path / "dl", today=TODAY, client=_client(), years=2)
    assert query_rows(db_path, "select distinct mid_year from population order by 1") == [
        (2023,), (2024,)]  # fmt: skip
    notes = query_rows(db_path, "select notes from sources where dataset like 'ONS%'")[0][0]
    assert "from " + base + "/api/v01/dataset/NM_2002_1.data.csv?geography=" in notes


def test_years_must_be_a_positive_number(tmp_path):
    with pytest.raises(LoadError, match="--years 0: give a number of years, 1 or more"):
        refresh(tmp_path / "x.duckdb", tmp_path / "none.toml", years=0)
