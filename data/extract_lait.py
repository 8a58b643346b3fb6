"""Write the small, published, authority-level reference extract the embedded build ships for
the "<authority> in context" page, from DfE's LAIT data store and statistical neighbours (OGL v3.0).

    python data/extract_lait.py ../shared/realdata

Reads `dfe-lait-data-store-2026/lait_bds_long_0.parquet` with its data dictionary and
`dfe-statistical-neighbours-2025/statistical_neighbours_may2025_long.csv`, and writes
`data/reference/lait/items.csv`, `data/reference/lait/series.csv` (the chosen inclusion items,
every year LAIT holds, for every English authority, every region and England, so any authority
can be the dashboard's home one: dashboard/core/home.py)
and `data/reference/lait/statistical_neighbours_may2025.csv` (every authority's ten).
Values are kept as LAIT publishes them (text, rounded to the item's stated decimals); symbols
such as 'x' or 'c' are kept as the reason a value is missing.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parent / "reference" / "lait"
# (LAIT short code, theme): the inclusion items authorities publish, as officers compare them.
ITEMS = [  # (code, theme, short title, shown on the Overview's first screen)
    ("SEN_TotStat", "Identified need", "Pupils with an EHC plan or statement", True),
    ("SEN_TotSENSuP", "Identified need", "Pupils on SEN support", True),
    ("SEN_EHC_All_20wks", "EHC plans", "New EHC plans issued within 20 weeks", False),
    ("SEN_State-Plans_sch", "EHC plans", "New plans placed in mainstream schools", False),
    ("SEN_AppealableDec", "EHC plans", "SEND Tribunal appeal rate", False),
    ("TotAbs", "Attendance", "Overall absence", False),
    ("PriTotAbs", "Attendance", "Overall absence, primary", False),
    ("SecTotAbs", "Attendance", "Overall absence, secondary", False),
    ("total_absence_special", "Attendance", "Overall absence, special", False),
    ("TotPerAbNew", "Attendance", "Persistent absence", True),
    ("SFPriPerAbNew", "Attendance", "Persistent absence, primary", False),
    ("SFSecPerAbNew", "Attendance", "Persistent absence, secondary", False),
    ("SpecPerAbNew", "Attendance", "Persistent absence, special", False),
    ("TotFixedEx", "Suspensions and exclusions", "Suspension rate", True),
    ("Total_ Pup_FixedEx", "Suspensions and exclusions", "Pupils with a suspension", False),
    ("TotPermEx", "Suspensions and exclusions", "Permanent exclusion rate", False),
]
REGION_ROWS = {"Inner London": "London", "Outer London": "London",
               "Yorkshire and The Humber": "Yorkshire and the Humber"}  # fmt: skip
POLARITY = {"High": "higher_better", "Low": "lower_better"}


def _number(text: str, decimals: int) -> tuple[float | None, str | None]:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None, (str(text).strip() or "x")
    if not math.isfinite(value):
        return None, "x"
    return round(value, decimals), None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("realdata", type=Path, help="the folder holding the DfE LAIT samples")
    args = parser.parse_args(argv)
    lait = args.realdata / "dfe-lait-data-store-2026"
    store = pd.read_parquet(lait / "lait_bds_long_0.parquet")
    dictionary = pd.read_csv(lait / "lait_data_dictionary.csv")
    neighbours = pd.read_csv(
        args.realdata / "dfe-statistical-neighbours-2025/statistical_neighbours_may2025_long.csv",
        dtype={"la_code": str, "neighbour_la_code": str},
    )

    codes = [c for c, *_ in ITEMS]
    info = dictionary[dictionary["Measure_short"].isin(codes)].drop_duplicates("Measure_short")
    items = pd.DataFrame(
        {
            "item": info["Measure_short"],
            "title": info["Measure"].str.strip(),
            "polarity": info["Polarity"].map(POLARITY).fillna("context"),
            "unit": info["y_axis_name"].str.strip(),
            "decimals": info["dps"].fillna(1).astype(int),
            "year_type": info["Year_Type"].str.strip(),
            "definition": info["Description"].str.strip(),
        }
    )
    spec = {c: rest for c, *rest in ITEMS}
    items["theme"] = items["item"].map(lambda c: spec[c][0])
    items["short_title"] = items["item"].map(lambda c: spec[c][1])
    items["headline"] = items["item"].map(lambda c: spec[c][2])
    items["sort_order"] = items["item"].map({c: i for i, c in enumerate(codes)})
    items = items.sort_values("sort_order")

    rows = store[store["Short Desc"].isin(codes)]
    # LAIT numbers England 970 and its regions 980-990 (987 and 988: Inner and Outer London)
    area = rows["LA Number"].between(970, 990)
    is_la = rows["LA Number"].notna() & ~area
    keep = rows[is_la | area].copy()
    # an authority's region as its region's own rows name it (London boroughs: London)
    keep["Region"] = keep["Region"].replace(REGION_ROWS)
    decimals = items.set_index("item")["decimals"]
    parsed = [_number(v, int(decimals[i])) for v, i in zip(keep["Values"], keep["Short Desc"],
                                                            strict=True)]  # fmt: skip
    series = pd.DataFrame(
        {
            "item": keep["Short Desc"].to_numpy(),
            "year_label": keep["Years"].astype(str).str.strip().to_numpy(),
            "area_name": keep["LA and Regions"].str.strip().to_numpy(),
            "la_code": [
                str(int(c)) if ok else ""
                for c, ok in zip(keep["LA Number"], is_la[keep.index], strict=True)
            ],
            "area_level": [
                "authority" if ok else ("national" if c == 970 else "regional")
                for c, ok in zip(keep["LA Number"], is_la[keep.index], strict=True)
            ],
            "region": [
                r if ok else "" for r, ok in zip(keep["Region"], is_la[keep.index], strict=True)
            ],
            "value": [v for v, _ in parsed],
            "missing_reason": [m for _, m in parsed],
        }
    ).sort_values(["item", "area_level", "area_name", "year_label"])
    OUT.mkdir(parents=True, exist_ok=True)
    items.to_csv(OUT / "items.csv", index=False)
    series.to_csv(OUT / "series.csv", index=False)
    neighbours.to_csv(OUT / "statistical_neighbours_may2025.csv", index=False)
    print(f"{len(items)} items, {len(series)} values, {len(neighbours)} neighbour rows → {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
