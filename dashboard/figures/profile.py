"""A setting's profile: its measures over time beside its district and the authority, for the
same phase. Plain data for the Setting profile page."""

from __future__ import annotations

import pandas as pd

from dashboard.core import home
from dashboard.core.catalogue import Measure
from dashboard.core.filters import PHASES_BY_KEY, Selection, year_label
from dashboard.figures import indicators
from dashboard.statistics import engine, stats
from dashboard.store.fetch import Fetch

SETTING, DISTRICT = "This setting", "District, same phase"


def series_names() -> tuple[str, str, str]:
    """The three series a profile chart holds; the last names the home authority."""
    return SETTING, DISTRICT, f"{home.current().name}, same phase"


def series_inputs(fetch: Fetch, urn: int, key: str, district: str | None):
    """Inputs for the setting, its district's settings of the same phase, and the authority's."""
    own = fetch("setting_series", {"urn": urn})
    kent = Selection(0, "all", key).params()
    group = {k: v for k, v in kent.items() if k != "year_code"}
    names = series_names()
    out = {names[0]: own}
    if district:
        out[names[1]] = fetch(
            "group_series", {**group, "districts": [district], "any_district": False}
        )
    out[names[2]] = fetch("group_series", group)
    return out


def area_overdispersion(
    fetch: Fetch, measure: Measure, key: str, years: list[int]
) -> dict[int, stats.Overdispersion | None]:
    """Each year's over-dispersion estimate for the setting's phase group, the one the Overview
    uses for the district's and the authority's figure of that phase and year."""
    return {y: indicators.area_overdispersion(fetch, measure, Selection(y, "all", key))
            for y in years}  # fmt: skip


def measure_series(
    measure: Measure,
    inputs: dict[str, pd.DataFrame],
    years: list[int],
    area_od: dict[int, stats.Overdispersion | None] | None = None,
):
    """One row per series × year: value, 95% interval and flag, disclosure applied. Years are
    treated as units so each series is computed in one pass; the district and authority series
    are areas, so each year's interval is widened by that year's estimate in `area_od`, exactly
    as the Overview widens the same figure (the setting's own interval is not)."""
    frames = []
    for name, df in inputs.items():
        rows = df[df["input"] == measure.input].rename(
            columns={"missing_reasons": "missing_reason"}
        )
        units = engine.units_from_rows(rows, measure, "year_code")
        if name == SETTING or not area_od:
            units = engine.figures(units, measure)
        else:
            units = pd.concat(
                [engine.figures(units[units["unit"] == y], measure, overdispersion=area_od.get(y))
                 for y in units["unit"].unique()] or [engine.figures(units, measure)],
                ignore_index=True,
            )  # fmt: skip
        units = units.set_index("unit").reindex(sorted(years))
        units["flag"] = units["flag"].fillna("x")
        units["series"] = name
        # years that come from a predecessor setting (GIAS links), for the break marker
        depth = rows.groupby("year_code")["depth"].max() if "depth" in rows else pd.Series()
        units["predecessor"] = units.index.map(lambda y, d=depth: bool(d.get(y, 0) > 0))
        frames.append(units.rename_axis("year_code").reset_index())
    out = pd.concat(frames, ignore_index=True)
    out["year"] = [year_label(int(y)) for y in out["year_code"]]
    return out[["series", "year_code", "year", "value", "lower", "upper", "numerator",
                "denominator", "flag", "predecessor"]]  # fmt: skip


def lineage_note(lineage: pd.DataFrame) -> str:
    """One sentence for the page when a setting's trend includes a predecessor's years."""
    older = lineage[lineage["depth"] > 0]
    if older.empty:
        return ""
    parts = []
    for r in older.itertuples(index=False):
        when = f" on {r.link_date:%d %B %Y}" if pd.notna(r.link_date) else ""
        parts.append(f"{r.name} (URN {r.urn}; {r.link_type.lower()}{when})")
    return (
        "This setting replaced "
        + "; ".join(parts)
        + ". Its trends show the predecessor's years before the break marked ‖; those figures "
        "are the predecessor's, from before the change of URN."
    )


def group_label(key: str) -> str:
    return PHASES_BY_KEY[key].label
