"""Accessibility statement, following the GOV.UK model."""

import streamlit as st

from dashboard.core import home
from dashboard.core.safe_text import md

st.title("Accessibility statement")
st.markdown(
    f"""
This statement applies to the {md(home.current().name)} inclusion dashboard. We want as many
people as possible to be able to use it. You should be able to:

- change the academic year, district and phase with a keyboard alone;
- zoom in up to 200% without text spilling off the screen;
- read every chart as a table (**Show as table**) and as a one-sentence summary under it;
- tell comparison results apart without colour: shapes (▲ ▼ ●), labels and words carry the
  meaning, and palettes are colour-blind safe (Okabe–Ito, purple–orange, greys).

## How accessible this dashboard is

We know some parts are not fully accessible:

- interactive charts are drawn with Plotly; screen readers cannot explore them point by point,
  so each has a text summary and a table of the same data;
- the district and setting maps show detail on hover; the same figures are in the table under
  each map;
- data tables use Streamlit's grid, which screen readers announce less clearly than an HTML
  table; every table can also be downloaded as CSV;
- downloaded PNG images have their title, filters and caveats drawn into the picture; use the
  SVG or CSV for assistive technology.

## How we tested it

Automated tests open every page in headless Chromium and through Streamlit's test harness,
check that every chart has a table and a text summary, that results are shown by shape and
label as well as colour, and that pages work at a narrow width equivalent to 200% zoom. We have
not yet had an independent audit against WCAG 2.2 AA; until then the dashboard is **partially
compliant**.

## Reporting a problem

If you find a problem not listed here, or need the information in a different format, raise an
issue in the project's repository or contact the team that runs the dashboard in your
authority. We aim to reply within 5 working days.

## Enforcement

The Equality and Human Rights Commission enforces the Public Sector Bodies (Websites and Mobile
Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond
to your complaint, contact the Equality Advisory and Support Service (EASS).

*This statement was prepared in November 2026.*
"""
)
