"""The spine, england_abs, school-level EES files and Ofsted inspection files: what lands, what
is refused and why, and that a load is all or nothing and can be repeated."""

import shutil
from datetime import date

import pytest

from dashboard.ingest.__main__ import main as cli
from dashboard.ingest.load import EES, MI, SPINE, LoadError, detect_kind, load_files
from dashboard.ingest.status import status_report
from dashboard.ingest.writer import Build
from tests.conftest import FIXTURES as FIX
from tests.conftest import REAL, load_real_samples
from tests.conftest import query_rows as rows

GIAS, CENSUS, SPINE_FILE = (
    FIX / "gias_kent_fixture.csv",
    FIX / "census_kent_fixture.csv",
    FIX / "spine_kent_fixture.csv",
)
EXCL, ABS_EES = FIX / "exclusions_school_fixture.csv", FIX / "absence_school_sen_fixture.csv"
MI_FILE, HISTORY = FIX / "ofsted_mi_fixture.csv", FIX / "ratings_history_fixture.csv"


def facts(path, input_, breakdown="all"):
    return {
        (u, y): (n, d, r)
        for u, y, n, d, r in rows(
            path,
            "select urn, year_code, numerator, denominator, missing_reason "
            "from setting_facts where input = ? and breakdown = ?",
            input_,
            breakdown,
        )
    }


def _as_xlsx(csv_path, out):
    """The CSV as a workbook typed the way Excel holds it: numbers as numbers and dd/mm/yyyy
    dates as date cells."""
    import csv
    from datetime import datetime

    from openpyxl import Workbook

    def cell(v: str):
        if v.isdigit() and len(v) < 9:
            return int(v)
        try:
            return datetime.strptime(v, "%d/%m/%Y")
        except ValueError:
            return v

    book = Workbook()
    with csv_path.open(encoding="utf-8") as fh:
        for r in csv.reader(fh):
            book.active.append([cell(v) for v in r])
    book.save(out)
    return out


@pytest.fixture()
def kent(tmp_path):
    path = tmp_path / "kent.duckdb"
    load_files(path, [GIAS])
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])  # DfE publishes the spine as XLSX
def test_spine_adds_named_settings_and_never_overrides_gias(kent, tmp_path, fmt):
    spine = SPINE_FILE if fmt == "csv" else _as_xlsx(SPINE_FILE, tmp_path / "england_spine.xlsx")
    with pytest.raises(LoadError, match="does not state its academic year"):
        load_files(kent, [spine])
    assert detect_kind(spine) == SPINE
    load_files(kent, [spine], year="2017/18")
    got = {
        r[0]: r[1:]
        for r in rows(
            kent,
            "select urn, name, phase, admissions_policy, "
            "open_date, close_date, laestab from settings",
        )
    }
    assert got[118245][0] == "Fixture Primary School"  # GIAS name kept
    assert got[146574][:2] == ("Fixture Primary Academy", "Primary")
    assert got[146574][3] == date(2019, 2, 1)  # Excel serial 43497
    assert got[999906][1:3] == ("Secondary", "Selective")
    assert got[999905][1:3] == ("Secondary", "Non-selective")
    assert got[146574][5] == got[118245][5] == 8862062  # an academy keeps its predecessor's number
    assert 999907 not in got  # another authority
    assert rows(kent, "select district_code from settings where urn = 999905") == [(None,)]


def test_absence_percentages_become_counts_on_the_census_roll(kent):
    abs_file = FIX / "abs_kent_fixture.csv"
    with pytest.raises(LoadError, match="percentages only; load the school census"):
        load_files(kent, [abs_file], year="2018/19")
    staged = load_files(kent, [abs_file, CENSUS], year="2018/19")  # census read first
    pa, overall = facts(kent, "persistent_absence"), facts(kent, "overall_absence")
    assert pa[(118245, 201819)] == (20, 200, None)  # 10.0% of 200 on roll
    assert overall[(118245, 201819)] == (3420, 76000, None)  # 4.5% of 200 × 380 sessions
    assert pa[(999901, 201819)] == (None, None, "SUPP")
    assert pa[(999903, 201819)] == (None, None, "NA")
    assert (999904, 201819) not in pa  # another authority
    notes = " ".join(n for s in staged for n in s.notes)
    assert "reconstructed from published percentages" in notes
    assert "1 schools not in any loaded school list were left out" in notes
    source_notes = rows(kent, "select notes from sources where dataset like '%absence'")
    assert "380 possible sessions" in source_notes[0][0]


def test_absence_threshold_and_bad_values(kent, tmp_path):
    old = tmp_path / "england_abs.csv"
    old.write_text("LA,ESTAB,URN,PERCTOT,PPERSABS15\n886,2062,118245,4.5,6.0\n")
    with pytest.raises(LoadError, match="15% persistent-absence threshold, used before 2015/16"):
        load_files(kent, [CENSUS, old], year="2018/19")
    load_files(kent, [CENSUS], year="2018/19")
    before = kent.read_bytes()
    with pytest.raises(LoadError) as err:
        load_files(kent, [FIX / "abs_kent_broken.csv"], year="2018/19")
    text = str(err.value)
    assert "abs_kent_broken.csv, line 2, column PPERSABS10: '104.2' is not a percentage" in text
    assert "line 3, column URN: '99990A' is not a number" in text
    assert "line 4, column PPERSABS10: 'lots'" in text
    assert kent.read_bytes() == before


def test_exclusions_keyed_by_laestab_go_to_the_setting_open_that_year(kent):
    assert detect_kind(EXCL) == EES
    staged = load_files(kent, [SPINE_FILE, EXCL], year="2017/18")
    susp = facts(kent, "suspensions")
    assert susp[(118245, 201718)] == (6, 200, None)
    assert susp[(146574, 201920)] == (12, 210, None)  # the academy, after conversion
    assert (118245, 201920) not in susp
    assert facts(kent, "suspended_pupils")[(146574, 201920)] == (None, None, "x")
    assert susp[(999901, 201718)] == (None, None, "x")  # headcount 0: no denominator
    assert facts(kent, "perm_exclusions")[(118245, 201718)] == (0, 200, None)
    assert "1 LAESTAB(s) match no loaded setting" in " ".join(staged[-1].notes)
    assert "8869999" in " ".join(staged[-1].notes)


def test_ees_file_needs_its_own_metadata(kent, tmp_path):
    lonely = tmp_path / "exclusions_school_2018.csv"
    shutil.copy(EXCL, lonely)
    with pytest.raises(LoadError, match=r"its metadata file exclusions_school_2018.meta.csv"):
        load_files(kent, [lonely])
    wrong = tmp_path / "exclusions_school_2018.meta.csv"
    shutil.copy(FIX / "absence_school_sen_fixture.meta.csv", wrong)
    with pytest.raises(
        LoadError,
        match=r"meta.csv, line 2, column col_name: 'sen_status' is "
        "not a column of exclusions_school_2018.csv",
    ):
        load_files(kent, [lonely])


def test_ees_absence_with_sen_breakdowns_by_urn(kent):
    staged = load_files(kent, [ABS_EES])
    assert facts(kent, "persistent_absence", "sen_support")[(118245, 202324)] == (9, 35, None)
    assert facts(kent, "persistent_absence", "no_sen")[(118245, 202324)] == (20, 170, None)
    assert facts(kent, "persistent_absence", "ehcp")[(118245, 202324)] == (None, None, "c")
    assert facts(kent, "overall_absence")[(118245, 202324)] == (3900, 78000, None)
    notes = " ".join(staged[0].notes)
    assert "1 URN(s) are not loaded settings" in notes
    assert "2 rows for breakdowns the dashboard does not use, or for single terms" in notes
    report = status_report(kent)
    assert "Persistent absence gap: pupils with SEN minus pupils without (pilot): 2023/24" in report
    assert "Suspension rate ratio: pupils with SEN ÷ pupils without (pilot): MISSING" in report
    before = kent.read_bytes()
    with pytest.raises(LoadError) as err:
        load_files(kent, [FIX / "absence_school_broken.csv"])
    text = str(err.value)
    assert (
        "absence_school_broken.csv, line 2, column enrolments_pa_10_exact: '300' is more "
        "than enrolments (210)"
    ) in text
    assert "line 3, column time_period: '2023/24'" in text
    assert "line 4, column urn: '118245' appears twice for 202324" in text
    assert kent.read_bytes() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_ofsted_management_information_keeps_three_frameworks_apart(kent, tmp_path, fmt):
    file = MI_FILE if fmt == "csv" else _as_xlsx(MI_FILE, tmp_path / "ofsted_mi.xlsx")
    assert detect_kind(file) == MI
    staged = load_files(kent, [file])
    got = {
        r[0]: r[1:]
        for r in rows(
            kent,
            "select urn, inspection_date, inspection_type, "
            "framework, overall_effectiveness, safeguarding_met, "
            "graded_follow_up_recommended from inspections",
        )
    }
    assert got[118245] == (date(2019, 3, 14), "graded", "overall_effectiveness", 2, None, None)
    assert got[999901] == (date(2025, 1, 15), "graded", "key_judgements", None, None, None)
    assert got[999902] == (date(2025, 12, 2), "report card", "report_card", None, True, None)
    assert got[118229] == (
        date(2023, 10, 10),
        "ungraded",
        "overall_effectiveness",
        None,
        None,
        False,
    )
    judged = dict(
        ((u, a), (g, lab, s))
        for u, a, g, lab, s in rows(
            kent,
            "select urn, area, grade, grade_label, scale from inspection_judgements "
            "join inspections using (inspection_id)",
        )
    )
    assert judged[(999902, "Inclusion")] == (4, "Strong standard", "five_point")
    assert judged[(999902, "Attendance and behaviour")] == (2, "Needs attention", "five_point")
    assert judged[(999901, "Sixth form provision")] == (2, "Good", "four_point")
    assert judged[(118245, "Behaviour and attitudes")] == (1, "Outstanding", "four_point")
    assert (118245, "Sixth form provision") not in judged  # NULL: not applicable
    assert "1 URN(s) are not loaded settings" in " ".join(staged[0].notes)
    load_files(kent, [file])  # idempotent
    assert rows(kent, "select count(*) from inspections") == [(4,)]
    assert rows(kent, "select count(*) from inspection_judgements") == [(5 + 5 + 7,)]


def test_ofsted_bad_grades_are_reported(kent):
    before = kent.read_bytes()
    with pytest.raises(LoadError) as err:
        load_files(kent, [FIX / "ofsted_mi_broken.csv"])
    text = str(err.value)
    assert "line 2, column Overall effectiveness: '5' is not a grade on the 4-point scale" in text
    assert "line 3, column Inclusion: 'Great' is not a grade on the 5-point scale" in text
    assert "line 4, column Overall effectiveness: '2' is given for an inspection on " in text
    assert "line 5, column Inspection start date: '31/02/2019' is not a date" in text
    assert kent.read_bytes() == before


def test_rating_history_and_management_information_share_inspections(kent):
    load_files(kent, [HISTORY, MI_FILE])
    got = rows(
        kent,
        "select inspection_date, overall_effectiveness from inspections "
        "where urn = 118245 order by 1",
    )
    assert got == [(date(2010, 5, 12), 3), (date(2015, 6, 10), 2), (date(2019, 3, 14), 2)]
    load_files(kent, [HISTORY])
    assert rows(kent, "select count(*) from inspections where urn = 118245") == [(3,)]


def test_a_load_interrupted_midway_leaves_the_database_as_it_was(kent, monkeypatch):
    before = kent.read_bytes()
    calls = {"n": 0}
    real = Build.add_source

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # the spine and census are already written into the copy
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Build, "add_source", flaky)
    with pytest.raises(KeyboardInterrupt):
        load_files(kent, [SPINE_FILE, CENSUS, EXCL], year="2018/19")
    assert calls["n"] == 3
    assert kent.read_bytes() == before
    assert not list(kent.parent.glob("*.tmp*"))


def test_files_in_any_order_and_cli_summary(tmp_path, capsys):
    path = tmp_path / "kent.duckdb"
    args = [
        "ingest",
        str(HISTORY),
        str(FIX / "awards_fixture.csv"),
        str(EXCL),
        str(SPINE_FILE),
        str(GIAS),
        "--db",
        str(path),
        "--year",
        "2017/18",
    ]
    assert cli(args) == 0
    out = capsys.readouterr().out
    assert out.index("gias_kent_fixture.csv") < out.index("spine_kent_fixture.csv")
    assert "note: 1 LAESTAB(s) match no loaded setting" in out
    assert rows(path, "select count(*) from awards") == [(2,)]
    assert cli(["status", "--db", str(path)]) == 0
    report = capsys.readouterr().out
    assert "inspections: overall_effectiveness: 3" in report
    assert "exclusions_school_fixture.csv" in report and "suspensions: 2017/18" in report
    for sql in (
        "select count(*) from setting_facts f anti join settings s using (urn)",
        "select count(*) from inspections i anti join settings s using (urn)",
        "select count(*) from inspection_judgements j anti join inspections using (inspection_id)",
        "select count(*) from awards a anti join settings s using (urn)",
    ):
        assert rows(path, sql) == [(0,)], sql


@pytest.mark.skipif(not REAL.exists(), reason="shared real data not present")
def test_real_exclusions_absence_and_inspections_land_as_published(tmp_path):
    path = tmp_path / "kent.duckdb"
    staged = load_real_samples(path)
    # the file's line for LAESTAB 8862069 in 2015/16: 684 pupils, 17 fixed-period exclusions,
    # 11 pupils excluded at least once; the spine's only setting with that number is URN 141534
    assert facts(path, "suspensions")[(141534, 201516)] == (17, 684, None)
    assert facts(path, "suspended_pupils")[(141534, 201516)] == (11, 684, None)
    assert any("LAESTAB(s) match no loaded setting" in n for n in staged[0].notes)
    # england_abs: 12.5% persistently absent of the 353 on roll in the January 2019 census
    assert facts(path, "persistent_absence")[(137071, 201819)] == (
        round(12.5 * 353 / 100),
        353,
        None,
    )
    # inspection history: grade counts as the file's SOURCE.txt states them (Satisfactory and
    # Requires improvement are both grade 3)
    grades = dict(rows(path, "select overall_effectiveness, count(*) from inspections group by 1"))
    assert grades == {1: 164, 2: 849, 3: 305 + 217, 4: 65}


def test_school_level_sen_file_with_spaced_column_names(kent):
    sen = FIX / "sen_school_fixture.csv"
    assert detect_kind(sen) == EES
    load_files(kent, [sen])
    assert facts(kent, "ehcp")[(118245, 202425)] == (6, 205, None)
    assert facts(kent, "sen_support")[(118245, 202425)] == (31, 205, None)
    assert facts(kent, "ehcp")[(999902, 202425)] == (124, 124, None)
    assert facts(kent, "sen_support")[(999901, 202425)] == (None, None, "low")
    assert facts(kent, "ehcp")[(999901, 202425)] == (None, None, "c")
    assert (999904, 202425) not in facts(kent, "ehcp")  # another authority


def test_characteristics_as_ees_writes_them():
    from dashboard.ingest.ees_schools import breakdown_of

    assert breakdown_of("SEN provision - EHC plan") == "ehcp"
    assert breakdown_of("SEN provision - SEN support") == "sen_support"
    assert breakdown_of("SEN provision - No identified SEN") == "no_sen"
    assert breakdown_of("Total") == "all"
    assert breakdown_of("Gender - Boys") is None


def test_loaders_write_the_real_database_the_app_picks_up(tmp_path, monkeypatch):
    monkeypatch.delenv("KENT_DASHBOARD_DB", raising=False)
    monkeypatch.setattr("dashboard.ingest.__main__.REAL_DATABASE", tmp_path / "kent.duckdb")
    assert cli(["ingest", str(GIAS)]) == 0
    assert rows(tmp_path / "kent.duckdb", "select count(*) from settings") == [(4,)]
    monkeypatch.setenv("KENT_DASHBOARD_DB", str(tmp_path / "other.duckdb"))
    assert cli(["ingest", str(GIAS)]) == 0
    assert (tmp_path / "other.duckdb").exists()


def test_current_ees_standard_school_urn_and_suspension_names(kent):
    susp_file = FIX / "suspensions_school_fixture.csv"
    assert detect_kind(susp_file) == EES
    load_files(kent, [susp_file])  # keyed by school_urn, so no bridge is needed
    assert facts(kent, "suspensions")[(118245, 202324)] == (9, 205, None)
    assert facts(kent, "suspended_pupils")[(118245, 202324)] == (5, 205, None)
    assert facts(kent, "perm_exclusions")[(999901, 202324)] == (1, 1010, None)
    assert facts(kent, "suspensions")[(999901, 202324)] == (None, None, "low")


def test_a_newer_release_adds_its_year_and_a_malformed_year_is_refused(kent, tmp_path):
    text = (FIX / "suspensions_school_fixture.csv").read_text()
    newer = tmp_path / "suspensions_2627.csv"
    newer.write_text(text.replace("202324,", "202627,"))
    shutil.copy(FIX / "suspensions_school_fixture.meta.csv", tmp_path / "suspensions_2627.meta.csv")
    load_files(kent, [newer])
    assert facts(kent, "suspensions")[(118245, 202627)] == (9, 205, None)
    assert rows(kent, "select label from academic_years where year_code = 202627") == [("2026/27",)]
    odd = tmp_path / "suspensions_odd.csv"
    odd.write_text(text.replace("202324,", "202325,", 1))
    shutil.copy(FIX / "suspensions_school_fixture.meta.csv", tmp_path / "suspensions_odd.meta.csv")
    with pytest.raises(LoadError, match="line 2, column time_period: '202325' is not an academic"):
        load_files(kent, [odd])
    with pytest.raises(LoadError, match="--year '2018/20' is not an academic year like 2018/19"):
        load_files(kent, [CENSUS], year="2018/20")


def test_what_a_batch_knows_about_settings():
    import pandas as pd

    from dashboard.ingest.load import Known

    def frame(*rows):
        return pd.DataFrame(rows, columns=["urn", "laestab", "open_date", "close_date"])

    known = Known(frame((1, 8862062, None, None)), {})  # a census placeholder: no dates
    known.add(frame((1, 8862062, date(1970, 1, 1), date(2019, 1, 31)), (2, 8862062, None, None)))
    got = known.settings.set_index("urn")
    assert got.loc[1, "close_date"] == date(2019, 1, 31) and 2 in got.index  # gap filled, added
    known.add(frame((1, 8862062, date(1970, 1, 1), date(2019, 2, 28))))  # not authoritative
    assert known.settings.set_index("urn").loc[1, "close_date"] == date(2019, 1, 31)
    known.add(frame((1, 8862062, date(1970, 1, 1), date(2019, 2, 28))), authoritative=True)
    assert known.settings.set_index("urn").loc[1, "close_date"] == date(2019, 2, 28)


def test_loading_every_kind_twice_changes_nothing(tmp_path):
    path = tmp_path / "kent.duckdb"
    everything = [
        GIAS,
        SPINE_FILE,
        CENSUS,
        FIX / "abs_kent_fixture.csv",
        EXCL,
        ABS_EES,
        FIX / "sen_school_fixture.csv",
        MI_FILE,
        HISTORY,
        FIX / "awards_fixture.csv",
    ]
    tables = {
        "settings": "select * exclude (source_id) from settings order by all",
        "setting_facts": "select * exclude (source_id) from setting_facts order by all",
        "inspections": "select * exclude (inspection_id, source_id) from inspections order by all",
        "inspection_judgements": "select i.urn, i.inspection_date, j.* exclude (inspection_id) "
        "from inspection_judgements j join inspections i using (inspection_id) order by all",
        "awards": "select * exclude (award_id, source_id) from awards order by all",
        "academic_years": "select * from academic_years order by all",
    }
    load_files(path, everything, year="2018/19")
    first = {name: rows(path, q) for name, q in tables.items()}
    assert all(first.values())
    load_files(path, list(reversed(everything)), year="2018/19")
    assert {name: rows(path, q) for name, q in tables.items()} == first
    assert rows(path, "select count(*) from sources where file_name is not null") == [
        (len(everything) + 5,)
    ]  # one row per file, however often it is loaded (plus published figures, pilot register, LAIT
    # figures, neighbours and the authorities with their regions)


def test_a_failed_first_load_leaves_no_database_and_check_writes_nothing(tmp_path, capsys):
    path = tmp_path / "kent.duckdb"
    with pytest.raises(LoadError):
        load_files(path, [GIAS, FIX / "gias_kent_broken.csv"])
    assert not path.exists()  # so a running app keeps showing the demo, not an empty database
    assert (
        cli(["ingest", str(GIAS), str(CENSUS), "--year", "2018/19", "--db", str(path), "--check"])
        == 0
    )
    out = capsys.readouterr().out
    assert "checked census_kent_fixture.csv" in out and "nothing was written" in out
    assert not path.exists()
    load_files(path, [GIAS])
    before = path.read_bytes()
    assert cli(["ingest", str(CENSUS), "--year", "2018/19", "--db", str(path), "--check"]) == 0
    assert path.read_bytes() == before


def test_gias_vintage_comes_from_the_extract_name():
    from pathlib import Path

    from dashboard.ingest.load import gias_vintage

    assert gias_vintage(Path("edubasealldata20261101.csv")) == "extract of 01 November 2026"
    assert gias_vintage(Path("gias_kent_fixture.csv")) == "extract (date not in the file name)"


def test_gias_row_without_a_district_is_kept_as_district_unknown(kent):
    load_files(kent, [FIX / "gias_kent_closed_fixture.csv"])
    got = rows(kent, "select district_code, latitude, close_date from settings where urn = 999909")
    assert got == [(None, None, date(2010, 8, 31))]


def test_coverage_needs_both_sides_of_a_sen_comparison_in_the_same_year():
    import pandas as pd

    from dashboard.figures.coverage import measure_coverage

    loaded = pd.DataFrame(
        [
            ("persistent_absence", b, y, 5, 0)
            for b, y in [
                ("all", "2022/23"),
                ("all", "2021/22"),
                ("ehcp", "2023/24"),
                ("no_sen", "2021/22"),
                ("sen_support", "2021/22"),
                ("no_sen", "2023/24"),
                ("sen_support", "2022/23"),
            ]
        ],
        columns=["input", "breakdown", "year", "with_value", "withheld"],
    )
    got = measure_coverage(loaded, {}).set_index("measure")["years"]
    assert got["Persistent absence"] == "2021/22 to 2022/23"  # consecutive years as one run
    # 2022/23 has pupils with SEN but none without: no gap can be formed that year
    assert got["Persistent absence gap: pupils with SEN minus pupils without (pilot)"] == (
        "2021/22, 2023/24"
    )
