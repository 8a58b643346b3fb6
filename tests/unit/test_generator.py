"""The demo generator: deterministic, fictional, and calibrated to the published picture."""

import re

import pandas as pd
import pytest

from dashboard.store import db
from data import generate_demo


def test_same_seed_same_data(demo_tables):
    again = generate_demo.generate()
    assert generate_demo.data_fingerprint(again) == generate_demo.data_fingerprint(demo_tables)
    other = generate_demo.generate(seed=1)
    assert generate_demo.data_fingerprint(other) != generate_demo.data_fingerprint(demo_tables)


def test_two_builds_hold_identical_tables(tmp_path):
    paths = [generate_demo.build(tmp_path / f"{i}.duckdb") for i in range(2)]
    for table in ("settings", "setting_facts", "inspections", "inspection_judgements", "awards"):
        frames = []
        for p in paths:
            con = db.connect(p)
            frames.append(con.table(table).df().sort_values(list(con.table(table).columns[:2])))
            con.close()
        pd.testing.assert_frame_equal(
            frames[0].reset_index(drop=True), frames[1].reset_index(drop=True)
        )


def test_about_600_settings_in_all_12_districts_and_all_phases(demo_tables):
    s = demo_tables["settings"]
    assert 550 <= len(s) <= 650
    assert s["district_code"].nunique() == 12
    assert set(s["phase"]) >= {
        "Primary",
        "Secondary",
        "Special",
        "Alternative provision",
        "Nursery",
        "All-through",
        "Post-16",
    }
    secondary = s[s["phase"] == "Secondary"]
    assert 25 <= (secondary["admissions_policy"] == "Selective").sum() <= 40


def test_names_and_urns_are_fictional(demo_tables):
    s = demo_tables["settings"]
    assert s["is_fictional"].all()
    assert s["urn"].min() >= generate_demo.URN_BASE and s["urn"].is_unique and s["name"].is_unique
    register = pd.read_csv("data/reference/pilot_awards_2015.csv")
    norm = lambda t: re.sub(r"[^a-z]", "", t.lower())  # noqa: E731
    real = {norm(n) for n in register["setting_name_as_published"]}
    real_words = {w.lower() for n in register["setting_name_as_published"] for w in n.split()}
    assert not real & {norm(n) for n in s["name"]}
    # Each name starts with an invented stem that is not a word of any real setting's name.
    assert not {n.split()[0].lower() for n in s["name"]} & real_words


def _share(facts, settings, input_, phase, year):
    f = facts.merge(settings[["urn", "phase"]], on="urn")
    f = f[(f.input == input_) & (f.breakdown == "all") & (f.phase == phase) & (f.year_code == year)]
    return f.numerator.sum() / f.denominator.sum()


def test_calibration_against_published_ranges(demo_tables):
    facts, settings = demo_tables["setting_facts"], demo_tables["settings"]
    # EHC plans: rising, low in mainstream, near-universal in special schools.
    p16, p25 = (_share(facts, settings, "ehcp", "Primary", y) for y in (201516, 202425))
    assert 0.008 <= p16 <= 0.02 and p25 > 1.5 * p16
    assert _share(facts, settings, "ehcp", "Special", 202425) >= 0.9
    assert 0.08 <= _share(facts, settings, "sen_support", "Primary", 201819) <= 0.15
    # Absence: about 4% primary and 5.5% secondary before 2020, higher since 2021/22.
    assert 0.035 <= _share(facts, settings, "overall_absence", "Primary", 201819) <= 0.05
    assert 0.045 <= _share(facts, settings, "overall_absence", "Secondary", 201819) <= 0.065
    assert _share(facts, settings, "overall_absence", "Secondary", 202324) > 0.07
    assert 0.07 <= _share(facts, settings, "persistent_absence", "Primary", 201819) <= 0.11
    # Suspensions rise after COVID-19 and dip during it.
    s19 = _share(facts, settings, "suspensions", "Secondary", 201819)
    assert _share(facts, settings, "suspensions", "Secondary", 202021) < s19
    assert _share(facts, settings, "suspensions", "Secondary", 202324) > 1.5 * s19


def test_no_summer_2020_absence(demo_tables):
    f = demo_tables["setting_facts"]
    absence = f[(f.year_code == 201920) & f.input.isin(["overall_absence", "persistent_absence"])]
    assert len(absence) and absence.numerator.isna().all()
    assert set(absence.missing_reason) <= {"x", "z"}


def test_pupils_with_sen_are_suspended_more_often(demo_tables):
    f = demo_tables["setting_facts"]
    f = f[(f.input == "suspensions") & (f.year_code == 202324)]
    rate = f.groupby("breakdown")[["numerator", "denominator"]].sum()
    rate = rate.numerator / rate.denominator
    assert rate["ehcp"] > 2.5 * rate["no_sen"] and rate["sen_support"] > 2 * rate["no_sen"]


def test_districts_differ(demo_tables):
    facts, settings = demo_tables["setting_facts"], demo_tables["settings"]
    f = facts.merge(settings[["urn", "district_code", "phase"]], on="urn")
    f = f[(f.input == "sen_support") & (f.year_code == 202425) & (f.phase == "Primary")]
    by = f.groupby("district_code")[["numerator", "denominator"]].sum()
    share = by.numerator / by.denominator
    assert share["E07000114"] > share["E07000116"] * 1.2  # Thanet above Tunbridge Wells


def test_inspections_follow_the_three_frameworks(demo_tables):
    ins = demo_tables["inspections"]
    assert set(ins["framework"]) == {"overall_effectiveness", "key_judgements", "report_card"}
    oe = ins[ins.framework == "overall_effectiveness"]
    assert (pd.to_datetime(oe.inspection_date) < "2024-09-01").all()
    rc = ins[ins.framework == "report_card"]
    assert (pd.to_datetime(rc.inspection_date) >= "2025-11-10").all()
    j = demo_tables["inspection_judgements"]
    rc_areas = set(j[j.inspection_id.isin(rc.inspection_id)].area)
    assert "Inclusion" in rc_areas
    graded = oe.dropna(subset=["overall_effectiveness"]).sort_values("inspection_date")
    latest = graded.groupby("urn").overall_effectiveness.last()
    good = (latest <= 2).mean()
    assert 0.85 <= good <= 0.95  # published: 88-91% good or outstanding at latest grade


@pytest.mark.parametrize("scheme", ["IQM", "CPLD"])
def test_awards_on_a_small_share(demo_tables, scheme):
    a = demo_tables["awards"]
    holders = a[a.scheme == scheme].urn.nunique()
    assert 5 <= holders <= 0.12 * len(demo_tables["settings"])
