"""User guide: who the dashboard is for and how to read its figures, with worked examples
computed by the same code the dashboard uses."""

import streamlit as st

from dashboard.core import catalogue, home
from dashboard.core.safe_text import md
from dashboard.statistics import stats

NAME = md(home.current().name)  # the home authority (dashboard/core/home.py)

st.title("User guide")
st.markdown(
    """
**Who this is for.** Local-authority officers browsing areas, presenters preparing headteacher
briefings, and members of headteacher associations (such as the
Kent Association of Headteachers) weighing up pilot inclusion measures. It is a prompt for
professional conversation, not a league table: no page ranks settings, and many differences
you see will be chance.

**Getting around.** Choose an academic year, district and phase in the sidebar; they apply to
every page and stay in the page address, so you can bookmark or share a view. Each chart has a
plain-words summary under it, a **Show as table** alternative, and downloads (PNG, SVG and the
CSV of exactly the data behind it). **Add to briefing pack** collects charts into a PowerPoint
file on the Briefing pack page.
"""
)

st.header("Reading a figure")
x, n = 10, 200
lo, hi = stats.wilson(x, n)
st.markdown(
    f"""
Every figure comes with its **numerator and denominator** and a **95% interval**. Worked
example: a school with {n} pupils of whom {x} have an EHC plan shows **{x / n:.1%}**, with a
95% interval of **{float(lo):.1%} to {float(hi):.1%}** (Wilson score interval). The interval is
the range of underlying rates that could easily have produced {x} in {n}; with a handful of
pupils more or fewer the percentage would move a lot, and the interval says so.
"""
)
x2, n2 = 30, 200
lo2, hi2 = stats.wilson(x2, n2)
d, dlo, dhi = stats.newcombe_difference(x2, n2, 14, 220)
st.markdown(
    f"""
**“Not significantly different”** means the interval includes the comparator. If {NAME}'s primary
figure is 6.0%, a school at {x2 / n2:.1%} ({float(lo2):.1%} to {float(hi2):.1%}) is
*significantly higher* because the whole interval lies above 6.0%; the school at {x / n:.1%}
above is *not significantly different*. For pilot gap measures the interval is for the gap
itself: a gap of {float(d) * 100:+.1f} points with interval {float(dlo) * 100:+.1f} to
{float(dhi) * 100:+.1f} excludes zero, so the two groups differ.

**Context measures** (SEN support, EHC plans, quality marks, concentration, placement) describe
need and provision: “above” and “below” {NAME}, never better or worse, in neutral colours.
"""
)

st.header("Reading a funnel plot")
limits95 = stats.funnel_limits(0.06, [50, 500], 0.95)
limits998 = stats.funnel_limits(0.06, [50, 500], 0.998)
st.markdown(
    f"""
A funnel plot puts each setting's value against its size. The horizontal line is the comparator
({NAME}'s figure for the same phase); the dashed lines are 95% limits and the dotted lines 99.8%
limits. Small settings vary more by chance, so the limits are wide on the left and narrow on
the right. With a comparator of 6.0%, a setting of 50 pupils is inside the 99.8% limits anywhere
from {limits998[0][0]:.1%} to {limits998[1][0]:.1%} (95%: {limits95[0][0]:.1%} to
{limits95[1][0]:.1%}); a setting of 500 pupils only from {limits998[0][1]:.1%} to
{limits998[1][1]:.1%}.

With many settings on one chart, about 1 in 20 falls outside the 95% limits by chance alone, so
the dashboard flags only settings beyond the **99.8%** limits and says how many chance alone
would put there. Areas are few (a dozen districts, five phases), so a district, phase or
authority is called higher or lower when its **95%** interval excludes the comparator. Each
figure gets one verdict by that rule on every page (Overview, Compare, Map, Pilot measures);
Compare lets you choose the other level, and then says so beside its verdicts. Flagged
settings are drawn as triangles and named; colour is never the only cue. For absence, which
varies between schools more than chance would give, the limits are widened for
**over-dispersion** and the caption says so.
"""
)

st.header("Expected given intake")
st.markdown(
    """
*Expected given intake* sets each setting's SEN support share, EHC plan share and suspension
rate beside what settings with a similar intake show: the same phase, a similar size, and
similar shares of pupils eligible for free school meals and with English as an additional
language, from a model of every loaded setting. The funnel plots observed ÷ expected against
the expected count: 1 is "as expected", and the limits narrow as the expected count grows. It
is **context, never a verdict**: "more than expected" is neither better nor worse, and the four
facts the model knows leave most of what makes a setting different outside it. A setting whose
figure or intake is suppressed has no ratio, and the table says why. Under the funnel, the
selection is also taken as a whole (its settings' observed total over their expected total),
in words and as the open diamond on the funnel.
Choose one of your groups of settings (uploaded on Compare) under *Settings* to see its members
alone, whatever district the sidebar holds. Data and methods gives the model, its fit and its
limits.
"""
)

st.header("Your own groups")
st.markdown(
    """
On **Compare**, open *Your groups of settings* and upload a CSV with two columns, `urn` and
`group` (one row per setting and group; the *Template CSV* button gives one). Each group is then
compared like a district: only its settings of the chosen phase count, its figure has a 95%
interval, and it is called higher or lower only when that interval excludes the authority's
figure for the same phase. A group with any member whose figure is suppressed (**c**) shows no
figure: otherwise two groups differing by one setting would give that setting's hidden number
away. The page address carries the groups (URNs and names, never figures), so copying it
shares them; *Download these groups* gives the CSV back for editing.
"""
)

st.header("Symbols")
st.markdown(
    """
- **c** — suppressed to protect pupils: a count of 1 or 2, or a figure built on one.
- **u** — low reliability: fewer than 10 pupils (or the measure's minimum). Drawn hollow, never
  called significantly different.
- **x** — not available (for example, summer-2020 absence was never collected).
- **z** — not applicable (for example, absence for nursery settings).
"""
)

st.header("Pilot measures")
st.markdown(
    "These are proposals under discussion: "
    + ", ".join(m.title for m in catalogue.load() if m.is_pilot)
    + ". Each carries a “pilot measure — under discussion” badge and its caveats wherever it "
    "appears. The Pilot measures page sets them out for discussion."
)

st.header("Getting help")
st.markdown(
    "See the **Accessibility statement** for how to report a problem. Definitions, methods and "
    "data sources are on **Data and methods**."
)
