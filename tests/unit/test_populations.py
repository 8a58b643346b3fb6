"""A file's population decides what it feeds: an EES school-level file about four-year-olds,
pupil referral units only, a single term or one sex is refused with a message naming the
population found and the one needed, and a file with a pupil filter loads its totals only
(issue 15: a reception absence file was loaded as the schools' overall absence)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dashboard.ingest.load import LoadError, load_files
from tests.conftest import FIXTURES as FIX
from tests.conftest import query_rows as rows

ABS = FIX / "absence_school_sen_fixture.csv"
NEEDED = "need all pupils of each school over the full academic year"


@pytest.fixture()
def kent(gias_only_db, tmp_path) -> Path:
    path = tmp_path / "kent.duckdb"
    path.write_bytes(gias_only_db.read_bytes())
    return path


def _data() -> list[list[str]]:
    with ABS.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _meta() -> list[list[str]]:
    with ABS.with_name("absence_school_sen_fixture.meta.csv").open(encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _publish(folder: Path, name: str, data, meta) -> Path:
    """A data file and its .meta.csv, as EES publishes them."""
    for path, rows_ in ((folder / f"{name}.csv", data), (folder / f"{name}.meta.csv", meta)):
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows_)
    return folder / f"{name}.csv"


def _overall(path: Path) -> list[tuple]:
    return rows(path, "select urn, numerator, denominator from setting_facts where "
                      "input = 'overall_absence' and breakdown = 'all'")  # fmt: skip


@pytest.mark.parametrize(
    ("name", "population"),
    [
        ("absence_4yearolds_school", "four-year-olds in reception"),
        ("absence_four_year_olds_in_reception", "four-year-olds in reception"),
        ("absence_pru_school", "pupil referral units only"),
        ("absence_autumn_term_school", "a single term"),
    ],
)
def test_a_file_named_for_a_sub_population_is_refused(kent, tmp_path, name, population):
    f = _publish(tmp_path, name, _data(), _meta())
    before = kent.read_bytes()
    with pytest.raises(LoadError, match=rf"{name}.csv: this file is about {population}") as err:
        load_files(kent, [f])
    assert NEEDED in str(err.value)
    assert kent.read_bytes() == before


def test_metadata_labels_state_the_population_too(kent, tmp_path):
    meta = _meta()
    for r in meta[1:]:
        if r[0] == "sess_overall":
            r[2] = "Number of overall absence sessions for four year olds"
    f = _publish(tmp_path, "absence_school", _data(), meta)
    with pytest.raises(LoadError, match="about four-year-olds in reception"):
        load_files(kent, [f])


def test_a_file_of_single_terms_only_is_refused_naming_the_terms(kent, tmp_path):
    data = _data()
    for r in data[1:]:
        r[1] = "Spring term"
    f = _publish(tmp_path, "absence_school", data, _meta())
    with pytest.raises(LoadError, match=f"school rows are for Spring term only; the dashboard's "
                                        f"measures {NEEDED}"):  # fmt: skip
        load_files(kent, [f])


def _with_sex(values: list[str]) -> tuple[list[list[str]], list[list[str]]]:
    """The absence fixture's whole-school rows for 118245 split by a `sex` filter column."""
    data = _data()
    head = data[0] + ["sex"]
    whole = next(r for r in data[1:] if r[12] == "Total" and r[1] == "Academic year"
             and r[10] == "118245")  # fmt: skip
    body = []
    for sex, share in (("Boys", 0.5), ("Girls", 0.5), ("Total", 1.0)):
        if sex not in values:
            continue
        r = list(whole)
        for col in (13, 14, 15, 17):  # counts scale with the share
            r[col] = str(round(int(r[col]) * share))
        body.append([*r, sex])
    meta = [*_meta(), ["sex", "Filter", "Sex", "", "", "Filter by sex", ""]]
    return [head, *body], meta


def test_a_file_for_one_sex_only_is_refused(kent, tmp_path):
    data, meta = _with_sex(["Boys", "Girls"])
    f = _publish(tmp_path, "absence_school", data, meta)
    with pytest.raises(LoadError, match=r"school rows are for sex = Boys, Girls only, with no "
                                        r"total"):  # fmt: skip
        load_files(kent, [f])


def test_a_pupil_filter_loads_the_whole_school_total_only(kent, tmp_path):
    data, meta = _with_sex(["Boys", "Girls", "Total"])
    f = _publish(tmp_path, "absence_school", data, meta)
    staged = load_files(kent, [f])
    assert _overall(kent) == [(118245, 3900.0, 78000.0)]  # the Total row, not a sum of sexes
    assert any("2 rows for breakdowns" in n for s in staged for n in s.notes)


def test_sen_status_breakdowns_still_feed_the_gap_measures(kent):
    load_files(kent, [ABS])
    got = rows(kent, "select breakdown, numerator from setting_facts where urn = 118245 and "
                     "input = 'overall_absence' order by breakdown")  # fmt: skip
    assert ("sen_support", 1040.0) in got and ("all", 3900.0) in got
