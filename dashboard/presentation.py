"""Figures into words: the text of headline cards, captions and flag explanations.

Kept apart from Streamlit so the exact wording users read is unit-tested."""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard import disclosure
from dashboard.catalogue import Measure
from dashboard.indicators import NOT_APPLICABLE, NOT_AVAILABLE


def _n(x: float) -> str:
    return f"{x:,.0f}"


def _lower_first(text: str) -> str:
    """'Pupils with an EHC plan' → 'pupils with an EHC plan' (acronyms kept)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


@dataclass(frozen=True)
class CardText:
    value: str
    counts: str
    interval: str
    authority: str
    comparison: str
    flag: str


def flag_text(flag: str, measure: Measure, year_note: str = "") -> str:
    if not flag:
        return ""
    if flag == NOT_APPLICABLE:
        return "z — not applicable to the settings in this selection."
    if flag == NOT_AVAILABLE:
        return "x — not available for this selection and year." + (
            f" {year_note}" if year_note else ""
        )
    text = disclosure.reason_text(flag, measure.min_denominator)
    if flag == disclosure.LOW_RELIABILITY:
        text += "; shown hollow and never called significantly different."
    return text


def counts_text(measure: Measure, row) -> str:
    """The denominator, always beside the value."""
    if _missing(row.denominator):
        return ""
    if measure.model in ("difference", "ratio"):
        unit = "suspensions" if measure.model == "ratio" else "persistently absent"
        base = "pupils" if measure.model == "ratio" else "enrolments"
        return (
            f"With SEN: {_n(row.numerator)} {unit} of {_n(row.denominator)} {base}; "
            f"without SEN: {_n(row.numerator_b)} of {_n(row.denominator_b)} {base}"
        )
    if measure.model == "poisson":
        return (
            f"{_n(row.numerator)} {_lower_first(measure.numerator)} among "
            f"{_n(row.denominator)} {_lower_first(measure.denominator)}"
        )
    return (
        f"{_n(row.numerator)} of {_n(row.denominator)}: "
        f"{_lower_first(measure.numerator)} ÷ {_lower_first(measure.denominator)}"
    )


def interval_text(measure: Measure, lower: float, upper: float) -> str:
    if _missing(lower) or _missing(upper):
        return ""
    return f"95% interval {measure.format_value(lower)} to {measure.format_value(upper)}"


def card_text(measure: Measure, row) -> CardText:
    """Everything a headline card says, from one row of indicators.headline_table."""
    flag = flag_text(row.flag, measure, row.year_note)
    if row.flag in ("", disclosure.LOW_RELIABILITY) and not _missing(row.value):
        value = measure.format_value(row.value)
    else:
        value = row.flag or "–"
    authority = ""
    if not _missing(row.authority_value):
        authority = f"{row.authority_name}: {measure.format_value(row.authority_value)}"
        if not _missing(row.authority_lower):
            authority += (
                f" ({measure.format_value(row.authority_lower)} to "
                f"{measure.format_value(row.authority_upper)})"
            )
    comparison = row.comparison_text
    if not comparison and row.flag == disclosure.LOW_RELIABILITY:
        comparison = "Not compared: too few pupils for a reliable comparison."
    return CardText(
        value=value,
        counts=counts_text(measure, row) if not _missing(row.value) else "",
        interval=interval_text(measure, row.lower, row.upper),
        authority=authority,
        comparison=comparison,
        flag=flag,
    )
