"""Figures into words: the text of headline cards, captions and flag explanations.

Kept apart from Streamlit so the exact wording users read is unit-tested."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.core import home
from dashboard.core.catalogue import Measure, verdict_rule
from dashboard.core.safe_text import md
from dashboard.figures.indicators import NOT_APPLICABLE, NOT_AVAILABLE, describe_comparison
from dashboard.statistics import disclosure, stats
from dashboard.views.export_meta import ExportMeta


def _n(x: float) -> str:
    return f"{x:,.0f}"


def lower_first(text: str) -> str:
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
    comparators: tuple[str, ...] = ()  # England and the region, each with basis and verdict


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
    if measure.two_groups:
        unit = "suspensions" if measure.model == "ratio" else "persistently absent"
        base = "pupils" if measure.model == "ratio" else "enrolments"
        return (
            f"With SEN: {_n(row.numerator)} {unit} of {_n(row.denominator)} {base}; "
            f"without SEN: {_n(row.numerator_b)} of {_n(row.denominator_b)} {base}"
        )
    if measure.model == "poisson":
        return (
            f"{_n(row.numerator)} {lower_first(measure.numerator)} among "
            f"{_n(row.denominator)} {lower_first(measure.denominator)}"
        )
    return (
        f"{_n(row.numerator)} of {_n(row.denominator)}: "
        f"{lower_first(measure.numerator)} ÷ {lower_first(measure.denominator)}"
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
        comparators=tuple(comparator_lines(measure, row)),
    )


def comparator_lines(measure: Measure, row) -> list[str]:
    """England's and the region's figure for the same phases (comparators.headlines), each
    with its interval, how it was made, and the verdict of the selection against it."""
    lines = []
    for key in ("england", "region"):
        name = getattr(row, f"{key}_name", None)
        if not isinstance(name, str) or not name:
            continue
        value = getattr(row, f"{key}_value")
        if _missing(value):
            text = f"{md(name)}: {getattr(row, f'{key}_flag') or '–'}"
        elif _missing(getattr(row, f"{key}_lower")):  # a published figure: no interval
            text = f"{md(name)}: {measure.format_value(value)}"
        else:
            text = (f"{md(name)}: {measure.format_value(value)} "
                    f"({measure.format_value(getattr(row, f'{key}_lower'))} to "
                    f"{measure.format_value(getattr(row, f'{key}_upper'))})")  # fmt: skip
        verdict = getattr(row, f"{key}_comparison_text")
        lines.append(
            f"{text}, {getattr(row, f'{key}_basis')}."
            + (f" {md(verdict)}." if isinstance(verdict, str) and verdict else "")
        )
    return lines


RESULT_WORDS = {"higher": "Higher", "lower": "Lower", "similar": "Not significantly different"}


def result_text(measure: Measure, result: str, beyond: str, flag: str) -> str:
    if flag == "u":
        return "Not compared (low reliability)"
    if not result:
        return "Not compared"
    if result == "similar":
        return "Not significantly different"
    if measure.polarity == "context":
        word = "Above" if result == "higher" else "Below"
    else:
        good = (result == "higher") == (measure.polarity == "higher_better")
        word = f"{RESULT_WORDS[result]} ({'better' if good else 'worse'})"
    return f"{word}, beyond the {beyond} limit" if beyond else word


def _number(measure: Measure, value: float) -> str:
    return f"{value * measure.multiplier:,.{measure.decimals}f}"


GRID_WORDS = {"higher": "▲ higher", "lower": "▼ lower", "similar": "● similar"}


def grid_cell(measure: Measure, row) -> str:
    """One cell of the landing grid (comparators.phase_grid), as compact Markdown: the figure,
    its 95% interval, England's figure for the same phase (computed or published) and the
    verdict against it; the grid's caption gives the unit of each measure."""
    if row.flag not in ("", disclosure.LOW_RELIABILITY) or _missing(row.value):
        return f"**{row.flag or '–'}**"
    text = f"**{_number(measure, row.value)}**"
    if not _missing(row.lower):
        text += f"  \n{_number(measure, row.lower)}–{_number(measure, row.upper)}"
    if _missing(row.england_value):
        return text + "  \nEngland –"
    kind = "computed" if row.england_basis.startswith("computed") else "published"
    text += f"  \nEngland {_number(measure, row.england_value)} ({kind})"
    if row.flag == disclosure.LOW_RELIABILITY:
        return text + "  \nnot compared (u)"
    if row.comparison:
        word = GRID_WORDS[row.comparison]
        if row.comparison != "similar" and measure.polarity != "context":
            good = (row.comparison == "higher") == (measure.polarity == "higher_better")
            word += " (better)" if good else " (worse)"
        elif row.comparison != "similar":
            word = word.replace("higher", "above").replace("lower", "below")
        text += f"  \n{word}"
    return text


def grid_table(grid: pd.DataFrame, measures: dict, is_demo: bool) -> pd.DataFrame:
    """The data behind the landing grid, in display units, for download."""
    rows = []
    for r in grid.itertuples(index=False):
        m = measures[r.measure_id]
        scale, d = m.multiplier, m.decimals + 1
        shown = r.flag in ("", disclosure.LOW_RELIABILITY) and not _missing(r.value)
        rows.append({
            "measure": m.title, "status": m.status, "phase": r.phase_label, "unit": m.unit,
            "value": stats.rounded(r.value * scale, d) if shown else np.nan,
            "lower_95": stats.rounded(r.lower * scale, d)
            if shown and not _missing(r.lower) else np.nan,
            "upper_95": stats.rounded(r.upper * scale, d)
            if shown and not _missing(r.upper) else np.nan,
            "numerator": r.numerator if r.flag in ("", disclosure.LOW_RELIABILITY) else np.nan,
            "denominator": r.denominator
            if r.flag in ("", disclosure.LOW_RELIABILITY) else np.nan,
            "flag": r.flag,
            "england": stats.rounded(r.england_value * scale, d) if not _missing(r.england_value)
            else np.nan,
            "england_basis": r.england_basis,
            "comparison": r.comparison_text,
            "data_status": "Demo data — fictional settings and figures" if is_demo else "",
        })  # fmt: skip
    return pd.DataFrame(rows)


def comparison_table(comp, is_demo: bool) -> pd.DataFrame:
    """The data behind a comparison chart, after disclosure control, in display units."""
    m = comp.measure
    scale = m.multiplier
    rows = []
    for r in comp.units.itertuples(index=False):
        flagged = r.flag not in ("", "u")
        rows.append(
            {
                "unit": r.label,
                "code": r.unit,
                "numerator": r.numerator,
                "denominator": r.denominator,
                **(
                    {"numerator_no_sen": r.numerator_b, "denominator_no_sen": r.denominator_b}
                    if m.two_groups
                    else {}
                ),
                "value": np.nan if flagged else stats.rounded(r.value * scale, m.decimals + 1),
                "lower_95": np.nan if flagged else stats.rounded(r.lower * scale, m.decimals + 1),
                "upper_95": np.nan if flagged else stats.rounded(r.upper * scale, m.decimals + 1),
                "unit_of_value": m.unit,
                "comparator": stats.rounded(r.comparator * scale, m.decimals + 1)
                if not _missing(r.comparator)
                else np.nan,
                "comparison": result_text(m, r.result, r.beyond, r.flag),
                "flag": r.flag,
                "flag_meaning": flag_text(r.flag, m) if r.flag else "",
                **({"years_pooled": r.years_pooled} if comp.pooled_years else {}),
                "data_status": "Demo data — fictional settings and figures" if is_demo else "",
            }
        )
    return pd.DataFrame(rows)


def comparison_caption(comp) -> str:
    """What is compared, with what, how, how many, and what chance alone would flag."""
    m = comp.measure
    sel = comp.selection
    n = comp.compared
    level = {"settings": "settings", "districts": "districts", "phases": "phases",
             "authorities": "authorities and areas", "groups": "groups"}[comp.level]  # fmt: skip
    parts = [
        f"**{m.title}**, {sel.year_label}: {len(comp.units)} {level}"
        + (f" in {md(sel.area_label)}" if comp.level in ("settings", "phases") else "")
        + f" ({comp.units['flag'].isin(['c']).sum()} suppressed, "
        f"{(comp.units['flag'] == 'u').sum()} low reliability)."
    ]
    if comp.level == "phases":
        parts.append(
            f"Each phase is set beside {md(home.current().possessive)} figure for the same phase."
        )
    elif _missing(comp.comparator):
        parts.append(f"No comparator: {md(comp.comparator_name)} has no figure for "
                     f"{sel.year_label}, so no unit is called higher or lower.")  # fmt: skip
    else:
        parts.append(
            f"Comparator: {md(comp.comparator_name)}, {m.format_value(comp.comparator)} "
            f"({sel.year_label})."
        )
    funnel = comp.funnel is not None
    if funnel:
        parts.append("Funnel plot after Spiegelhalter (2005), limits at 95% and 99.8%.")
    parts.append(comp.method)
    if n:
        expected95 = n * 0.05
        expected998 = n * 0.002
        from dashboard.figures.comparison import CONFIDENCE_LABELS

        flagged = CONFIDENCE_LABELS.get(comp.flag_conf, "")
        if funnel and verdict_rule(comp.level).method == "funnel":
            how = f"units are flagged beyond the {flagged} limits"
        else:  # the catalogue's rule judges these units by their own intervals
            how = (f"units are called higher or lower where their {flagged} interval excludes "
                   "the comparator")  # fmt: skip
        parts.append(
            f"With {n} units compared, about {expected95:.1f} would fall outside 95% limits and "
            f"{expected998:.2f} outside 99.8% limits by chance alone; {how}."
        )
    parts.extend(comp.notes)
    if m.is_pilot:
        parts.append("**Pilot measure — under discussion.**")
    parts.append("Caveats: " + " ".join(m.caveats))
    note = m.year_notes.get(sel.year_label)
    if note:
        parts.append(f"{sel.year_label}: {note}")
    parts.append(f"Source: {m.source}.")
    return " ".join(parts)


def chart_subtitle(comp) -> str:
    sel = comp.selection
    name = home.current().name
    area = {"districts": f"{name} districts", "authorities": f"{name} and its statistical "
            "neighbours", "groups": "Your groups"}.get(comp.level, sel.area_label)  # fmt: skip
    bench = "no comparator" if _missing(comp.comparator) else f"comparator: {comp.comparator_name}"
    return f"{area} · {sel.phase_option.label} · {sel.year_label} · {bench}"


def group_text(key: str) -> str:
    from dashboard.core.filters import PHASES_BY_KEY

    return f"compared within: {PHASES_BY_KEY[key].label.lower()}"


def series_table(series: pd.DataFrame, measure: Measure, is_demo: bool) -> pd.DataFrame:
    """The data behind a trend chart, in display units, after disclosure control. Years whose
    figures are a predecessor setting's (GIAS links) say so in a column of their own."""
    out = display_frame(series, ["series", "year"], measure, is_demo)
    if "predecessor" in series and series["predecessor"].fillna(False).astype(bool).any():
        out.insert(2, "figures_of", ["predecessor setting" if p is True else ""
                                     for p in series["predecessor"]])  # fmt: skip
    return out


def export_meta(measure: Measure, title: str, filters: str, year: str, demo: bool,
                method: str = "", summary: str = "", notes=()):  # fmt: skip
    return ExportMeta(
        title=title,
        filters=filters,
        definition=measure.definition,
        source=measure.source,
        year=year,
        caveats=tuple(measure.caveats),
        method=method or measure.model_label,
        demo=demo,
        summary=summary,
        notes=tuple(notes),
    )


def comparison_summary(comp) -> str:
    """One sentence under a comparison chart, for screen readers and slides."""
    m = comp.measure
    shown = comp.shown.dropna(subset=["value"]).sort_values("value")
    if shown.empty:
        return f"No values of {m.short_title.lower()} can be shown for this selection."
    lo, hi = shown.iloc[0], shown.iloc[-1]
    counts = comp.units["result"].value_counts()
    higher, lower = int(counts.get("higher", 0)), int(counts.get("lower", 0))
    words = ("above", "below") if m.is_context else ("higher than", "lower than")
    bench = (f"{comp.comparator_name} ({m.format_value(comp.comparator)})"
             if not math.isnan(comp.comparator)
             else f"{home.current().possessive} figure for the same phase")  # fmt: skip
    return (
        f"{m.short_title}: {len(comp.units)} units, values from {m.format_value(lo.value)} "
        f"({lo.label}) to {m.format_value(hi.value)} ({hi.label}); {higher} {words[0]} and "
        f"{lower} {words[1]} {bench}; {int(counts.get('similar', 0))} not significantly "
        f"different; {comp.suppressed} not shown."
    )


def profile_sentence(measure: Measure, own: pd.DataFrame) -> str:
    from dashboard.figures.trends import movement

    s = own.dropna(subset=["value"]).sort_values("year_code")
    if len(s) < 2:
        return f"Too few years with published values of {measure.short_title.lower()}."
    a, b = s.iloc[0], s.iloc[-1]
    return (f"{measure.short_title} at this setting {movement(measure, a.value, b.value)} "
            f"between {a.year} and {b.year}.")  # fmt: skip


def display_frame(units: pd.DataFrame, keys: list[str], measure: Measure, is_demo: bool):
    """Values in display units beside their counts and flags, for tables and CSVs. Values
    arrive already disclosure-controlled from the data layer."""
    s = measure.multiplier
    out = units[keys].copy()
    out["numerator"] = units["numerator"]
    out["denominator"] = units["denominator"]
    for col, name in (("value", "value"), ("lower", "lower_95"), ("upper", "upper_95")):
        out[name] = stats.rounded(units[col] * s, measure.decimals + 1)
    out["unit"] = measure.unit
    out["flag"] = units["flag"]
    if is_demo:
        out["data_status"] = "Demo data — fictional settings and figures"
    return out


def comparison_table_simple(units: pd.DataFrame, measure: Measure, is_demo: bool) -> pd.DataFrame:
    """Group values (holders and others, years around an award) for tables and CSVs."""
    return display_frame(units.rename(columns={"unit": "group"}), ["group"], measure, is_demo)


def group_headlines(comps: list, order: list[str]) -> pd.DataFrame:
    """One row per group in the user's own order (never by value: nothing is ranked), one
    column per measure: the figure Compare shows for the group (value, 95% interval, verdict
    in words or why there is none), for the Overview."""
    rows: dict[str, dict[str, str]] = {}
    labels: dict[str, str] = {}
    for comp in comps:
        m = comp.measure
        for u in comp.units.itertuples(index=False):
            if pd.isna(u.value) or u.flag not in ("", "u"):
                cell = f"{u.flag or '–'}: not shown"
            else:
                words = describe_comparison(m, u.result, comp.comparator_name)
                cell = (f"{m.format_value(u.value)} ({m.format_value(u.lower)} to "
                        f"{m.format_value(u.upper)})" + (f"; {words}" if words else "")
                        + ("; low reliability" if u.flag == "u" else ""))  # fmt: skip
            rows.setdefault(str(u.unit), {})[m.short_title] = cell
            labels[str(u.unit)] = str(u.label)
    ordered = [g for g in order if g in rows]
    return pd.DataFrame([{"Group": labels[g], **rows[g]} for g in ordered])
