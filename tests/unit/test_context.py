"""Kent in context: DfE's published authority figures beside Kent's statistical neighbours.

Expected values are read here from the shipped CSV files with the csv module and the
statistics library, never from the code under test; where the shared real data is present,
the shipped extract is checked against DfE's unmodified data store.
"""

import csv
import statistics
from pathlib import Path

import pandas as pd
import pytest

from dashboard.figures import context
from dashboard.store import db
from tests.conftest import SHARED

LAIT = Path(__file__).resolve().parents[2] / "data" / "reference" / "lait"
KENT_NEIGHBOURS = ["881", "845", "878", "303", "935", "926", "891", "938", "822", "933"]


def _rows(name: str) -> list[dict]:
    with (LAIT / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_kents_ten_neighbours_are_dfes_may_2025_list(demo_con):
    got = db.run(demo_con, "statistical_neighbours", {"la_code": "886"})
    assert list(got["neighbour_la_code"]) == KENT_NEIGHBOURS  # DfE's order, nearest first
    assert list(got["neighbour_name"][:3]) == ["Essex", "East Sussex", "Devon"]
    assert set(got["vintage"]) == {"May 2025"}


def test_band_is_the_neighbours_lowest_median_and_highest(demo_con):
    rows = [
        r
        for r in _rows("series.csv")
        if r["item"] == "TotPerAbNew" and r["year_label"] == "2024"
        and r["la_code"] in KENT_NEIGHBOURS and r["value"]
    ]  # fmt: skip
    values = [float(r["value"]) for r in rows]
    series = db.run(demo_con, "context_series", {"la_code": "886", "item": "TotPerAbNew"})
    band = context.neighbour_band(series).set_index("year_label").loc["2024"]
    assert band["count"] == len(values) == 10
    assert band["min"] == min(values) and band["max"] == max(values)
    assert band["median"] == pytest.approx(statistics.median(values))
    roles = series[series["year_label"] == "2024"].set_index("area_name")["role"]
    assert roles["Kent"] == "authority" and roles["England"] == "england"
    assert roles["South East"] == "region" and (roles == "neighbour").sum() == 10


def test_one_year_is_ordered_by_value_and_never_ranked(demo_con):
    series = db.run(demo_con, "context_series", {"la_code": "886", "item": "SEN_TotStat"})
    year = context.latest_year(series)
    assert year is not None
    latest = context.latest(series, year)
    values = latest["value"].dropna().tolist()
    assert values == sorted(values) and len(values) == 13
    assert not {"rank", "position"} & set(latest.columns)
    item = next(i for i in context.items(db.run(demo_con, "context_items"))
                if i.item == "SEN_TotStat")  # fmt: skip
    words = context.summary(item, series, "Kent").lower()
    assert "better" not in words and "worse" not in words and "rank" not in words
    assert words.startswith(f"{year}: kent ")


def test_a_year_with_no_published_value_keeps_its_reason(demo_con):
    series = db.run(demo_con, "context_series", {"la_code": "886", "item": "TotAbs"})
    covid = series[series["year_label"] == "2020"]
    assert covid["value"].isna().all() and (covid["missing_reason"] != "").all()
    band = context.neighbour_band(series).set_index("year_label")
    assert band.loc["2020", "count"] == 0


@pytest.mark.skipif(not (SHARED / "realdata" / "dfe-lait-data-store-2026").exists(),
                    reason="shared real data not present")  # fmt: skip
def test_the_shipped_extract_matches_dfes_data_store():
    store = pd.read_parquet(SHARED / "realdata/dfe-lait-data-store-2026/lait_bds_long_0.parquet")
    shipped = pd.read_csv(LAIT / "series.csv", dtype={"la_code": str})
    kent = store[(store["Short Desc"] == "SEN_TotStat") & (store["LA and Regions"] == "Kent")]
    published = {y: round(float(v), 1) for y, v in zip(kent["Years"], kent["Values"],
                                                       strict=True)}  # fmt: skip
    mine = shipped[(shipped["item"] == "SEN_TotStat") & (shipped["area_name"] == "Kent")]
    assert dict(zip(mine["year_label"].astype(str), mine["value"], strict=True)) == published
    assert published["2016"] == 2.9  # as the data store's README quotes it
