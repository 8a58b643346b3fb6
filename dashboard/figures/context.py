"""Kent in context: one published authority-level item for the authority beside its ten
statistical neighbours, its region and England, over time. Plain data for the page.

The figures are DfE's published percentages (LAIT). They carry no numerator or denominator,
so no interval can be drawn and no difference can be called significant: the page says so,
and this module never labels an authority better or worse. Neighbours are summarised as a
band (lowest to highest) with their median, and listed by value without rank numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ROLE_ORDER = {"authority": 0, "region": 1, "england": 2, "neighbour": 3}


@dataclass(frozen=True)
class Item:
    item: str
    title: str
    short_title: str
    theme: str
    headline: bool
    polarity: str
    unit: str
    decimals: int
    year_type: str
    definition: str
    source: str
    vintage: str

    def format(self, value: float) -> str:
        return "–" if pd.isna(value) else f"{value:,.{self.decimals}f}"


def items(frame: pd.DataFrame) -> list[Item]:
    """context_items rows as typed items."""
    return [Item(**{f: getattr(r, f) for f in Item.__dataclass_fields__})
            for r in frame.itertuples(index=False)]  # fmt: skip


def neighbour_band(series: pd.DataFrame) -> pd.DataFrame:
    """Per year: how many neighbours publish a value, their lowest, median and highest."""
    part = series[(series["role"] == "neighbour") & series["value"].notna()]
    years = list(dict.fromkeys(series["year_label"]))
    band = part.groupby("year_label")["value"].agg(["count", "min", "median", "max"])
    band = band.reindex(years).rename_axis("year_label").reset_index()
    band["count"] = band["count"].fillna(0).astype(int)
    return band


def table(series: pd.DataFrame) -> pd.DataFrame:
    """Every area and year, with role, for the CSV and the accessible table."""
    out = series.assign(order=series["role"].map(ROLE_ORDER))
    out = out.sort_values(["year_label", "order", "area_name"]).drop(columns="order")
    return out[["year_label", "area_name", "role", "closeness", "value", "missing_reason"]]


def latest_year(series: pd.DataFrame) -> str | None:
    """The newest year in which the authority has a published value."""
    own = series[(series["role"] == "authority") & series["value"].notna()]
    return None if own.empty else str(own["year_label"].max())


def latest(series: pd.DataFrame, year: str) -> pd.DataFrame:
    """One year's values, ordered by value (lowest first) with no rank numbers; areas without
    a value that year come last with LAIT's reason."""
    part = series[series["year_label"] == year].copy()
    return part.sort_values(["value", "area_name"], na_position="last").reset_index(drop=True)


def summary(item: Item, series: pd.DataFrame, authority: str) -> str:
    """One sentence for screen readers and captions: values only, no verdict."""
    year = latest_year(series)
    if year is None:
        return f"{authority} has no published value for this item."
    now = series[series["year_label"] == year]

    def value_of(role: str) -> str:
        got = now.loc[now["role"] == role, "value"].dropna()
        return item.format(got.iloc[0]) if len(got) else "not published"

    band = neighbour_band(series).set_index("year_label").loc[year]
    text = f"{year}: {authority} {value_of('authority')}"
    if band["count"] > 0:
        text += (f"; its {int(band['count'])} statistical neighbours publishing a value "
                 f"ranged from {item.format(band['min'])} to {item.format(band['max'])} "
                 f"(median {item.format(band['median'])})")  # fmt: skip
    regions = now.loc[now["role"] == "region", "area_name"]
    if len(regions):
        text += f"; {regions.iloc[0]} {value_of('region')}"
    return text + f"; England {value_of('england')} ({item.unit})."


@dataclass(frozen=True)
class Glance:
    """One item's newest published year: the authority, England and its neighbours' median."""

    year: str
    authority: float
    england: float
    neighbours_median: float
    neighbours: int


def glance(series: pd.DataFrame) -> Glance | None:
    year = latest_year(series)
    if year is None:
        return None
    now = series[series["year_label"] == year]

    def first(role: str) -> float:
        got = now.loc[now["role"] == role, "value"].dropna()
        return float(got.iloc[0]) if len(got) else float("nan")

    band = neighbour_band(series).set_index("year_label").loc[year]
    return Glance(year, first("authority"), first("england"), float(band["median"]),
                  int(band["count"]))  # fmt: skip


def year_code(label: str) -> int | None:
    """LAIT's label of an academic year ('2018/19', or '2019' for the year it ends) as the
    dashboard's year code (201819); None for a calendar or financial year it cannot place."""
    label = str(label).strip()
    if len(label) == 7 and label[4] == "/" and label[:4].isdigit() and label[5:].isdigit():
        return int(label[:4] + label[5:])
    if len(label) == 4 and label.isdigit():
        start = int(label) - 1
        return start * 100 + (start + 1) % 100
    return None


def beside_published(table: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """A computed comparison's table (presentation.comparison_table, one row per authority or
    area) with the published figure for the same area and year beside it: authorities matched
    by LA code, England and the region by role. Published figures keep LAIT's rounding."""
    by_code = latest.dropna(subset=["la_code"]).set_index("la_code")["value"]
    by_role = latest[latest["role"].isin(["england", "region"])].set_index("role")["value"]

    def published(code: str) -> float:
        if code == "E92000001":
            return float(by_role.get("england", float("nan")))
        if str(code).startswith("E12"):
            return float(by_role.get("region", float("nan")))
        return float(by_code.get(str(code), float("nan")))

    out = table.copy()
    at = out.columns.get_loc("value")
    out.insert(at, "published", [published(c) for c in out["code"]])
    out = out.rename(columns={"value": "computed", "lower_95": "computed_lower_95",
                              "upper_95": "computed_upper_95"})  # fmt: skip
    return out


def published_years(series: pd.DataFrame) -> list[str]:
    """The years in which the authority has a published value, oldest first."""
    own = series[(series["role"] == "authority") & series["value"].notna()]
    return sorted(own["year_label"].astype(str).unique())
