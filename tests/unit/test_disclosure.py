"""Disclosure control: nothing a rule suppresses reaches a figure, a table or a CSV."""

import math
from types import SimpleNamespace
from typing import cast

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.core.config import DisclosureRules
from dashboard.core.filters import PHASE_OPTIONS, Selection
from dashboard.figures import indicators
from dashboard.statistics import disclosure, suppression
from dashboard.store import db
from tests import intruder

RULES = DisclosureRules()


def test_flags_follow_dfe_convention():
    df = pd.DataFrame(
        {
            "numerator": [0, 1, 2, 3, 5, 4, np.nan],
            "denominator": [100, 100, 100, 100, 9, 2, np.nan],
            "missing_reason": [None, None, None, None, None, None, "x"],
        }
    )
    flags = disclosure.flag_rows(df, ["numerator", "denominator"], ["denominator"], 10, RULES)
    assert list(flags) == ["", "c", "c", "", "u", "c", "x"]


def test_threshold_can_be_raised():
    df = pd.DataFrame({"numerator": [4], "denominator": [100]})
    strict = DisclosureRules(min_count=5)
    assert disclosure.flag_rows(df, ["numerator"], ["denominator"], 10, strict, None)[0] == "c"
    assert disclosure.flag_rows(df, ["numerator"], ["denominator"], 10, RULES, None)[0] == ""


def test_blank_confidential_removes_values():
    df = pd.DataFrame({"numerator": [1.0, 50.0], "value": [0.01, 0.5], "flag": ["c", "u"]})
    out = disclosure.blank_confidential(df)
    assert out.loc[0, ["numerator", "value"]].isna().all()
    assert out.loc[1, "value"] == 0.5  # low reliability is shown, flagged


def test_reason_text_names_the_rule():
    assert "fewer than 3" in disclosure.reason_text("c", 10)
    assert "below 10" in disclosure.reason_text("u", 10)
    assert "not available" in disclosure.reason_text("x", 10)


def _block(values: dict[int, tuple[str, str, float]]) -> pd.DataFrame:
    """Facts for one input and year: urn → (district, phase, count), 100 pupils each."""
    return pd.DataFrame(
        [
            {"urn": u, "year_code": 202425, "input": "suspensions", "breakdown": "all",
             "numerator": x, "denominator": 100.0, "la_code": "886", "district_code": d,
             "phase": phase, "admissions_policy": "Not applicable"}
            for u, (d, phase, x) in values.items()
        ]
    )  # fmt: skip


def _hidden(decisions) -> set[int]:
    return set(decisions.cells.loc[decisions.cells.family == "all", "urn"])


def test_a_small_count_never_stands_alone_among_its_district_and_phase():
    facts = _block({1: ("A", "Primary", 2), 2: ("A", "Primary", 5), 3: ("A", "Primary", 9),
                    4: ("B", "Primary", 7), 5: ("B", "Primary", 30)})  # fmt: skip
    hidden = _hidden(suppression.decide(facts, min_count=3))
    assert 1 in hidden and 2 in hidden  # the small one, and the smallest other beside it
    assert 3 not in hidden


def test_a_zero_can_be_the_partner_and_a_large_count_is_spared():
    facts = _block({1: ("A", "Primary", 1), 2: ("A", "Primary", 0), 3: ("A", "Primary", 40)})
    hidden = _hidden(suppression.decide(facts, min_count=3))
    assert hidden == {1, 2}


def _recovered(facts: pd.DataFrame, decisions) -> list:
    """Run the intruder (tests/intruder.py) on what these decisions would let the app show:
    every setting and every group (district or authority × phase choice) not hidden. Every
    hidden setting and group is attacked, whatever its value."""
    hidden_cells = set(decisions.cells.loc[decisions.cells.family == "all", "urn"])
    hidden_groups = {(g.geo, g.phase_key) for g in decisions.groups.itertuples()
                     if g.family == "all"}  # fmt: skip
    values = {(int(r.urn), "n"): float(r.numerator) for r in facts.itertuples()}
    model = cast(intruder.Model, SimpleNamespace(values=values, links=[]))
    att = intruder.Attack()
    for (urn, _), v in values.items():
        expr = intruder.Expr({((urn, "n"), 1.0)})
        target = att.hidden if urn in hidden_cells else att.shown
        target.append(intruder.Figure(f"setting {urn}", expr, v))
    where = {
        int(r.urn): (r.district_code, r.phase, r.admissions_policy) for r in facts.itertuples()
    }
    districts = sorted({d for d, _, _ in where.values()})
    for option in PHASE_OPTIONS:
        for geo in ["all", *districts]:
            members = [u for u, (d, phase, adm) in where.items()
                       if (geo == "all" or d == geo) and phase in option.phases
                       and adm in option.admissions]  # fmt: skip
            if not members:
                continue
            expr = intruder.Expr({((u, "n"), 1.0) for u in members})
            total = sum(values[(u, "n")] for u in members)
            target = att.hidden if (geo, option.key) in hidden_groups else att.shown
            target.append(intruder.Figure(f"{geo}/{option.key}", expr, total))
    att.hidden = intruder._distinct(att.hidden)
    att.shown = intruder._distinct(att.shown)
    return intruder.attack(model, att).recovered


def test_a_small_district_cannot_be_had_from_the_authority_minus_the_others():
    # District B's primaries hold 2 events in all: B's figure is hidden, and since Kent minus
    # A would give it back, something else must be hidden so that it cannot be worked out.
    facts = _block({1: ("A", "Primary", 10), 2: ("A", "Primary", 12), 3: ("B", "Primary", 1),
                    4: ("B", "Primary", 1), 5: ("A", "Special", 4), 6: ("B", "Special", 5),
                    7: ("A", "Special", 6), 8: ("B", "Special", 8)})  # fmt: skip
    d = suppression.decide(facts, min_count=3)
    assert ("B", "primary") in {(g.geo, g.phase_key) for g in d.groups.itertuples()}
    assert not _recovered(facts, d)
    # and the intruder is not toothless: with only the small counts hidden it recovers them
    weak = suppression.Decisions(d.cells[d.cells.is_primary], d.groups[d.groups.is_primary])
    assert _recovered(facts, weak)


PHASES = ["Primary", "Secondary", "Special", "Alternative provision", "Nursery"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(PHASES), st.integers(0, 12)),
        min_size=1,
        max_size=14,
    )
)
def test_no_layout_of_small_counts_can_be_worked_out(rows):
    facts = _block({i + 1: r for i, r in enumerate(rows)})
    d = suppression.decide(facts, min_count=3)
    small = {int(r.urn) for r in facts.itertuples() if 0 < r.numerator < 3}
    assert small <= _hidden(d)
    assert not _recovered(facts, d)


def test_the_threshold_applies_when_the_database_is_built():
    facts = _block({1: ("A", "Primary", 4), 2: ("A", "Primary", 40), 3: ("A", "Primary", 50)})
    assert 1 not in _hidden(suppression.decide(facts, min_count=3))
    assert 1 in _hidden(suppression.decide(facts, min_count=5))


def _tiny_settings():
    base = dict(phase="Primary", district_code="E07000113")
    return [
        dict(urn=1, name="Tiny A Primary", **base),
        dict(urn=2, name="Tiny B Primary", **base),
        dict(urn=3, name="Thanet C Primary", phase="Primary", district_code="E07000114"),
        dict(urn=4, name="Thanet Special", phase="Special", district_code="E07000114"),
    ]


def _facts():
    rows = []
    for urn, pupils, ehcp in ((1, 6, 1), (2, 8, 0), (3, 300, 6), (4, 120, 118)):
        rows.append(
            dict(
                urn=urn,
                year_code=202425,
                input="ehcp",
                breakdown="all",
                numerator=ehcp,
                denominator=pupils,
            )
        )
        rows.append(
            dict(
                urn=urn,
                year_code=202425,
                input="sen_support",
                breakdown="all",
                numerator=pupils // 3,
                denominator=pupils,
            )
        )
    return rows


def test_small_selection_is_suppressed_in_table_and_csv(make_tiny_db):
    path = make_tiny_db(_tiny_settings(), _facts())
    con = db.connect(path)
    sel = Selection(202425, "E07000113", "primary", "Swale")
    table = indicators.headline_table(db.fetcher(con), sel)
    ehcp = table.set_index("measure_id").loc["ehcp_pct"]
    assert ehcp.flag == "c"  # one pupil with a plan among 14
    assert math.isnan(ehcp.value) and math.isnan(ehcp.numerator) and ehcp.comparison == ""
    sen = table.set_index("measure_id").loc["sen_support_pct"]
    assert sen.flag == "" and sen.denominator == 14  # 2 + 2 pupils: shown, on 14 pupils
    csv = indicators.headline_csv(table, sel, is_demo=True)
    row = csv.set_index("measure_id").loc["ehcp_pct"]
    assert row.flag == "c" and pd.isna(row.value) and pd.isna(row.numerator)
    assert "1 of 14" not in csv.to_csv()
    assert (csv.data_status == "Demo data — fictional settings and figures").all()
    con.close()


def test_low_reliability_is_never_called_different(make_tiny_db):
    settings = _tiny_settings()
    facts = [f for f in _facts() if f["urn"] != 1]
    facts = [
        {**f, "numerator": 5, "denominator": 8}
        if f["urn"] == 2 and f["input"] == "sen_support"
        else f
        for f in facts
    ]
    con = db.connect(make_tiny_db(settings, facts))
    sel = Selection(202425, "E07000113", "primary", "Swale")
    row = (
        indicators.headline_table(db.fetcher(con), sel)
        .set_index("measure_id")
        .loc["sen_support_pct"]
    )
    assert row.flag == "u" and row.value == 5 / 8
    assert row.comparison == "" and row.comparison_text == ""
    con.close()
