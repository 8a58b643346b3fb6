"""England and the authority's region beside every figure, for the same phases, admissions
policy, year and definition: computed from the loaded school-level rows when those rows cover
the area, so a comparator has an interval and a verdict like any other figure.

Published figures (data/reference/published_figures.csv) carry no numerator or denominator, so they
are only quoted (Overview's "Published figures"); a computed comparator is preferred wherever
national rows are loaded. Each comparator says which it is and how many authorities it sums.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.core import catalogue, home
from dashboard.core.catalogue import Measure
from dashboard.core.filters import PHASES_BY_KEY, Selection
from dashboard.figures.indicators import (
    AreaFigure,
    describe_comparison,
    headline_table,
    overdispersions,
    setting_measure_figure,
    verdict,
)
from dashboard.statistics.engine import breakdown_rows
from dashboard.store.fetch import Fetch

# A comparator is computed only when the loaded rows hold settings of at least this share of
# the area's authorities for that year and input; fewer, and "England" would be a sample.
MIN_COVERAGE = 0.9
LEVELS = ("national", "regional")


@dataclass(frozen=True)
class Comparator:
    """One area's figure for a measure, as a comparator of the selection."""

    area_code: str
    area_name: str
    area_level: str  # national or regional
    figure: AreaFigure
    authorities: int  # authorities with settings of the phase choice (rows for the figure)
    authorities_expected: int  # authorities the area has
    authorities_hidden: int  # left out: their own figure is hidden by disclosure control
    authorities_summed: int  # in the sum: neither hidden nor withheld at source

    @property
    def basis(self) -> str:
        """How the figure was made, in words for a caption, a CSV cell or a legend: how many
        authorities were summed, of how many, and why each one left out was."""
        with_rows, expected = self.authorities, self.authorities_expected
        text = f"computed from school-level data ({self.authorities_summed} of "
        text += (f"{expected} authorities" if with_rows >= expected
                 else f"the {with_rows} authorities with such settings; {expected - with_rows} "
                 "have none")  # fmt: skip
        withheld = with_rows - self.authorities_summed - self.authorities_hidden
        if self.authorities_hidden:
            text += f"; {self.authorities_hidden} left out, their figure suppressed"
        if withheld > 0:
            text += f"; {withheld} left out, no figure at source"
        return text + ")"


def params(selection: Selection) -> dict:
    p = selection.params()
    return {k: p[k] for k in ("la_code", "phases", "admissions", "phase_key")}


def rows(fetch: Fetch, selection: Selection) -> pd.DataFrame:
    """England and region inputs for the selection's phases, every year (comparator_series)."""
    return fetch("comparator_series", params(selection))


def covered(part: pd.DataFrame, measure: Measure) -> bool:
    """Do the rows cover the area? The loaded rows must hold MIN_COVERAGE of its authorities,
    and the figure must sum MIN_COVERAGE of the authorities with settings of the phase choice:
    a sum that leaves many out (hidden, or withheld at source) is not the area's figure, so it
    is neither shown as a comparator nor used for a verdict."""
    if part.empty:
        return False
    loaded = part["authorities_loaded"].max()
    expected = part["authorities_expected"].max()
    if not (expected > 0 and loaded >= MIN_COVERAGE * expected):
        return False
    for rows in _figure_rows(part, measure):
        if rows.empty:
            return False
        with_rows = int(rows["authorities"].max())
        summed = int(rows.groupby("breakdown")["authorities_summed"].max().min())
        if with_rows == 0 or summed < MIN_COVERAGE * with_rows:
            return False
    return True


def _figure_rows(part: pd.DataFrame, measure: Measure) -> list[pd.DataFrame]:
    """The rows a measure's figure sums: one breakdown, or the two a gap or ratio compares."""
    return [breakdown_rows(part, b) for b in measure.breakdowns]


def figures_for_year(
    series: pd.DataFrame, year_code: int, measures: Sequence[Measure]
) -> dict[str, list[Comparator]]:
    """measure id → its computed comparators (England first, then the region) for one year;
    an area whose loaded rows do not cover it gives none. Setting-level measures only: a
    measure of groups (grades, awards, placement) has no national school-level rows here."""
    out: dict[str, list[Comparator]] = {m.id: [] for m in measures}
    year = series[series["year_code"] == year_code]
    for level in LEVELS:
        area = year[year["area_level"] == level]
        if area.empty:
            continue
        first = area.iloc[0]
        for m in measures:
            if m.grain != "setting":
                continue
            mine = area[area["input"] == m.input]
            if not covered(mine, m):
                continue
            fig = setting_measure_figure(m, mine)
            used = pd.concat(_figure_rows(mine, m))
            by = used.groupby("breakdown")
            out[m.id].append(
                Comparator(
                    str(first.area_code),
                    str(first.area_name),
                    level,
                    fig,
                    int(used["authorities"].max()),
                    int(mine["authorities_expected"].max()),
                    int(by["authorities_hidden"].max().max()),
                    int(by["authorities_summed"].max().min()),
                )
            )
    return out


def series_figures(series: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """One row per area × year of a measure's computed comparator, for trend lines: value,
    interval, numerator, denominator, flag and basis. Years the rows do not cover are absent."""
    out = []
    for year in sorted(series["year_code"].unique()):
        for c in figures_for_year(series, int(year), [measure])[measure.id]:
            f = c.figure
            out.append({"area_code": c.area_code, "area_name": c.area_name,
                        "area_level": c.area_level, "year_code": int(year), "value": f.value,
                        "lower": f.lower, "upper": f.upper, "numerator": f.numerator,
                        "denominator": f.denominator, "flag": f.flag, "shown": f.shown,
                        "basis": c.basis})  # fmt: skip
    return pd.DataFrame(out)


def headlines(fetch: Fetch, selection: Selection) -> pd.DataFrame:
    """The Overview's table (indicators.headline_table) with England and the region beside each
    figure: value, interval, basis and the verdict of the selection against each."""
    measures = catalogue.load()
    ods = overdispersions(fetch, selection.authority(), measures)
    table = headline_table(fetch, selection, ods)
    comps = figures_for_year(rows(fetch, selection), selection.year_code, measures)
    by_id = {m.id: m for m in measures}
    extra = []
    for r in table.itertuples(index=False):
        m = by_id[r.measure_id]
        cells: dict[str, object] = {}
        for c in comps.get(m.id, []):
            key = "england" if c.area_level == "national" else "region"
            shown = c.figure.shown
            result = ""
            mine = AreaFigure(m.id, r.value, r.lower, r.upper, r.numerator, r.denominator,
                              r.numerator_b, r.denominator_b, flag=r.flag,
                              settings=r.settings)  # fmt: skip
            if shown and r.flag == "" and not math.isnan(r.value):
                result = verdict(fetch, m, mine, c.figure.value, selection, ods)
            name = f"{c.area_name} ({selection.phase_option.label.lower()})"
            cells |= {
                f"{key}_name": name,
                f"{key}_value": c.figure.value if shown else math.nan,
                f"{key}_lower": c.figure.lower if shown else math.nan,
                f"{key}_upper": c.figure.upper if shown else math.nan,
                f"{key}_numerator": c.figure.numerator if c.figure.counts_shown else math.nan,
                f"{key}_denominator": c.figure.denominator if c.figure.counts_shown else math.nan,
                f"{key}_flag": c.figure.flag,
                f"{key}_basis": c.basis,
                f"{key}_comparison": result,
                f"{key}_comparison_text": describe_comparison(m, result, name) if result else "",
            }
        if "england_name" not in cells and m.grain == "setting":
            cells |= _published_england_cells(fetch, m, r, selection, ods)
        extra.append(cells)
    return pd.concat([table, pd.DataFrame(extra, index=table.index)], axis=1)


def _published_england_cells(fetch: Fetch, m: Measure, r, selection: Selection, ods) -> dict:
    """England's *published* figure for the same phase and year where no computed one covers
    England, with the verdict of the selection against it (a published figure has no interval:
    the selection's interval decides): the one decision the card and the landing grid show."""
    got = published_england(fetch, m, selection.phase, selection.year_code)
    if got is None:
        return {}
    value, basis = got
    result = ""
    if r.flag == "" and not math.isnan(r.value):
        mine = AreaFigure(m.id, r.value, r.lower, r.upper, r.numerator, r.denominator,
                          r.numerator_b, r.denominator_b, flag=r.flag,
                          settings=r.settings)  # fmt: skip
        result = verdict(fetch, m, mine, value, selection, ods)
    name = f"England ({selection.phase_option.label.lower()})"
    nan = math.nan
    words = describe_comparison(m, result, name) if result else ""
    return {"england_name": name, "england_value": value, "england_lower": nan,
            "england_upper": nan, "england_numerator": nan, "england_denominator": nan,
            "england_flag": "", "england_basis": basis, "england_comparison": result,
            "england_comparison_text": words}  # fmt: skip


# The landing grid's columns: phase choices that are one like-for-like group each (grammar and
# non-selective apart, and secondary as a whole, for which England's figures are published).
GRID_PHASES = ("primary", "secondary", "secondary-selective", "secondary-non-selective",
               "special", "alternative-provision")  # fmt: skip


def published_england(fetch: Fetch, measure: Measure, phase_key: str,
                      year_code: int) -> tuple[float, str] | None:  # fmt: skip
    """England's published figure for the same phase, definition and year, with its source:
    a row of published_figures.csv for exactly that phase, else the LAIT item the catalogue names
    for it (measures.toml `published_england`). None when neither publishes one."""
    phase = PHASES_BY_KEY[phase_key].published_phase
    bench = fetch("published_figures")
    rows = bench[(bench["measure_id"] == measure.id) & (bench["year_code"] == year_code)
                 & (bench["phase"] == phase) & (bench["area_level"] == "national")]  # fmt: skip
    if phase and not rows.empty:
        r = rows.iloc[0]
        return float(r.value), f"published: {r.source}, {r.vintage}"
    item = measure.published_england.get(phase_key)
    if not item:
        return None
    series = fetch("context_series", {"la_code": home.current().code, "item": item})
    label = str(year_code // 100 + 1)  # LAIT labels an academic year by the year it ends
    eng = series[(series["role"] == "england") & (series["year_label"] == label)]
    if eng.empty or eng["value"].isna().all():
        return None
    items = fetch("context_items")
    unit = (
        str(items.loc[items["item"] == item, "unit"].iloc[0])
        if (items["item"] == item).any()
        else ""
    )
    value = float(eng["value"].iloc[0]) / (100 if unit.startswith("%") else 1)
    return value, f"published: DfE LAIT, {item}"


def phase_grid(fetch: Fetch, year_code: int) -> pd.DataFrame:
    """The landing page: one row per measure × phase, the authority's figure with its interval,
    England's for the same phase (computed where national rows are loaded, else published where
    a like-for-like figure is) and the verdict of the authority against it, made exactly as
    the Overview card of that phase makes it."""
    measures = {m.id: m for m in catalogue.load()}
    out = []
    for key in GRID_PHASES:
        selection = Selection(year_code, "all", key)
        table = headlines(fetch, selection)
        for r in table.itertuples(index=False):
            m = measures[r.measure_id]
            # England beside the phase, computed or published, with the card's own verdict
            value = getattr(r, "england_value", math.nan)
            basis = getattr(r, "england_basis", "")
            result = getattr(r, "england_comparison", "")
            if not isinstance(basis, str) or not basis:
                value, basis, result = math.nan, "", ""
            name = f"England ({PHASES_BY_KEY[key].label.lower()})"
            out.append({
                "measure_id": m.id, "phase": key, "phase_label": PHASES_BY_KEY[key].label,
                "value": r.value, "lower": r.lower, "upper": r.upper,
                "numerator": r.numerator, "denominator": r.denominator, "flag": r.flag,
                "settings": r.settings, "england_value": value, "england_basis": basis or "",
                "comparison": result or "",
                "comparison_text": describe_comparison(m, result, name) if result else "",
            })  # fmt: skip
    return pd.DataFrame(out)
