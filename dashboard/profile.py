"""A setting's profile: its measures over time beside its district and the authority, for the
same phase. Plain data for the Setting profile page."""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard import db, indicators
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
    """One row per series × year: value, 95% interval and flag, disclosure applied."""
    rows = []
    for name, df in inputs.items():
        for y in sorted(years):
            part = df[df["year_code"] == y]
            fig = indicators.setting_measure_figure(measure, part)
            rows.append(
                {
                    "series": name,
                    "year_code": y,
                    "year": year_label(y),
                    "value": fig.value if fig.shown else float("nan"),
                    "lower": fig.lower if fig.shown else float("nan"),
                    "upper": fig.upper if fig.shown else float("nan"),
                    "numerator": fig.numerator if fig.shown else float("nan"),
                    "denominator": fig.denominator if fig.shown else float("nan"),
                    "flag": fig.flag,
                }
            )
    return pd.DataFrame(rows)


def group_label(key: str) -> str:
    return PHASES_BY_KEY[key].label
