"""Which measures a database can show, for which years, and what to load for the rest; read by
the `status` command and the Data and methods page."""

from __future__ import annotations

import pandas as pd

from dashboard import catalogue

# what to load for each input, and for the area measures not built from one input
HINTS = {
    "sen_support": "england_census or a school-level SEN file",
    "ehcp": "england_census or a school-level SEN file",
    "overall_absence": "england_abs or a school-level absence file",
    "persistent_absence": "england_abs or a school-level absence file",
    "suspensions": "a school-level suspensions and exclusions file",
    "suspended_pupils": "a school-level suspensions and exclusions file",
    "perm_exclusions": "a school-level suspensions and exclusions file",
}
AREA_NEEDS = {  # measure id → (holding in loaded_counts or "input:<input>", what to load)
    "good_or_better_pct": (
        "inspections: overall_effectiveness",
        "Ofsted management information or a rating history",
    ),
    "quality_mark_pct": ("quality-mark awards", "the quality-mark awards template"),
    "ehcp_concentration": ("input:ehcp", HINTS["ehcp"]),
    "ehcp_mainstream_pct": ("input:ehcp", HINTS["ehcp"]),
}


def _years(part) -> str:
    return ", ".join(dict.fromkeys(part.loc[part["with_value"] > 0, "year"]))


def measure_coverage(loaded: pd.DataFrame, held: dict[str, int]) -> pd.DataFrame:
    """One row per catalogue measure: the years it can be shown for, or what to load.

    loaded: the `load_status` query; held: `loaded_counts` as {item: count}."""
    out = []
    for m in catalogue.load():
        name = m.title + (" (pilot)" if m.is_pilot else "")
        need = AREA_NEEDS.get(m.id, (f"input:{m.input}", HINTS.get(m.input or "", "")))
        if m.compare_breakdowns:  # needs the input split by SEN status
            part = loaded[
                (loaded["input"] == m.input)
                & loaded["breakdown"].isin(["sen_support", "ehcp", "no_sen"])
            ]
            years = _years(part)
            what = (
                f"{m.input.replace('_', ' ')} by SEN status (a school-level file with SEN "
                "breakdowns)"
            )
        elif need[0].startswith("input:"):
            inp = need[0][len("input:") :]
            years = _years(loaded[(loaded["input"] == inp) & (loaded["breakdown"] == "all")])
            what = need[1]
        else:
            years = "loaded" if held.get(need[0], 0) else ""
            what = need[1]
        out.append({"measure": name, "years": years, "needs": "" if years else f"load {what}"})
    return pd.DataFrame(out, columns=["measure", "years", "needs"])
