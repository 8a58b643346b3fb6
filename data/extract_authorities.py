"""Write data/reference/authorities.csv: every English local authority with its ONS code and
region, as DfE's EHC plans release (shipped in data/reference/ehcp) names them in its newest
January. Computed England and regional comparators need to know which authorities make up an
area, so they can say how many of them the loaded school-level rows cover.

    python data/extract_authorities.py
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

REFERENCE = Path(__file__).resolve().parent / "reference"


def extract() -> pd.DataFrame:
    release = pd.read_csv(REFERENCE / "ehcp" / "caseload_headline_all_areas.csv", dtype=str,
                          encoding="utf-8-sig", keep_default_na=False)  # fmt: skip
    authorities = release[release["geographic_level"] == "Local authority"]
    newest = authorities[authorities["time_period"] == authorities["time_period"].max()]
    columns = {"old_la_code": "la_code", "la_name": "la_name", "new_la_code": "area_code",
               "region_code": "region_code", "region_name": "region_name"}  # fmt: skip
    out = newest[list(columns)].rename(columns=columns).drop_duplicates()
    return out.sort_values("la_code").reset_index(drop=True)


if __name__ == "__main__":
    table = extract()
    table.to_csv(REFERENCE / "authorities.csv", index=False)
    print(f"wrote {len(table)} authorities to {REFERENCE / 'authorities.csv'}")
