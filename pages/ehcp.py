"""EHC plans and sufficiency: the authority-level picture officers plan with, beside England
and the region, and among all English authorities."""

import streamlit as st

from dashboard.core import home
from dashboard.core.safe_text import md
from dashboard.figures import ehcp
from dashboard.ui import cache
from dashboard.ui.components import chart
from dashboard.ui.components.export import chart_exports
from dashboard.views.exports import ExportMeta

HOME = home.current()  # the authority this dashboard serves (dashboard/core/home.py)

st.title("EHC plans and sufficiency")
demo = cache.is_demo()
SOURCE = "DfE, Education, health and care plans (SEN2 return), Explore Education Statistics"
CAVEATS = (
    "Local policies and recording practice differ between authorities.",
    "Placement reflects need and the sufficiency of local places as well as inclusion.",
)
case = cache.authority_figures(*cache.CASELOAD)
if case.empty:
    st.info("No authority-level EHC plan figures are loaded. Load DfE's release files with "
            f"`python -m dashboard.ingest ehcp FILE... --la {HOME.code}` (or `--la all` to set "
            f"{md(HOME.name)} among every English authority).")  # fmt: skip
    st.stop()
fictional = bool(ehcp.prefer_real(case)["is_fictional"].all())
# the demo build ships DfE's published series: its charts and exports are real figures, so
# they carry the demo notice only when the series itself is fictional
demo = demo and fictional
if fictional:
    st.warning("These authority-level figures are the **fictional demo series**, not DfE's "
               "published figures. Load the real release files to replace them.")  # fmt: skip
else:
    st.caption(f"Source: {SOURCE}. Caseload counts plans maintained in January each year.")


def meta(title: str, summary: str, period: str) -> ExportMeta:
    return ExportMeta(title=title, filters=f"{HOME.name} beside England and its region",
                      definition="EHC plans maintained by the local authority (SEN2 return).",
                      source=SOURCE + (" — fictional demo series" if fictional else ""),
                      year=period, caveats=CAVEATS, demo=demo, summary=summary)  # fmt: skip


wide = cache.ehcp_caseload()
if wide[wide["area_level"] == "authority"].empty:
    st.info(f"The loaded EHC plan release holds no caseload for {md(HOME.name)} (LA "
            f"{md(HOME.code)}), only other areas: load the release's all-areas files "
            f"(`python -m dashboard.ingest ehcp FILE... --la {HOME.code}`).")  # fmt: skip
    st.stop()
st.header("Caseload")
rates = ehcp.per_thousand(wide, cache.population())
if rates.empty:
    st.caption(
        "No 0–25 population estimate is loaded, so the caseload is shown as counts and as "
        "growth since the first year, not per 1,000 children and young people (load ONS "
        "estimates with `python -m dashboard.ingest refresh --only population`). These are "
        "complete counts of plans, so no sampling interval is drawn."
    )
else:
    words = ehcp.per_thousand_text(rates)
    fig = cache.figure("ehcp_lines_figure", rates, "rate", "Plans per 1,000 aged 0–25",
                                   "EHC plans per 1,000 people aged 0–25", "Each January "
                                   "against the mid-year estimate before it", demo,
                                   band=("lower", "upper"), hover_col="hover")  # fmt: skip
    chart.show(fig, key="ehcp_per_thousand")
    st.caption(
        f"In words: {md(words)}. {md(ehcp.population_note(rates, wide))} The band is an "
        "exact 95% Poisson interval treating each year's plans as the outcome of a "
        "process; the estimate's own uncertainty is not published and is not included."
    )
    chart_exports(fig, meta("EHC plans per 1,000 people aged 0–25", words,
                            str(rates["period"].iloc[-1])),
                  rates.drop(columns=["hover"]), "ehcp_per_thousand")  # fmt: skip
    st.caption("Growth is shown below as counts, since the first year.")
auth = wide[wide["area_level"] == "authority"]
first, last = auth.iloc[0], auth.iloc[-1]
summary = (f"{first.area_name}: {first.ehcplans:,.0f} plans in {first.period}, "
           f"{last.ehcplans:,.0f} in {last.period} (index {last['index']:.0f}); ")  # fmt: skip
eng = wide[wide["area_level"] == "national"]
if not eng.empty:
    summary += f"England index {eng.iloc[-1]['index']:.0f}."
transition = ehcp.transition_periods(wide)
fig = cache.figure("ehcp_lines_figure", wide, "index", "Plans, first year = 100",
                               "Growth in EHC plans maintained", "", demo, hover_den="ehcplans",
                               shade=(*transition, "statements → EHC plans")
                               if transition else None)  # fmt: skip
chart.show(fig, key="ehcp_caseload")
if transition:
    st.caption(ehcp.TRANSITION_NOTE)
st.caption(f"In words: {md(summary)}")
table = wide[["area_name", "period", "ehcplans", "index"]].rename(columns={"ehcplans": "plans"})
chart_exports(fig, meta("Growth in EHC plans maintained", summary, str(last.period)), table,
              "ehcp_caseload")  # fmt: skip

st.header("Placement")
long = ehcp.placement_long(wide)
gap = ehcp.gap_text(long)
fig = cache.figure("placement_figure", long, gap, demo)
chart.show(fig, key="ehcp_placement")
st.caption(f"In words: {md(gap)}.")
chart_exports(fig, meta("Where children and young people with EHC plans are placed", gap,
                        str(last.period)), long, "ehcp_placement")  # fmt: skip

st.header("Age, latest year")
ages = cache.authority_figures("caseload", "Child or young persons age", ["ehcplans"])
ages = ehcp.comparators(ages)
if ages.empty:
    st.info("No age breakdown is loaded.")
else:
    ages = ehcp.age_shares(ages)
    fig = cache.figure("age_figure", ages, demo)
    chart.show(fig, key="ehcp_age")
    own = ages[ages["area_level"] == "authority"]
    if own.empty:
        st.caption(md(f"The loaded age breakdown holds no figures for {HOME.name}."))
    else:
        peak = own.sort_values("share").iloc[-1]
        st.caption(f"In words: the largest share of {md(peak.area_name)}'s plans is at "
                   f"{md(peak.breakdown)} ({peak.share:.1%}).")  # fmt: skip
    chart_exports(fig, meta("EHC plans by age", "", str(ages["period_code"].iloc[0])),
                  ages[["area_name", "breakdown", "value", "share"]], "ehcp_age")  # fmt: skip
st.caption("Primary need is not in the loaded files, so no need breakdown is shown.")

st.header("New plans issued within 20 weeks")
time = ehcp.timeliness(cache.authority_figures(
    "timeliness", "All EHC plans issued",
    ["plans_issued_den", "plans_issued_within_20_weeks"]))  # fmt: skip
if time.empty:
    st.info("No timeliness figures are loaded.")
elif time[time["area_level"] == "authority"].empty:
    st.info(md(f"The loaded timeliness figures hold none for {HOME.name}: load the release's "
               "timeliness file for all areas."))  # fmt: skip
else:
    fig = cache.figure("ehcp_lines_figure", time, "share", "% issued within 20 weeks",
                                   "New EHC plans issued within 20 weeks", "Calendar years",
                                   demo, pct=True, band=("lower", "upper"),
                                   hover_den="plans_issued_den")  # fmt: skip
    chart.show(fig, key="ehcp_timeliness")
    a = time[time["area_level"] == "authority"].iloc[-1]
    e = time[time["area_level"] == "national"]
    words = (f"{a.area_name} issued {a.share:.1%} of {a.plans_issued_den:,.0f} new plans within "
             f"20 weeks in {a.period}")  # fmt: skip
    if not e.empty:
        words += f"; England {e.iloc[-1].share:.1%} of {e.iloc[-1].plans_issued_den:,.0f}"
    st.caption(f"In words: {md(words)}. The band is a 95% interval treating each year's plans as "
               "the outcome of the same process.")  # fmt: skip
    chart_exports(fig, meta("New EHC plans issued within 20 weeks", words, str(a.period)),
                  time[["area_name", "period", "plans_issued_within_20_weeks",
                        "plans_issued_den", "share", "lower", "upper"]],
                  "ehcp_timeliness")  # fmt: skip

st.header("Among all English authorities")
options = {"special_total": "Share of plans in special schools",
           "mainstream_total": "Share of plans in mainstream schools",
           "ehcplans": "EHC plans maintained"}  # fmt: skip
choice: str = (
    st.selectbox("Measure", list(options), format_func=lambda k: options[k], key="ehcp_dot")
    or "special_total"
)
dots = cache.ehcp_all_authorities(choice)
authorities = int((dots["area_level"] == "authority").sum()) if not dots.empty else 0
if authorities >= 10 and dots[dots["group"] == "This authority"].empty:
    st.info(md(f"{HOME.name} has no figure for this measure in the loaded all-authorities file."))
elif authorities < 10:
    st.info("Load DfE's all-authorities headline file (caseload_headline_all_areas) to place "
            f"{md(HOME.name)} among every English authority.")  # fmt: skip
else:
    pct = choice != "ehcplans"
    period = ehcp.period_label(int(dots["period_code"].iloc[0]), dots["period_type"].iloc[0])
    fig = cache.figure("dotplot_figure", dots, options[choice], pct, f"{period} · {authorities} "
                                "authorities; no ranks are shown", demo)  # fmt: skip
    chart.show(fig, key="ehcp_dots")
    me = dots[dots["group"] == "This authority"]
    scale = 100 if pct else 1
    unit = "%" if pct else ""
    ref_rows = dots[dots["group"].isin(["England", "Region"])]
    refs = "; ".join(f"{r.area_name} {r.value * scale:,.1f}{unit}" for r in ref_rows.itertuples())
    words = f"{me['area_name'].iloc[0]}: {me['value'].iloc[0] * scale:,.1f}{unit}; {refs}."
    st.caption(f"In words: {md(words)} Local policies and recording differ between authorities.")
    chart_exports(fig, meta(options[choice], words, period),
                  dots[["area_name", "area_level", "value", "group"]], "ehcp_dots")  # fmt: skip
