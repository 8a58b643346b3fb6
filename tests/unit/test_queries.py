"""Every SQL file has its header, runs with bound parameters, and returns what it says."""

import datetime as dt

import pytest

from dashboard.core.filters import Selection
from dashboard.store import db, sql

SELECTION = Selection(202324, "E07000113", "primary", "Swale")
PARAMS_AS_OF = {
    **{k: v for k, v in SELECTION.params().items() if k != "year_code"},
    "as_of": dt.date(2024, 8, 31),
}
READS = set(sql.names())
PARAMS = {
    "years": {},
    "metadata": {},
    "authorities": {},
    "sources": {},
    "published_figures": {},
    "districts": {"la_code": "886"},
    "selection_summary": SELECTION.params(),
    "area_inputs": SELECTION.params(),
    "setting_inputs": {**SELECTION.params(), "input": "ehcp"},
    "expected_inputs": {"year_code": SELECTION.year_code, "input": "sen_support"},
    "expected_years": {"input": "suspensions"},
    "latest_grades": {
        **{k: v for k, v in SELECTION.params().items() if k != "year_code"},
        "as_of": dt.date(2024, 8, 31),
    },
    "current_awards": {
        **{k: v for k, v in SELECTION.params().items() if k != "year_code"},
        "as_of": dt.date(2024, 8, 31),
    },
    "setting_inputs_pooled": {
        **{k: v for k, v in SELECTION.params().items() if k != "year_code"},
        "years": [202122, 202223, 202324],
        "input": "suspensions",
    },
    "settings_list": {"la_code": "886"},
    "setting_detail": {"urn": 990001},
    "setting_series": {"urn": 990001},
    "group_series": {k: v for k, v in SELECTION.params().items() if k != "year_code"},
    "setting_inspections": {"urn": 990001},
    "setting_awards": {"urn": None},
    "district_series": {
        k: v
        for k, v in SELECTION.params().items()
        if k in ("year_code", "la_code", "phases", "admissions", "phase_key")
    },
    "context_items": {},
    "context_series": {"la_code": "886", "item": "TotPerAbNew"},
    "statistical_neighbours": {"la_code": "886"},
    "setting_points": {"la_code": "886"},
    "selection_inspections": PARAMS_AS_OF,
    "award_holders": PARAMS_AS_OF,
    "first_awards": {"la_code": "886"},
    "pilot_register": {},
    "load_status": {},
    "setting_keys": {},
    "table_names": {},
    "pupils_on_roll": {},
    "setting_names": {},
    "loaded_counts": {},
    "unplaced_settings": {"la_code": "886"},
    "reconstructed_years": {},
    "authority_figures": {
        "dataset": "caseload",
        "breakdown_topic": "All EHC plans",
        "indicators": ["ehcplans"],
    },
    "district_boundaries": {"la_code": "886"},
    "district_centres": {"la_code": "886"},
    "setting_lineage": {"urn": 990001},
    "population_0_25": {},
    "comparator_series": {
        "la_code": "886",
        "phases": ["Primary"],
        "admissions": ["Not applicable"],
        "phase_key": "primary",
    },
}


def test_every_query_is_covered_here():
    assert set(PARAMS) == READS


@pytest.mark.parametrize("name", sorted(READS))
def test_query_has_header_and_runs(demo_con, name):
    head = sql.header(name)
    assert head.startswith(f"{name}:") and "grain" in head and "parameters" in head
    params = PARAMS[name]
    if name == "setting_awards":  # a setting that holds an award
        params = {"urn": int(demo_con.table("awards").df().urn.iloc[0])}
    df = db.run(demo_con, name, params)
    # the demo holds no boundaries until loaded and no absence rebuilt from percentages
    # or population estimates (tests/app/test_real_database.py and tests/unit/test_population.py
    # check those queries on databases that have some)
    assert len(df) > 0 or name in ("district_boundaries", "reconstructed_years", "population_0_25")


def test_build_statements_are_apart_from_read_queries():
    """The app runs only read queries; writes, staging and the schema live in queries/build."""
    build = set(sql.build_names())
    assert {
        "schema",
        "write_upsert_facts",
        "stage_bridge_laestab",
        "disclosure_block_facts",
    } <= build
    assert not build & READS
    assert not [n for n in READS if n.startswith(("write_", "stage_"))]
    assert all(sql.load(n).strip() for n in build)


def test_query_names_cannot_escape_the_folder():
    with pytest.raises(ValueError):
        sql.load("../pyproject")
    with pytest.raises(KeyError):
        sql.load("no_such_query")


def test_area_inputs_equal_a_sum_over_the_raw_tables(demo_con):
    got = db.run(demo_con, "area_inputs", SELECTION.params()).set_index(["input", "breakdown"])
    facts = demo_con.table("setting_facts").df()
    settings = demo_con.table("settings").df()
    f = facts.merge(settings, on="urn")
    f = f[(f.year_code == 202324) & (f.district_code == "E07000113") & (f.phase == "Primary")]
    want = f.groupby(["input", "breakdown"])[["numerator", "denominator"]].sum()
    assert got.loc[("ehcp", "all"), "numerator"] == want.loc[("ehcp", "all"), "numerator"]
    assert (
        got.loc[("suspensions", "no_sen"), "denominator"]
        == want.loc[("suspensions", "no_sen"), "denominator"]
    )
    assert got.loc[("ehcp", "all"), "settings"] == f[f.input == "ehcp"].urn.nunique()


def test_selective_filter_keeps_only_grammar_schools(demo_con):
    sel = Selection(202324, "all", "secondary-selective")
    rows = db.run(demo_con, "setting_inputs", {**sel.params(), "input": "ehcp"})
    assert len(rows) and set(rows.admissions_policy) == {"Selective"}


def test_latest_grades_takes_the_latest_graded_inspection(demo_con):
    params = dict(PARAMS["latest_grades"])
    grades = db.run(demo_con, "latest_grades", params).dropna(subset=["overall_effectiveness"])
    ins = demo_con.table("inspections").df()
    ins = ins[(ins.framework == "overall_effectiveness") & ins.overall_effectiveness.notna()]
    ins = ins[ins.inspection_date <= "2024-08-31"]
    latest = ins.sort_values("inspection_date").groupby("urn").last()
    for r in grades.head(20).itertuples():
        assert r.overall_effectiveness == latest.loc[r.urn, "overall_effectiveness"]


def test_hostile_values_are_bound_not_pasted(demo_con):
    evil = "E07000113') or 1=1; drop table settings; --"
    params = {**SELECTION.params(), "districts": [evil]}
    assert len(db.run(demo_con, "area_inputs", params)) == 0
    assert len(db.run(demo_con, "districts", {"la_code": "886"})) == 12
