"""Data and methods: every measure in the catalogue, the statistics, disclosure rules and the
provenance of the database."""

import pandas as pd
import streamlit as st

from dashboard.core import catalogue, home
from dashboard.core.catalogue import POLARITY_LABELS
from dashboard.core.config import disclosure_rules
from dashboard.core.safe_text import md
from dashboard.statistics import expected as expected_model
from dashboard.statistics.disclosure import SOURCE_SYMBOLS
from dashboard.ui import cache

HOME = home.current()  # the authority this dashboard serves (dashboard/core/home.py)
NAME = md(HOME.name)  # for Markdown

st.title("Data and methods")

st.header("Measures")
st.markdown(
    "Every measure the dashboard shows is defined once, in the measure catalogue "
    "(`dashboard/core/measures.toml`). **Pilot** measures are under discussion with schools and "
    "are not established indicators. **Context** measures describe need and are never "
    "coloured or described as better or worse."
)
measures = catalogue.load()
st.dataframe(
    pd.DataFrame(
        [
            {
                "Measure": m.title,
                "Status": m.status,
                "Polarity": POLARITY_LABELS[m.polarity],
                "Definition": m.definition,
                "Unit": m.unit,
                "Method": m.model_label,
                "Minimum denominator": m.min_denominator,
                "Source": m.source,
            }
            for m in measures
        ]
    ),
    hide_index=True,
    width="stretch",
)
for m in measures:
    with st.expander(f"{m.title} ({m.status})"):
        st.markdown(f"**Definition.** {m.definition}")
        st.markdown(f"**Numerator:** {m.numerator}. **Denominator:** {m.denominator}.")
        st.markdown(f"**Polarity:** {POLARITY_LABELS[m.polarity]}. **Method:** {m.model_label}.")
        st.markdown("**Caveats**")
        for c in m.caveats:
            st.markdown(f"- {c}")
        for year, note in m.year_notes.items():
            st.markdown(f"- **{year}:** {note}")
        st.caption(f"Source: {m.source} · id `{m.id}`")

st.header("Statistical methods")
rules = " ".join(rule.describe() for rule in catalogue.VERDICT_RULES.values())
st.markdown(
    f"""
- **Proportions** use the Wilson score interval (Wilson 1927); **rates of events** use Byar's
  approximation to the exact Poisson interval, exact below 10 events; **differences of
  proportions** use Newcombe's hybrid score interval (1998); **rate ratios** use an interval on
  the log scale. All intervals are 95%.
- **Comparisons** say “higher” or “lower” only by one rule per kind of figure, the same on
  every page: {rules} Otherwise “not significantly different”. Compare offers the other level
  on request and then says so beside its verdicts. The comparator is the authority's figure for
  the same phases (grammar and non-selective secondaries apart when chosen), never an all-phase
  figure.
- **England and regional figures computed from school-level rows** sum the authorities' own
  figures for the same phases. One is used (shown, and as a comparator for verdicts) only when
  the loaded rows hold at least 90% of the area's authorities *and* the sum includes at least
  90% of the authorities with such settings: an authority whose figure is suppressed, or has
  none at source, is left out of the sum, and the caption counts them ("18 of 19 authorities;
  1 left out, their figure suppressed"). Otherwise the published figure is used where one
  exists for the same phase.
- **Over-dispersion.** Absence and suspensions vary between schools far more than chance alone
  would give (on the demo for 2024/25, 57 of 341 primaries fell beyond the 99.8% limits of
  suspension rate, where chance gives about 0.7). For overall and persistent absence, suspension
  rate and the share of pupils suspended, area intervals and funnel limits are widened by √φ,
  where φ is Spiegelhalter's (2005) estimate from winsorised z-scores of the authority's
  settings of the same phase that year; where the spread is within chance, nothing is widened.
- No page ranks settings: units may be ordered by value only with their intervals shown.
"""
)

st.header("Expected given intake")
st.markdown(
    f"""
The *Expected given intake* page sets each setting's share of pupils on SEN support, share with
an EHC plan, and suspension rate beside the value expected for its intake — the idea behind the
SEND Index. It is **context, never a verdict**: more or fewer than expected is neither better
nor worse.

- **Intake** comes from the January school census: pupils eligible for free school meals over
  pupils on roll, and pupils whose first language is other than English over pupils whose first
  language is recorded (England's `NUMFSM`, `NUMEAL`, `NUMENGFL`, `NUMUNCFL`). Both are put
  through disclosure control like every other count.
- **The model**, one per measure and year, is fitted on every setting loaded — every authority
  when a national census is loaded, otherwise the home authority only, which the page says —
  whose figure and intake are both published. Shares of pupils: a binomial model (logit link)
  weighted by pupils on roll; suspensions: a Poisson model with pupils on roll as exposure.
  Terms: the phase group (grammar schools apart; a phase with fewer than
  {expected_model.MIN_GROUP} such settings is not modelled), log₂ pupils on roll, and the FSM
  and EAL shares. The terms' intervals are widened by Pearson's χ² scale (quasi-likelihood). The
  page gives the terms, the share of deviance the model accounts for, and how many settings and
  authorities it was fitted on.
- **Observed ÷ expected** is judged as standardised ratios are (indirect standardisation,
  Spiegelhalter 2005): its 95% interval is the observed count's (exact below 10, else Byar's)
  divided by the expected count; the funnel's limits around 1 are Poisson's at the expected
  count, widened by √φ (winsorised z-scores over every modelled setting) where settings vary
  more than chance allows. Outside the {expected_model.RULE.conf:.1%} limits — the rule for
  settings — a setting is said to have more or fewer than expected. Where the expected share is
  above {expected_model.CEILING:.0%} (EHC plans in special schools) no ratio is shown: nearly
  every pupil counts, so a ratio says little.
- **Taken together.** A selection (a district, a phase) or one of your groups is also given as
  a whole: the sum of its settings' observed counts over the sum of their expected counts (the
  selection's standardised ratio), with the same interval and the funnel's limits at that
  expected total. Only settings with a ratio of their own are summed, so the totals are sums
  of figures shown setting by setting and reveal nothing withheld; how many settings that
  leaves out is said beside it. On the funnel it is the open diamond at that expected total.
- **Disclosure.** Only published values go in. A setting whose figure is suppressed has no
  ratio (the ratio times the expected count would give the figure back); a setting whose FSM or
  EAL count is suppressed has no expected value (with the published terms it would give the
  intake back). The model is fitted on published values only.
- **Limits.** Four facts about a setting cannot describe its pupils: local provision (a
  resourced unit, a nearby special school), admissions, mobility, prior attainment and
  deprivation beyond FSM are all in the difference. The terms are associations across settings,
  not causes, and the same for every phase (no interactions). A model fitted on one authority
  says what is usual there, not in England. Expected values are for one year at a time.
"""
)

st.header("Disclosure control")
disclosure = disclosure_rules()
min_count = int(cache.metadata().get("disclosure_min_count") or disclosure.min_count)
st.markdown(
    f"""
Decided once, when the database is built, over every figure any page, download or slide can
show, so that no combination of them gives a hidden value back by subtraction:
- pupil or event counts of 1 to {min_count - 1} are shown as **c** (confidential), in a setting
  and in a group of settings (a district or {NAME}, for a phase), and so is any figure built
  on them;
- a setting's figure never stands alone as **c** among the settings of its district and phase:
  the smallest other one is hidden with it (a zero only beside a count above zero, so hidden
  figures never add up to a 0 that would give each away), so a **c** may stand for any count;
- a district's or {NAME}'s figure that is hidden must not follow from the figures shown
  (for example {NAME} minus the other districts): further figures are hidden until it
  does not — mixed-phase district figures first, {NAME}'s own figures last;
- a figure for all pupils and its split by SEN are hidden together where one would give the
  other, and a three-year pooled figure is hidden if any of its years is;
- the SEN / no-SEN figures show pupils with SEN (SEN support + EHC plans) as a denominator, so
  wherever a setting's SEN support or EHC plan count is **c**, its SEN / no-SEN figures are
  **c** too, and so are a group's wherever its SEN denominator would give such a count away;
  one group shown under two phase choices (a district with no grammar
  school: Secondary and Secondary — non-selective) is hidden under both;
- a figure whose denominator is below the measure's minimum (usually {disclosure.min_denominator}
  pupils) carries **u** (low reliability) and is never called significantly different;
- **your own groups of settings** (Compare) are drawn after the database is built, so they
  cannot take part in that decision. Instead a group's figure is the sum of its members'
  *published* figures, and a group with any member whose figure is **c** shows **c**: every
  number a group shows can already be worked out from the settings' own figures, so no group,
  nor any pair of groups, reveals a hidden count. A member with no figure at source (**x**,
  **z**) is left out of its group, and the page says how many.

The method follows DfE's convention (counts below 3 are confidential, with complementary
suppression); the tests attack every published figure with an integer-programming intruder to
check that no hidden count can be worked out.
"""
)
st.dataframe(
    pd.DataFrame({"Symbol": list(SOURCE_SYMBOLS), "Meaning": list(SOURCE_SYMBOLS.values())}),
    hide_index=True,
)

st.header("Provenance of this database")
meta = cache.metadata()
if meta.get("is_demo") == "true":
    st.warning(
        "This is the **embedded demo database**: fictional settings and figures generated "
        "deterministically. Districts, the 2014–15 pilot register and published figures "
        "are real."
    )
st.markdown(
    f"Built **{meta.get('built_at', 'unknown')}** by `{meta.get('builder', 'unknown')}`; "
    f"schema version {meta.get('schema_version', '?')}."
)
sources = cache.sources().rename(
    columns={
        "dataset": "Dataset",
        "publisher": "Publisher",
        "vintage": "Vintage",
        "file_name": "File",
        "sha256": "SHA-256",
        "row_count": "Rows",
        "loaded_at": "Loaded at (UTC)",
        "is_fictional": "Fictional",
        "notes": "Notes",
    }
)
st.dataframe(sources.drop(columns=["source_id"]), hide_index=True, width="stretch")

st.subheader("What this database can show")
st.markdown(
    "Each measure with the academic years that hold figures for it, or the file still needed "
    "(see the README, 'Use your own data')."
)
st.dataframe(
    cache.measure_coverage().rename(
        columns={"measure": "Measure", "years": "Years with figures", "needs": "Still needed"}
    ),
    hide_index=True,
    width="stretch",
)

st.header("Published figures")
st.markdown(
    "Real published figures, each with its source and vintage. They are shown only "
    "beside figures of the same phase and year."
)
bench = cache.published_figures()
st.dataframe(
    bench[["area_name", "year_label", "measure_id", "phase", "value", "source", "vintage", "note"]],
    hide_index=True,
    width="stretch",
)
