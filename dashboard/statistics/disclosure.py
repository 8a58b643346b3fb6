"""Disclosure control, applied in the data layer before any page, CSV, image or slide sees a value.

DfE's convention (reference section 5): pupil counts of 1 or 2 are confidential ("c"), and so is
any rate built on them; rates on fewer than 10 pupils are low reliability ("u"). Which setting
and group figures are confidential is decided once, for every view together, when the database
is built (dashboard/statistics/suppression.py); this module holds the symbols, the flags read
at view time and their wording. Thresholds live in `dashboard.core.config.DisclosureRules`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from dashboard.core.config import DisclosureRules, disclosure_rules

CONFIDENTIAL = "c"
LOW_RELIABILITY = "u"

# DfE's symbols and the legacy ones older files use, with what they mean.
SOURCE_SYMBOLS = {
    "c": "confidential (suppressed to protect individuals)",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "low": "rounds to zero, but is not zero",
    ":": "not available",
    "~": "fewer than 0.5, rounds to zero",
    "SUPP": "suppressed",
    "NE": "no entries",
    "NA": "not applicable or not available",
    "..": "not available",
    ".": "not available (older DfE files)",
}

REASON_TEXT = {
    CONFIDENTIAL: "c — confidential: fewer than {min_count} pupils or events, or hidden so that "
    "such a count cannot be worked out from the figures shown",
    LOW_RELIABILITY: "u — low reliability: denominator below {min_den:g}",
}

# Columns that carry a disclosive value and must be blanked when a row is confidential.
VALUE_COLUMNS = (
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
    "numerator_b",
    "denominator_b",
    "value_b",
)


def is_small(count, rules: DisclosureRules) -> np.ndarray:
    """True where a count is 1 .. min_count-1 (zero is shown: it discloses nothing about anyone)."""
    c = np.asarray(count, dtype=float)
    with np.errstate(invalid="ignore"):
        return (c > 0) & (c < rules.min_count)


def flags(
    counts: Sequence[ArrayLike],
    denominators: Sequence[ArrayLike],
    min_denominator: float,
    rules: DisclosureRules | None = None,
    source_reasons: ArrayLike | None = None,
) -> np.ndarray:
    """Each unit's flag: a source symbol if the source withheld the value, else 'c' where one
    of `counts` is small, 'u' where one of `denominators` is below min_denominator, or ''."""
    rules = rules or disclosure_rules()
    first = [*denominators, *counts][:1]
    size = np.asarray(first[0]).size if first else 0
    small = np.zeros(size, dtype=bool)
    for count in counts:
        small |= is_small(count, rules)
    low = np.zeros(size, dtype=bool)
    for den in denominators:
        with np.errstate(invalid="ignore"):
            low |= np.asarray(den, dtype=float) < min_denominator
    out = np.select([small, low], [CONFIDENTIAL, LOW_RELIABILITY], "").astype(object)
    if source_reasons is not None:
        reason = pd.Series(source_reasons, dtype=object).fillna("").astype(str).to_numpy(object)
        out = np.where(reason == "", out, reason)
    return out


def flag_rows(
    df: pd.DataFrame,
    count_columns: list[str],
    denominator_columns: list[str],
    min_denominator: float,
    rules: DisclosureRules | None = None,
    source_reason_column: str | None = "missing_reason",
) -> pd.Series:
    """Per-row flag (`flags`) of a frame. count_columns are pupil or event counts (c when
    small); denominator_columns are checked against min_denominator for the u flag."""
    reasons = None
    if source_reason_column and source_reason_column in df.columns:
        reasons = df[source_reason_column].to_numpy(object)
    got = flags([df[c] for c in count_columns], [df[c] for c in denominator_columns],
                min_denominator, rules, reasons)  # fmt: skip
    return pd.Series(got, index=df.index, dtype=object)


def withheld(flag: ArrayLike) -> np.ndarray:
    """Where a flag means the value must not be shown: confidential or withheld at source."""
    return np.isin(np.asarray(flag, dtype=object), [CONFIDENTIAL, *WITHHELD_SYMBOLS])


WITHHELD_SYMBOLS = tuple(s for s in SOURCE_SYMBOLS if s != LOW_RELIABILITY)


def blank_confidential(df: pd.DataFrame, flag_column: str = "flag") -> pd.DataFrame:
    """Remove every disclosive value from rows flagged confidential or withheld at source."""
    kept = ~withheld(df[flag_column])
    return df.assign(**{col: df[col].astype(float).where(kept)
                        for col in VALUE_COLUMNS if col in df.columns})  # fmt: skip


def reason_text(flag: str, min_denominator: float, rules: DisclosureRules | None = None) -> str:
    """Plain-words reason for a flag, for tables and CSVs."""
    rules = rules or disclosure_rules()
    if flag in REASON_TEXT:
        return REASON_TEXT[flag].format(min_count=rules.min_count, min_den=min_denominator)
    if flag in SOURCE_SYMBOLS:
        return f"{flag} — {SOURCE_SYMBOLS[flag]} (in the source data)"
    return ""
