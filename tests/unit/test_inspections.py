"""The June 2023 inspection-timing guidance, applied only where it applies."""

from datetime import date

import pandas as pd
import pytest

from dashboard.figures import inspections

pytestmark = pytest.mark.clock  # today's date reaches these pages and exports


def _h(*rows):
    return pd.DataFrame(
        [
            {
                "inspection_id": i,
                "inspection_date": pd.Timestamp(d),
                "framework": fw,
                "inspection_type": t,
                "overall_effectiveness": g,
                "graded_follow_up_recommended": rec,
            }
            for i, (d, fw, t, g, rec) in enumerate(rows)
        ]
    )


OE = "overall_effectiveness"


@pytest.mark.parametrize(
    "rows,expected",
    [
        ([("2017-05-01", OE, "graded", 2, None)], "Before July 2024"),
        ([("2019-06-01", OE, "graded", 1, None)], "Before September 2025"),
        ([("2022-03-10", OE, "graded", 2, None)], "Around March 2026"),
        ([("2019-11-01", OE, "graded", 3, None)], "Before January 2024"),
        ([("2020-02-01", OE, "graded", 3, None)], "Before January 2025"),
        ([("2022-01-15", OE, "graded", 3, None)], "By July 2024"),
        ([("2019-01-15", OE, "graded", 4, None)], "Before July 2024"),
        (
            [("2016-01-01", OE, "graded", 2, None), ("2021-06-01", OE, "ungraded", None, True)],
            "Before September 2023",
        ),
        (
            [("2016-01-01", OE, "graded", 2, None), ("2022-06-01", OE, "ungraded", None, True)],
            "Between June 2023 and June 2024",
        ),
    ],
)
def test_rules_from_the_guidance(rows, expected):
    est = inspections.next_inspection(_h(*rows), date(2000, 9, 1))
    assert est.applies and est.text.startswith(expected) and "estimate" in est.text
    assert "June 2023" in est.source


def test_no_estimate_under_later_frameworks_or_the_covid_pause():
    later = _h(
        ("2019-01-01", OE, "graded", 2, None),
        ("2025-01-10", "key_judgements", "graded", None, None),
    )
    est = inspections.next_inspection(later, None)
    assert not est.applies and "framework introduced after" in est.text
    pause = _h(("2020-09-15", OE, "graded", 2, None))
    assert not inspections.next_inspection(pause, None).applies


def test_new_schools():
    empty = _h()
    assert "31 August 2021" in inspections.next_inspection(empty.iloc[0:0], date(2016, 9, 1)).text
    assert "31 August 2024" in inspections.next_inspection(empty.iloc[0:0], date(2021, 9, 1)).text


def _row(i, day, grade=None, urn=1, framework=OE, **extra):
    """One inspection row as the history query returns it (judgement columns empty)."""
    base = {"inspection_id": i, "urn": urn, "inspection_date": pd.Timestamp(day),
            "inspection_type": "graded", "framework": framework,
            "overall_effectiveness": grade, "safeguarding_met": None,
            "graded_follow_up_recommended": None, "area": None, "grade": None,
            "grade_label": None, "scale": None}  # fmt: skip
    return base | extra


def test_history_tables_keep_frameworks_apart():
    rows = pd.DataFrame([
        _row(1, "2018-01-01", 2),
        _row(2, "2026-01-01", framework="report_card", inspection_type="report card",
             safeguarding_met=True, area="Inclusion", grade=4, grade_label="Strong standard",
             scale="five_point"),
    ])  # fmt: skip
    tables = inspections.history_tables(rows)
    assert len(tables) == 2
    oe = tables["Overall effectiveness (to August 2024)"]
    rc = tables["Report cards (from November 2025)"]
    assert list(oe["Overall effectiveness"]) == ["Good"] and "Inclusion" not in oe
    assert list(rc["Inclusion"]) == ["Strong standard"] and "Overall effectiveness" not in rc
    assert list(rc["Safeguarding"]) == ["Met"]


def test_grade_three_reads_as_published_on_the_day():
    rows = pd.DataFrame(
        [
            _row(1, "2010-05-12", 3, urn=10),
            _row(2, "2015-06-10", 3, urn=10),
            _row(3, "2011-03-01", 3, urn=11),
            _row(4, "2019-01-01", 2, urn=12),
        ]
    )
    table = inspections.history_tables(rows[rows.urn == 10])[
        "Overall effectiveness (to August 2024)"
    ]
    assert list(table["Overall effectiveness"]) == [
        "Requires improvement",
        "Satisfactory (grade 3 before September 2012)",
    ]
    shares = inspections.latest_distributions(rows)["Overall effectiveness (to August 2024)"]
    got = dict(zip(shares["grade_label"], shares["settings"], strict=True))
    assert got["Satisfactory (grade 3 before September 2012)"] == 1  # setting 11's latest
    assert got["Requires improvement"] == 1 and got["Good"] == 1


def test_stale_inspection_records_are_flagged():
    rows = pd.DataFrame([_row(1, "2020-02-11", 2), _row(2, "2019-05-01", 3)])
    note = inspections.staleness_note(rows, date(2026, 11, 23))
    assert note and "dated 11 February 2020" in note and "management information" in note
    assert inspections.staleness_note(rows, date(2020, 8, 31)) is None
    assert inspections.staleness_note(rows.iloc[0:0], date(2026, 11, 23)) is None
