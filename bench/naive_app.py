"""The naive baseline for the browser benchmark: an Overview and a Compare view written the
obvious way, with Streamlit and pandas reading a CSV export of every setting's figures on
every rerun and no caching. It is never shipped; bench/browser.py runs it beside the app so
the ratio says what the app's design buys.

    KENT_NAIVE_CSV=bench/out/kent_facts.csv streamlit run bench/naive_app.py
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import plotly.express as px
import streamlit as st
from statsmodels.stats.proportion import proportion_confint

INPUTS = ["sen_support", "ehcp", "overall_absence", "persistent_absence", "suspensions",
          "suspended_pupils", "perm_exclusions"]  # fmt: skip
PHASES = {"primary": ["Primary"], "secondary": ["Secondary"], "special": ["Special"],
          "all": None}  # fmt: skip

facts = pd.read_csv(os.environ["KENT_NAIVE_CSV"])  # every rerun: the naive part
q = st.query_params
view = q.get("view", "overview")
years = sorted(facts["year_code"].unique(), reverse=True)
year_code = int(q.get("year", "2023-24")[:4] + q.get("year", "2023-24")[5:])
year_code = st.sidebar.selectbox("Academic year", years, index=years.index(year_code))
district = q.get("district", "all")
phase = q.get("phase", "all")

part = facts[(facts["year_code"] == year_code) & (facts["la_code"] == 886)]
if district != "all":
    part = part[part["district_code"] == district]
if PHASES.get(phase):
    part = part[part["phase"].isin(PHASES[phase])]

if view == "overview":
    st.title("Overview (naive)")
    rows = []
    for inp in INPUTS:
        f = part[(part["input"] == inp) & (part["breakdown"] == "all")].dropna(subset=["numerator"])
        num, den = f["numerator"].sum(), f["denominator"].sum()
        if den > 0:
            lo, hi = proportion_confint(min(num, den), den, method="wilson")
            rows.append((inp, num / den, lo, hi, num, den))
            st.metric(inp, f"{100 * num / den:.1f}%", help=f"{num:.0f} of {den:.0f}")
    table = pd.DataFrame(rows, columns=["input", "value", "lower", "upper", "num", "den"])
    st.plotly_chart(px.bar(table, x="input", y="value", error_y=table["upper"] - table["value"]))
    st.dataframe(table)
else:
    st.title("Compare (naive)")
    f = part[(part["input"] == "sen_support") & (part["breakdown"] == "all")].dropna(
        subset=["numerator"]
    )
    f = f[f["denominator"] > 0].copy()
    lo, hi = proportion_confint(f["numerator"], f["denominator"], method="wilson")
    f["value"], f["lower"], f["upper"] = f["numerator"] / f["denominator"], lo, hi
    overall = f["numerator"].sum() / f["denominator"].sum()
    f["result"] = np.where(f["lower"] > overall, "higher",
                           np.where(f["upper"] < overall, "lower", "similar"))  # fmt: skip
    f = f.sort_values("value")
    fig = px.scatter(f, x="value", y="name", error_x=f["upper"] - f["value"], color="result")
    st.plotly_chart(fig)
    st.dataframe(f[["name", "numerator", "denominator", "value", "lower", "upper", "result"]])
