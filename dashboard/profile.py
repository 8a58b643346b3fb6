"""A setting's profile: its measures over time beside its district and the authority, for the
same phase. Plain data for the Setting profile page."""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard import comparison, db
from dashboard.catalogue import Measure
from dashboard.config import LA_NAME
from dashboard.filters import PHASES_BY_KEY, Selection, year_label

SERIES = ("This setting", "District, same phase", f"{LA_NAME}, same phase")


def series_inputs(con: duckdb.DuckDBPyConnection, urn: int, key: str, district: str | None):
    """Inputs for the setting, its district's settings of the same phase, and the authority's."""
    own = db.run(con, "setting_series", {"urn": urn})
    kent = Selection(0, "all", key).params()
    group = {k: v for k, v in kent.items() if k != "year_code"}
    out = {SERIES[0]: own}
    if district:
        out[SERIES[1]] = db.run(
            con, "group_series", {**group, "districts": [district], "any_district": False}
        )
    out[SERIES[2]] = db.run(con, "group_series", group)
    return out


def measure_series(measure: Measure, inputs: dict[str, pd.DataFrame], years: list[int]):
    """One row per series × year: value, 95% interval and flag, disclosure applied. Years are
    treated as units so each series is computed in one vectorised pass."""
    frames = []
    for name, df in inputs.items():
        rows = df[df["input"] == measure.input].rename(
            columns={"missing_reasons": "missing_reason"}
        )
        units = comparison.unit_values(
            measure, comparison.per_unit_inputs(rows, measure, "year_code")
        )
        units = units.set_index("unit").reindex(sorted(years))
        units["flag"] = units["flag"].fillna("x")
        units["series"] = name
        frames.append(units.rename_axis("year_code").reset_index())
    out = pd.concat(frames, ignore_index=True)
    out["year"] = [year_label(int(y)) for y in out["year_code"]]
    return out[["series", "year_code", "year", "value", "lower", "upper", "numerator",
                "denominator", "flag"]]  # fmt: skip


def group_label(key: str) -> str:
    return PHASES_BY_KEY[key].label
