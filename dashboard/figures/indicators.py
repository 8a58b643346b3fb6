"""Measure values for areas (a selection of settings) with intervals and disclosure control.

Everything returned from here has already passed disclosure control: confidential values are
blanked, low-reliability values are flagged and never called significantly different.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

from dashboard.core import catalogue
from dashboard.core.catalogue import Measure
from dashboard.core.config import DisclosureRules, disclosure_rules
from dashboard.core.filters import (
    ALL_DISTRICTS,
    ALL_PHASE_PUBLISHED,
    MAINSTREAM,
    MAINSTREAM_PHASES,
    PHASES_BY_KEY,
    Selection,
)
from dashboard.statistics import disclosure, engine, stats
from dashboard.store.fetch import Fetch

NOT_APPLICABLE = "z"
NOT_AVAILABLE = "x"


@dataclass(frozen=True)
class AreaFigure:
    measure_id: str
    value: float = math.nan
    lower: float = math.nan
    upper: float = math.nan
    numerator: float = math.nan
    denominator: float = math.nan
    numerator_b: float = math.nan  # second group of a difference or ratio
    denominator_b: float = math.nan
    flag: str = ""
    settings: int = 0
    note: str = ""

    @property
    def shown(self) -> bool:
        return self.flag in ("", disclosure.LOW_RELIABILITY) and not math.isnan(self.value)

    @property
    def counts_shown(self) -> bool:
        """Whether the counts may be shown: whenever disclosure control and the source let
        them, value or not (a ratio with no events in one group is undefined, its counts are
        the reason, and every page shows them alike)."""
        return self.flag in ("", disclosure.LOW_RELIABILITY)


def _breakdown_sum(inputs: pd.DataFrame, input_: str | None, breakdown: str) -> pd.DataFrame:
    return engine.breakdown_rows(inputs[inputs["input"] == input_], breakdown)


def _totals(rows: pd.DataFrame) -> tuple[float, float, int, int, str]:
    if rows.empty:
        return math.nan, math.nan, 0, 0, ""
    reasons = ",".join(
        sorted({r for v in rows["missing_reasons"].dropna() for r in v.split(",")} - {"z"})
    )
    settings = int((rows["settings"] - rows["settings_not_applicable"]).max())
    if settings == 0 and int(rows["settings_not_applicable"].max()) > 0:
        return math.nan, math.nan, 0, 0, NOT_APPLICABLE
    withheld = int(rows["settings_withheld"].max())
    num = rows["numerator"].sum(min_count=1)
    den = rows["denominator"].sum(min_count=1)
    return float(num), float(den), settings, withheld, reasons


def _withheld_flag(settings: int, withheld: int, reasons: str) -> str | None:
    """Why a group of settings has no figure, or None when any setting contributes a value.
    `settings` excludes those the measure does not apply to ('z'); a group is 'z' only when
    every setting in it is."""
    if settings == 0:
        return reasons if reasons == NOT_APPLICABLE else NOT_AVAILABLE
    if withheld == settings:
        parts = [r for r in reasons.split(",") if r and r != NOT_APPLICABLE] if reasons else []
        return parts[0] if len(parts) == 1 else NOT_AVAILABLE
    return None


def group_reasons(rows: pd.DataFrame) -> pd.Series:
    """`_withheld_flag` for each row of a query summed over settings (district_series,
    group_series): one settings' 'z' (a nursery has no suspensions) must not blank the group's
    figure, as a single `missing_reasons` string would."""
    out = []
    for r in rows.itertuples(index=False):
        applicable = int(r.settings) - int(r.settings_not_applicable)
        reasons = r.missing_reasons if isinstance(r.missing_reasons, str) else ""
        if applicable == 0:
            reasons = NOT_APPLICABLE if int(r.settings_not_applicable) else reasons
        out.append(_withheld_flag(applicable, int(r.settings_withheld), reasons))
    return pd.Series(out, index=rows.index, dtype=object)


def _withheld_note(settings: int, withheld: int) -> str:
    if 0 < withheld < settings:
        return (
            f"{withheld} of {settings} settings had this value withheld at source and are excluded."
        )
    return ""


def _control(
    measure: Measure, fig: AreaFigure, counts: list[float], dens: list[float], rules
) -> AreaFigure:
    """Flag one area figure: 'u' below the measure's minimum denominator, and 'c' where one of
    `counts` is small. Figures summed from setting facts pass no counts: their confidential
    cells were decided for every view at once when the database was built."""
    flag = disclosure.flags([[c] for c in counts], [[d] for d in dens],
                            measure.min_denominator, rules)[0]  # fmt: skip
    if measure.model == "settings_binomial" and flag == disclosure.CONFIDENTIAL:
        flag = ""  # counts of settings by published grade or award are public, not pupil counts
        if fig.denominator < measure.min_denominator:
            flag = disclosure.LOW_RELIABILITY
    if flag == disclosure.CONFIDENTIAL:
        return AreaFigure(measure.id, flag=flag, settings=fig.settings, note=fig.note)
    return AreaFigure(**{**asdict(fig), "flag": flag or fig.flag})


def setting_measure_figure(
    measure: Measure,
    inputs: pd.DataFrame,
    overdispersion: stats.Overdispersion | None = None,
    rules: DisclosureRules | None = None,
) -> AreaFigure:
    """An area's figure for a setting-level measure from summed inputs (area_inputs.sql)."""
    rules = rules or disclosure_rules()
    if measure.two_groups:
        a, b = measure.compare_breakdowns
        x1, n1, k, w1, r1 = _totals(_breakdown_sum(inputs, measure.input, a))
        x2, n2, _, w2, r2 = _totals(_breakdown_sum(inputs, measure.input, b))
        reasons = ",".join(sorted({r for part in (r1, r2) for r in part.split(",") if r}))
        withheld = _withheld_flag(k, max(w1, w2), reasons)
        if withheld:
            return AreaFigure(measure.id, flag=withheld, settings=k)
        got = engine.figure(measure, x1, n1, x2, n2, rules=rules)
        note = _withheld_note(k, max(w1, w2))
        if measure.model == "ratio" and (x1 == 0 or x2 == 0):
            note = (note + " Undefined: one group has no events.").strip()
        return AreaFigure(measure.id, got.value, got.lower, got.upper, x1, n1, x2, n2,
                          flag=got.flag, settings=k, note=note)  # fmt: skip

    x, n, k, withheld_n, reasons = _totals(_breakdown_sum(inputs, measure.input, measure.breakdown))
    withheld = _withheld_flag(k, withheld_n, reasons)
    if withheld:
        return AreaFigure(measure.id, flag=withheld, settings=k)
    note = _withheld_note(k, withheld_n)
    got = engine.figure(measure, x, n, overdispersion=overdispersion, rules=rules)
    if measure.overdispersed and overdispersion is not None and overdispersion.applies:
        note = (
            note + f" Interval widened for over-dispersion between settings "
            f"(√φ = {math.sqrt(overdispersion.phi):.2f}, from {overdispersion.units} settings)."
        ).strip()
    # Small counts were hidden when the database was built
    # (dashboard/statistics/suppression.py), for every view at once; the engine decides only
    # the low-reliability flag.
    return AreaFigure(measure.id, got.value, got.lower, got.upper, x, n, settings=k, note=note,
                      flag=got.flag)  # fmt: skip


def overdispersion_for(
    fetch: Fetch, measure: Measure, authority: Selection, theta: float
) -> stats.Overdispersion | None:
    """Spiegelhalter's over-dispersion across the authority's settings of the same phases."""
    if not measure.overdispersed:
        return None
    rows = fetch("setting_inputs", {**authority.params(), "input": measure.input})
    settings = engine.figures(engine.units_from_rows(rows, measure, "urn"), measure)
    return engine.estimate_overdispersion(measure, settings, theta)


def area_overdispersion(
    fetch: Fetch,
    measure: Measure,
    authority: Selection,
    authority_inputs: pd.DataFrame | None = None,
) -> stats.Overdispersion | None:
    """The one over-dispersion estimate an area figure of `measure` uses for the authority's
    selection (year and phases): Overview, Trends and Compare all widen a district's or the
    authority's interval by this same estimate, so one figure has one interval everywhere."""
    if not measure.overdispersed or measure.grain != "setting":
        return None
    if authority_inputs is None:
        authority_inputs = fetch("area_inputs", authority.params())
    x, n, *_ = _totals(_breakdown_sum(authority_inputs, measure.input, measure.breakdown))
    return overdispersion_for(fetch, measure, authority, x / n if n > 0 else math.nan)


def _proportion_figure(measure: Measure, x: float, n: float, k: int, note: str = "") -> AreaFigure:
    if n <= 0 or math.isnan(n):
        return AreaFigure(measure.id, flag=NOT_AVAILABLE, settings=k, note=note)
    lo, hi = stats.wilson(x, n)
    return AreaFigure(measure.id, x / n, float(lo), float(hi), x, n, settings=k, note=note)


def _grade_rows(fetch: Fetch, params: dict, selection: Selection) -> pd.DataFrame:
    return fetch("latest_grades", {**_no_year(params), "as_of": selection.year_end})


def _award_rows(fetch: Fetch, params: dict, selection: Selection) -> pd.DataFrame:
    return fetch("current_awards", {**_no_year(params), "as_of": selection.year_end})


def _placement_rows(fetch: Fetch, params: dict, selection: Selection) -> pd.DataFrame:
    """Group sums of pupils with plans, all phases and mainstream ones, each under disclosure
    control, for the whole authority and every district."""
    frames = []
    for opt in (PHASES_BY_KEY["all"], MAINSTREAM):
        group = {**params, "phases": list(opt.phases), "admissions": list(opt.admissions),
                 "phase_key": opt.key}  # fmt: skip
        whole = fetch("area_inputs", {**group, "districts": [], "any_district": True})
        by_district = fetch("district_series", group)
        frames += [whole.assign(district_code=ALL_DISTRICTS, grouping=opt.key),
                   by_district.assign(grouping=opt.key)]  # fmt: skip
    rows = pd.concat(frames, ignore_index=True)
    return rows[(rows["input"] == "ehcp") & (rows["breakdown"] == "all")]


def _concentration_rows(fetch: Fetch, params: dict, selection: Selection) -> pd.DataFrame:
    return fetch("setting_inputs", {**params, "input": "ehcp"})


def prefetch_area_rows(fetch: Fetch, measure: Measure, selection: Selection) -> pd.DataFrame:
    """The per-setting rows an area-level measure is built from, for the whole selection; one
    query serves every district (each district's figure filters these rows)."""
    if measure.area_source not in AREA_COMPUTATIONS:
        raise KeyError(f"no area-level computation for {measure.id}")
    return AREA_COMPUTATIONS[measure.area_source][0](fetch, selection.params(), selection)


def _grades_figure(fetch, measure: Measure, selection: Selection, rows: pd.DataFrame,
                   rules: DisclosureRules) -> AreaFigure:  # fmt: skip
    graded = rows["overall_effectiveness"].dropna()
    fig = _proportion_figure(
        measure,
        float((graded <= 2).sum()),
        float(len(graded)),
        len(rows),
        note=f"{len(rows) - len(graded)} open settings have no graded overall effectiveness "
        "(new, or inspected only since September 2024)."
        if len(rows) > len(graded)
        else "",
    )
    return _control(measure, fig, [], [fig.denominator], rules)


def _awards_figure(fetch, measure: Measure, selection: Selection, rows: pd.DataFrame,
                   rules: DisclosureRules) -> AreaFigure:  # fmt: skip
    if not rows.empty and not rows["register_loaded"].iloc[0]:  # unknown, not "none held"
        return AreaFigure(measure.id, flag=NOT_AVAILABLE, settings=len(rows),
                          note="No quality-mark award register is loaded.")  # fmt: skip
    fig = _proportion_figure(measure, float(rows["holds_award"].sum()), float(len(rows)),
                             len(rows))  # fmt: skip
    return _control(measure, fig, [], [fig.denominator], rules)


def _concentration(fetch, measure: Measure, selection: Selection, rows: pd.DataFrame,
                   rules: DisclosureRules) -> AreaFigure:  # fmt: skip
    return concentration_figure(fetch, measure, selection, rows)


def area_level_figure(
    fetch: Fetch,
    measure: Measure,
    selection: Selection,
    rules: DisclosureRules | None = None,
    rows: pd.DataFrame | None = None,
) -> AreaFigure:
    """Measures defined only for groups of settings (grades, awards, EHC plan placement), by
    what the catalogue says each is built from (`area_source`). `rows` may hold
    prefetch_area_rows for a wider selection; they are narrowed here."""
    rules = rules or disclosure_rules()
    if rows is None:
        rows = prefetch_area_rows(fetch, measure, selection)
    source = str(measure.area_source)
    if source in GROUP_SUM_SOURCES or not selection.is_whole_authority:
        # group sums hold a row for the whole authority ('all') and one per district
        rows = rows[rows["district_code"] == selection.district]
    return AREA_COMPUTATIONS[source][1](fetch, measure, selection, rows, rules)


def _mainstream_figure(measure: Measure, rows: pd.DataFrame, rules) -> AreaFigure:
    """Pupils with plans in mainstream phases over all phases: two group sums, each hidden if
    disclosure control hides that group (group_reasons reads the stored decision)."""
    parts = {}
    for key in ("all", MAINSTREAM.key):
        got = rows[rows["grouping"] == key]
        if got.empty:
            return AreaFigure(measure.id, flag=NOT_APPLICABLE, note="No settings in this area.")
        reason = group_reasons(got).iloc[0]
        if reason:
            return AreaFigure(measure.id, flag=reason, settings=int(got["settings"].iloc[0]))
        parts[key] = got.iloc[0]
    x, n = float(parts[MAINSTREAM.key]["numerator"]), float(parts["all"]["numerator"])
    k = int(parts["all"]["settings"] - parts["all"]["settings_not_applicable"])
    fig = _proportion_figure(
        measure, x, n, k, note="All phases in the area, whatever the phase filter."
    )
    return _control(measure, fig, [], [n], rules)


def _no_year(params: dict) -> dict:
    return {k: v for k, v in params.items() if k != "year_code"}


def concentration_figure(
    fetch: Fetch,
    measure: Measure,
    selection: Selection,
    rows: pd.DataFrame | None = None,
) -> AreaFigure:
    if rows is None:
        rows = fetch("setting_inputs", {**selection.params(), "input": "ehcp"})
    rows = rows[
        (rows["breakdown"] == "all")
        & rows["numerator"].notna()
        & rows["phase"].isin(MAINSTREAM_PHASES)
    ]
    if rows.empty:
        return AreaFigure(
            measure.id, flag=NOT_APPLICABLE, note="No mainstream settings in this selection."
        )
    counts = rows["numerator"].to_numpy(float)
    total = counts.sum()
    k = len(counts)
    share = stats.top_fifth_share(counts)
    lo, hi = stats.bootstrap_top_fifth_share(counts)
    without = rows.loc[~rows["resourced_provision"].astype(bool), "numerator"].to_numpy(float)
    share_without = stats.top_fifth_share(without)
    note = (
        f"{k} mainstream settings. Without the {k - len(without)} settings with resourced "
        f"provision: {share_without:.2f}."
        if len(without) < k and not math.isnan(share_without)
        else f"{k} mainstream settings; none has resourced provision."
    )
    if total <= 0 or math.isnan(share):
        return AreaFigure(
            measure.id,
            flag=NOT_AVAILABLE,
            settings=k,
            note="No pupils with EHC plans in these settings.",
        )
    fig = AreaFigure(measure.id, share, lo, hi, round(total * share), total, settings=k, note=note)
    fig = _control(measure, fig, [fig.numerator, total], [total], disclosure_rules())
    if fig.flag == "" and k < 5:
        fig = AreaFigure(**{**asdict(fig), "flag": disclosure.LOW_RELIABILITY})
    return fig


Overdispersions = dict[str, stats.Overdispersion | None]


def overdispersions(fetch: Fetch, authority: Selection, measures=None) -> Overdispersions:
    """Each measure's `area_overdispersion` for the authority's selection, made once for a
    page's many figures and verdicts of the same year and phases."""
    measures = measures or catalogue.load()
    inputs = fetch("area_inputs", authority.params())
    return {m.id: area_overdispersion(fetch, m, authority, inputs) for m in measures}


def area_figures(
    fetch: Fetch, selection: Selection, measures=None, ods: Overdispersions | None = None
) -> dict[str, AreaFigure]:
    """Every measure's figure for one selection; `ods` (from `overdispersions` for the
    selection's authority) saves estimating them again."""
    measures = measures or catalogue.load()
    inputs = fetch("area_inputs", selection.params())
    if ods is None:
        ods = overdispersions(fetch, selection.authority(), measures)
    out = {}
    for m in measures:
        if m.grain == "area":
            out[m.id] = area_level_figure(fetch, m, selection)
            continue
        out[m.id] = setting_measure_figure(m, inputs, ods.get(m.id))
    return out


COMPARISON_WORDS = {
    ("higher", "context"): "Above {b}",
    ("lower", "context"): "Below {b}",
    ("higher", "higher_better"): "Significantly higher than {b} (better)",
    ("lower", "higher_better"): "Significantly lower than {b} (worse)",
    ("higher", "lower_better"): "Significantly higher than {b} (worse)",
    ("lower", "lower_better"): "Significantly lower than {b} (better)",
}


def describe_comparison(measure: Measure, result: str, comparator_name: str) -> str:
    """Plain words for a comparison; context measures are never better or worse."""
    if result == "similar":
        return f"Not significantly different from {comparator_name}"
    if not result:
        return ""
    return COMPARISON_WORDS[(result, measure.polarity)].format(b=comparator_name)


def verdict(
    fetch: Fetch,
    measure: Measure,
    fig: AreaFigure,
    comparator: float,
    selection: Selection,
    ods: Overdispersions | None = None,
) -> str:
    """An area's verdict against the authority, by the catalogue's rule for areas (its 95%
    interval, widened where the measure is over-dispersed, against the authority's figure):
    the same verdict Compare and the Map give the area. `ods` as for `area_figures`."""
    if ods is not None and measure.id in ods:
        od = ods[measure.id]
    else:
        od = area_overdispersion(fetch, measure, selection.authority())
    unit = pd.DataFrame([{**asdict(fig), "flag": ""}])
    got = engine.rule_verdicts(unit, measure, comparator, od, "districts")
    return str(got["result"].iloc[0])


def headline_table(
    fetch: Fetch, selection: Selection, ods: Overdispersions | None = None
) -> pd.DataFrame:
    """One row per catalogue measure: the selection, the authority for the same phases, the
    comparison between them, and any phase-matched published figure for the year. `ods`
    as for `area_figures`."""
    measures = catalogue.load()
    if ods is None:
        ods = overdispersions(fetch, selection.authority(), measures)
    sel = area_figures(fetch, selection, measures, ods)
    auth = sel
    if not selection.is_whole_authority:
        auth = area_figures(fetch, selection.authority(), measures, ods)
    bench = fetch("published_figures")
    bench_phase = selection.phase_option.published_phase
    authority_name = f"{selection.authority().area_label} ({selection.phase_option.label.lower()})"
    rows = []
    for m in measures:
        s, a = sel[m.id], auth[m.id]
        result = ""
        if not selection.is_whole_authority and s.flag == "" and a.shown:
            result = verdict(fetch, m, s, a.value, selection, ods)
        published_text = _published_text(m, bench, selection.year_code, bench_phase)
        year_note = m.year_notes.get(selection.year_label, "")
        rows.append(
            {
                "measure_id": m.id,
                "title": m.title,
                "theme": m.theme,
                "status": m.status,
                "polarity": m.polarity,
                "value": s.value if s.shown else math.nan,
                "lower": s.lower if s.shown else math.nan,
                "upper": s.upper if s.shown else math.nan,
                "numerator": s.numerator if s.counts_shown else math.nan,
                "denominator": s.denominator if s.counts_shown else math.nan,
                "numerator_b": s.numerator_b if s.counts_shown else math.nan,
                "denominator_b": s.denominator_b if s.counts_shown else math.nan,
                "flag": s.flag,
                "settings": s.settings,
                "note": s.note,
                "authority_value": a.value if a.shown else math.nan,
                "authority_lower": a.lower if a.shown else math.nan,
                "authority_upper": a.upper if a.shown else math.nan,
                "authority_denominator": a.denominator if a.shown else math.nan,
                "authority_flag": a.flag,
                "authority_name": authority_name,
                "comparison": result,
                "comparison_text": describe_comparison(m, result, authority_name),
                "published_text": published_text,
                "year_note": year_note,
            }
        )
    return pd.DataFrame(rows)


def _published_text(m: Measure, bench: pd.DataFrame, year_code: int, phase: str | None) -> str:
    """Published figures for the same year and a matching phase only: like with like."""
    if phase is None:
        return ""
    phases = ALL_PHASE_PUBLISHED if phase == "All schools" else (phase,)
    rows = bench[
        (bench["measure_id"] == m.id)
        & (bench["year_code"] == year_code)
        & bench["phase"].isin(phases)
    ]
    parts = []
    for r in rows.itertuples(index=False):
        parts.append(
            f"{r.area_name} ({r.phase.lower()}): {m.format_value(r.value)} — "
            f"{r.source}, {r.vintage}"
        )
    return "; ".join(parts)


def headline_csv(table: pd.DataFrame, selection: Selection, is_demo: bool) -> pd.DataFrame:
    """The data behind the headline figures, in display units, for download."""
    measures = {m.id: m for m in catalogue.load()}
    out = []
    for r in table.itertuples(index=False):
        m = measures[r.measure_id]
        scale = m.multiplier
        out.append(
            {
                "selection": selection.label,
                "measure_id": m.id,
                "measure": m.title,
                "status": m.status,
                "unit": m.unit,
                "value": _round(r.value * scale, m.decimals + 1),
                "lower_95": _round(r.lower * scale, m.decimals + 1),
                "upper_95": _round(r.upper * scale, m.decimals + 1),
                "numerator": r.numerator,
                "denominator": r.denominator,
                "flag": r.flag,
                "flag_meaning": disclosure.reason_text(r.flag, m.min_denominator) if r.flag else "",
                "comparator": r.authority_name,
                "comparator_value": _round(r.authority_value * scale, m.decimals + 1),
                "comparison": r.comparison_text,
                **_comparator_cells(r, scale, m.decimals + 1),
                "source": m.source,
                "data_status": "Demo data — fictional settings and figures" if is_demo else "",
            }
        )
    return pd.DataFrame(out)


def _comparator_cells(r, scale: float, d: int) -> dict[str, object]:
    """England's and the region's computed figure (comparators.headlines adds them to the
    table when national rows are loaded), with interval, basis and verdict, for the CSV."""
    out: dict[str, object] = {}
    for key in ("england", "region"):
        out |= {
            f"{key}": getattr(r, f"{key}_name", "") or "",
            f"{key}_value": _round(getattr(r, f"{key}_value", math.nan) * scale, d),
            f"{key}_lower_95": _round(getattr(r, f"{key}_lower", math.nan) * scale, d),
            f"{key}_upper_95": _round(getattr(r, f"{key}_upper", math.nan) * scale, d),
            f"{key}_numerator": getattr(r, f"{key}_numerator", math.nan),
            f"{key}_denominator": getattr(r, f"{key}_denominator", math.nan),
            f"{key}_basis": getattr(r, f"{key}_basis", "") or "",
            f"{key}_comparison": getattr(r, f"{key}_comparison_text", "") or "",
        }
    return out


def _round(v: float, d: int) -> float:
    return v if v is None else stats.rounded(v, d)


def _placement_figure(fetch, measure: Measure, selection: Selection, rows: pd.DataFrame,
                      rules: DisclosureRules) -> AreaFigure:  # fmt: skip
    return _mainstream_figure(measure, rows, rules)


GROUP_SUM_SOURCES = {"placement"}  # rows already summed per area, under disclosure control
# area_source (measures.toml) → (the rows it is built from, the figure made of them)
AREA_COMPUTATIONS = {
    "grades": (_grade_rows, _grades_figure),
    "awards": (_award_rows, _awards_figure),
    "placement": (_placement_rows, _placement_figure),
    "concentration": (_concentration_rows, _concentration),
}
