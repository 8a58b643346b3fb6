"""Disclosure control: nothing a rule suppresses reaches a figure, a table or a CSV."""

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import catalogue, db, disclosure, indicators
from dashboard.config import DisclosureRules
from dashboard.filters import Selection

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


def test_secondary_suppression_protects_a_lone_cell():
    # SEN support + EHCP + no SEN = all: one suppressed EHCP cell could be recovered.
    df = pd.DataFrame(
        {
            "urn": [1, 1, 1, 2, 2, 2],
            "breakdown": ["ehcp", "sen_support", "no_sen"] * 2,
            "numerator": [2, 15, 80, 0, 12, 90],
            "flag": ["c", "", "", "", "", ""],
        }
    )
    out = disclosure.secondary_suppress(df, ["urn"], "numerator")
    assert list(out.flag[:3]) == ["c", "c", ""]  # the smallest other cell goes too
    assert list(out.flag[3:]) == ["", "", ""]  # zero is not disclosive


def test_reason_text_names_the_rule():
    assert "fewer than 3" in disclosure.reason_text("c", 10)
    assert "below 10" in disclosure.reason_text("u", 10)
    assert "not available" in disclosure.reason_text("x", 10)


def _inputs(rows):
    return pd.DataFrame(
        [
            {
                "input": i,
                "breakdown": b,
                "numerator": x,
                "denominator": n,
                "settings": 1,
                "settings_withheld": 0,
                "settings_not_applicable": 0,
                "missing_reasons": None,
            }
            for i, b, x, n in rows
        ]
    )


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 40), st.integers(0, 40))
def test_no_suppressed_value_ever_leaves_an_area_figure(x1, x2, extra1, extra2):
    n1, n2 = x1 + extra1, x2 + extra2
    inputs = _inputs(
        [
            ("ehcp", "all", x1, n1),
            ("suspensions", "all", x1 + x2, n1 + n2),
            ("persistent_absence", "sen_support", x1, n1),
            ("persistent_absence", "ehcp", 0, 0),
            ("persistent_absence", "no_sen", x2, n2),
            ("suspensions", "sen_support", x1, n1),
            ("suspensions", "ehcp", 0, 0),
            ("suspensions", "no_sen", x2, n2),
        ]
    )
    for mid in ("ehcp_pct", "suspension_rate", "sen_pa_gap_pp", "sen_suspension_ratio"):
        m = catalogue.get(mid)
        fig = indicators.setting_measure_figure(m, inputs, rules=RULES)
        counts = [x1, n1] if m.model == "binomial" else [x1, x2, n1, n2]
        if m.id == "suspension_rate":
            counts = [x1 + x2, n1 + n2]
        if any(0 < c < 3 for c in counts):
            assert fig.flag == "c", (mid, counts)
            assert all(
                math.isnan(v)
                for v in (
                    fig.value,
                    fig.lower,
                    fig.upper,
                    fig.numerator,
                    fig.denominator,
                    fig.numerator_b,
                )
            )
        elif fig.flag == "" and not math.isnan(fig.value):
            den = (
                min(counts[len(counts) // 2 :]) if m.model in ("difference", "ratio") else counts[1]
            )
            assert den >= m.min_denominator


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
    table = indicators.headline_table(con, sel)
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
    row = indicators.headline_table(con, sel).set_index("measure_id").loc["sen_support_pct"]
    assert row.flag == "u" and row.value == 5 / 8
    assert row.comparison == "" and row.comparison_text == ""
    con.close()
